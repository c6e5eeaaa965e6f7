// The fault matrix's topology on loopback: a master and two replicas (redis-server),
// 3 or 5 sentinel-kit daemons, and optionally a FaultProxy in front of every node, so a
// fault on one proxy cuts that node off from everyone who reaches it through its address.
// Replicas announce their proxy port and daemons announce theirs, so every address the
// daemons learn (INFO, hellos) leads through a proxy; the workload maps them back (natMap).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FaultProxy, freePort, startProcess, startRedis, waitFor, type ManagedProcess, type RedisServer } from "@sentinel-kit/testkit";
import { ask, fields } from "./resp.js";

/** The daemon's executable, as a user runs it from a clone. */
export const DAEMON_BIN = fileURLToPath(new URL("../../../apps/sentinel/bin/sentinel-kit.js", import.meta.url));
const DAEMON_DIST = fileURLToPath(new URL("../../../apps/sentinel/dist/main.js", import.meta.url));

/** Thrown when the daemon has not been built. */
export class DaemonNotBuiltError extends Error {
  override readonly name = "DaemonNotBuiltError";
  /** The missing file. */
  readonly path: string;
  /** `path`: the missing build output. */
  constructor(path: string) {
    super(`${path} is missing: run \`NX_DAEMON=false pnpm exec nx run-many -t build\` first`);
    this.path = path;
  }
}

/**
 * How a daemon is launched: a wrapper (e.g. `unshare -m sh -c ...`) around `node bin conf`.
 * `confDir` holds sentinel.conf only (logs are one level up), so it can be remounted.
 */
export type DaemonLauncher = (node: string, bin: string, confPath: string, confDir: string) => { command: string; args: string[] };

/** Options of {@link Topology.start}. */
export interface TopologyOptions {
  /** Number of daemons: 3 or 5. */
  sentinels?: number;
  /** Quorum of the monitor line; 2 by default (3 with 5 daemons). */
  quorum?: number;
  /** Put a FaultProxy in front of every data node and daemon. */
  proxies?: boolean;
  /** down-after-milliseconds, ms; 1000 by default. */
  downAfterMs?: number;
  /** failover-timeout, ms; 3000 by default. */
  failoverTimeoutMs?: number;
  /** Extra redis-server arguments for every data node. */
  redisArgs?: string[];
  /** Per-daemon monitor target (row 20): the index of the data node daemon `i` monitors; 0 by default. */
  monitorNodeOf?: (i: number) => number;
  /** Do not wait for every daemon to see 2 replicas and every peer (row 20). */
  skipDiscovery?: boolean;
  /** Per-daemon launcher override (rows 14, 15). */
  launcherOf?: (i: number) => DaemonLauncher | undefined;
  /** Extra sentinel.conf lines for every daemon. */
  extraConfig?: string;
}

/** One daemon: its process, port, proxy and files. */
export interface DaemonNode {
  /** Its process (replaced on restart). */
  process: ManagedProcess;
  /** The port it listens on. */
  readonly port: number;
  /** Its proxy, when the topology has proxies. */
  readonly proxy: FaultProxy | undefined;
  /** Its directory (logs). */
  readonly dir: string;
  /** The directory of its sentinel.conf, inside `dir`, with nothing else in it. */
  readonly confDir: string;
  /** Its sentinel.conf. */
  readonly confPath: string;
  /** How it is launched. */
  readonly launcher: DaemonLauncher | undefined;
}

/** One data node: its redis-server and proxy. */
export interface DataNode {
  /** Its process (replaced on restart). */
  server: RedisServer;
  /** Its proxy, when the topology has proxies. */
  proxy: FaultProxy | undefined;
}

/** Debug periods applied at start so detection and hellos are fast (SENTINEL DEBUG). */
const DEBUG_PERIODS = ["ping-period", "250", "info-period", "500", "publish-period", "500", "ask-period", "250"];

/** A running topology; {@link Topology.stop} stops every process and proxy it started. */
export class Topology {
  /** Data nodes; index 0 is the initial master. */
  readonly nodes: DataNode[] = [];
  /** The daemons. */
  readonly daemons: DaemonNode[] = [];
  /** Options it was started with. */
  readonly options: Required<Pick<TopologyOptions, "sentinels" | "quorum" | "proxies" | "downAfterMs" | "failoverTimeoutMs">>;
  readonly #extra: TopologyOptions;

  private constructor(options: TopologyOptions) {
    const sentinels = options.sentinels ?? 3;
    this.options = {
      sentinels,
      quorum: options.quorum ?? (sentinels >= 5 ? 3 : 2),
      proxies: options.proxies ?? false,
      downAfterMs: options.downAfterMs ?? 1_000,
      failoverTimeoutMs: options.failoverTimeoutMs ?? 3_000,
    };
    this.#extra = options;
  }

  /** Starts the data nodes and daemons and waits until every daemon knows every replica and peer. */
  static async start(options: TopologyOptions = {}): Promise<Topology> {
    if (!existsSync(DAEMON_DIST)) throw new DaemonNotBuiltError(DAEMON_DIST);
    const topo = new Topology(options);
    try {
      await topo.#startNodes();
      for (let i = 0; i < topo.options.sentinels; i++) await topo.#startDaemon(i);
      if (options.skipDiscovery !== true) await topo.waitDiscovered(20_000);
    } catch (error) {
      await topo.stop();
      throw error;
    }
    return topo;
  }

  async #startNodes(): Promise<void> {
    const args = this.#extra.redisArgs ?? [];
    const master = await startRedis({ args });
    const masterProxy = this.options.proxies ? await FaultProxy.start({ target: { host: master.host, port: master.port } }) : undefined;
    this.nodes.push({ server: master, proxy: masterProxy });
    const upstream = masterProxy?.port ?? master.port;
    for (let i = 0; i < 2; i++) {
      const server = await startRedis({ replicaOf: { host: "127.0.0.1", port: upstream }, args });
      const proxy = this.options.proxies ? await FaultProxy.start({ target: { host: server.host, port: server.port } }) : undefined;
      if (proxy !== undefined) await server.cli("CONFIG", "SET", "replica-announce-port", String(proxy.port));
      this.nodes.push({ server, proxy });
    }
    await waitFor(async () => (await master.cli("INFO", "replication")).includes("connected_slaves:2"), {
      timeoutMs: 10_000,
      what: "both replicas to connect",
    });
  }

  // A free port can be taken by another program between freePort() and the daemon's bind
  // (other test runs share the machine): one more try on a new port.
  async #startDaemon(i: number): Promise<void> {
    try {
      await this.#startDaemonOnce(i);
    } catch {
      await this.#startDaemonOnce(i);
    }
  }

  async #startDaemonOnce(i: number): Promise<void> {
    const port = await freePort();
    const proxy = this.options.proxies ? await FaultProxy.start({ target: { host: "127.0.0.1", port } }) : undefined;
    const dir = mkdtempSync(join(tmpdir(), `sentinel-kit-faults-${i}-`));
    const confDir = join(dir, "conf");
    mkdirSync(confDir);
    const confPath = join(confDir, "sentinel.conf");
    const monitor = this.advertisedPort(this.#extra.monitorNodeOf?.(i) ?? 0);
    writeFileSync(
      confPath,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `logfile ${join(dir, "sentinel.log")}`,
        ...(proxy !== undefined ? [`sentinel announce-ip 127.0.0.1`, `sentinel announce-port ${proxy.port}`] : []),
        `sentinel monitor mymaster 127.0.0.1 ${monitor} ${this.options.quorum}`,
        `sentinel down-after-milliseconds mymaster ${this.options.downAfterMs}`,
        `sentinel failover-timeout mymaster ${this.options.failoverTimeoutMs}`,
        this.#extra.extraConfig ?? "",
        "",
      ].join("\n"),
    );
    const daemon: DaemonNode = { process: undefined as unknown as ManagedProcess, port, proxy, dir, confDir, confPath, launcher: this.#extra.launcherOf?.(i) };
    try {
      daemon.process = await spawnDaemon(daemon);
    } catch (error) {
      await proxy?.close();
      throw error;
    }
    this.daemons.push(daemon);
    await ask(port, "SENTINEL", "DEBUG", ...DEBUG_PERIODS);
  }

  /** The port the daemons know data node `i` by (its proxy's, or its own). */
  advertisedPort(i: number): number {
    const node = this.nodes[i]!;
    return node.proxy?.port ?? node.server.port;
  }

  /** Index of the data node whose advertised or own port is `port`, or -1. */
  nodeIndexOf(port: number): number {
    return this.nodes.findIndex((n) => n.server.port === port || n.proxy?.port === port);
  }

  /** Maps every advertised (proxy) address to the node's own, for clients on the node's side. */
  natMap(): Record<string, { host: string; port: number }> {
    const map: Record<string, { host: string; port: number }> = {};
    for (const n of this.nodes) if (n.proxy !== undefined) map[`127.0.0.1:${n.proxy.port}`] = { host: "127.0.0.1", port: n.server.port };
    return map;
  }

  /** Own ports of the data nodes. */
  nodePorts(): number[] {
    return this.nodes.map((n) => n.server.port);
  }

  /** Waits until every running daemon reports 2 replicas and all its peers. */
  async waitDiscovered(timeoutMs: number): Promise<void> {
    const peers = String(this.daemons.length - 1);
    await waitFor(
      async () => {
        const views = await Promise.all(this.daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").catch(() => null)));
        return views.every((v) => v !== null && fields(v)["num-slaves"] === "2" && fields(v)["num-other-sentinels"] === peers);
      },
      { timeoutMs, what: "the daemons to discover the replicas and each other" },
    );
  }

  /** Starts daemon `i` again on its own files. */
  async restartDaemon(i: number): Promise<void> {
    const d = this.daemons[i]!;
    d.process = await spawnDaemon(d);
  }

  /** Stops every daemon, data node and proxy (by pid; bounded). */
  async stop(): Promise<void> {
    await Promise.allSettled(this.daemons.map((d) => d.process.stop(2_000)));
    await Promise.allSettled(this.nodes.map((n) => n.server.stop(2_000)));
    await Promise.allSettled([...this.daemons.map((d) => d.proxy?.close()), ...this.nodes.map((n) => n.proxy?.close())]);
    if (process.env["SENTINEL_KIT_FAULTS_KEEP"] !== "1") for (const d of this.daemons) rmSync(d.dir, { recursive: true, force: true });
  }

  /** The current text of daemon `i`'s sentinel.conf. */
  readConf(i: number): string {
    return readFileSync(this.daemons[i]!.confPath, "utf8");
  }
}

function spawnDaemon(d: DaemonNode): Promise<ManagedProcess> {
  const launch = d.launcher?.(process.execPath, DAEMON_BIN, d.confPath, d.confDir) ?? { command: process.execPath, args: [DAEMON_BIN, d.confPath] };
  return startProcess({ ...launch, port: d.port, dir: d.dir, name: "sentinel-kit" });
}

/** Restarts data node `i` on its own port (and, unless `fresh`, its own directory), announcing its proxy. */
export async function restartNode(topo: Topology, i: number, fresh = false): Promise<void> {
  const node = topo.nodes[i]!;
  const old = node.server;
  await old.stop(2_000);
  const args = [...(node.proxy !== undefined ? ["--replica-announce-port", String(node.proxy.port)] : [])];
  node.server = await startRedis({ port: old.port, ...(fresh ? {} : { dir: old.dir }), args });
}
