// The figures of one row (FAULTS.md, "Figures to report per run") and their table form.

/** What one row measured. Times are ms after the fault was injected; null when it did not happen. */
export interface RowFigures {
  /** FAULTS.md row number. */
  row: number;
  /** Short name. */
  name: string;
  /** Level it ran at: L1 (loopback, proxy) or L2 (netns, netem). */
  level: "L1" | "L2";
  /** Acknowledged writes. */
  acked: number;
  /** Acknowledged writes the final master does not have. */
  lost: number;
  /** First `+sdown` of the master. */
  sdownMs: number | null;
  /** First `+odown` of the master. */
  odownMs: number | null;
  /** First `+switch-master`. */
  switchMs: number | null;
  /** When every daemon first reported the same master after the fault. */
  convergeMs: number | null;
  /** Separate moments with more than one data node answering ROLE master. */
  multiMasterMoments: number;
  /** Their total duration. */
  multiMasterMs: number;
  /** `+tilt` events. */
  tilts: number;
  /** Distinct `+switch-master` messages (failovers) seen. */
  failovers: number;
  /** sentinel.conf files that config-store could not load after the run. */
  parseFailures: number;
  /** Row-specific observations. */
  notes: string[];
  /** Invariants of the row that did not hold; empty when it passed. */
  violations: string[];
  /** Set when the row could not run here, with the reason. */
  skipped?: string;
}

/** A row that could not run, with why. */
export function skippedRow(row: number, name: string, level: "L1" | "L2", reason: string): RowFigures {
  return {
    row, name, level, acked: 0, lost: 0, sdownMs: null, odownMs: null, switchMs: null, convergeMs: null,
    multiMasterMoments: 0, multiMasterMs: 0, tilts: 0, failovers: 0, parseFailures: 0, notes: [], violations: [], skipped: reason,
  };
}

/** Column headings of the table. */
export const COLUMNS = ["row", "fault", "lvl", "acked", "lost", "lost %", "sdown", "odown", "switch", "converge", ">1 master", "tilt", "failovers", "conf fail", "result"];

const ms = (v: number | null): string => (v === null ? "-" : `${v} ms`);

/** The cells of one row. */
export function cells(f: RowFigures): string[] {
  if (f.skipped !== undefined) return [String(f.row), f.name, f.level, "", "", "", "", "", "", "", "", "", "", "", `skipped: ${f.skipped}`];
  const pct = f.acked === 0 ? "0" : ((100 * f.lost) / f.acked).toFixed(2);
  return [
    String(f.row), f.name, f.level, String(f.acked), String(f.lost), pct, ms(f.sdownMs), ms(f.odownMs), ms(f.switchMs), ms(f.convergeMs),
    `${f.multiMasterMoments} / ${f.multiMasterMs} ms`, String(f.tilts), String(f.failovers), String(f.parseFailures),
    f.violations.length === 0 ? "ok" : `FAIL: ${f.violations.join("; ")}`,
  ];
}

/** One line for the terminal. */
export function tableLine(f: RowFigures): string {
  const c = cells(f);
  return COLUMNS.map((h, i) => `${h}=${c[i] ?? ""}`).filter((s) => !s.endsWith("=")).join("  ") + (f.notes.length > 0 ? `  (${f.notes.join("; ")})` : "");
}

/** The Markdown report: the table, the date, the machine, and what was skipped and why. */
export function markdownReport(rows: readonly RowFigures[], machine: string, date: Date): string {
  const esc = (s: string): string => s.replace(/\|/g, "\\|");
  const lines = [
    "# Fault injection report",
    "",
    `Run ${date.toISOString()} on ${machine}, by \`pnpm faults --report\` (tools/faults). Times are measured from the moment the fault was injected; \`>1 master\` is moments / total time with more than one data node answering ROLE master (sampled every 50 ms).`,
    "",
    `| ${COLUMNS.join(" | ")} |`,
    `|${COLUMNS.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(" | ")} |`),
    "",
    "## Notes",
    "",
    ...rows.filter((r) => r.notes.length > 0).map((r) => `- row ${r.row} (${r.name}): ${esc(r.notes.join("; "))}`),
    "",
    "## Skipped",
    "",
    ...(rows.some((r) => r.skipped !== undefined) ? rows.filter((r) => r.skipped !== undefined).map((r) => `- row ${r.row} (${r.name}): ${r.skipped}`) : ["- nothing"]),
    "",
  ];
  return lines.join("\n");
}

const rowOf = (line: string): number | null => {
  const m = /^(?:\| (\d+) \||- row (\d+) \()/.exec(line);
  return m === null ? null : Number(m[1] ?? m[2]);
};

/** The row lines (table rows, `- row N (...)` entries) of `lines` between `from` and `to`. */
const rowLines = (lines: readonly string[], from: number, to: number): string[] => lines.slice(from, to).filter((l) => rowOf(l) !== null);

const RERUN = /^Rows? ([\d, ]+) re-run /;

/**
 * `existing`, a report {@link markdownReport} wrote, with `rows` in place of the rows of the
 * same numbers (table line, note and skip reason, in row order), so re-running some rows does
 * not throw away the others' figures. The header keeps the full run's date and machine and
 * gains a line naming the rows re-run, when and where; an earlier such line about only these
 * rows is dropped. Without a table in `existing`, a new report of `rows`.
 */
export function mergeReport(existing: string, rows: readonly RowFigures[], machine: string, date: Date): string {
  const fresh = markdownReport(rows, machine, date).split("\n");
  const old = existing.split("\n");
  const at = (lines: readonly string[]): [number, number, number] => [lines.findIndex((l) => l.startsWith("| row |")), lines.indexOf("## Notes"), lines.indexOf("## Skipped")];
  const [tableOld, notesOld, skippedOld] = at(old);
  if (tableOld < 0 || notesOld < tableOld || skippedOld < notesOld) return fresh.join("\n");
  const [tableNew, notesNew, skippedNew] = at(fresh);
  const numbers = new Set(rows.map((r) => r.row));
  const merged = (oldLines: string[], newLines: string[]): string[] =>
    [...oldLines.filter((l) => !numbers.has(rowOf(l)!)), ...newLines].sort((a, b) => rowOf(a)! - rowOf(b)!);
  const sorted = [...numbers].sort((a, b) => a - b);
  const rerun = `${sorted.length === 1 ? "Row" : "Rows"} ${sorted.join(", ")} re-run ${date.toISOString()} on ${machine}, by \`pnpm faults ${sorted.join(" ")} --report\`.`;
  const preamble = old.slice(0, tableOld).filter((l) => {
    const m = RERUN.exec(l);
    return m === null || !m[1]!.split(",").every((n) => numbers.has(Number(n.trim())));
  });
  while (preamble.at(-1) === "") preamble.pop();
  const skipped = merged(rowLines(old, skippedOld, old.length), rowLines(fresh, skippedNew, fresh.length));
  return [
    ...preamble.filter((l, i) => l !== "" || preamble[i - 1] !== ""),
    "",
    rerun,
    "",
    old[tableOld]!,
    old[tableOld + 1]!,
    ...merged(rowLines(old, tableOld, notesOld), rowLines(fresh, tableNew, notesNew)),
    "",
    "## Notes",
    "",
    ...merged(rowLines(old, notesOld, skippedOld), rowLines(fresh, notesNew, skippedNew)),
    "",
    "## Skipped",
    "",
    ...(skipped.length > 0 ? skipped : ["- nothing"]),
    "",
  ].join("\n");
}
