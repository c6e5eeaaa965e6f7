// The checker's pure parts: time with more than one master, and the report's table.
import { describe, expect, it } from "vitest";
import { markdownReport, mergeReport, multiMaster, skippedRow, tableLine, type RowFigures } from "../src/index.js";

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

describe("mergeReport (pnpm faults 9 --report)", () => {
  const ran = (row: number, name: string, acked: number, note: string): RowFigures => {
    const f: RowFigures = { ...skippedRow(row, name, "L1", "x"), acked, notes: [note] };
    delete f.skipped;
    return f;
  };
  const full = markdownReport(
    [ran(1, "master SIGKILL", 605, "ran 6.3 s"), skippedRow(9, "packet loss", "L2", "no netem"), ran(10, "slicer", 1806, "ran 10.3 s")],
    "box, 2 cpus",
    new Date("2026-11-25T10:00:00Z"),
  );
  const rerun = { ...ran(9, "packet loss (iptables)", 620, "1915 of 6477 packets dropped"), level: "L2" as const };

  it("puts the re-run row in place of the old one, with its note, and drops its skip reason; the other rows stay", () => {
    const md = mergeReport(full, [rerun], "box2, 2 cpus", new Date("2026-11-25T13:00:00Z"));
    const table = md.split("\n").filter((l) => /^\| \d+ \|/.test(l));
    expect(table.map((l) => l.split(" | ")[0])).toEqual(["| 1", "| 9", "| 10"]);
    expect(table[1]).toMatch(/^\| 9 \| packet loss \(iptables\) \| L2 \| 620 \| 0 \|.* \| ok \|$/);
    expect(table[0]).toContain("| 605 |");
    expect(md).toContain("- row 1 (master SIGKILL): ran 6.3 s");
    expect(md).toContain("- row 9 (packet loss (iptables)): 1915 of 6477 packets dropped");
    expect(md).not.toContain("no netem");
    expect(md).toMatch(/## Skipped\n\n- nothing\n$/);
    expect(md).toContain("Run 2026-11-25T10:00:00.000Z on box, 2 cpus");
    expect(md).toContain("Row 9 re-run 2026-11-25T13:00:00.000Z on box2, 2 cpus, by `pnpm faults 9 --report`.");
  });

  it("a second re-run of the same row replaces the first's line; a report without a table is written afresh", () => {
    const once = mergeReport(full, [rerun], "box2", new Date("2026-11-25T13:00:00Z"));
    const twice = mergeReport(once, [{ ...rerun, acked: 700 }], "box2", new Date("2026-11-25T14:00:00Z"));
    expect(twice).not.toContain("13:00:00");
    expect(twice).toContain("Row 9 re-run 2026-11-25T14:00:00.000Z");
    expect(twice.split("\n").filter((l) => l.startsWith("| 9 |"))).toHaveLength(1);
    expect(twice).toContain("| 9 | packet loss (iptables) | L2 | 700 |");
    expect(mergeReport("", [rerun], "box2", new Date("2026-11-25T13:00:00Z"))).toBe(markdownReport([rerun], "box2", new Date("2026-11-25T13:00:00Z")));
  });
});
