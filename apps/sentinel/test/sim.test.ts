// CI's run of the deterministic simulation (issue 9): 2,000 seeds across every fault mix
// and 3, 5 and 7 sentinels, with the invariants checked at every step of every seed. Run
// as 20 tests of 100 seeds, yielding to the event loop every 10 seeds so the test worker
// stays responsive; the figures (seeds/min, failover times) are printed at the end.
import { setImmediate } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { formatSummary, mergeSummaries, runBatch, type BatchSummary } from "../src/sim/batch.js";
import { LIVENESS_BOUND_MS } from "../src/sim/run-seed.js";

const CHUNK = 100;
const CHUNKS = 20;
const done: BatchSummary[] = [];

async function seeds(first: number, count: number): Promise<BatchSummary> {
  const parts: BatchSummary[] = [];
  for (let n = 0; n < count; n += 10) {
    parts.push(runBatch({ seeds: 10, firstSeed: first + n, sentinels: "mixed", faults: "mixed", clock: () => performance.now(), cpuClock: () => process.cpuUsage().user / 1000 }));
    await setImmediate();
  }
  return mergeSummaries(parts);
}

describe(`deterministic simulation: ${CHUNK * CHUNKS} seeds`, () => {
  it.each(Array.from({ length: CHUNKS }, (_, i) => i * CHUNK + 1))("seeds %i.. (100): 0 violations, every liveness failover within the bound", { timeout: 300_000 }, async (first) => {
    const summary = await seeds(first, CHUNK);
    done.push(summary);
    const report = formatSummary(summary);
    expect(report.split("\n").at(-1), report).toBe(`${CHUNK} seeds, 0 violations`);
    expect(summary.failed).toEqual([]);
    // Every seed reached its liveness phase and failed the master over in time.
    expect(summary.failoverMs).toHaveLength(CHUNK);
    expect(summary.failoverMs.at(-1)).toBeLessThanOrEqual(LIVENESS_BOUND_MS);
    expect(summary.elections).toBeGreaterThanOrEqual(CHUNK);
  });

  afterAll(() => {
    console.log(formatSummary(mergeSummaries(done)));
  });
});
