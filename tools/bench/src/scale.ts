// One process of ours (health-monitor + gossip hellos, scale-monitor.ts) and one Debian
// redis-sentinel watch the same N real redis-servers (200 by default) at Redis's default
// timings; after a warm-up, the CPU time and RSS of both are read from /proc over the same
// window (60 s by default). Goal (issue 4): our CPU at most 2x redis-sentinel's, RSS under
// 150 MB. The two name the masters differently (mN and kN), so each reads the other's hellos
// and drops them as being about an unknown master, and neither treats the other as a peer
// (which would add sentinel links and hello targets to one side only).
//
//   pnpm bench scale [--masters N] [--seconds S] [--warmup S] [--link resp|ioredis] [--send-grid-ms N] [--tick-ms N] [--cpu-prof DIR]
//   SCALE_SECONDS=15 pnpm bench scale      (a quick check)
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import {
  startProcess,
  startRedis,
  startRedisSentinel,
  waitFor,
  type ManagedProcess,
  type RedisSentinel,
  type RedisServer,
} from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import type { BenchSuite } from "./suite.js";

const DEFAULT_MASTERS = 200;
const DEFAULT_SECONDS = 60;
const DEFAULT_WARMUP_SECONDS = 10;
/** redis-servers started at once. */
const START_BATCH = 20;
const CPU_GOAL_RATIO = 2;
const RSS_GOAL_MB = 150;
/** Bound on our monitor reaching every master, and on redis-sentinel doing so, ms. */
const CONNECT_TIMEOUT_MS = 60_000;
/** What a redis-server of the benchmark needs, and no more: fewer clients, fewer timer wake-ups. */
const SERVER_ARGS = ["--maxclients", "100", "--hz", "1", "--jemalloc-bg-thread", "no"];

interface ScaleOptions {
  readonly masters: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly cpuProfDir: string | undefined;
  /** Our monitor's link: the package's default RespLink, or its IoredisLink. */
  readonly link: "resp" | "ioredis";
  /** The monitors' sendGranularityMs; the package's default when undefined. */
  readonly sendGridMs: number | undefined;
  /** When above 0, our monitors' timers fire on a shared grid of this many ms (scale-monitor.ts). */
  readonly tickMs: number;
}

function positive(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${what} must be a positive number, got ${String(value)}`);
  return n;
}

function scaleOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ScaleOptions {
  const flag = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  const seconds = flag("--seconds") ?? env["SCALE_SECONDS"];
  const masters = flag("--masters");
  const warmup = flag("--warmup");
  const tickMs = flag("--tick-ms");
  const sendGridMs = flag("--send-grid-ms");
  const link = flag("--link") ?? "resp";
  if (link !== "ioredis" && link !== "resp") throw new Error(`--link takes resp or ioredis, got ${link}`);
  return {
    masters: masters === undefined ? DEFAULT_MASTERS : Math.floor(positive(masters, "--masters")),
    seconds: seconds === undefined ? DEFAULT_SECONDS : positive(seconds, "--seconds / SCALE_SECONDS"),
    warmupSeconds: warmup === undefined ? DEFAULT_WARMUP_SECONDS : positive(warmup, "--warmup"),
    cpuProfDir: flag("--cpu-prof"),
    link,
    sendGridMs: sendGridMs === undefined ? undefined : Math.floor(Number(sendGridMs)),
    tickMs: tickMs === undefined ? 0 : Math.floor(positive(tickMs, "--tick-ms")),
  };
}

/** Cumulative counters of a process (all its threads) that the window takes differences of. */
interface Counters {
  /** utime, in clock ticks. */
  readonly user: number;
  /** stime, in clock ticks. */
  readonly system: number;
  /**
   * Voluntary context switches of the main thread (`/proc/<pid>/status`): how often its
   * event loop went to sleep and woke up again.
   */
  readonly wakeups: number;
}

function counters(pid: number): Counters {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may hold spaces; fields after it start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const wakeups = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return { user: Number(fields[11]), system: Number(fields[12]), wakeups };
}

/** VmRSS of a process, in KiB. */
function rssKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match?.[1] === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

function clockTicksPerSecond(): number {
  return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
}

interface Usage {
  readonly cpuSeconds: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  /** Voluntary context switches of the main thread per second. */
  readonly wakeupsPerSecond: number;
  readonly rssMeanMb: number;
  readonly rssMaxMb: number;
}

/** Samples both processes every second over the same window. */
async function measure(pids: readonly number[], seconds: number, ticksPerSecond: number) {
  const before = pids.map(counters);
  const rss: number[][] = pids.map(() => []);
  const start = performance.now();
  for (let k = 1; k <= Math.round(seconds); k++) {
    await sleep(Math.max(0, start + k * 1000 - performance.now()));
    pids.forEach((pid, i) => rss[i]?.push(rssKib(pid)));
  }
  const after = pids.map(counters);
  const wallSeconds = (performance.now() - start) / 1000;
  const usage = pids.map((_, i): Usage => {
    const samples = rss[i] ?? [];
    const from = before[i];
    const to = after[i];
    if (from === undefined || to === undefined) throw new Error("missing counters");
    const userSeconds = (to.user - from.user) / ticksPerSecond;
    const systemSeconds = (to.system - from.system) / ticksPerSecond;
    return {
      cpuSeconds: userSeconds + systemSeconds,
      userSeconds,
      systemSeconds,
      wakeupsPerSecond: (to.wakeups - from.wakeups) / wallSeconds,
      rssMeanMb: samples.reduce((a, b) => a + b, 0) / samples.length / 1024,
      rssMaxMb: Math.max(...samples) / 1024,
    };
  });
  return { usage, wallSeconds };
}

async function startMasters(count: number): Promise<RedisServer[]> {
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < count; i += START_BATCH) {
      const batch = Math.min(START_BATCH, count - i);
      const started = await Promise.allSettled(Array.from({ length: batch }, () => startRedis({ args: SERVER_ARGS })));
      for (const result of started) if (result.status === "fulfilled") servers.push(result.value);
      const failed = started.find((result) => result.status === "rejected");
      if (failed !== undefined) throw failed.reason;
    }
    return servers;
  } catch (error) {
    await stopAll(servers);
    throw error;
  }
}

async function stopAll(processes: readonly ManagedProcess[]): Promise<void> {
  for (let i = 0; i < processes.length; i += START_BATCH) {
    await Promise.allSettled(processes.slice(i, i + START_BATCH).map((p) => p.stop()));
  }
}

/** The client names Redis Sentinel gives its two connections (`sentinelSetClientName`). */
function linkNames(runid: string): string[] {
  return [`sentinel-${runid.slice(0, 8)}-cmd`, `sentinel-${runid.slice(0, 8)}-pubsub`];
}

/** Whether every master lists both connections of both sentinels in CLIENT LIST. */
async function allConnected(servers: readonly RedisServer[], runids: readonly string[]): Promise<boolean> {
  const names = runids.flatMap(linkNames);
  for (const server of servers) {
    const client = new Redis({ host: server.host, port: server.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      const list = String(await client.call("CLIENT", "LIST"));
      if (!names.every((name) => list.includes(` name=${name} `))) return false;
    } finally {
      client.disconnect();
    }
  }
  return true;
}

async function sentinelInfo(sentinel: RedisSentinel): Promise<{ runid: string; version: string }> {
  const client = new Redis({ host: sentinel.host, port: sentinel.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const runid = String(await client.call("SENTINEL", "MYID"));
    const info = String(await client.call("INFO", "server"));
    return { runid, version: /^redis_version:(\S+)/m.exec(info)?.[1] ?? "?" };
  } finally {
    client.disconnect();
  }
}

interface MonitorReport {
  readonly ready?: boolean;
  readonly sentinelId?: string;
  readonly stats?: {
    hellosPublished: number;
    hellosFailed: number;
    hellosReceived: number;
    events: Record<string, number>;
  };
}

function monitorReports(monitor: ManagedProcess): MonitorReport[] {
  const reports: MonitorReport[] = [];
  for (const line of monitor.logTail(1000).split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      reports.push(JSON.parse(line) as MonitorReport);
    } catch {
      // not one of our report lines
    }
  }
  return reports;
}

async function startMonitor(servers: readonly RedisServer[], options: ScaleOptions): Promise<ManagedProcess> {
  const script = fileURLToPath(new URL("./scale-monitor.js", import.meta.url));
  const portsFile = join(servers[0]?.dir ?? ".", "scale-ports.json");
  writeFileSync(portsFile, JSON.stringify(servers.map((server) => server.port)));
  const nodeArgs = options.cpuProfDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfDir];
  return startProcess({
    command: process.execPath,
    args: [...nodeArgs, script, "--prefix", "k", "--link", options.link,
      ...(options.sendGridMs !== undefined ? ["--send-grid-ms", String(options.sendGridMs)] : []),
      "--tick-ms", String(options.tickMs), "--ports-file", portsFile],
    // It listens nowhere; the port only names its directory.
    port: 0,
    name: "scale-monitor",
    ready: async (p) => monitorReports(p).some((report) => report.ready === true),
    readyTimeoutMs: CONNECT_TIMEOUT_MS,
    readyWhat: "to answer INFO and subscribe on every master",
  });
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

function printTable(
  options: ScaleOptions,
  version: string,
  wallSeconds: number,
  sentinel: Usage,
  ours: Usage,
): void {
  const pct = (u: Usage) => (u.cpuSeconds / wallSeconds) * 100;
  const ratio = (a: number, b: number) => (b > 0 ? `${fmt(a / b, 2)}x` : "n/a");
  console.log(`| process | CPU s | % of one core | RSS mean MB | RSS max MB |`);
  console.log(`|---|---:|---:|---:|---:|`);
  console.log(
    `| redis-sentinel ${version} | ${fmt(sentinel.cpuSeconds, 2)} | ${fmt(pct(sentinel), 2)} | ${fmt(sentinel.rssMeanMb)} | ${fmt(sentinel.rssMaxMb)} |`,
  );
  console.log(
    `| sentinel-kit (health-monitor + gossip, ${options.link} link, ${options.sendGridMs === undefined ? "default" : `${options.sendGridMs} ms`} send grid${options.tickMs > 0 ? `, ${options.tickMs} ms timer grid` : ""}) | ${fmt(ours.cpuSeconds, 2)} | ${fmt(pct(ours), 2)} | ${fmt(ours.rssMeanMb)} | ${fmt(ours.rssMaxMb)} |`,
  );
  console.log(
    `| ratio ours / redis-sentinel | ${ratio(ours.cpuSeconds, sentinel.cpuSeconds)} | ${ratio(pct(ours), pct(sentinel))} | ${ratio(ours.rssMeanMb, sentinel.rssMeanMb)} | ${ratio(ours.rssMaxMb, sentinel.rssMaxMb)} |`,
  );
  console.log(`\n| process | user s | system s | main-thread wake-ups/s |`);
  console.log(`|---|---:|---:|---:|`);
  for (const [label, u] of [["redis-sentinel", sentinel], ["sentinel-kit", ours]] as const) {
    console.log(
      `| ${label} | ${fmt(u.userSeconds, 2)} | ${fmt(u.systemSeconds, 2)} | ${fmt(u.wakeupsPerSecond, 0)} |`,
    );
  }
  const cpuMet = ours.cpuSeconds <= CPU_GOAL_RATIO * sentinel.cpuSeconds;
  const rssMet = ours.rssMaxMb < RSS_GOAL_MB;
  console.log(
    `\ngoal CPU <= ${CPU_GOAL_RATIO}x redis-sentinel's: ${cpuMet ? "met" : "NOT met"} (${ratio(ours.cpuSeconds, sentinel.cpuSeconds)}); ` +
      `goal RSS < ${RSS_GOAL_MB} MB: ${rssMet ? "met" : "NOT met"} (max ${fmt(ours.rssMaxMb)} MB); ` +
      `${options.masters} masters, ${fmt(wallSeconds)} s window after ${options.warmupSeconds} s warm-up`,
  );
}

/** The "scale" suite of `pnpm bench`. */
export const scaleSuite: BenchSuite = {
  name: "scale",
  title: "scale: one process watching N real masters, ours against redis-sentinel, CPU and RSS",
  async run() {
    const options = scaleOptions(process.argv.slice(2), process.env);
    const ticksPerSecond = clockTicksPerSecond();
    let servers: RedisServer[] = [];
    let sentinel: RedisSentinel | undefined;
    let monitor: ManagedProcess | undefined;
    try {
      servers = await startMasters(options.masters);
      const config = servers.map((server, i) => `sentinel monitor m${i} 127.0.0.1 ${server.port} 1`).join("\n");
      sentinel = await startRedisSentinel({ config });
      const { runid, version } = await sentinelInfo(sentinel);
      monitor = await startMonitor(servers, options);
      const ourId = monitorReports(monitor).find((report) => report.sentinelId !== undefined)?.sentinelId;
      if (ourId === undefined) throw new Error("the monitor reported ready without its id");
      const ids = [runid, ourId];
      await waitFor(() => allConnected(servers, ids), {
        timeoutMs: CONNECT_TIMEOUT_MS,
        intervalMs: 1000,
        what: "both sentinels' cmd and pubsub connections on every master",
      });
      await sleep(options.warmupSeconds * 1000);
      const load = loadavg()[0] ?? 0;
      const { usage, wallSeconds } = await measure([sentinel.pid, monitor.pid], options.seconds, ticksPerSecond);
      const [theirs, ours] = usage;
      if (theirs === undefined || ours === undefined) throw new Error("missing measurements");
      // Still connected at the end: neither side dropped masters during the window.
      const connected = await allConnected(servers, ids);
      await monitor.stop();
      const stats = monitorReports(monitor).find((report) => report.stats !== undefined)?.stats;
      printTable(options, version, wallSeconds, theirs, ours);
      console.log(
        `both still connected to every master at the end: ${connected ? "yes" : "NO"}; ` +
          `our hellos published ${stats?.hellosPublished ?? "?"}, failed ${stats?.hellosFailed ?? "?"}, ` +
          `received ${stats?.hellosReceived ?? "?"}; events ${JSON.stringify(stats?.events ?? {})}; ` +
          `load average at the start ${fmt(load, 2)} on a shared machine`,
      );
      if (options.cpuProfDir !== undefined) console.log(`CPU profile of our monitor written under ${options.cpuProfDir}`);
    } finally {
      await Promise.allSettled([monitor?.stop(), sentinel?.stop()]);
      await stopAll(servers);
    }
  },
};
