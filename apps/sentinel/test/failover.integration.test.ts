// Failover end to end with real processes: redis-server master and two replicas, three
// sentinel-kit daemons (the built bin), an ioredis client in sentinel mode. The scenarios
// share one topology and run in order; each leaves a healthy master for the next.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedis, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog, agreedMaster, ask, fields, masterPort, readConf, restartDaemon, startDaemon, waitForDiscovery, type Daemon } from "./harness/processes.js";

// Both scripts append their arguments to a file (SPEC §3: notification-script gets
// `<event> <message>`, client-reconfig-script `<master> <role> start <from> <to>`).
const scriptDir = mkdtempSync(join(tmpdir(), "sentinel-kit-scripts-"));
function script(name: string): { path: string; out: string } {
  const path = join(scriptDir, `${name}.sh`);
  const out = join(scriptDir, `${name}.out`);
  writeFileSync(path, `#!/bin/sh\necho "$@" >> ${out}\n`);
  chmodSync(path, 0o755);
  return { path, out };
}
const notify = script("notify");
const reconfig = script("reconfig");

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

const CONFIG = (masterPortNumber: number): string =>
  `sentinel monitor mymaster 127.0.0.1 ${masterPortNumber} 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 3000
sentinel notification-script mymaster ${notify.path}
sentinel client-reconfig-script mymaster ${reconfig.path}
`;

let redis: RedisServer[] = [];
let daemons: Daemon[] = [];
let client: Redis | undefined;

function byPort(port: number): RedisServer {
  const found = redis.find((r) => r.port === port);
  if (found === undefined) throw new Error(`no redis on ${port}`);
  return found;
}

async function isReplicaOf(server: RedisServer, port: number): Promise<boolean> {
  const info = await server.cli("INFO", "replication").catch(() => "");
  return info.includes("role:slave") && info.includes(`master_port:${port}`);
}

describe("sentinel-kit fails over real redis-server instances", () => {
  beforeAll(async () => {
    const master = await startRedis();
    redis = [master];
    for (let i = 0; i < 2; i++) redis.push(await startRedis({ replicaOf: { host: master.host, port: master.port } }));
    for (let i = 0; i < 3; i++) daemons.push(await startDaemon(CONFIG(master.port)));
    // Every daemon knows both replicas and both other daemons (SPEC §4.4, §4.5).
    await waitForDiscovery(daemons, { replicas: 2, sentinels: 2 }, 30_000);
  }, 90_000);

  afterAll(async () => {
    client?.disconnect();
    await Promise.all(daemons.map((d) => d.process.stop()));
    await Promise.all(redis.map((r) => r.stop()));
  }, 30_000);

  it("master SIGKILLed: the three agree on the promoted replica, ioredis follows, the old master comes back as a replica", async () => {
    const old = redis[0]!;
    client = new Redis({
      sentinels: daemons.map((d) => ({ host: "127.0.0.1", port: d.port })),
      name: "mymaster",
      maxRetriesPerRequest: 50,
    });
    client.on("error", () => undefined);
    await client.set("k", "before");
    const killedAt = Date.now();
    await old.kill();
    const promoted = await agreedMaster(daemons, old.port, 30_000);
    expect([redis[1]!.port, redis[2]!.port]).toContain(promoted);
    const switchMs = Date.now() - killedAt;
    // The client re-resolves through the daemons and writes to the new master.
    await waitFor(async () => (await client!.set("k", "after").catch(() => null)) === "OK", { timeoutMs: 20_000, what: "a write through ioredis" });
    expect(await byPort(promoted).cli("GET", "k")).toBe("after");
    // The leader and both observers ran the client-reconfig-script; every WARNING event about
    // the master ran the notification-script.
    const move = `127.0.0.1 ${old.port} 127.0.0.1 ${promoted}`;
    await waitFor(() => lines(reconfig.out).length >= 3, { timeoutMs: 20_000, what: "three client-reconfig-script runs" });
    expect(lines(reconfig.out).sort()).toEqual([`mymaster leader start ${move}`, `mymaster observer start ${move}`, `mymaster observer start ${move}`]);
    await waitFor(() => lines(notify.out).filter((l) => l === `+switch-master mymaster ${move}`).length === 3, {
      timeoutMs: 20_000,
      what: "the notification-script to get +switch-master from each daemon",
    });
    // Scripts run side by side: the +sdown one started first but may finish after.
    await waitFor(() => lines(notify.out).includes(`+sdown master mymaster 127.0.0.1 ${old.port}`), {
      timeoutMs: 10_000,
      what: "the notification-script to get +sdown",
    });
    const other = redis.find((r) => r.port !== promoted && r.port !== old.port)!;
    await waitFor(() => isReplicaOf(other, promoted), { timeoutMs: 20_000, what: "the other replica to follow the new master" });
    // SPEC §4.12: the old master, restarted as a master, is converted (after 4 publish periods).
    const restarted = await startRedis({ port: old.port, dir: old.dir });
    redis[0] = restarted;
    await waitFor(() => isReplicaOf(restarted, promoted), { timeoutMs: 40_000, what: "the old master to be converted to a replica" });
    expect(switchMs).toBeLessThan(10_000);
  }, 180_000);

  it("all three restarted recover master address, epochs, replicas and sentinels from their files", async () => {
    const before = await Promise.all(daemons.map(async (d) => fields(await ask(d.port, "SENTINEL", "MASTER", "mymaster"))));
    const epochs = await Promise.all(daemons.map(async (d) => readConf(d).match(/current-epoch (\d+)/)?.[1]));
    await Promise.all(daemons.map((d) => d.process.stop()));
    for (const d of daemons) await restartDaemon(d);
    for (const [i, d] of daemons.entries()) {
      const after = fields(await ask(d.port, "SENTINEL", "MASTER", "mymaster"));
      expect(after["port"]).toBe(before[i]!["port"]);
      expect(after["config-epoch"]).toBe(before[i]!["config-epoch"]);
      expect(Number(after["config-epoch"])).toBeGreaterThan(0);
      expect(after["num-slaves"]).toBe("2");
      expect(after["num-other-sentinels"]).toBe("2");
      expect(readConf(d)).toContain(`sentinel current-epoch ${epochs[i]}`);
    }
  }, 60_000);

  it("SENTINEL FAILOVER on one daemon: a clean switch with no SDOWN", async () => {
    const current = (await masterPort(daemons[0]!.port))!;
    const logs = await Promise.all(daemons.map((d) => EventLog.open(d.port)));
    try {
      // The restarted daemons first need fresh INFO from the replicas to pick one.
      await waitFor(async () => (await ask(daemons[1]!.port, "SENTINEL", "FAILOVER", "mymaster").catch((e: Error) => e.message)) === "OK", {
        timeoutMs: 20_000,
        what: "SENTINEL FAILOVER to be accepted",
      });
      const promoted = await agreedMaster(daemons, current, 25_000);
      expect(promoted).not.toBe(current);
      // As in Redis: the old master is a replica that reports master; converted after 8 s.
      await waitFor(() => isReplicaOf(byPort(current), promoted), { timeoutMs: 40_000, what: "the old master to be demoted" });
      // No instance of the failover is ever SDOWN (a peer restarted just before may be).
      const sdowns = logs.flatMap((l) => l.events.filter((e) => e.channel === "+sdown" && !e.message.startsWith("sentinel ")));
      expect(sdowns).toEqual([]);
      await waitFor(() => logs[1]!.has("+switch-master"), { timeoutMs: 10_000, what: "+switch-master from the daemon asked" });
    } finally {
      for (const l of logs) l.close();
    }
  }, 120_000);

  it("master paused with SIGSTOP longer than down-after: failover, and the old master is demoted once resumed", async () => {
    const current = (await masterPort(daemons[0]!.port))!;
    const paused = byPort(current);
    await paused.pause();
    let promoted: number;
    try {
      promoted = await agreedMaster(daemons, current, 30_000);
    } finally {
      await paused.resume();
    }
    await waitFor(() => isReplicaOf(paused, promoted), { timeoutMs: 40_000, what: "the resumed old master to be demoted" });
  }, 90_000);

  it("leader SIGKILLed right after +elected-leader: another daemon completes in a later epoch", async () => {
    const current = (await masterPort(daemons[0]!.port))!;
    for (const d of daemons) expect(await ask(d.port, "SENTINEL", "SIMULATE-FAILURE", "CRASH-AFTER-ELECTION")).toBe("OK");
    await byPort(current).kill();
    let crashed: Daemon | undefined;
    await waitFor(
      () => {
        crashed = daemons.find((d) => d.process.exited);
        return crashed !== undefined;
      },
      { timeoutMs: 25_000, what: "the elected leader to crash" },
    );
    expect(crashed!.process.exitStatus?.code).toBe(99);
    const survivors = daemons.filter((d) => d !== crashed);
    // SIMULATE-FAILURE clears the flags before reading its arguments; HELP sets none.
    for (const d of survivors) await ask(d.port, "SENTINEL", "SIMULATE-FAILURE", "HELP");
    const epochBefore = Number(fields(await ask(survivors[0]!.port, "SENTINEL", "MASTER", "mymaster"))["config-epoch"]);
    const promoted = await agreedMaster(survivors, current, 40_000);
    const after = fields(await ask(survivors[0]!.port, "SENTINEL", "MASTER", "mymaster"));
    expect(Number(after["config-epoch"])).toBeGreaterThan(epochBefore + 1);
    expect(promoted).not.toBe(current);
    await restartDaemon(crashed!);
  }, 90_000);
});
