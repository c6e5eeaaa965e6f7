// The daemon's core in the deterministic simulation (src/sim): three SentinelCore instances,
// simulated Redis instances and network, a virtual clock, config persisted through
// config-store and reloaded at restart. Checks SPEC §4.6-§4.12 end to end without processes;
// the world's invariant checker (one vote per epoch, one leader, one promotion, epochs on
// disk before they leave) runs at every step and must stay clean.
import { loadConfig, type SentinelConfig } from "@sentinel-kit/config-store";
import { describe, expect, it } from "vitest";
import type { SentinelCore } from "../src/core/sentinel-core.js";
import { SimWorld } from "../src/sim/world.js";

const CONF = `sentinel monitor mymaster 10.0.0.1 6379 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 6000
`;

/** Three instances (6379 master, 6380 and 6381 its replicas) and three sentinels, settled for 5 s. */
function world(seed: number, conf = CONF): SimWorld {
  const w = new SimWorld({ seed });
  w.addRedis(6379, null);
  w.addRedis(6380, 6379);
  w.addRedis(6381, 6379);
  for (let i = 0; i < 3; i++) w.addSentinel(conf);
  w.run(5000);
  return w;
}

/** The running core of sentinel `i` (fails the test if it is crashed). */
function core(w: SimWorld, i: number): SentinelCore {
  const c = w.sentinels[i]?.core;
  if (c == null) throw new Error(`sentinel ${i} is not running`);
  return c;
}

function addressOf(w: SimWorld, i: number): number {
  return core(w, i).masters.get("mymaster")!.master.address.port;
}

function names(w: SimWorld, i: number): string[] {
  return w.sentinels[i]!.events.map((e) => e.name);
}

/** Sentinel `i`'s config as last persisted (config-store's rewrite), as a restart loads it. */
function saved(w: SimWorld, i: number): SentinelConfig {
  return loadConfig(w.sentinels[i]!.configText, { file: `sentinel-${i}.conf` }).config;
}

function allSwitched(w: SimWorld, from = 6379): () => boolean {
  return () => [0, 1, 2].every((i) => addressOf(w, i) !== from);
}

describe("failover in a simulated world", () => {
  it("discovers replicas and sentinels, and saves them (SPEC §4.4, §4.5)", () => {
    const w = world(1);
    for (const i of [0, 1, 2]) {
      expect([...core(w, i).masters.get("mymaster")!.replicas.keys()].sort()).toEqual(["10.0.0.1:6380", "10.0.0.1:6381"]);
      expect(core(w, i).gossip.sentinelsOf("mymaster")).toHaveLength(2);
      const master = saved(w, i).masters[0]!;
      expect(master.knownSentinels.map((s) => s.runId).sort()).toEqual(w.sentinels.filter((_, j) => j !== i).map((s) => s.myid).sort());
      expect(master.knownReplicas.map((r) => r.port).sort()).toEqual([6380, 6381]);
    }
    expect(w.checker.violations).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5])("master killed: the three agree on one promoted replica, one leader (seed %i)", (seed) => {
    const w = world(seed);
    w.crashRedis(6379);
    const t0 = w.now;
    expect(w.runUntil(allSwitched(w), 15_000, 10)).toBe(true);
    const promoted = addressOf(w, 0);
    expect([addressOf(w, 1), addressOf(w, 2)]).toEqual([promoted, promoted]);
    expect(w.now - t0).toBeLessThan(3000);
    const leaders = [0, 1, 2].filter((i) => names(w, i).includes("+elected-leader"));
    expect(leaders).toHaveLength(1);
    const leader = names(w, leaders[0]!);
    // SPEC §4.10: the states in Redis's order.
    const order = ["+sdown", "+odown", "+try-failover", "+elected-leader", "+failover-state-select-slave", "+selected-slave", "+promoted-slave", "+failover-end", "+switch-master"];
    expect(order.map((n) => leader.indexOf(n)).every((v, k, a) => v >= 0 && (k === 0 || v > a[k - 1]!))).toBe(true);
    const other = promoted === 6380 ? 6381 : 6380;
    expect(w.instance(promoted).role).toBe("master");
    expect(w.instance(other).masterOf?.port).toBe(promoted);
    // Every file says so by the time every sentinel has switched (SPEC §2.2).
    for (const i of [0, 1, 2]) {
      const config = saved(w, i);
      const master = config.masters[0]!;
      expect(master.port).toBe(promoted);
      expect(master.configEpoch).toBe(config.currentEpoch);
      expect(master.knownReplicas.map((r) => r.port).sort()).toEqual([6379, other].sort());
    }
    // The other replica then replicates from the new master (SPEC §4.11).
    w.run(3000);
    expect(w.instance(other).linkUp).toBe(true);
    expect(w.checker.leaders).toHaveLength(1);
    expect(w.checker.promotions.map((p) => p.instance)).toEqual([`10.0.0.1:${promoted}`]);
    expect(w.checker.violations).toEqual([]);
  });

  it("converts the old master to a replica when it returns (SPEC §4.12)", () => {
    const w = world(7);
    w.crashRedis(6379);
    expect(w.runUntil(allSwitched(w), 15_000)).toBe(true);
    const promoted = addressOf(w, 0);
    // Restarted from its own config file, which still says master.
    w.restartRedis(6379);
    const old = w.instance(6379);
    expect(old.role).toBe("master");
    expect(w.runUntil(() => old.role === "slave" && old.masterOf?.port === promoted, 30_000)).toBe(true);
    expect(w.sentinels.some((s) => s.events.some((e) => e.name === "+convert-to-slave"))).toBe(true);
    expect(w.checker.violations).toEqual([]);
  });

  it("SENTINEL FAILOVER switches without SDOWN (SPEC §1.2)", () => {
    const w = world(3);
    const result = w.command(1, { type: "failover", name: "mymaster" });
    w.run(10);
    expect(result()).toEqual({ type: "failover", outcome: "OK" });
    expect(w.runUntil(allSwitched(w), 10_000)).toBe(true);
    expect(w.sentinels.flatMap((s) => s.events.map((e) => e.name))).not.toContain("+sdown");
    expect(names(w, 1)).toContain("+promoted-slave");
    // Forced: sentinel 1 leads without asking for votes (Redis's SRI_FORCE_FAILOVER).
    expect(w.checker.leaders.map((l) => [l.leader, l.forced])).toEqual([[w.sentinels[1]!.myid, true]]);
    const again = w.command(1, { type: "failover", name: "nosuch" });
    w.run(10);
    expect(again()).toEqual({ type: "action", result: { ok: false, error: "ERR No such master with that name" } });
    expect(w.checker.violations).toEqual([]);
  });

  it("sentinels restarted after a failover recover the state from their files (SPEC §2.2)", () => {
    const w = world(11);
    w.crashRedis(6379);
    expect(w.runUntil(allSwitched(w), 15_000)).toBe(true);
    w.run(3000);
    const before = [0, 1, 2].map((i) => ({ epoch: core(w, i).currentEpoch, port: addressOf(w, i) }));
    expect(before.every((b) => b.epoch > 0 && b.port !== 6379)).toBe(true);
    for (const i of [0, 1, 2]) w.crashSentinel(i);
    expect(w.sentinels.every((s) => s.core === null)).toBe(true);
    for (const i of [0, 1, 2]) w.restartSentinel(i);
    w.run(10);
    for (const i of [0, 1, 2]) {
      const c = core(w, i);
      expect(c.currentEpoch).toBe(before[i]!.epoch);
      expect(addressOf(w, i)).toBe(before[i]!.port);
      expect(c.masters.get("mymaster")!.replicas.size).toBe(2);
      expect(c.gossip.sentinelsOf("mymaster")).toHaveLength(2);
      expect(c.gossip.master("mymaster")!.configEpoch).toBeGreaterThan(0);
    }
    expect(w.checker.violations).toEqual([]);
  });

  it("a leader that crashes after +elected-leader is replaced in a later epoch (SPEC §4.8)", () => {
    // A short failover-timeout: the survivors retry after 2 x failover-timeout (SPEC §4.11).
    const w = world(5, CONF.replace("6000", "2000"));
    w.crashOnEvent = "+elected-leader";
    w.crashRedis(6379);
    expect(w.runUntil(() => w.sentinels.some((s) => s.core === null), 10_000)).toBe(true);
    const leader = w.sentinels.findIndex((s) => s.core === null);
    expect(names(w, leader).at(-1)).toBe("+elected-leader");
    const alive = [0, 1, 2].filter((i) => i !== leader);
    expect(w.runUntil(() => alive.every((i) => addressOf(w, i) !== 6379), 60_000)).toBe(true);
    const epochs = alive.map((i) => core(w, i).gossip.master("mymaster")!.configEpoch);
    expect(Math.max(...epochs)).toBeGreaterThan(1);
    // The replacement is another sentinel, elected in a later epoch than the crashed one.
    const crashedId = w.sentinels[leader]!.myid;
    const first = w.checker.leaders.find((l) => l.leader === crashedId);
    expect(first).toBeDefined();
    expect(w.checker.leaders.some((l) => l.leader !== crashedId && l.epoch > first!.epoch)).toBe(true);
    expect(w.checker.violations).toEqual([]);
  });

  it("a sentinel stopped for 3 s enters TILT: it acts on nothing for 30 s, the others fail over (SPEC §4.13)", () => {
    const w = world(13);
    w.pauseSentinel(0, 3000);
    w.run(3100);
    expect(w.sentinels[0]!.events.filter((e) => e.name === "+tilt").map((e) => e.payload)).toEqual(["#tilt mode entered"]);
    expect(core(w, 0).tiltSince).not.toBeNull();
    w.crashRedis(6379);
    expect(w.runUntil(allSwitched(w), 15_000)).toBe(true);
    // In TILT: no SDOWN, no attempt of its own; the switch came from a peer's hello.
    expect(names(w, 0)).not.toContain("+sdown");
    expect(names(w, 0)).not.toContain("+try-failover");
    expect(names(w, 0)).toContain("+config-update-from");
    w.run(30_000);
    expect(names(w, 0)).toContain("-tilt");
    expect(core(w, 0).tiltSince).toBeNull();
    expect(names(w, 1)).not.toContain("+tilt");
    expect(w.checker.violations).toEqual([]);
  });

  it("SENTINEL RESET forgets replicas and sentinels, which hellos and INFO bring back (SPEC §4.15)", () => {
    const w = world(17);
    const reset = w.command(0, { type: "reset", pattern: "my*" });
    w.run(5);
    expect(reset()).toEqual({ type: "count", count: 1 });
    expect(names(w, 0)).toContain("+reset-master");
    expect(core(w, 0).gossip.sentinelsOf("mymaster")).toHaveLength(0);
    expect(core(w, 0).masters.get("mymaster")!.replicas.size).toBe(0);
    w.run(5000);
    expect(core(w, 0).masters.get("mymaster")!.replicas.size).toBe(2);
    expect(core(w, 0).gossip.sentinelsOf("mymaster")).toHaveLength(2);
  });

  it("SENTINEL MONITOR and REMOVE: links, events and the saved config follow (SPEC §1.2, §2.2)", () => {
    const w = world(19);
    w.addRedis(7000, null);
    const before = w.linkCount(0);
    const monitor = w.command(0, { type: "monitor", name: "other", host: "10.0.0.1", port: 7000, quorum: 1 });
    w.run(5);
    expect(monitor()).toEqual({ type: "action", result: { ok: true } });
    expect(w.sentinels[0]!.events.some((e) => e.name === "+monitor" && e.payload === "master other 10.0.0.1 7000 quorum 1")).toBe(true);
    expect(saved(w, 0).masters.map((m) => m.name)).toEqual(["mymaster", "other"]);
    expect(w.linkCount(0)).toBe(before + 1);
    const duplicate = w.command(0, { type: "monitor", name: "other", host: "10.0.0.1", port: 7000, quorum: 1 });
    const hostname = w.command(0, { type: "monitor", name: "third", host: "redis.example", port: 7000, quorum: 1 });
    w.run(5);
    expect(duplicate()).toEqual({ type: "action", result: { ok: false, error: "ERR Duplicate master name." } });
    expect(hostname()).toEqual({ type: "action", result: { ok: false, error: "ERR Invalid IP address or hostname specified" } });
    const remove = w.command(0, { type: "remove", name: "other" });
    w.run(5);
    expect(remove()).toEqual({ type: "action", result: { ok: true } });
    expect(names(w, 0)).toContain("-monitor");
    expect(saved(w, 0).masters.map((m) => m.name)).toEqual(["mymaster"]);
    expect(w.linkCount(0)).toBe(before);
  });

  // Safety and liveness over many runs with jittered message delays: whatever the order in
  // which votes and hellos arrive, one configuration wins and every sentinel ends on it.
  it.each(Array.from({ length: 30 }, (_, i) => i + 100))("seed %i: jittered network, one winner per epoch, agreement", (seed) => {
    const w = world(seed);
    w.network.jitterMs = 25;
    w.crashRedis(6379);
    expect(w.runUntil(allSwitched(w), 60_000)).toBe(true);
    w.run(3000);
    const ports = [0, 1, 2].map((i) => addressOf(w, i));
    expect(new Set(ports).size).toBe(1);
    // At most one leader per epoch (SPEC §4.8: one vote per epoch, majority).
    const leaders = w.sentinels.flatMap((s) => s.events.filter((e) => e.name === "+elected-leader").map((e) => e.epoch));
    expect(leaders.length).toBeGreaterThanOrEqual(1);
    expect(new Set(leaders).size).toBe(leaders.length);
    expect(w.instance(ports[0]!).role).toBe("master");
    expect([...w.redis.values()].filter((r) => r.alive && r.role === "master").map((r) => r.port)).toEqual([ports[0]]);
    expect(w.checker.violations).toEqual([]);
  });

  it("SENTINEL DEBUG info-period applies to the links (SPEC §4.1)", () => {
    const w = world(23);
    const refreshed = (): number[] => [...core(w, 0).masters.get("mymaster")!.replicas.values()].map((r) => w.now - (r.health.snapshot().infoRefresh ?? 0));
    w.run(3000);
    // Redis's 10 s period: no INFO in the last 3 s.
    expect(Math.min(...refreshed())).toBeGreaterThan(2500);
    const set = w.command(0, { type: "set-timings", timings: { infoPeriod: 200 } });
    w.run(1500);
    expect(set()).toEqual({ type: "action", result: { ok: true } });
    expect(Math.max(...refreshed())).toBeLessThan(400);
    expect(core(w, 0).gossip.sentinelsOf("mymaster")).toHaveLength(2);
  });

  it("SENTINEL CONFIG SET announce-ip reaches the next hellos; peers follow the address (SPEC §4.5)", () => {
    const w = world(29);
    const myid = w.sentinels[0]!.myid;
    expect(core(w, 1).gossip.peers.get(myid)?.address.host).toBe(w.sentinels[0]!.host);
    const set = w.command(0, { type: "config-set", changes: [{ option: "announce-ip", value: "10.9.9.9" }] });
    w.run(5);
    expect(set()).toEqual({ type: "action", result: { ok: true } });
    expect(saved(w, 0).announceIp).toBe("10.9.9.9");
    w.run(3000);
    for (const i of [1, 2]) {
      expect(core(w, i).gossip.peers.get(myid)?.address.host).toBe("10.9.9.9");
    }
  });
});
