import { describe, expect, it } from "vitest";
import { runCluster, type ClusterOptions } from "./sim/cluster.js";

// Many seeded runs of 3 and 5 Sentinels with lossy, delayed links, jittered timers, hello
// gossip of epochs and crashes that restart from the last persist. Safety (SENTINEL-SPEC
// §4.8, S4 "each failover uses a distinct configuration epoch"): at most one leader per
// epoch, and no voter votes twice in an epoch. A failing seed is printed in the message.
const base: Omit<ClusterOptions, "seed" | "nodes" | "quorum"> = {
  failoverTimeoutMs: 2000,
  durationMs: 30_000,
  loss: 0.1,
  maxDelayMs: 300,
  crash: 0.002,
  leaderHoldMs: 1500,
};

describe.each([
  { nodes: 3, quorum: 2 },
  { nodes: 5, quorum: 3 },
  { nodes: 5, quorum: 2 },
])("$nodes Sentinels, quorum $quorum", ({ nodes, quorum }) => {
  it("elects at most one leader per epoch over 150 seeds, and does elect leaders", () => {
    let elected = 0;
    let epochs = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = runCluster({ ...base, seed, nodes, quorum });
      for (const [epoch, leaders] of r.leadersByEpoch) {
        expect(leaders.size, `seed ${seed} epoch ${epoch}: ${[...leaders].join(", ")}`).toBeLessThanOrEqual(1);
      }
      expect(r.doubleVotes, `seed ${seed}`).toBe(0);
      expect(r.orderViolations, `seed ${seed}`).toBe(0);
      elected += r.leadersByEpoch.size;
      epochs += r.maxEpoch;
    }
    // Liveness, loosely: with 10% loss most attempts find a leader.
    expect(elected).toBeGreaterThan(150);
    expect(elected).toBeLessThanOrEqual(epochs);
  }, 60_000);
});

describe("the simulation is deterministic", () => {
  it("one seed reproduces one run", () => {
    const a = runCluster({ ...base, seed: 42, nodes: 5, quorum: 3 });
    const b = runCluster({ ...base, seed: 42, nodes: 5, quorum: 3 });
    expect([...b.votes]).toEqual([...a.votes]);
    expect(b.firstElectionAt).toBe(a.firstElectionAt);
  });
});
