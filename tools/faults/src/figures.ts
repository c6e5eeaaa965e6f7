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
