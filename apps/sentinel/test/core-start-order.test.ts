// Who starts the election after a master crash. The sentinels ping on one 100 ms grid, so
// all of them see the master down in the same tick; each holding back by its own random
// delay, three could start within a few milliseconds of each other, each vote for itself,
// and lose 2 x failover-timeout before the next try (a split vote). Ordered by run id, the
// first asks before the next one starts: one attempt, one leader, the first epoch.
import { describe, expect, it } from "vitest";
import { agreedPort, convergence, monitorConf } from "../src/sim/run-seed.js";
import { SimWorld } from "../src/sim/world.js";

const PORTS = [6379, 6380, 6381];
const SEEDS = Array.from({ length: 80 }, (_, i) => i + 1);

function crashRun(seed: number, sentinels: number): SimWorld {
  const w = new SimWorld({ seed });
  for (const p of PORTS) w.addRedis(p, p === 6379 ? null : 6379);
  for (let i = 0; i < sentinels; i++) w.addSentinel(monitorConf(6379, 2));
  w.run(4000);
  w.crashRedis(6379);
  expect(w.runUntil(() => convergence(w) === null && agreedPort(w) !== 6379, 60_000)).toBe(true);
  return w;
}

describe.each([3, 5])("%i sentinels, master crashed with nothing else wrong", (sentinels) => {
  it(`fails over in the first epoch, led by the lowest run id among them, in every one of ${SEEDS.length} seeds`, () => {
    const splits: number[] = [];
    for (const seed of SEEDS) {
      const w = crashRun(seed, sentinels);
      expect(w.checker.violations).toEqual([]);
      const tries = w.sentinels.flatMap((s) => s.events.filter((e) => e.name === "+try-failover").map(() => s.myid));
      const leaders = w.checker.leaders;
      if (tries.length !== 1 || leaders.length !== 1 || leaders[0]!.epoch !== 1) splits.push(seed);
      else expect(tries[0]).toBe([...w.sentinels.map((s) => s.myid)].sort()[0]);
    }
    expect(splits).toEqual([]);
  });
});
