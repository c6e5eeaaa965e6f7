// The pure core in a simulated world (test/harness/sim.ts): three SentinelCore instances,
// fake Redis instances, a virtual clock. Checks SPEC §4.6-§4.12 end to end without processes.
import { describe, expect, it } from "vitest";
import { Sim } from "./harness/sim.js";

const CONF = `sentinel monitor mymaster 10.0.0.1 6379 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 6000
`;

function world(seed: number): Sim {
  const sim = new Sim(seed);
  sim.addRedis(6379, null);
  sim.addRedis(6380, 6379);
  sim.addRedis(6381, 6379);
  for (const port of [26379, 26380, 26381]) sim.addSentinel(port, CONF);
  sim.run(5000);
  return sim;
}

function addressOf(sim: Sim, i: number): number {
  return sim.sentinels[i]!.core.masters.get("mymaster")!.master.address.port;
}

function names(sim: Sim, i: number): string[] {
  return sim.sentinels[i]!.events.map((e) => e.name);
}

describe("failover in a simulated world", () => {
  it("discovers replicas and sentinels (SPEC §4.4, §4.5)", () => {
    const sim = world(1);
    for (const s of sim.sentinels) {
      expect([...s.core.masters.get("mymaster")!.replicas.keys()].sort()).toEqual(["10.0.0.1:6380", "10.0.0.1:6381"]);
      expect(s.core.gossip.sentinelsOf("mymaster")).toHaveLength(2);
      expect(s.saved.masters[0]!.knownSentinels).toHaveLength(2);
    }
  });

  it.each([1, 2, 3, 4, 5])("master killed: the three agree on one promoted replica, one leader (seed %i)", (seed) => {
    const sim = world(seed);
    sim.kill(6379);
    const t0 = sim.now;
    const done = sim.runUntil(() => [0, 1, 2].every((i) => addressOf(sim, i) !== 6379), 15_000);
    expect(done).toBe(true);
    const promoted = addressOf(sim, 0);
    expect([addressOf(sim, 1), addressOf(sim, 2)]).toEqual([promoted, promoted]);
    expect(sim.now - t0).toBeLessThan(3000);
    const leaders = [0, 1, 2].filter((i) => names(sim, i).includes("+elected-leader"));
    expect(leaders).toHaveLength(1);
    const leader = names(sim, leaders[0]!);
    // SPEC §4.10: the states in Redis's order.
    const order = ["+sdown", "+odown", "+try-failover", "+elected-leader", "+failover-state-select-slave", "+selected-slave", "+promoted-slave", "+failover-end", "+switch-master"];
    expect(order.map((n) => leader.indexOf(n)).every((v, k, a) => v >= 0 && (k === 0 || v > a[k - 1]!))).toBe(true);
    const other = promoted === 6380 ? 6381 : 6380;
    expect(sim.redis.get(`10.0.0.1:${promoted}`)!.role).toBe("master");
    expect(sim.redis.get(`10.0.0.1:${other}`)!.masterOf?.port).toBe(promoted);
    for (const s of sim.sentinels) {
      const saved = s.saved.masters[0]!;
      expect(saved.port).toBe(promoted);
      expect(saved.configEpoch).toBe(s.saved.currentEpoch);
      expect(saved.knownReplicas.map((r) => r.port).sort()).toEqual([6379, other].sort());
    }
  });

  it("converts the old master to a replica when it returns (SPEC §4.12)", () => {
    const sim = world(7);
    sim.kill(6379);
    sim.runUntil(() => [0, 1, 2].every((i) => addressOf(sim, i) !== 6379), 15_000);
    const promoted = addressOf(sim, 0);
    const old = sim.redis.get("10.0.0.1:6379")!;
    old.alive = true; // restarted, still configured as a master
    const converted = sim.runUntil(() => old.role === "slave" && old.masterOf?.port === promoted, 30_000);
    expect(converted).toBe(true);
    expect(sim.sentinels.some((s) => s.events.some((e) => e.name === "+convert-to-slave"))).toBe(true);
  });

  it("SENTINEL FAILOVER switches without SDOWN (SPEC §1.2)", () => {
    const sim = world(3);
    const result = sim.command(1, { type: "failover", name: "mymaster" });
    sim.run(10);
    expect(result()).toEqual({ type: "failover", outcome: "OK" });
    const done = sim.runUntil(() => [0, 1, 2].every((i) => addressOf(sim, i) !== 6379), 10_000);
    expect(done).toBe(true);
    expect(sim.sentinels.flatMap((s) => s.events.map((e) => e.name))).not.toContain("+sdown");
    const again = sim.command(1, { type: "failover", name: "nosuch" });
    sim.run(10);
    expect(again()).toEqual({ type: "action", result: { ok: false, error: "ERR No such master with that name" } });
  });

  it("sentinels restarted after a failover recover the state from their files (SPEC §2.2)", () => {
    const sim = world(11);
    sim.kill(6379);
    sim.runUntil(() => [0, 1, 2].every((i) => addressOf(sim, i) !== 6379), 15_000);
    sim.run(3000);
    const before = sim.sentinels.map((s) => ({ epoch: s.core.currentEpoch, port: addressOf(sim, sim.sentinels.indexOf(s)) }));
    for (const i of [0, 1, 2]) sim.crash(i);
    for (const i of [0, 1, 2]) sim.restart(i);
    sim.run(10);
    for (const i of [0, 1, 2]) {
      const core = sim.sentinels[i]!.core;
      expect(core.currentEpoch).toBe(before[i]!.epoch);
      expect(addressOf(sim, i)).toBe(before[i]!.port);
      expect(core.masters.get("mymaster")!.replicas.size).toBe(2);
      expect(core.gossip.sentinelsOf("mymaster")).toHaveLength(2);
      expect(core.gossip.master("mymaster")!.configEpoch).toBeGreaterThan(0);
    }
  });

  it("a leader that crashes after +elected-leader is replaced in a later epoch (SPEC §4.8)", () => {
    const sim = new Sim(5);
    sim.addRedis(6379, null);
    sim.addRedis(6380, 6379);
    sim.addRedis(6381, 6379);
    // A short failover-timeout: the survivors retry after 2 x failover-timeout (SPEC §4.11).
    for (const port of [26379, 26380, 26381]) sim.addSentinel(port, CONF.replace("6000", "2000"));
    sim.run(5000);
    sim.crashOnEvent = "+elected-leader";
    sim.kill(6379);
    const crashed = sim.runUntil(() => sim.sentinels.some((s) => !s.alive), 10_000);
    expect(crashed).toBe(true);
    const leader = sim.sentinels.findIndex((s) => !s.alive);
    const alive = [0, 1, 2].filter((i) => i !== leader);
    const done = sim.runUntil(() => alive.every((i) => addressOf(sim, i) !== 6379), 60_000);
    expect(done).toBe(true);
    const epochs = alive.map((i) => sim.sentinels[i]!.core.gossip.master("mymaster")!.configEpoch);
    expect(Math.max(...epochs)).toBeGreaterThan(1);
  });

  it("a sentinel stopped for 3 s enters TILT: it acts on nothing for 30 s, the others fail over (SPEC §4.13)", () => {
    const sim = world(13);
    sim.sentinels[0]!.stalledUntil = sim.now + 3000;
    sim.run(3100);
    expect(sim.sentinels[0]!.events.filter((e) => e.name === "+tilt").map((e) => e.payload)).toEqual(["#tilt mode entered"]);
    expect(sim.sentinels[0]!.core.tiltSince).not.toBeNull();
    sim.kill(6379);
    const done = sim.runUntil(() => [0, 1, 2].every((i) => addressOf(sim, i) !== 6379), 15_000);
    expect(done).toBe(true);
    // In TILT: no SDOWN, no attempt of its own; the switch came from a peer's hello.
    expect(names(sim, 0)).not.toContain("+sdown");
    expect(names(sim, 0)).not.toContain("+try-failover");
    expect(names(sim, 0)).toContain("+config-update-from");
    sim.run(30_000);
    expect(names(sim, 0)).toContain("-tilt");
    expect(sim.sentinels[0]!.core.tiltSince).toBeNull();
    expect(names(sim, 1)).not.toContain("+tilt");
  });

  it("SENTINEL RESET forgets replicas and sentinels, which hellos and INFO bring back (SPEC §4.15)", () => {
    const sim = world(17);
    const reset = sim.command(0, { type: "reset", pattern: "my*" });
    sim.run(5);
    expect(reset()).toEqual({ type: "count", count: 1 });
    expect(names(sim, 0)).toContain("+reset-master");
    expect(sim.sentinels[0]!.core.gossip.sentinelsOf("mymaster")).toHaveLength(0);
    sim.run(5000);
    expect(sim.sentinels[0]!.core.masters.get("mymaster")!.replicas.size).toBe(2);
    expect(sim.sentinels[0]!.core.gossip.sentinelsOf("mymaster")).toHaveLength(2);
  });

  it("SENTINEL MONITOR and REMOVE: links, events and the saved config follow (SPEC §1.2, §2.2)", () => {
    const sim = world(19);
    sim.addRedis(7000, null);
    const before = sim.linkCount(0);
    const monitor = sim.command(0, { type: "monitor", name: "other", host: "10.0.0.1", port: 7000, quorum: 1 });
    sim.run(5);
    expect(monitor()).toEqual({ type: "action", result: { ok: true } });
    expect(sim.sentinels[0]!.events.some((e) => e.name === "+monitor" && e.payload === "master other 10.0.0.1 7000 quorum 1")).toBe(true);
    expect(sim.sentinels[0]!.saved.masters.map((m) => m.name)).toEqual(["mymaster", "other"]);
    expect(sim.linkCount(0)).toBe(before + 1);
    const duplicate = sim.command(0, { type: "monitor", name: "other", host: "10.0.0.1", port: 7000, quorum: 1 });
    const hostname = sim.command(0, { type: "monitor", name: "third", host: "redis.example", port: 7000, quorum: 1 });
    sim.run(5);
    expect(duplicate()).toEqual({ type: "action", result: { ok: false, error: "ERR Duplicate master name." } });
    expect(hostname()).toEqual({ type: "action", result: { ok: false, error: "ERR Invalid IP address or hostname specified" } });
    const remove = sim.command(0, { type: "remove", name: "other" });
    sim.run(5);
    expect(remove()).toEqual({ type: "action", result: { ok: true } });
    expect(names(sim, 0)).toContain("-monitor");
    expect(sim.sentinels[0]!.saved.masters.map((m) => m.name)).toEqual(["mymaster"]);
    expect(sim.linkCount(0)).toBe(before);
  });

  // Safety and liveness over many runs with jittered message delays: whatever the order in
  // which votes and hellos arrive, one configuration wins and every sentinel ends on it.
  it.each(Array.from({ length: 30 }, (_, i) => i + 100))("seed %i: jittered network, one winner per epoch, agreement", (seed) => {
    const sim = world(seed);
    sim.jitterMs = 25;
    sim.kill(6379);
    const done = sim.runUntil(() => [0, 1, 2].every((i) => addressOf(sim, i) !== 6379), 60_000);
    expect(done).toBe(true);
    sim.run(3000);
    const ports = [0, 1, 2].map((i) => addressOf(sim, i));
    expect(new Set(ports).size).toBe(1);
    // At most one leader per epoch (SPEC §4.8: one vote per epoch, majority).
    const leaders = sim.sentinels.flatMap((s) => s.events.filter((e) => e.name === "+elected-leader").map((e) => e.epoch));
    expect(leaders.length).toBeGreaterThanOrEqual(1);
    expect(new Set(leaders).size).toBe(leaders.length);
    expect(sim.redis.get(`10.0.0.1:${ports[0]}`)!.role).toBe("master");
  });

  it("SENTINEL DEBUG info-period applies to the links (SPEC §4.1)", () => {
    const sim = world(23);
    const refreshed = (): number[] =>
      [...sim.sentinels[0]!.core.masters.get("mymaster")!.replicas.values()].map((r) => sim.now - (r.health.snapshot().infoRefresh ?? 0));
    sim.run(3000);
    // Redis's 10 s period: no INFO in the last 3 s.
    expect(Math.min(...refreshed())).toBeGreaterThan(2500);
    const set = sim.command(0, { type: "set-timings", timings: { infoPeriod: 200 } });
    sim.run(1500);
    expect(set()).toEqual({ type: "action", result: { ok: true } });
    expect(Math.max(...refreshed())).toBeLessThan(400);
    expect(sim.sentinels[0]!.core.gossip.sentinelsOf("mymaster")).toHaveLength(2);
  });

  it("SENTINEL CONFIG SET announce-ip reaches the next hellos; peers follow the address (SPEC §4.5)", () => {
    const sim = world(29);
    const set = sim.command(0, { type: "config-set", changes: [{ option: "announce-ip", value: "10.9.9.9" }] });
    sim.run(5);
    expect(set()).toEqual({ type: "action", result: { ok: true } });
    expect(sim.sentinels[0]!.saved.announceIp).toBe("10.9.9.9");
    sim.run(3000);
    const myid = sim.sentinels[0]!.core.myid;
    for (const i of [1, 2]) {
      expect(sim.sentinels[i]!.core.gossip.peers.get(myid)?.address.host).toBe("10.9.9.9");
    }
  });
});
