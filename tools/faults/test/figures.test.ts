// The checker's pure parts: time with more than one master, and the report's table.
import { describe, expect, it } from "vitest";
import { markdownReport, multiMaster, skippedRow, tableLine, type RowFigures } from "../src/index.js";

describe("multiMaster", () => {
  it("counts separate moments and sums the time until the next sample", () => {
    const samples = [
      { at: 0, masters: [1] },
      { at: 50, masters: [1, 2] },
      { at: 100, masters: [1, 2] },
      { at: 150, masters: [2] },
      { at: 200, masters: [2, 3] },
      { at: 260, masters: [3] },
    ];
    expect(multiMaster(samples)).toEqual({ moments: 2, durationMs: 100 + 60 });
  });

  it("is zero with one master throughout", () => {
    expect(multiMaster([{ at: 0, masters: [1] }, { at: 50, masters: [] }, { at: 100, masters: [1] }])).toEqual({ moments: 0, durationMs: 0 });
  });
});

describe("report", () => {
  const row: RowFigures = { ...skippedRow(1, "master SIGKILL", "L1", "x"), acked: 200, lost: 3, switchMs: 1013, violations: ["2 failovers (expected exactly 1)"] };
  delete row.skipped;

  it("prints lost % and the violations", () => {
    const line = tableLine(row);
    expect(line).toContain("lost %=1.50");
    expect(line).toContain("switch=1013 ms");
    expect(line).toContain("FAIL: 2 failovers");
  });

  it("writes a Markdown table with the machine and the skipped rows and why", () => {
    const md = markdownReport([row, skippedRow(9, "packet loss", "L2", "no netns")], "box, 2 cpus", new Date("2026-11-25T10:00:00Z"));
    expect(md).toContain("2026-11-25T10:00:00.000Z on box, 2 cpus");
    expect(md).toMatch(/^\| 1 \| master SIGKILL \| L1 \| 200 \| 3 \| 1.50 \|/m);
    expect(md).toContain("- row 9 (packet loss): no netns");
  });
});
