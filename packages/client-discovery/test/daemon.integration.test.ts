import { Redis } from "ioredis";
import { startRedis, waitFor, type ManagedProcess, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRedis,
  NoSentinelReachableError,
  parseMasterAddrReply,
  SentinelDiscovery,
  SWITCH_MASTER_CHANNEL,
  type Address,
} from "../src/index.js";
import { MASTER, sentinelCall, sentinelConfig, startSentinelKit, startTopology, type Topology } from "./topology.js";
import { writeLoop } from "./writes.js";

// The same client protocol checks as the redis-sentinel tests, against three sentinel-kit
// daemons (apps/sentinel, built): issue 7 asks for both. Two failovers in all: one SIGKILL,
// one manual failover behind a partition.

describe("against sentinel-kit daemons: resolution, a SIGKILL failover, all sentinels down", () => {
  let topo: Topology;
  let restarted: RedisServer | undefined;
  beforeAll(async () => {
    topo = await startTopology({ replicas: 1, sentinelKind: "sentinel-kit" });
  }, 40_000);
  afterAll(async () => {
    await restarted?.stop();
    await topo?.stop();
  });

  it("resolves and ROLE-verifies the master, with the config epoch every daemon agrees on (SPEC §5.1)", async () => {
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: topo.sentinelAddresses, trust: { minAgreeing: 3 } });
    const master = await discovery.resolveMaster();
    expect(master.address).toEqual({ host: topo.master.host, port: topo.master.port });
    expect(master.configEpoch).toBe(0);
    const replica = await discovery.resolveReplica();
    expect(replica.address).toEqual({ host: topo.replicas[0]!.host, port: topo.replicas[0]!.port });
  });

  // SPEC §5.1 steps 4 and 9, §5.3. The old master is restarted on its port as soon as the
  // client knows of the switch: it comes back a writable master until a sentinel converts
  // it, so a client that reconnected to a cached address would have its writes
  // acknowledged there, and the per-write laddr record would show it.
  it("follows a SIGKILL failover; once the switch is known no write is acknowledged by the old master's address", async () => {
    const oldPort = topo.master.port;
    const client = createRedis({ name: MASTER, sentinels: topo.sentinelAddresses });
    const observers = topo.sentinelAddresses.map((s) => new Redis({ host: s.host, port: s.port, protocol: 2 }));
    let switchSeenAt: number | undefined;
    let newPort: number | undefined;
    let knownAt: number | undefined;
    const hints: number[] = [];
    try {
      for (const observer of observers) {
        observer.on("message", (_channel: string, message: string) => {
          switchSeenAt ??= performance.now();
          newPort ??= Number(message.split(" ")[4]);
        });
        await observer.subscribe(SWITCH_MASTER_CHANNEL);
      }
      client.discovery.onHint((_event, sentinel) => hints.push(sentinel.port));
      client.discovery.onChange((change) => {
        if (change.from !== undefined) knownAt ??= performance.now();
      });
      await client.redis.set("warm", "1");
      let done = false;
      const loop = writeLoop(client.redis, "kill", () => done);
      await waitFor(async () => (await topo.master.cli("DBSIZE")) !== "1", { timeoutMs: 5000, what: "writes to flow" });
      const killedAt = performance.now();
      await topo.master.kill();
      await waitFor(() => knownAt !== undefined && switchSeenAt !== undefined, { timeoutMs: 15_000, intervalMs: 20, what: "the switch" });
      restarted = await startRedis({ port: oldPort });
      expect(await restarted.cli("ROLE")).toMatch(/^master/);
      const settle = performance.now();
      await waitFor(() => performance.now() - settle > 700, { timeoutMs: 2000, what: "writes after the switch" });
      done = true;
      const records = await loop;

      const acknowledged = records.filter((r) => r.port !== undefined);
      expect(acknowledged.some((r) => r.port === oldPort && r.sentAt < killedAt)).toBe(true);
      const afterKnown = acknowledged.filter((r) => r.sentAt > knownAt!);
      expect(afterKnown.length).toBeGreaterThan(0);
      expect(afterKnown.filter((r) => r.port !== newPort)).toEqual([]);
      expect(newPort).toBe(topo.replicas[0]!.port);
      // down-after is 1000 ms and the daemon promotes within a few hundred ms after it.
      expect(knownAt! - killedAt).toBeLessThan(5000);
      expect(knownAt! - switchSeenAt!).toBeLessThan(1000);
      expect(hints.length).toBeGreaterThan(0);
      expect(client.discovery.master?.port).toBe(newPort);
    } finally {
      for (const observer of observers) observer.disconnect();
      await client.close();
    }
  }, 30_000);

  it("all daemons down: NoSentinelReachableError naming each one tried (S5 step 7)", async () => {
    await Promise.all(topo.sentinels.map((s) => s.kill()));
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: topo.sentinelAddresses });
    const error = await discovery.resolveMaster().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSentinelReachableError);
    expect((error as NoSentinelReachableError).attempts.map((a) => [a.sentinel.port, a.outcome])).toEqual(
      topo.sentinelAddresses.map((s) => [s.port, "unreachable"]),
    );
  });
});

// SPEC §5.3 "cross-check config-epoch ... to avoid trusting an isolated or stale sentinel",
// as in stale-sentinel.integration.test.ts with daemons on both sides: the three reach the
// master through a black-holed FaultProxy and fail over to the replica at epoch 1; a fourth
// daemon on the old master's side only ever sees the old master, at epoch 0.
describe("against sentinel-kit daemons: a stale daemon behind a partition", () => {
  let topo: Topology;
  let stale: ManagedProcess;
  let oldMaster: Address;
  let newMaster: Address;
  let sentinels: Address[];
  beforeAll(async () => {
    topo = await startTopology({ replicas: 1, proxyMaster: true, sentinelKind: "sentinel-kit" });
    oldMaster = { host: topo.master.host, port: topo.master.port };
    newMaster = { host: topo.replicas[0]!.host, port: topo.replicas[0]!.port };
    topo.masterProxy!.blackhole();
    expect(await sentinelCall(topo.sentinelAddresses[0]!, "FAILOVER", MASTER)).toBe("OK");
    await waitFor(
      async () => {
        for (const s of topo.sentinelAddresses) {
          const reported = parseMasterAddrReply(await sentinelCall(s, "GET-MASTER-ADDR-BY-NAME", MASTER));
          if (reported?.port !== newMaster.port) return false;
        }
        return true;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: "the three daemons to switch to the replica" },
    );
    stale = await startSentinelKit(sentinelConfig(oldMaster.host, oldMaster.port));
    sentinels = [{ host: "127.0.0.1", port: stale.port }, ...topo.sentinelAddresses];
  }, 60_000);
  afterAll(async () => {
    await stale?.stop();
    await topo?.stop();
  });

  it("misleads the plain S5 procedure: its old master still passes the ROLE check", async () => {
    expect(await topo.master.cli("ROLE")).toMatch(/^master/);
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels });
    expect((await discovery.resolveMaster()).address).toEqual(oldMaster);
  });

  it("loses to the epoch cross-check: writes go to the new master only", async () => {
    const client = createRedis({ name: MASTER, sentinels, trust: { minAgreeing: 2 }, watchSwitches: false });
    try {
      for (let n = 0; n < 20; n++) {
        const replies = await client.redis.multi().set(`stale-${n}`, "x").call("CLIENT", "INFO").exec();
        expect(String(replies?.[1]?.[1])).toContain(`laddr=${newMaster.host}:${newMaster.port}`);
      }
      expect(client.connection.address).toEqual(newMaster);
      expect(await topo.master.cli("EXISTS", "stale-0")).toBe("0");
      const resolution = await client.discovery.resolveMaster();
      expect(resolution.configEpoch).toBeGreaterThanOrEqual(1);
      expect(resolution.attempts.find((a) => a.sentinel.port === stale.port)?.detail).toBe(`${oldMaster.host}:${oldMaster.port} epoch 0`);
    } finally {
      await client.close();
    }
  });

  it("is ignored with minOtherSentinels, since it sees no other sentinel", async () => {
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels, trust: { minOtherSentinels: 1 } });
    expect((await discovery.resolveMaster()).address).toEqual(newMaster);
  });
});
