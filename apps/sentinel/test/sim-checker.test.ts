// The invariant checker can fail: a deliberately broken voter is caught, with a replay line.
import { describe, expect, it } from "vitest";
import type { CoreEffect } from "../src/core/types.js";
import { formatSummary, runBatch } from "../src/sim/batch.js";
import { InvariantChecker } from "../src/sim/checker.js";
import { runSeed } from "../src/sim/run-seed.js";
import type { EffectFilter } from "../src/sim/world.js";

/**
 * A voter that grants its vote to every candidate that asks, whatever it voted before in
 * that epoch (the bug SPEC §4.8's "one vote per epoch" forbids): wraps sentinel 1's replies
 * to is-master-down-by-addr.
 */
const brokenVoter: EffectFilter = (sentinel, event, effects) => {
  if (sentinel.index !== 1 || event?.type !== "command" || event.command.type !== "is-master-down" || event.command.runid === "*") return effects;
  const { runid, epoch } = event.command;
  return effects.map((e): CoreEffect =>
    e.type === "reply" && e.result.type === "is-master-down" ? { ...e, result: { type: "is-master-down", reply: { down: true, leader: runid, leaderEpoch: epoch } } } : e,
  );
};

describe("the invariant checker", () => {
  it("reports a voter that votes twice in an epoch, with the command that replays the seed", () => {
    const summary = runBatch({ seeds: 60, sentinels: 3, faults: ["partition", "oneway"], filter: brokenVoter, clock: () => 0 });
    expect(summary.failed.length).toBeGreaterThan(0);
    const kinds = new Set(summary.failed.flatMap((r) => r.violations.map((v) => v.kind)));
    expect(kinds).toContain("double-vote");
    const report = formatSummary(summary);
    const run = summary.failed[0]!;
    expect(report).toContain(`seed ${run.seed}: double-vote`);
    expect(report).toContain(`  replay: pnpm sim --seed ${run.seed} --sentinels 3 --faults partition,oneway`);
    expect(report.split("\n").at(-1)).toMatch(/^60 seeds, [1-9]\d* violations$/);
    // The same seeds with the real voter are clean: the violations are the wrapper's.
    for (const r of summary.failed.slice(0, 5)) {
      expect(runSeed({ seed: r.seed, sentinels: 3, faults: ["partition", "oneway"] }).violations).toEqual([]);
    }
  });

  it("reports two leaders, a leader without majority, two promotions in an epoch and epochs going down", () => {
    const c = new InvariantChecker();
    c.vote(1, "m", 3, "a", "a");
    c.vote(2, "m", 3, "b", "a");
    c.elected(3, "m", 3, "a", 3, 2);
    c.vote(4, "m", 3, "c", "c");
    c.elected(5, "m", 3, "c", 3, 2);
    c.promoted(6, "m", 3, "a", "10.0.0.1:6380");
    c.promoted(7, "m", 3, "c", "10.0.0.1:6381");
    c.persisted("a", 2);
    c.sent(8, "a", 3, "a hello");
    c.epoch(9, "a", 5);
    c.epoch(10, "a", 4);
    expect(c.violations.map((v) => v.kind)).toEqual(["two-leaders", "leader-without-majority", "two-promotions", "epoch-sent-unpersisted", "epoch-decreased"]);
    expect(c.violations[0]!.message).toBe("a and c both elected leader of m in epoch 3");
  });

  it("lets a forced failover (SENTINEL FAILOVER) lead without votes, not share its epoch with another leader", () => {
    const c = new InvariantChecker();
    c.elected(1, "m", 1, "a", 3, 2, true);
    expect(c.violations).toEqual([]);
    expect(c.leaders).toEqual([{ master: "m", epoch: 1, leader: "a", votes: 0, needed: 0, forced: true }]);
    c.elected(2, "m", 1, "b", 3, 2, true);
    c.elected(3, "m", 2, "b", 3, 2);
    expect(c.violations.map((v) => v.kind)).toEqual(["two-leaders", "leader-without-majority"]);
  });

  it("accepts a sentinel restarted with a lower in-memory epoch than it had, if it never announced it", () => {
    const c = new InvariantChecker();
    c.persisted("a", 2);
    c.sent(1, "a", 2, "a hello");
    c.epoch(2, "a", 3);
    c.crashed("a");
    c.epoch(3, "a", 2);
    expect(c.violations).toEqual([]);
    c.crashed("a");
    c.epoch(4, "a", 1);
    expect(c.violations.map((v) => v.kind)).toEqual(["epoch-decreased"]);
  });
});
