// Seeds that once broke an invariant, kept as data: each must now run clean.
import { describe, expect, it } from "vitest";
import { runSeed, type FaultKind } from "../src/sim/run-seed.js";

interface Regression {
  readonly seed: number;
  readonly sentinels: number;
  readonly faults: readonly FaultKind[];
  /** What it found. */
  readonly found: string;
}

const ALL: readonly FaultKind[] = ["crash", "partition", "bridge", "oneway", "loss", "pause", "clock", "redis"];

const REGRESSIONS: readonly Regression[] = [
  // Both were bugs of the simulator, not of the core; kept so the simulator stays right.
  { seed: 16, sentinels: 3, faults: ALL, found: "liveness: replicas were listed in INFO only after the first replication tick, so a sentinel restarted with the master knew no replica for 10 s" },
  { seed: 58, sentinels: 3, faults: ["partition"], found: "liveness: a hello PUBLISH lost in a partition was never reported failed, and the gossip core waited for it forever (the daemon's link rejects it on close)" },
  { seed: 112, sentinels: 3, faults: ["partition"], found: "liveness: as seed 58" },
  { seed: 141, sentinels: 7, faults: ["partition"], found: "liveness: as seed 58, with 7 sentinels" },
];

describe("simulation regressions", () => {
  it.each(REGRESSIONS.map((r) => [r.seed, r] as const))("seed %i runs clean", (_seed, r) => {
    const result = runSeed({ seed: r.seed, sentinels: r.sentinels, faults: r.faults });
    expect(result.violations).toEqual([]);
    expect(result.failoverMs).not.toBeNull();
  });
});
