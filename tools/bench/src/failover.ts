// Failover timing of the sentinel-kit daemon against Debian's redis-sentinel 7.0.15, same
// topology (a master, two replicas, three sentinels, down-after-milliseconds 1000), trials
// interleaved: from the master's SIGKILL to the first +switch-master, and to the first write
// acknowledged through ioredis's sentinel mode; acknowledged writes lost.
// The daemon is started by path (apps/sentinel/bin/sentinel-kit.js), as from a clone.
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import {
  DAEMON_BUILT,
  DOWN_AFTER_MS,
  MASTER_NAME,
  SENTINEL_KINDS,
  startBenchTopology,
  type SentinelKind,
} from "./sentinel-topology.js";
import type { BenchSuite } from "./suite.js";

const TRIALS = Number(process.env["FAILOVER_TRIALS"] ?? 10);
const TRIAL_TIMEOUT_MS = 30_000;

interface Trial {
  switchMs: number;
  firstWriteMs: number;
  lost: number;
}

async function trial(impl: SentinelKind): Promise<Trial> {
  const topo = await startBenchTopology(impl, { replicas: 2, failoverTimeoutMs: 10_000 });
  const { master, sentinels } = topo;
  const clients: Redis[] = [];
  let writing = true;
  try {
    let switchedAt: number | undefined;
    for (const s of sentinels) {
      const sub = new Redis({ port: s.port, host: "127.0.0.1", protocol: 2 });
      sub.on("error", () => undefined);
      clients.push(sub);
      sub.on("message", () => {
        switchedAt ??= performance.now();
      });
      await sub.subscribe("+switch-master");
    }
    const writer = new Redis({ sentinels: sentinels.map((s) => ({ host: "127.0.0.1", port: s.port })), name: MASTER_NAME });
    writer.on("error", () => undefined);
    clients.push(writer);
    const acked: { n: number; at: number }[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    let deadAt = Number.POSITIVE_INFINITY;
    let firstAfter: number | undefined;
    const loop = (async () => {
      for (let n = 0; writing; n++) {
        try {
          await writer.set(`bench:${n}`, String(n));
          const now = performance.now();
          acked.push({ n, at: now });
          const from = (writer as unknown as { stream?: { remotePort?: number } }).stream?.remotePort;
          if (now > deadAt && from !== master.port && firstAfter === undefined) firstAfter = now;
        } catch {
          await sleep(5);
        }
      }
    })();
    await sleep(500);
    killedAt = performance.now();
    await master.kill();
    deadAt = performance.now();
    await waitFor(() => switchedAt !== undefined && firstAfter !== undefined, {
      timeoutMs: TRIAL_TIMEOUT_MS,
      intervalMs: 5,
      what: `${impl}: +switch-master and a write on the new master`,
    });
    writing = false;
    await loop;
    // Acknowledged by the old master before it died, and absent from the new one: lost.
    const address = (await writer.call("ROLE")) as unknown[];
    if (address[0] !== "master") throw new Error(`${impl}: the writer is not on a master after the failover`);
    const before = acked.filter((a) => a.at <= killedAt).map((a) => `bench:${a.n}`);
    let present = 0;
    for (let i = 0; i < before.length; i += 1000) present += await writer.exists(...before.slice(i, i + 1000));
    return { switchMs: switchedAt! - killedAt, firstWriteMs: firstAfter! - killedAt, lost: before.length - present };
  } finally {
    // Also on a timed-out trial: the write loop would otherwise spin on the closed client.
    writing = false;
    for (const c of clients) c.disconnect();
    await topo.stop();
  }
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** `pnpm bench failover`. */
export const failoverSuite: BenchSuite = {
  name: "failover",
  title: `Failover: sentinel-kit vs redis-sentinel 7.0.15 (3 sentinels, master + 2 replicas, down-after ${DOWN_AFTER_MS} ms, ${TRIALS} trials each)`,
  async run() {
    if (!existsSync(DAEMON_BUILT)) {
      console.log(`skipped: ${DAEMON_BUILT} is missing (run \`pnpm build\`)`);
      return;
    }
    const results: Record<SentinelKind, Trial[]> = { "redis-sentinel": [], "sentinel-kit": [] };
    for (let i = 0; i < TRIALS; i++) {
      for (const impl of SENTINEL_KINDS) results[impl].push(await trial(impl));
    }
    console.log("| sentinels | SIGKILL to +switch-master, median | p95 | SIGKILL to first write, median | p95 | acked writes lost, median | max |");
    console.log("|---|---|---|---|---|---|---|");
    for (const impl of SENTINEL_KINDS) {
      const r = results[impl];
      const sw = r.map((t) => t.switchMs);
      const wr = r.map((t) => t.firstWriteMs);
      const lost = r.map((t) => t.lost);
      console.log(
        `| ${impl} | ${ms(quantile(sw, 0.5))} | ${ms(quantile(sw, 0.95))} | ${ms(quantile(wr, 0.5))} | ${ms(quantile(wr, 0.95))} | ${quantile(lost, 0.5)} | ${Math.max(...lost)} |`,
      );
    }
    const ratio = (f: (t: Trial) => number, q: number): string => {
      const a = quantile(results["redis-sentinel"].map(f), q);
      const b = quantile(results["sentinel-kit"].map(f), q);
      return `${(a / b).toFixed(1)}x`;
    };
    console.log(
      `\nsentinel-kit is faster by: switch ${ratio((t) => t.switchMs, 0.5)} (median), ${ratio((t) => t.switchMs, 0.95)} (p95); ` +
        `first write ${ratio((t) => t.firstWriteMs, 0.5)} (median), ${ratio((t) => t.firstWriteMs, 0.95)} (p95)`,
    );
  },
};
