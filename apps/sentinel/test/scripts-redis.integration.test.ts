// Our script module next to Debian's redis-sentinel 7.0.15 (SPEC §1.2 PENDING-SCRIPTS and
// SENTINEL SET script rules, §2 sentinel.conf script lines, §3 "Scripts"): the same events
// queue the same argv, PENDING-SCRIPTS has the same fields in the same order, INFO the same
// counts, and the error texts are Redis's own.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, resolveBinary, startRedisSentinel, waitFor, type RedisSentinel } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DENY_SCRIPTS_RECONFIG_ERROR,
  ScriptQueue,
  scriptNotExecutableConfigError,
  scriptNotExecutableReply,
  type PendingScript,
  type ScriptOption,
} from "../src/scripts/index.js";

let dir = "";
let sleeper = "";
let plain = "";
let pidFile = "";
let exit2 = "";
const sentinels: RedisSentinel[] = [];
const clients: Redis[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sentinel-scripts-redis-"));
  sleeper = join(dir, "sleeper.sh");
  plain = join(dir, "plain.sh");
  pidFile = join(dir, "pids");
  // Records its pid so the test can stop every script redis-sentinel started.
  writeFileSync(sleeper, `#!/bin/sh\necho $$ >> '${pidFile}'\nexec sleep 20\n`);
  chmodSync(sleeper, 0o755);
  exit2 = join(dir, "exit2.sh");
  writeFileSync(exit2, "#!/bin/sh\nexit 2\n");
  chmodSync(exit2, 0o755);
  writeFileSync(plain, "#!/bin/sh\n");
  chmodSync(plain, 0o644);
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all(sentinels.map((s) => s.stop()));
  if (existsSync(pidFile)) {
    for (const pid of readFileSync(pidFile, "utf8").split("\n").filter((l) => l !== "")) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A redis-sentinel that allows script changes, and a RESP2 client on it. */
async function scriptSentinel(): Promise<{ sentinel: RedisSentinel; client: Redis }> {
  const sentinel = await startRedisSentinel({ config: "sentinel deny-scripts-reconfig no" });
  sentinels.push(sentinel);
  const client = connectTo(sentinel);
  await client.connect();
  return { sentinel, client };
}

function connectTo(sentinel: RedisSentinel): Redis {
  const client = new Redis({ host: sentinel.host, port: sentinel.port, protocol: 2, lazyConnect: true, maxRetriesPerRequest: 0 });
  clients.push(client);
  return client;
}

async function setError(c: Redis, ...args: string[]): Promise<string> {
  return c.call("SENTINEL", "SET", ...args).then(
    (reply) => `unexpected ${String(reply)}`,
    (error: Error) => error.message,
  );
}

/** A PENDING-SCRIPTS entry as RESP2 carries it: field, value, field, value ... */
function flat(p: PendingScript): unknown[] {
  return ["argv", p.argv, "flags", p.flags, "pid", String(p.pid), p.timeField, String(p.timeMs), "retry-num", String(p.retryNum)];
}

/** Replaces the values that differ by nature (pids, times) with their kind. */
function shape(entry: unknown[]): unknown[] {
  return entry.map((v, i) => (i === 5 && v !== "0" ? "<pid>" : i === 7 && entry[6] === "run-time" ? "<ms>" : v));
}

describe("scripts next to redis-sentinel 7.0.15", () => {
  it("deny-scripts-reconfig (on by default) refuses SET with Redis's text", async () => {
    const denying = await startRedisSentinel({ config: "" });
    sentinels.push(denying);
    const c = connectTo(denying);
    await c.connect();
    await c.call("SENTINEL", "MONITOR", "m1", "127.0.0.1", String(await freePort()), "1");
    expect(await setError(c, "m1", "notification-script", sleeper)).toBe(DENY_SCRIPTS_RECONFIG_ERROR);
  });

  it.each(["notification-script", "client-reconfig-script"] as const)(
    "sentinel.conf %s naming a non-executable file is fatal with Redis's text",
    async (option: ScriptOption) => {
      const conf = join(dir, `${option}.conf`);
      const port = await freePort();
      writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nsentinel monitor m1 127.0.0.1 ${port} 1\nsentinel ${option} m1 ${plain}\n`);
      const output = await new Promise<string>((resolve) => {
        execFile(resolveBinary("redis-sentinel"), [conf], { timeout: 5_000, encoding: "utf8" }, (_error, stdout, stderr) => resolve(stdout + stderr));
      });
      expect(output).toContain("FATAL CONFIG FILE ERROR");
      expect(output).toContain(`\n${scriptNotExecutableConfigError(option)}\n`);
    },
  );

  it("SET checks, PENDING-SCRIPTS fields and INFO counts match our queue", async () => {
    const downPort = await freePort();
    const { client } = await scriptSentinel();
    await client.call("SENTINEL", "MONITOR", "m1", "127.0.0.1", String(downPort), "1");
    expect(await setError(client, "m1", "notification-script", plain)).toBe(scriptNotExecutableReply("notification-script"));
    expect(await setError(client, "m1", "client-reconfig-script", join(dir, "missing"))).toBe(
      scriptNotExecutableReply("client-reconfig-script"),
    );

    // Every SET is a WARNING +set event about the master: 18 of them queue 18 runs of the
    // sleeper, 16 running and 2 waiting (the master stays up in Redis's eyes: down-after is 30 s).
    const ours = new ScriptQueue();
    const payloads: string[] = [];
    await client.call("SENTINEL", "SET", "m1", "notification-script", sleeper);
    payloads.push(`master m1 127.0.0.1 ${downPort} notification-script ${sleeper}`);
    for (let q = 1; payloads.length < 18; q++) {
      await client.call("SENTINEL", "SET", "m1", "quorum", String(q));
      payloads.push(`master m1 127.0.0.1 ${downPort} quorum ${q}`);
    }
    let pid = 1000;
    for (const payload of payloads) {
      ours.schedule(sleeper, ["+set", payload]);
      for (const job of ours.due(0)) ours.started(job.id, pid++);
    }

    const c = client;
    const theirs = await waitFor(
      async () => {
        const reply = (await c.call("SENTINEL", "PENDING-SCRIPTS")) as unknown[][];
        return reply.filter((e) => e[3] === "running").length === 16 ? reply : undefined;
      },
      { timeoutMs: 20_000, what: "16 running scripts in redis-sentinel" },
    );
    expect(theirs.map(shape)).toEqual(ours.pending(5).map(flat).map(shape));
    expect(theirs.at(-1)).toEqual(["argv", [sleeper, "+set", payloads[17]], "flags", "scheduled", "pid", "0", "run-delay", "0", "retry-num", "0"]);

    const info = String(await client.call("INFO", "sentinel"));
    const counts = ours.counts();
    expect(info).toContain(`sentinel_running_scripts:${counts.running}\r\n`);
    expect(info).toContain(`sentinel_scripts_queue_length:${counts.queueLength}\r\n`);
    expect(counts).toEqual({ running: 16, queueLength: 18 });
  }, 40_000);

  it("-script-error and -script-timeout payloads, and the retry after a timeout, match our queue", async () => {
    const downPort = await freePort();
    const { sentinel, client } = await scriptSentinel();
    const sub = connectTo(sentinel);
    await sub.connect();
    const published: string[] = [];
    sub.on("message", (channel: string, message: string) => published.push(`${channel} ${message}`));
    await sub.subscribe("-script-error", "-script-timeout");
    await client.call("SENTINEL", "DEBUG", "script-max-runtime", "300", "script-retry-delay", "60000");
    await client.call("SENTINEL", "MONITOR", "m2", "127.0.0.1", String(downPort), "1");

    // The +set event of this SET runs exit2.sh itself.
    await client.call("SENTINEL", "SET", "m2", "notification-script", exit2);
    await waitFor(() => published.length >= 1, { timeoutMs: 15_000, what: "-script-error from redis-sentinel" });
    const ours = new ScriptQueue({ maxRuntime: 300, retryDelay: 60_000 });
    const failing = ours.schedule(exit2, ["+set", "x"]).job.id;
    ours.due(0);
    ours.started(failing, 1);
    const ourError = ours.exited(failing, 2, 0, 10).find((e) => e.name === "-script-error");
    expect(published[0]).toBe(`${ourError?.name} ${ourError?.payload}`);

    // Now the sleeper: SIGKILLed after 300 ms, then waiting 60 s for its retry.
    await client.call("SENTINEL", "SET", "m2", "notification-script", sleeper);
    await waitFor(() => published.length >= 2, { timeoutMs: 15_000, what: "-script-timeout from redis-sentinel" });
    // The pid redis-sentinel reports is the one fed to our queue: the format is what is compared.
    const sleeperPid = published[1]?.split(" ").at(-1);
    const slow = ours.schedule(sleeper, ["+set", `master m2 127.0.0.1 ${downPort} notification-script ${sleeper}`]).job.id;
    ours.due(1_000);
    ours.started(slow, Number(sleeperPid));
    const [timeout] = ours.timedOut(1_301);
    expect(published[1]).toBe(`${timeout?.event.name} ${timeout?.event.payload}`);
    ours.exited(slow, 0, 9, 1_310);

    const c = client;
    const theirs = await waitFor(
      async () => {
        const reply = (await c.call("SENTINEL", "PENDING-SCRIPTS")) as unknown[][];
        return reply.length === 1 && reply[0]?.[3] === "scheduled" ? reply[0] : undefined;
      },
      { timeoutMs: 15_000, what: "the killed sleeper to wait for its retry" },
    );
    const [mine] = ours.pending(1_310).map(flat);
    expect(theirs.filter((_, i) => i !== 7)).toEqual(mine?.filter((_, i) => i !== 7));
    expect(Number(theirs[7])).toBeGreaterThan(55_000);
    expect(Number(theirs[7])).toBeLessThanOrEqual(Number(mine?.[7]));
  }, 60_000);
});
