// sentinel.conf load and rewrite with @sentinel-kit/config-store on a config of 1,000
// masters (2 known replicas and 4 known sentinels each), against the time Debian's
// redis-sentinel 7.0.15 takes from process start to its first PING reply on the same file,
// measured in the same run.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import {
  emptySentinelConfig,
  loadConfig,
  newMasterConfig,
  parseDocument,
  rewriteConfig,
  type SentinelConfig,
} from "@sentinel-kit/config-store";
import { freePort, pingOnce } from "@sentinel-kit/testkit";
import type { BenchSuite } from "./suite.js";

const MASTERS = 1000;
const WARMUP_RUNS = 3;
const RUNS = 15;
const SENTINEL_RUNS = 5;
/** Bound on one redis-sentinel start, in milliseconds. */
const START_TIMEOUT_MS = 20_000;

function hex40(seed: number): string {
  return seed.toString(16).padStart(8, "0").repeat(5);
}

/** The benchmark state. Addresses are on loopback ports nothing listens on. */
function bigConfig(): SentinelConfig {
  const sentinels = [1, 2, 3, 4].map((i) => ({ host: "127.0.0.1", port: 1000 + i, runId: hex40(0xabc0 + i) }));
  const masters = Array.from({ length: MASTERS }, (_, i) => ({
    ...newMasterConfig(`master-${i}`, "127.0.0.2", 2000 + i, 2),
    downAfterMilliseconds: 5000,
    configEpoch: i % 7,
    leaderEpoch: i % 7,
    knownReplicas: [
      { host: "127.0.0.3", port: 2000 + i },
      { host: "127.0.0.4", port: 2000 + i },
    ],
    knownSentinels: sentinels,
  }));
  return { ...emptySentinelConfig(), myid: hex40(0x1234), currentEpoch: 7, masters };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeSync(run: () => unknown): number {
  for (let i = 0; i < WARMUP_RUNS; i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Process start to the first `+PONG`, in milliseconds; the process is killed by pid. */
async function sentinelStartMs(dir: string, text: string, run: number): Promise<number> {
  const port = await freePort();
  const path = join(dir, `sentinel-${run}.conf`);
  writeFileSync(path, `${text}\nport ${port}\nbind 127.0.0.1\ndir ${dir}\nlogfile ""\n`, "latin1");
  const start = performance.now();
  const child = spawn("redis-sentinel", [path], { stdio: "ignore" });
  try {
    const deadline = start + START_TIMEOUT_MS;
    while (!(await pingOnce("127.0.0.1", port, 200))) {
      if (child.exitCode !== null) throw new Error(`redis-sentinel exited with code ${child.exitCode}`);
      if (performance.now() > deadline) throw new Error("redis-sentinel did not answer PING in time");
      await sleep(1);
    }
    return performance.now() - start;
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
    await exited;
  }
}

async function sentinelMedian(dir: string, text: string, label: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SENTINEL_RUNS; i++) times.push(await sentinelStartMs(dir, text, i + (label === "big" ? 100 : 0)));
  return median(times);
}

/** The "config" suite of `pnpm bench`. */
export const configSuite: BenchSuite = {
  name: "config",
  title: `sentinel.conf: ${MASTERS} masters x (2 known replicas + 4 known sentinels), median ms`,
  async run() {
    const config = bigConfig();
    const text = rewriteConfig(parseDocument("", "sentinel.conf"), config);
    const lines = text.split("\n").length;
    const loaded = loadConfig(text);
    const updated = { ...config, currentEpoch: config.currentEpoch + 1 };

    const loadMs = timeSync(() => loadConfig(text));
    const rewriteMs = timeSync(() => rewriteConfig(loaded.document, updated));
    const parseMs = timeSync(() => parseDocument(text, "sentinel.conf"));
    const verifiedMs = timeSync(() => rewriteConfig(loaded.document, updated, { verify: true }));

    const dir = mkdtempSync(join(tmpdir(), "bench-config-"));
    let emptyStart: number;
    let bigStart: number;
    try {
      emptyStart = await sentinelMedian(dir, "", "empty");
      bigStart = await sentinelMedian(dir, text, "big");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const rows: [string, number][] = [
      ["config-store parseDocument (split lines and arguments)", parseMs],
      ["config-store loadConfig (parse + validate + model)", loadMs],
      ["config-store rewriteConfig (after a current-epoch change)", rewriteMs],
      ["config-store rewriteConfig with verify (as SentinelConfigFile.save)", verifiedMs],
      ["config-store load + rewrite", loadMs + rewriteMs],
      ["redis-sentinel start to first PONG, empty config", emptyStart],
      ["redis-sentinel start to first PONG, this config", bigStart],
      ["redis-sentinel, this config minus empty config", bigStart - emptyStart],
    ];
    console.log(`config: ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB; ${RUNS} runs (redis-sentinel: ${SENTINEL_RUNS})\n`);
    console.log("| operation | median ms | vs redis-sentinel start |");
    console.log("|---|---:|---:|");
    for (const [name, ms] of rows) {
      console.log(`| ${name} | ${ms.toFixed(2)} | ${(ms / bigStart).toFixed(3)}x |`);
    }
  },
};
