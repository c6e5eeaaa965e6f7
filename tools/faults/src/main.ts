// `pnpm faults [row...] [--report]`: runs the fault matrix rows on real processes, prints a
// line of figures per row, and with --report writes docs/faults-report.md (only the rows run,
// in place, when rows are named).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, hostname, release } from "node:os";
import { fileURLToPath } from "node:url";
import { markdownReport, mergeReport, skippedRow, tableLine, type RowFigures } from "./figures.js";
import { NOT_PROCESS_ROWS, ROWS, row9Inside } from "./rows.js";

const REPORT = fileURLToPath(new URL("../../../docs/faults-report.md", import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  // Row 9 re-runs this program inside its network namespace and reads this line back.
  if (argv[0] === "--inside" && argv[1] === "9" && (argv[2] === "netem" || argv[2] === "iptables")) {
    process.stdout.write(`FIGURES ${JSON.stringify(await row9Inside(argv[2]))}\n`);
    return 0;
  }
  const report = argv.includes("--report");
  const asked = argv.filter((a) => /^\d+$/.test(a)).map(Number);
  const unknown = argv.filter((a) => a !== "--report" && !/^\d+$/.test(a));
  if (unknown.length > 0) {
    process.stderr.write(`usage: pnpm faults [row...] [--report]\nunknown argument(s): ${unknown.join(" ")}\n`);
    return 2;
  }
  const numbers = asked.length > 0 ? asked : [...Object.keys(ROWS).map(Number), ...Object.keys(NOT_PROCESS_ROWS).map(Number)].sort((a, b) => a - b);
  const results: RowFigures[] = [];
  for (const n of numbers) {
    const run = ROWS[n];
    let figures: RowFigures;
    if (run === undefined) {
      figures = skippedRow(n, "-", "L1", NOT_PROCESS_ROWS[n] ?? "no such row in FAULTS.md");
    } else {
      const started = Date.now();
      try {
        figures = await run();
      } catch (error) {
        figures = skippedRow(n, "-", "L1", `setup failed: ${(error as Error).message.split("\n").filter((l) => l.trim() !== "").slice(0, 4).join(" / ")}`);
        figures.violations.push("could not run");
      }
      figures.notes.push(`ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    results.push(figures);
    process.stdout.write(`${tableLine(figures)}\n`);
  }
  const failed = results.filter((r) => r.violations.length > 0);
  process.stdout.write(`${results.length} rows, ${failed.length} with violations, ${results.filter((r) => r.skipped !== undefined).length} skipped\n`);
  if (report) {
    const machine = `${hostname()}, ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Linux ${release()}, Node ${process.version}`;
    // Some rows asked: their lines replace those rows' in the report, the others' stay.
    const text = asked.length > 0 && existsSync(REPORT) ? mergeReport(readFileSync(REPORT, "utf8"), results, machine, new Date()) : markdownReport(results, machine, new Date());
    writeFileSync(REPORT, text);
    process.stdout.write(`wrote ${REPORT}\n`);
  }
  return failed.length === 0 ? 0 : 1;
}

// Ctrl-C needs no handler here: the test kit's registry kills every tracked child (by pid)
// on SIGINT/SIGTERM and exit, and the proxies and mount namespaces die with this process.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
