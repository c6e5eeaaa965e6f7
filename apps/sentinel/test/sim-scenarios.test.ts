// Named scenarios from Redis issues, replayed in the deterministic simulation (src/sim):
// what happened is asserted, with the invariant checker running at every step.
import { describe, expect, it } from "vitest";
import { Prng } from "../src/sim/prng.js";
import { agreedPort, convergence, monitorConf } from "../src/sim/run-seed.js";
import { SimWorld, type SimSentinel } from "../src/sim/world.js";

const PORTS = [6379, 6380, 6381];

function world(seed: number, sentinels: number, quorum = 2): SimWorld {
  const w = new SimWorld({ seed });
  for (const p of PORTS) w.addRedis(p, p === 6379 ? null : 6379);
  for (let i = 0; i < sentinels; i++) w.addSentinel(monitorConf(6379, quorum));
  w.run(3000);
  return w;
}

function names(w: SimWorld, i: number): string[] {
  return w.sentinels[i]?.events.map((e) => e.name) ?? [];
}

function masters(w: SimWorld): number[] {
  return [...w.redis.values()].filter((r) => r.alive && r.role === "master").map((r) => r.port);
}

describe("redis/redis#6459: sentinels added during a failure", () => {
  // A, B, C run; the master crashes and D, E are added at once. Links A<->B and A<->C are
  // slowed by a seeded delay so that A's and B's requests can cross.
  function addDuringFailure(seed: number, config: (a: SimWorld["sentinels"][number]) => string): SimWorld {
    const w = world(seed, 3);
    const delay = new Prng(seed).between(0, 400);
    for (const b of ["s1", "s2"]) {
      w.network.degrade("s0", b, { delayMs: delay, loss: 0 });
      w.network.degrade(b, "s0", { delayMs: delay, loss: 0 });
    }
    w.crashRedis(6379);
    const a = w.sentinels[0]!;
    for (let k = 0; k < 2; k++) w.addSentinel(config(a));
    w.run(2000);
    w.network.heal();
    return w;
  }

  // D and E start from a copy of A's sentinel.conf (its known-sentinel and known-replica
  // lines): they count five voters from the start, so every candidate needs three votes.
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))("seed %i, added from a copy of a peer's config: one leader per epoch, one master after", (seed) => {
    const w = addDuringFailure(seed, (a) => {
      const known = a.configText.split("\n").filter((l) => /^sentinel (known-replica|known-sentinel) /.test(l));
      return `${monitorConf(6379, 2)}${known.join("\n")}\nsentinel known-sentinel mymaster ${a.host} 26379 ${a.myid}\n`;
    });
    expect(w.runUntil(() => convergence(w) === null, 30_000)).toBe(true);
    expect(w.checker.violations).toEqual([]);
    const epochs = w.checker.leaders.map((l) => l.epoch);
    expect(new Set(epochs).size).toBe(epochs.length);
    expect(w.checker.leaders.every((l) => l.votes >= l.needed)).toBe(true);
    expect(masters(w)).toHaveLength(1);
    // After a few hello periods everyone knows everyone.
    w.run(5000);
    for (const s of w.sentinels) expect(s.core?.gossip.sentinelsOf("mymaster")).toHaveLength(4);
  });

  // The case: D and E know only A. A counts five voters (needs 3), B and C still
  // count three (need 2), D and E count two (need 2). Two candidates can then both win
  // epoch 1 (B with B, C; D with D, A): Redis's vote rule has the same hole, which is why
  // its documentation says to add sentinels one at a time. The checker reports it.
  // raft-election also counts an unknown sentinel named by a vote reply of the epoch as a
  // voter (A's reply "voted D" makes B count four); here it never fires in time: B has
  // C's fast vote, its majority of three, before A's delayed reply names D, and D hears
  // from nobody but A.
  it("added knowing only one peer: two leaders in one epoch happen and are reported, never silent", () => {
    const runs = Array.from({ length: 30 }, (_, i) => {
      const w = addDuringFailure(i + 1, (a) => `${monitorConf(6379, 2)}sentinel known-sentinel mymaster ${a.host} 26379 ${a.myid}\n`);
      const converged = w.runUntil(() => convergence(w) === null, 30_000);
      return { w, converged };
    });
    // Every epoch that two sentinels won (+elected-leader in their event logs, whatever
    // their own counts said) is reported as two-leaders, and nothing else is reported.
    // 16 of these 30 seeds split, as many with the unknown-voter count as without it (119
    // of 200 seeds, both ways); 12 of 30 when this was written: the figure moves with
    // timing changes elsewhere in the core. A core that closes the hole makes the list
    // empty, and this test still holds.
    for (const { w } of runs) {
      const winners = new Map<number, Set<string>>();
      for (const s of w.sentinels) {
        for (const e of s.events) if (e.name === "+elected-leader") winners.set(e.epoch, (winners.get(e.epoch) ?? new Set()).add(s.myid));
      }
      const doubled = [...winners].filter(([, who]) => who.size > 1).map(([epoch]) => epoch);
      expect(w.checker.violations.map((v) => v.kind)).toEqual(doubled.map(() => "two-leaders"));
      expect(w.checker.violations.map((v) => Number(/epoch (\d+)$/.exec(v.message)?.[1]))).toEqual(doubled);
    }
    console.log(`#6459, added knowing one peer: ${runs.filter((r) => r.w.checker.violations.length > 0).length} of 30 seeds had two leaders in an epoch`);
    // The damage stays contained here: an added sentinel knows no replica (the master is
    // down, and INFO of a dead master lists none), so it aborts with no good replica, and
    // one promotion is made per epoch; every run converges on one master.
    for (const { w, converged } of runs) {
      expect(converged).toBe(true);
      const promotionEpochs = w.checker.promotions.map((p) => p.epoch);
      expect(new Set(promotionEpochs).size).toBe(promotionEpochs.length);
      expect(masters(w)).toHaveLength(1);
    }
  });
});

describe("redis/redis PR #2370: leaders in different epochs", () => {
  // The epoch-1 leader is cut off, with the replica it just promoted, at +promoted-slave;
  // the majority elects a leader in epoch 2 who promotes the other replica. Two masters
  // exist during the partition, each from its own epoch; after healing the higher epoch
  // wins everywhere and the epoch-1 master is converted back to a replica.
  it("the higher epoch's promotion wins after healing; no two promotions share an epoch", () => {
    let cut = false;
    const w = new SimWorld({
      seed: 7,
      filter: (s, _event, effects) => {
        if (!cut && effects.some((e) => e.type === "event" && e.name === "+promoted-slave")) {
          cut = true;
          const promoted = effects.find((e) => e.type === "event" && e.name === "+promoted-slave");
          const port = promoted?.type === "event" ? Number(promoted.payload.split(" ")[3]) : 0;
          const side = [s.node, SimWorld.redisNode(port)];
          w.network.partition([side, w.nodes().filter((n) => !side.includes(n))]);
        }
        return effects;
      },
    });
    for (const p of PORTS) w.addRedis(p, p === 6379 ? null : 6379);
    for (let i = 0; i < 3; i++) w.addSentinel(monitorConf(6379, 2));
    w.run(3000);
    w.crashRedis(6379);
    expect(w.runUntil(() => cut, 5000)).toBe(true);
    const first = w.checker.promotions[0]!;
    expect(first.epoch).toBe(1);
    // The majority side: a second election after the 2 x failover-timeout retry gate.
    expect(w.runUntil(() => w.checker.promotions.length >= 2, 20_000)).toBe(true);
    const second = w.checker.promotions[1]!;
    expect(second.epoch).toBeGreaterThan(first.epoch);
    expect(second.instance).not.toBe(first.instance);
    expect(masters(w).sort()).toEqual([Number(first.instance.split(":")[1]), Number(second.instance.split(":")[1])].sort());
    w.network.heal();
    expect(w.runUntil(() => convergence(w) === null, 30_000)).toBe(true);
    expect(agreedPort(w)).toBe(Number(second.instance.split(":")[1]));
    expect(w.sentinels.every((s) => s.core?.gossip.master("mymaster")?.configEpoch === second.epoch)).toBe(true);
    expect(w.checker.leaders.map((l) => l.epoch)).toEqual([1, second.epoch]);
    expect(w.checker.violations).toEqual([]);
  });
});

describe("redis/redis#3306: the partition users expected to win", () => {
  // Master + one sentinel | two sentinels + both replicas, quorum 2 of 3: the second side
  // has the quorum and the majority, so it fails over (the issue saw no failover there).
  it.each([1, 2, 3, 4, 5])("seed %i: the side with two sentinels and the replicas promotes one; the old master is converted after healing", (seed) => {
    const w = world(seed, 3);
    w.network.partition([
      ["s0", "r6379"],
      ["s1", "s2", "r6380", "r6381"],
    ]);
    const t0 = w.now;
    const switched = w.runUntil(() => [1, 2].every((i) => w.sentinels[i]?.core?.masters.get("mymaster")?.master.address.port !== 6379), 10_000, 10);
    expect(switched).toBe(true);
    expect(w.now - t0).toBeLessThan(10_000);
    // The minority sentinel never starts a failover (SPEC §4.8: no majority, no leader).
    expect(names(w, 0)).not.toContain("+try-failover");
    expect(names(w, 0)).not.toContain("+elected-leader");
    const promoted = w.sentinels[1]!.core!.masters.get("mymaster")!.master.address.port;
    expect(masters(w).sort()).toEqual([6379, promoted].sort());
    w.network.heal();
    expect(w.runUntil(() => convergence(w) === null, 30_000)).toBe(true);
    expect(agreedPort(w)).toBe(promoted);
    expect(w.instance(6379).role).toBe("slave");
    expect(names(w, 0)).toContain("+switch-master");
    expect(w.checker.violations).toEqual([]);
  });
});

describe("redis/redis#12271: sentinels started with different masters", () => {
  // Kubernetes parallel start: two sentinels monitor 6379 (the real master), the third
  // was configured with 6380, which is a replica of 6379, under the same name.
  it("the split is detected by the simulator's convergence check and reported by the cores (+master-mismatch), never silent", () => {
    const w = new SimWorld({ seed: 3 });
    for (const p of PORTS) w.addRedis(p, p === 6379 ? null : 6379);
    w.addSentinel(monitorConf(6379, 2));
    w.addSentinel(monitorConf(6379, 2));
    w.addSentinel(monitorConf(6380, 2));
    w.run(25_000);
    const report = convergence(w);
    expect(report).toBe("sentinels see 6379@0 6379@0 6380@0; instances that are master: 6379");
    // What the cores say about it: the odd one out logs its "master" reporting role slave,
    // marks it subjectively down, and gets no quorum for ODOWN from peers that watch 6379.
    expect(w.sentinels[2]!.events.map((e) => `${e.name} ${e.payload}`)).toContain("-role-change master mymaster 10.0.0.1 6380 new reported role is slave");
    // SPEC §4.6: a master reporting role slave for down-after + 2 info periods is SDOWN.
    expect(names(w, 2)).toContain("+sdown");
    expect(names(w, 2)).not.toContain("+odown");
    expect(names(w, 2)).not.toContain("+try-failover");
    // The two that agree know each other; the odd one is known to them as a peer too
    // (its hellos reach 6380's subscribers), yet nobody adopts a config of equal epoch
    // (SPEC §4.5)...
    expect(w.sentinels[0]!.core!.gossip.sentinelsOf("mymaster").map((p) => p.runid)).toContain(w.sentinels[1]!.myid);
    // ...so each core names the disagreement (a sentinel-kit addition): every sentinel emits
    // +master-mismatch once per peer on the other side, naming what that peer says, over
    // about twelve hello periods; and nothing between the two that agree.
    const [a, b, odd] = w.sentinels as [SimSentinel, SimSentinel, SimSentinel];
    const mismatches = (s: SimSentinel): string[] => s.events.filter((e) => e.name.endsWith("master-mismatch")).map((e) => `${e.name} ${e.payload}`);
    const says = (from: SimSentinel, ours: number, theirs: number): string =>
      `+master-mismatch sentinel ${from.myid} ${from.host} ${from.port} @ mymaster 10.0.0.1 ${ours} says 10.0.0.1 ${theirs} config-epoch 0`;
    expect(mismatches(a)).toEqual([says(odd, 6379, 6380)]);
    expect(mismatches(b)).toEqual([says(odd, 6379, 6380)]);
    expect(mismatches(odd).sort()).toEqual([says(a, 6380, 6379), says(b, 6380, 6379)].sort());
    expect(w.checker.violations).toEqual([]);
  });
});
