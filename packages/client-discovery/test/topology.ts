import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import {
  FaultProxy,
  freePort,
  startProcess,
  startRedis,
  startRedisSentinel,
  waitFor,
  type ManagedProcess,
  type RedisServer,
} from "@sentinel-kit/testkit";
import type { Address } from "../src/index.js";

/** The master name every test topology monitors. */
export const MASTER = "mymaster";

/** Which sentinel implementation a topology runs: Debian's redis-sentinel 7.0 or our daemon. */
export type SentinelKind = "redis-sentinel" | "sentinel-kit";

/** The built daemon, run as a user of a clone runs it (apps/sentinel/README.md). */
export const SENTINEL_KIT_BIN = fileURLToPath(new URL("../../../apps/sentinel/bin/sentinel-kit.js", import.meta.url));
const SENTINEL_KIT_DIST = fileURLToPath(new URL("../../../apps/sentinel/dist/main.js", import.meta.url));

/**
 * Starts one sentinel-kit daemon on `config` in a new directory, the way apps/sentinel's
 * own integration tests do (port and bind added to the file it may rewrite).
 */
async function startSentinelKit(config: string): Promise<ManagedProcess> {
  if (!existsSync(SENTINEL_KIT_DIST)) {
    throw new Error(`${SENTINEL_KIT_DIST} is missing: build the daemon first (\`pnpm build\` at the root)`);
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "client-discovery-kit-"));
  const confPath = join(dir, "sentinel.conf");
  writeFileSync(confPath, `port ${port}\nbind 127.0.0.1\n${config}\n`);
  return startProcess({ command: process.execPath, args: [SENTINEL_KIT_BIN, confPath], port, dir, name: "sentinel-kit" });
}

/** Starts a sentinel of `kind` on `config`. */
export function startSentinel(kind: SentinelKind, config: string): Promise<ManagedProcess> {
  return kind === "sentinel-kit" ? startSentinelKit(config) : startRedisSentinel({ config });
}

/** A master, its replicas and three sentinels (down-after 1000 ms, failover-timeout 3000 ms). */
export interface Topology {
  master: RedisServer;
  replicas: RedisServer[];
  sentinels: ManagedProcess[];
  sentinelAddresses: Address[];
  /** Set when the sentinels reach the master through a proxy ({@link startTopology}'s `proxyMaster`). */
  masterProxy: FaultProxy | undefined;
  stop(): Promise<void>;
}

/** Sentinel settings shared by the test topologies: quick detection, short failover timeout. */
export function sentinelConfig(host: string, port: number): string {
  return [
    `sentinel monitor ${MASTER} ${host} ${port} 2`,
    `sentinel down-after-milliseconds ${MASTER} 1000`,
    `sentinel failover-timeout ${MASTER} 3000`,
    `sentinel parallel-syncs ${MASTER} 2`,
  ].join("\n");
}

/** `SENTINEL <args>` on one sentinel, through ioredis (RESP2 replies). */
export async function sentinelCall(sentinel: Address, ...args: string[]): Promise<unknown> {
  const redis = new Redis({ host: sentinel.host, port: sentinel.port, protocol: 2, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    return await redis.call("SENTINEL", ...args);
  } finally {
    redis.disconnect();
  }
}

/**
 * Timeout of a hook that calls {@link startTopology}: its convergence wait (30 s) plus the
 * six process starts, on a loaded 2-core CI machine.
 */
export const TOPOLOGY_START_TIMEOUT_MS = 60_000;

/**
 * Starts the topology and waits until every sentinel knows every replica and the two
 * other sentinels, so a failover can be authorized at once. With `proxyMaster`, the
 * sentinels monitor the master through a FaultProxy the test can break. `sentinelKind`
 * picks redis-sentinel (the default) or three sentinel-kit daemons.
 */
export async function startTopology(
  options: { replicas?: number; proxyMaster?: boolean; sentinelKind?: SentinelKind } = {},
): Promise<Topology> {
  const master = await startRedis();
  const replicas: RedisServer[] = [];
  const sentinels: ManagedProcess[] = [];
  let masterProxy: FaultProxy | undefined;
  const stop = async () => {
    await Promise.all([...sentinels, ...replicas, master].map((p) => p.stop()));
    await masterProxy?.close();
  };
  try {
    for (let i = 0; i < (options.replicas ?? 2); i++) {
      replicas.push(await startRedis({ replicaOf: { host: master.host, port: master.port } }));
    }
    if (options.proxyMaster) masterProxy = await FaultProxy.start({ target: { host: master.host, port: master.port } });
    const monitored = masterProxy ? masterProxy.port : master.port;
    for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(options.sentinelKind ?? "redis-sentinel", sentinelConfig("127.0.0.1", monitored)));
    const sentinelAddresses = sentinels.map((s) => ({ host: s.host, port: s.port }));
    await waitFor(
      async () => {
        for (const s of sentinelAddresses) {
          const fields = (await sentinelCall(s, "MASTER", MASTER)) as string[];
          const get = (k: string) => fields[fields.indexOf(k) + 1];
          if (get("num-other-sentinels") !== "2" || get("num-slaves") !== String(replicas.length)) return false;
          const list = (await sentinelCall(s, "REPLICAS", MASTER)) as string[][];
          if (!list.every((r) => r[r.indexOf("flags") + 1] === "slave" && r[r.indexOf("master-link-status") + 1] === "ok")) return false;
          // A sentinel learned from a hello is "disconnected" until its link comes up.
          const peers = (await sentinelCall(s, "SENTINELS", MASTER)) as string[][];
          if (!peers.every((p) => p[p.indexOf("flags") + 1] === "sentinel")) return false;
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: "sentinels to discover and link to each other and the replicas" },
    );
    return { master, replicas, sentinels, sentinelAddresses, masterProxy, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
