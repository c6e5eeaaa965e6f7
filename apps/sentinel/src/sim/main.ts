// `pnpm sim`: runs seeds of the deterministic simulation and reports what broke.
import { parseArgs } from "node:util";
import { formatSummary, runBatch } from "./batch.js";
import { FAULT_KINDS, runSeed, type FaultKind } from "./run-seed.js";

const USAGE = `usage: pnpm sim [--seeds N] [--sentinels 3|5|7|mixed] [--faults kind,...|all|mixed] [--seed S] [--first-seed S]
fault kinds: ${FAULT_KINDS.join(", ")}`;

function faultsOf(text: string): readonly FaultKind[] | "mixed" {
  if (text === "mixed") return "mixed";
  if (text === "all") return [...FAULT_KINDS];
  if (text === "none") return [];
  const kinds = text.split(",").filter((k) => k !== "");
  for (const k of kinds) if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new Error(`unknown fault kind ${k}\n${USAGE}`);
  return kinds as FaultKind[];
}

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seeds: { type: "string", default: "100" },
      sentinels: { type: "string", default: "mixed" },
      faults: { type: "string", default: "mixed" },
      seed: { type: "string" },
      "first-seed": { type: "string", default: "1" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sentinels = values.sentinels === "mixed" ? "mixed" : Number(values.sentinels);
  if (sentinels !== "mixed" && ![3, 5, 7].includes(sentinels)) throw new Error(`--sentinels takes 3, 5, 7 or mixed\n${USAGE}`);
  const faults = faultsOf(values.faults);
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    const k = sentinels === "mixed" ? 3 : sentinels;
    const kinds = faults === "mixed" ? [...FAULT_KINDS] : faults;
    const result = runSeed({ seed, sentinels: k, faults: kinds });
    process.stdout.write(`seed ${seed}, ${k} sentinels, faults ${kinds.join(",") || "none"}\n`);
    for (const line of result.faultLog) process.stdout.write(`  ${line}\n`);
    for (const v of result.violations) process.stdout.write(`violation ${v.kind} at ${v.at}: ${v.message}\n`);
    process.stdout.write(`failover ${result.failoverMs ?? "-"} ms, ${result.elections} elections, ${result.simulatedMs} ms simulated, ${result.steps} steps\n`);
    process.stdout.write(`1 seeds, ${result.violations.length} violations\n`);
    return result.violations.length === 0 ? 0 : 1;
  }
  const summary = runBatch({ seeds: Number(values.seeds), firstSeed: Number(values["first-seed"]), sentinels, faults, clock: () => performance.now(), cpuClock: () => process.cpuUsage().user / 1000 });
  process.stdout.write(`${formatSummary(summary)}\n`);
  return summary.failed.length === 0 ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
