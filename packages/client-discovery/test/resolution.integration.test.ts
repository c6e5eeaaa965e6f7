import { readFileSync } from "node:fs";
import { FaultProxy, freePort, startRedis, startRedisSentinel, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRedis,
  MasterUnknownError,
  NoSentinelReachableError,
  RoleMismatchError,
  SentinelDiscovery,
  type Address,
} from "../src/index.js";
import { example } from "./readme-example.js";
import { MASTER, sentinelConfig, startTopology, TOPOLOGY_START_TIMEOUT_MS, type Topology } from "./topology.js";

let topo: Topology;
let masterAddress: Address;
beforeAll(async () => {
  topo = await startTopology();
  masterAddress = { host: topo.master.host, port: topo.master.port };
}, TOPOLOGY_START_TIMEOUT_MS);
afterAll(async () => {
  await topo?.stop();
});

describe("resolution against redis-sentinel 7.0 (SPEC §5.1)", () => {
  it("resolves and ROLE-verifies the master", async () => {
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: topo.sentinelAddresses });
    const resolution = await discovery.resolveMaster();
    expect(resolution.address).toEqual(masterAddress);
    expect(discovery.master).toEqual(masterAddress);
  });

  it("skips a dead sentinel, moves the one that answered to the front, and learns the others (S5 steps 1, 8)", async () => {
    const dead = { host: "127.0.0.1", port: await freePort() };
    const seed = topo.sentinelAddresses[1]!;
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: [dead, seed] });
    const resolution = await discovery.resolveMaster();
    expect(resolution.attempts.map((a) => a.outcome)).toEqual(["unreachable", "answered"]);
    expect(discovery.sentinels[0]).toEqual(seed);
    expect(new Set(discovery.sentinels.map((s) => s.port))).toEqual(new Set([dead.port, ...topo.sentinelAddresses.map((s) => s.port)]));
  });

  it("a black-holed sentinel costs one short deadline, not a hang (S5 step 1)", async () => {
    const holed = await FaultProxy.start({ target: topo.sentinelAddresses[0]!, mode: { kind: "blackhole" } });
    try {
      const discovery = new SentinelDiscovery({
        name: MASTER,
        sentinels: [{ host: "127.0.0.1", port: holed.port }, topo.sentinelAddresses[1]!],
        sentinelTimeoutMs: 200,
      });
      const started = performance.now();
      const resolution = await discovery.resolveMaster();
      const elapsed = performance.now() - started;
      expect(resolution.address).toEqual(masterAddress);
      expect(resolution.attempts[0]).toMatchObject({ outcome: "unreachable", detail: "no reply within 200 ms" });
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(1500);
      expect(discovery.sentinels[0]).toEqual(topo.sentinelAddresses[1]);
    } finally {
      await holed.close();
    }
  });

  it("cross-check mode reports the config epoch and the agreeing sentinels", async () => {
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: topo.sentinelAddresses, trust: { minAgreeing: 3 } });
    const resolution = await discovery.resolveMaster();
    expect(resolution.address).toEqual(masterAddress);
    expect(resolution.configEpoch).toBe(0);
    expect(resolution.agreeing).toHaveLength(3);
  });

  it("picks a ROLE-verified replica (S5 step 5)", async () => {
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: topo.sentinelAddresses, random: () => 0.99 });
    const replica = await discovery.resolveReplica();
    expect(replica.kind).toBe("replica");
    expect(topo.replicas.map((r) => r.port)).toContain(replica.address.port);
  });

  it("all sentinels down: NoSentinelReachableError naming each one tried (S5 step 7)", async () => {
    const dead = [{ host: "127.0.0.1", port: await freePort() }, { host: "127.0.0.1", port: await freePort() }];
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: dead });
    const error = await discovery.resolveMaster().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSentinelReachableError);
    expect((error as NoSentinelReachableError).name).toBe("NoSentinelReachableError");
    expect((error as NoSentinelReachableError).attempts.map((a) => [a.sentinel.port, a.outcome])).toEqual(dead.map((d) => [d.port, "unreachable"]));
  });

  it("a name no sentinel monitors: MasterUnknownError, distinct from unreachable (S5 step 7)", async () => {
    const discovery = new SentinelDiscovery({ name: "nosuchmaster", sentinels: topo.sentinelAddresses });
    const error = await discovery.resolveMaster().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MasterUnknownError);
    expect((error as MasterUnknownError).attempts.map((a) => a.outcome)).toEqual(["unknown-master", "unknown-master", "unknown-master"]);
  });

  it("an address that is not a master fails the ROLE check (S5 step 3)", async () => {
    const replica = topo.replicas[0]!;
    const discovery = new SentinelDiscovery({
      name: MASTER,
      sentinels: topo.sentinelAddresses,
      natMap: { [`${masterAddress.host}:${masterAddress.port}`]: { host: replica.host, port: replica.port } },
    });
    const error = await discovery.resolveMaster().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoleMismatchError);
    expect((error as RoleMismatchError).actual).toBe("slave");
  });

  it("the README example runs, and is the code the README shows", async () => {
    expect(await example(topo.sentinelAddresses)).toBe("hello");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8"));
  });
});

describe("createRedis edges (SPEC §5.3 exceed items)", () => {
  let stray: RedisServer | undefined;
  let proxy: FaultProxy | undefined;
  afterAll(async () => {
    await stray?.stop();
    await proxy?.close();
  });

  it("READONLY on the master connection re-resolves and resends the write", async () => {
    // A server outside the topology that the address map points at until it turns replica:
    // the client's connection then answers READONLY, as a demoted old master would.
    stray = await startRedis();
    const map = { active: true };
    const client = createRedis({
      name: MASTER,
      sentinels: topo.sentinelAddresses,
      natMap: (a) => (map.active && a.port === masterAddress.port ? { host: stray!.host, port: stray!.port } : undefined),
      watchSwitches: false,
      watchdog: false,
    });
    const causes: string[] = [];
    client.discovery.onChange((c) => causes.push(`${c.cause}:${c.to.port}`));
    try {
      await client.redis.set("ro-key", "before");
      expect(client.connection.address?.port).toBe(stray.port);
      await stray.cli("REPLICAOF", topo.replicas[0]!.host, String(topo.replicas[0]!.port));
      map.active = false;
      await client.redis.set("ro-key", "after");
      expect(client.connection.address?.port).toBe(masterAddress.port);
      expect(causes).toEqual([`resolution:${stray.port}`, `readonly:${masterAddress.port}`]);
      expect(await topo.master.cli("GET", "ro-key")).toBe("after");
    } finally {
      await client.close();
    }
  });

  it("a hung (not closed) master connection is detected by the PING watchdog and replaced", async () => {
    proxy = await FaultProxy.start({ target: { host: masterAddress.host, port: masterAddress.port } });
    const via = { proxy: true };
    let hung = 0;
    const client = createRedis({
      name: MASTER,
      sentinels: topo.sentinelAddresses,
      natMap: (a) => (via.proxy && a.port === masterAddress.port ? { host: "127.0.0.1", port: proxy!.port } : undefined),
      watchSwitches: false,
      watchdog: { intervalMs: 100, timeoutMs: 300, onHung: () => hung++ },
    });
    try {
      await client.redis.set("hung-key", "1");
      expect(client.connection.address?.port).toBe(proxy.port);
      proxy.blackhole();
      via.proxy = false;
      const started = performance.now();
      await client.redis.set("hung-key", "2");
      expect(performance.now() - started).toBeLessThan(3000);
      expect(hung).toBe(1);
      expect(client.connection.address?.port).toBe(masterAddress.port);
    } finally {
      await client.close();
    }
  });
});

describe("sentinel events are hints, filtered by master name, never trusted alone (S5 step 9, SPEC §5.3)", () => {
  it("ignores other masters' events and re-resolves on this one's, keeping what the sentinels say", async () => {
    // A plain redis-server stands in for a sentinel's pub/sub, so the test can publish a
    // +switch-master that no sentinel would: for another name, and one pointing nowhere.
    const fake = { host: topo.replicas[1]!.host, port: topo.replicas[1]!.port };
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels: [fake, ...topo.sentinelAddresses], watchSentinels: 1 });
    const hints: string[] = [];
    const changes: string[] = [];
    discovery.onHint((hint) => hints.push(`${hint.channel} ${hint.masterName}`));
    discovery.onChange((change) => changes.push(`${change.cause} ${change.to.port}`));
    discovery.watch();
    try {
      expect((await discovery.resolveMaster()).attempts[0]).toMatchObject({ outcome: "error" });
      await waitFor(async () => (await topo.replicas[1]!.cli("PUBSUB", "NUMSUB", "+switch-master")).endsWith("1"), {
        timeoutMs: 10_000,
        what: "the subscription",
      });
      await topo.replicas[1]!.cli("PUBLISH", "+switch-master", `othermaster 127.0.0.1 1 127.0.0.1 2`);
      await topo.replicas[1]!.cli("PUBLISH", "+failover-state-reconf-slaves", `master othermaster 127.0.0.1 1`);
      await topo.replicas[1]!.cli("PUBLISH", "+switch-master", `${MASTER} 127.0.0.1 ${masterAddress.port} 127.0.0.1 1`);
      await waitFor(() => hints.length > 0, { timeoutMs: 10_000, what: "the hint" });
      // The hint's resolution asks the sentinels, which still name the real master.
      await discovery.resolveMaster();
      expect(hints).toEqual([`+switch-master ${MASTER}`]);
      expect(changes).toEqual([`resolution ${masterAddress.port}`]);
      expect(discovery.master).toEqual(masterAddress);
    } finally {
      discovery.close();
    }
  }, 30_000);
});

describe("periodic re-discovery (SPEC §5.3, node-redis scanInterval)", () => {
  it("re-resolves in the background every rediscoverIntervalMs while watching, and stops on close", async () => {
    let resolutions = 0;
    const discovery = new SentinelDiscovery({
      name: MASTER,
      sentinels: topo.sentinelAddresses,
      watchSentinels: 0,
      rediscoverIntervalMs: 100,
      // Called on every address a sentinel reports; the master's comes once per resolution.
      natMap: (reported) => {
        if (reported.port === masterAddress.port) resolutions++;
        return undefined;
      },
    });
    discovery.watch();
    await waitFor(() => resolutions >= 3, { timeoutMs: 10_000, what: "three background resolutions" });
    discovery.close();
    const atClose = resolutions;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(resolutions - atClose).toBeLessThanOrEqual(1);
    expect(discovery.master).toEqual(masterAddress);
  });
});

describe("sentinel credentials are separate from the data nodes'", () => {
  it("sentinelAuth reaches a password-protected sentinel while the data nodes need none", async () => {
    const guarded = await startRedisSentinel({ config: sentinelConfig(masterAddress.host, masterAddress.port) });
    try {
      // After the start, which needs an open PING: sentinels accept ACL SETUSER (SPEC §1.1).
      await guarded.cli("ACL", "SETUSER", "default", "on", ">sentinel-secret");
      const sentinels = [{ host: guarded.host, port: guarded.port }];
      const denied = await new SentinelDiscovery({ name: MASTER, sentinels }).resolveMaster().catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(NoSentinelReachableError);
      expect((denied as NoSentinelReachableError).attempts[0]?.detail).toMatch(/NOAUTH/);
      const discovery = new SentinelDiscovery({ name: MASTER, sentinels, sentinelAuth: { password: "sentinel-secret" } });
      expect((await discovery.resolveMaster()).address).toEqual(masterAddress);
    } finally {
      await guarded.stop();
    }
  });
});
