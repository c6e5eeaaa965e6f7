import { FAULT_KINDS, runSeed, type FaultKind, type SeedResult } from "./run-seed.js";
import type { EffectFilter } from "./world.js";

/** The fault mixes a batch cycles through when asked for `mixed`: each kind alone, then all. */
export const FAULT_MIXES: readonly (readonly FaultKind[])[] = [...FAULT_KINDS.map((k) => [k]), [...FAULT_KINDS]];

/** Sentinel counts a batch cycles through when asked for `mixed`. */
export const SENTINEL_COUNTS: readonly number[] = [3, 5, 7];

/** Options of {@link runBatch}. */
export interface BatchOptions {
  /** How many seeds. */
  readonly seeds: number;
  /** The first seed (then +1 each). */
  readonly firstSeed?: number;
  /** Sentinels per run, or `mixed` to cycle 3, 5, 7. */
  readonly sentinels: number | "mixed";
  /** Faults per run, or `mixed` to cycle {@link FAULT_MIXES}. */
  readonly faults: readonly FaultKind[] | "mixed";
  /** A broken sentinel to inject (tests of the checker). */
  readonly filter?: EffectFilter;
  /** Wall clock for the speed figure, ms (the simulation itself never reads it). */
  readonly clock: () => number;
  /** This process's CPU time, ms, for the one-core speed figure (`process.cpuUsage`). */
  readonly cpuClock?: () => number;
}

/** What a batch found. */
export interface BatchSummary {
  /** Seeds run. */
  readonly seeds: number;
  /** The runs with at least one violation. */
  readonly failed: readonly SeedResult[];
  /** Liveness-phase failover times, ms, sorted. */
  readonly failoverMs: readonly number[];
  /** Elections won over all runs. */
  readonly elections: number;
  /** Wall time, ms. */
  readonly elapsedMs: number;
  /** Seeds per minute of wall time. */
  readonly seedsPerMinute: number;
  /** CPU time, ms, when a CPU clock was given. */
  readonly cpuMs?: number;
}

/** Runs many seeds; when `mixed`, seed s takes the sentinel count s mod 3 and the fault mix (s div 3) mod 9, so a seed means the same run in any batch. */
export function runBatch(options: BatchOptions): BatchSummary {
  const first = options.firstSeed ?? 1;
  const start = options.clock();
  const cpuStart = options.cpuClock?.();
  const failed: SeedResult[] = [];
  const failoverMs: number[] = [];
  let elections = 0;
  for (let n = 0; n < options.seeds; n++) {
    const seed = first + n;
    const sentinels = options.sentinels === "mixed" ? (SENTINEL_COUNTS[seed % SENTINEL_COUNTS.length] ?? 3) : options.sentinels;
    const faults = options.faults === "mixed" ? (FAULT_MIXES[Math.floor(seed / SENTINEL_COUNTS.length) % FAULT_MIXES.length] ?? FAULT_KINDS) : options.faults;
    const result = runSeed({ seed, sentinels, faults, ...(options.filter !== undefined ? { filter: options.filter } : {}) });
    elections += result.elections;
    if (result.failoverMs !== null) failoverMs.push(result.failoverMs);
    if (result.violations.length > 0) failed.push(result);
  }
  const elapsedMs = Math.max(1, options.clock() - start);
  const cpuEnd = options.cpuClock?.();
  return {
    seeds: options.seeds,
    failed,
    failoverMs: failoverMs.sort((a, b) => a - b),
    elections,
    elapsedMs,
    seedsPerMinute: Math.round((options.seeds * 60_000) / elapsedMs),
    ...(cpuStart !== undefined && cpuEnd !== undefined ? { cpuMs: Math.max(1, cpuEnd - cpuStart) } : {}),
  };
}

/** The value at quantile `q` of sorted `values`. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  return values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? Number.NaN;
}

/** The report of a batch: each violating seed with its replay command, figures, and `N seeds, V violations` last. */
export function formatSummary(summary: BatchSummary): string {
  const lines: string[] = [];
  let violations = 0;
  for (const run of summary.failed) {
    violations += run.violations.length;
    for (const v of run.violations) lines.push(`seed ${run.seed}: ${v.kind} at ${v.at}: ${v.message}`);
    lines.push(`  replay: ${run.replay}`);
  }
  const f = summary.failoverMs;
  const cpu = summary.cpuMs === undefined ? "" : `, ${Math.round((summary.seeds * 60_000) / summary.cpuMs)} seeds/min of CPU time`;
  lines.push(
    `${summary.seedsPerMinute} seeds/min (${(summary.elapsedMs / 1000).toFixed(1)} s wall${cpu}), ${summary.elections} elections won`,
    `failover in sim (master crash to every sentinel switched), ms: p50 ${quantile(f, 0.5)}, p90 ${quantile(f, 0.9)}, p99 ${quantile(f, 0.99)}, max ${f[f.length - 1] ?? "-"} (${f.length} runs)`,
    `${summary.seeds} seeds, ${violations} violations`,
  );
  return lines.join("\n");
}

/** One summary of several batches (figures recomputed over all of them). */
export function mergeSummaries(parts: readonly BatchSummary[]): BatchSummary {
  const seeds = parts.reduce((t, s) => t + s.seeds, 0);
  const elapsedMs = Math.max(1, parts.reduce((t, s) => t + s.elapsedMs, 0));
  const cpu = parts.every((s) => s.cpuMs !== undefined) ? { cpuMs: parts.reduce((t, s) => t + (s.cpuMs ?? 0), 0) } : {};
  return {
    ...cpu,
    seeds,
    failed: parts.flatMap((s) => s.failed),
    failoverMs: parts.flatMap((s) => s.failoverMs).sort((a, b) => a - b),
    elections: parts.reduce((t, s) => t + s.elections, 0),
    elapsedMs,
    seedsPerMinute: Math.round((seeds * 60_000) / elapsedMs),
  };
}
