// The short rows of ../shared/FAULTS.md on real processes (built daemon, redis-server),
// each asserting its invariant. The long rows run through `pnpm faults` only.
import { describe, expect, it } from "vitest";
import { runRow } from "../examples/run-row.js";
import { row10, row11, row2, row22, row24 } from "../src/index.js";

// down-after 1000 ms, failover-timeout 3000 ms: FAULTS.md row 1's bound is
// down-after + failover-timeout + ε; ε here is the 6 s the runner allows for the switch.
const CONVERGE_BOUND_MS = 1_000 + 3_000 + 6_000;

describe("fault rows on real processes", () => {
  it("row 1, master SIGKILL: one failover, all daemons agree within the bound, no write acked after the kill lost", async () => {
    const f = await runRow(1);
    expect(f.violations).toEqual([]);
    expect(f.failovers).toBe(1);
    expect(f.convergeMs).not.toBeNull();
    expect(f.convergeMs!).toBeLessThan(CONVERGE_BOUND_MS);
    expect(f.sdownMs!).toBeLessThanOrEqual(f.odownMs!);
    expect(f.odownMs!).toBeLessThanOrEqual(f.switchMs!);
    expect(f.parseFailures).toBe(0);
  }, 60_000);

  it("row 2, master SIGSTOP then SIGCONT: failover, the old master demoted, one master", async () => {
    const f = await row2();
    expect(f.violations).toEqual([]);
    expect(f.failovers).toBe(1);
    expect(f.convergeMs!).toBeLessThan(CONVERGE_BOUND_MS);
    expect(f.parseFailures).toBe(0);
  }, 60_000);

  it("row 10, every link in 1-byte slices: no SDOWN, no failover, no write lost", async () => {
    const f = await row10();
    expect(f.violations).toEqual([]);
    expect(f.sdownMs).toBeNull();
    expect(f.lost).toBe(0);
    expect(f.acked).toBeGreaterThan(20);
  }, 60_000);

  it("row 11, half-open master: treated as down after down-after, one failover, daemon memory bounded", async () => {
    const f = await row11();
    expect(f.violations).toEqual([]);
    expect(f.sdownMs!).toBeGreaterThanOrEqual(1_000 - 300); // SDOWN counts from the last PONG (ping period 250 ms)
    expect(f.failovers).toBe(1);
  }, 60_000);

  it("rows 22/23, malformed and oversized RESP: the daemon stays up, memory bounded, no failover", async () => {
    const f = await row22();
    expect(f.violations).toEqual([]);
    expect(f.notes.join(" ")).toContain("PING -> PONG");
  }, 60_000);

  it("row 24, all daemons SIGTERMed and restarted after a failover: same master and epoch from the files", async () => {
    const f = await row24();
    expect(f.violations).toEqual([]);
    expect(f.notes.join(" ")).toContain("epochs 1,1,1");
    expect(f.parseFailures).toBe(0);
  }, 60_000);
});
