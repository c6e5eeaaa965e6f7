import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import { createRedis, exchange, formatAddress, type Address } from "@sentinel-kit/client-discovery";
import { discoveryOptions, positiveInt, type ConnectionFlags } from "./connection-options.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIO } from "./io.js";
import { trustFrom, type ResolveFlags } from "./resolve.js";

/** Flags of `drill`. */
export interface DrillFlags extends ConnectionFlags, ResolveFlags {
  /** `--duration <ms>`: how long to write. */
  duration?: string;
  /** `--failover`: send SENTINEL FAILOVER during the drill. */
  failover?: boolean;
  /** `--failover-command <cmd>`: run this shell command instead to cause the failover. */
  failoverCommand?: string;
  /** `--failover-after <ms>`: when to trigger it. */
  failoverAfter?: string;
  /** `--write-timeout <ms>`: a write unanswered this long counts as an error. */
  writeTimeout?: string;
  /** `--fail-on-lost`: exit 7 when acknowledged writes were lost. */
  failOnLost?: boolean;
  /** `--keep-keys`: leave the drill's keys in place. */
  keepKeys?: boolean;
  /** `--fence <ms>`: client-discovery's `fenceOnFailoverMs`. */
  fence?: string;
}

/** What `drill --json` prints. */
export interface DrillReport {
  /** Master name. */
  readonly name: string;
  /** The master when the drill started. */
  readonly masterBefore: string;
  /** The master when the drill ended. */
  readonly masterAfter: string;
  /** Whether the master changed. */
  readonly switched: boolean;
  /** How the failover was triggered, if it was, and its outcome. */
  readonly trigger: {
    /** The command that triggered it. */
    readonly how: string;
    /** When, in ms into the drill. */
    readonly atMs: number;
    /** Its reply. */
    readonly result: string;
  } | null;
  /** Writes attempted, acknowledged, failed. */
  readonly writes: {
    /** Writes sent. */
    readonly attempted: number;
    /** Writes a server acknowledged. */
    readonly acknowledged: number;
    /** Writes that got an error or no answer. */
    readonly failed: number;
  };
  /** Acknowledged writes per server that acknowledged them (`host:port`). */
  readonly acknowledgedBy: Readonly<Record<string, number>>;
  /** Failed writes by kind (error name, or the reply's first word such as READONLY). */
  readonly errorsByKind: Readonly<Record<string, number>>;
  /** The longest time without any acknowledged write, ms, and where it started (ms into the drill). */
  readonly unavailable: {
    /** The longest gap, ms. */
    readonly longestMs: number;
    /** Where it started, ms into the drill. */
    readonly fromMs: number;
  };
  /** Acknowledged writes missing or changed on the master at the end. */
  readonly lost: number;
  /** Up to 20 of the lost keys. */
  readonly lostKeys: readonly string[];
  /** How long the drill wrote, ms. */
  readonly durationMs: number;
  /** The failover fence used, ms (0 = off). */
  readonly fenceMs: number;
}

/** Classifies a failed write. */
export function errorKind(error: Error): string {
  if (error.name !== "Error" && error.name !== "ReplyError") return error.name;
  const word = /^[A-Z][A-Z_]+/.exec(error.message)?.[0];
  if (word !== undefined && word !== "ERR") return word;
  if (/timed? ?out/i.test(error.message)) return "timeout";
  if (/closed/i.test(error.message)) return "connection-closed";
  return error.message.slice(0, 40);
}

async function triggerFailover(name: string, flags: DrillFlags, sentinels: readonly Address[]): Promise<string> {
  if (flags.failoverCommand !== undefined) {
    const child = spawn(flags.failoverCommand, { shell: true, stdio: "ignore" });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve("timed out after 30000 ms");
      }, 30_000);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        resolve(signal ? `killed by ${signal}` : `exit ${code}`);
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        resolve(error.message);
      });
    });
  }
  const options = discoveryOptions(name, flags);
  const errors: string[] = [];
  for (const sentinel of sentinels) {
    try {
      const [reply] = await exchange(sentinel, options.sentinelAuth ?? {}, 1000, [["SENTINEL", "FAILOVER", name]]);
      if (reply instanceof Error) throw reply;
      return `${String(reply)} from ${formatAddress(sentinel)}`;
    } catch (error) {
      errors.push(`${formatAddress(sentinel)}: ${(error as Error).message}`);
    }
  }
  return `failed: ${errors.join("; ")}`;
}

async function verifyAcknowledged(
  address: Address,
  flags: ConnectionFlags,
  acknowledged: ReadonlyMap<string, string>,
  keepKeys: boolean,
): Promise<string[]> {
  const redis = new Redis({
    host: address.host,
    port: address.port,
    username: flags.user,
    password: flags.password,
    tls: flags.tls ? {} : undefined,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    protocol: 2,
  });
  redis.on("error", () => undefined);
  const lost: string[] = [];
  try {
    await redis.connect();
    const keys = [...acknowledged.keys()];
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const values = await redis.mget(...chunk);
      chunk.forEach((key, j) => {
        if (values[j] !== acknowledged.get(key)) lost.push(key);
      });
      if (!keepKeys) await redis.del(...chunk);
    }
  } finally {
    redis.disconnect();
  }
  return lost;
}

/**
 * `drill <name>`: writes unique keys through client-discovery for `--duration` ms,
 * optionally triggers a failover, then reads back every acknowledged write from the
 * master of the end and reports unavailability, errors by kind and lost writes.
 */
export async function runDrill(name: string, flags: DrillFlags, io: CliIO): Promise<number> {
  const duration = positiveInt("--duration", flags.duration, 10_000);
  const failoverAfter = positiveInt("--failover-after", flags.failoverAfter, Math.min(2000, Math.floor(duration / 4)));
  const writeTimeout = positiveInt("--write-timeout", flags.writeTimeout, 1000);
  const fenceMs = positiveInt("--fence", flags.fence, 0);
  const options = discoveryOptions(name, flags);
  const client = createRedis({
    ...options,
    trust: trustFrom(flags),
    fenceOnFailoverMs: fenceMs,
    redisOptions: { commandTimeout: writeTimeout, maxRetriesPerRequest: 1 },
  });
  client.redis.on("error", () => undefined);
  const prefix = `sentinel-kit-drill:${process.pid}:${Date.now()}`;
  const acknowledged = new Map<string, string>();
  const acknowledgedBy: Record<string, number> = {};
  const errorsByKind: Record<string, number> = {};
  let attempted = 0;
  let failed = 0;
  let longest = 0;
  let longestFrom = 0;
  let trigger: DrillReport["trigger"] = null;
  let triggerDone: Promise<void> = Promise.resolve();
  let progress: NodeJS.Timeout | undefined;
  try {
    const before = (await client.discovery.resolveMaster()).address;
    const start = performance.now();
    let lastAck = start;
    if (io.interactive) {
      progress = setInterval(() => {
        const master = client.discovery.master ? formatAddress(client.discovery.master) : "?";
        io.err(`\r${Math.round(performance.now() - start)} ms  acked ${acknowledged.size}  failed ${failed}  master ${master}   `);
      }, 250);
    }
    let triggered = !(flags.failover || flags.failoverCommand !== undefined);
    for (let n = 0; performance.now() - start < duration; n++) {
      if (!triggered && performance.now() - start >= failoverAfter) {
        triggered = true;
        const atMs = Math.round(performance.now() - start);
        const how = flags.failoverCommand ?? `SENTINEL FAILOVER ${name}`;
        triggerDone = triggerFailover(name, flags, client.discovery.sentinels).then((result) => {
          trigger = { how, atMs, result };
        });
      }
      const key = `${prefix}:${n}`;
      attempted++;
      try {
        await client.redis.set(key, String(n));
        const now = performance.now();
        if (now - lastAck > longest) {
          longest = now - lastAck;
          longestFrom = lastAck - start;
        }
        lastAck = now;
        acknowledged.set(key, String(n));
        const by = client.connection.address ? formatAddress(client.connection.address) : "?";
        acknowledgedBy[by] = (acknowledgedBy[by] ?? 0) + 1;
      } catch (error) {
        failed++;
        const kind = errorKind(error as Error);
        errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const durationMs = Math.round(performance.now() - start);
    await triggerDone;
    if (progress) {
      clearInterval(progress);
      io.err("\n");
    }
    const after = (await client.discovery.resolveMaster()).address;
    const lostKeys = await verifyAcknowledged(after, flags, acknowledged, flags.keepKeys ?? false);
    const report: DrillReport = {
      name,
      masterBefore: formatAddress(before),
      masterAfter: formatAddress(after),
      switched: formatAddress(before) !== formatAddress(after),
      trigger,
      writes: { attempted, acknowledged: acknowledged.size, failed },
      acknowledgedBy,
      errorsByKind,
      unavailable: { longestMs: Math.round(longest), fromMs: Math.round(longestFrom) },
      lost: lostKeys.length,
      lostKeys: lostKeys.slice(0, 20),
      durationMs,
      fenceMs,
    };
    if (flags.json) io.out(JSON.stringify(report) + "\n");
    else io.out(describeDrill(report));
    if (trigger !== null && !report.switched) return ExitCode.noSwitch;
    if (flags.failOnLost && report.lost > 0) return ExitCode.lostWrites;
    return ExitCode.ok;
  } finally {
    clearInterval(progress);
    await client.close();
  }
}

/** The human-readable drill report. */
export function describeDrill(r: DrillReport): string {
  const lines = [
    `master       ${r.masterBefore} -> ${r.masterAfter}${r.switched ? "" : " (no switch)"}`,
    ...(r.trigger ? [`failover     ${r.trigger.how} at ${r.trigger.atMs} ms: ${r.trigger.result}`] : []),
    `writes       ${r.writes.acknowledged} acknowledged, ${r.writes.failed} failed, of ${r.writes.attempted} in ${r.durationMs} ms`,
    `by server    ${Object.entries(r.acknowledgedBy).map(([a, n]) => `${a}: ${n}`).join(", ")}`,
    `errors       ${Object.entries(r.errorsByKind).map(([k, n]) => `${k}: ${n}`).join(", ") || "none"}`,
    `unavailable  ${r.unavailable.longestMs} ms (longest gap between acknowledgements, from ${r.unavailable.fromMs} ms)`,
    `lost         ${r.lost} acknowledged writes missing on ${r.masterAfter}${r.lostKeys.length ? ` (e.g. ${r.lostKeys.slice(0, 3).join(", ")})` : ""}`,
    `fence        ${r.fenceMs > 0 ? `${r.fenceMs} ms` : "off"}`,
  ];
  return lines.join("\n") + "\n";
}
