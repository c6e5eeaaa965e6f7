// The processes both failover suites measure: a master, its replicas and three sentinels,
// either Debian's redis-sentinel 7.0.15 or our daemon (apps/sentinel), started by path as
// from a clone.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  freePort,
  startProcess,
  startRedis,
  startRedisSentinel,
  waitFor,
  type ManagedProcess,
  type RedisServer,
} from "@sentinel-kit/testkit";

/** The master name the sentinels monitor. */
export const MASTER_NAME = "mymaster";
/** `down-after-milliseconds` of every benchmark topology. */
export const DOWN_AFTER_MS = 1000;
/** The daemon's build output: the suites need `pnpm build` first. */
export const DAEMON_BUILT = fileURLToPath(new URL("../../../apps/sentinel/dist/main.js", import.meta.url));
const DAEMON_BIN = fileURLToPath(new URL("../../../apps/sentinel/bin/sentinel-kit.js", import.meta.url));

/** The two sentinel implementations, in the order trials interleave them. */
export const SENTINEL_KINDS = ["redis-sentinel", "sentinel-kit"] as const;
/** One of {@link SENTINEL_KINDS}. */
export type SentinelKind = (typeof SENTINEL_KINDS)[number];

/** A running benchmark topology. */
export interface BenchTopology {
  /** The master the sentinels were started on. */
  readonly master: RedisServer;
  /** Its replicas. */
  readonly replicas: readonly RedisServer[];
  /** The three sentinels. */
  readonly sentinels: readonly ManagedProcess[];
  /** Stops every process above. */
  stop(): Promise<void>;
}

async function startSentinel(kind: SentinelKind, config: string): Promise<ManagedProcess> {
  if (kind === "redis-sentinel") return startRedisSentinel({ config });
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "bench-sentinel-kit-"));
  const conf = join(dir, "sentinel.conf");
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nlogfile ${join(dir, "sentinel.log")}\n${config}\n`);
  return startProcess({ command: process.execPath, args: [DAEMON_BIN, conf], port, dir, name: "sentinel-kit" });
}

/**
 * Starts a master, `replicas` replicas and three sentinels of `kind` (quorum 2,
 * {@link DOWN_AFTER_MS}, `failoverTimeoutMs`), and waits until every sentinel knows the two
 * others and every replica, so a failover can start at once.
 */
export async function startBenchTopology(
  kind: SentinelKind,
  options: { replicas: number; failoverTimeoutMs: number },
): Promise<BenchTopology> {
  const started: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
  };
  try {
    const master = await startRedis();
    started.push(master);
    const replicas: RedisServer[] = [];
    for (let i = 0; i < options.replicas; i++) {
      const replica = await startRedis({ replicaOf: { host: master.host, port: master.port } });
      started.push(replica);
      replicas.push(replica);
    }
    const config = [
      `sentinel monitor ${MASTER_NAME} ${master.host} ${master.port} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
      `sentinel failover-timeout ${MASTER_NAME} ${options.failoverTimeoutMs}`,
    ].join("\n");
    const sentinels: ManagedProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const sentinel = await startSentinel(kind, config);
      started.push(sentinel);
      sentinels.push(sentinel);
    }
    const slaves = new RegExp(`num-slaves\\n${options.replicas}\\n`);
    await waitFor(
      async () => {
        for (const s of sentinels) {
          const info = await s.cli("SENTINEL", "MASTER", MASTER_NAME);
          if (!/num-other-sentinels\n2\n/.test(info) || !slaves.test(info)) return false;
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `${kind}: the sentinels to know each other and the replicas` },
    );
    return { master, replicas, sentinels, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
