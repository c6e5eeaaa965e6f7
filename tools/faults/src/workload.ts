// A Jepsen-style workload: N ioredis clients in sentinel mode, each doing unique-valued
// SET / INCR / RPUSH in turn, logging every acknowledged op with the address that
// acknowledged it. Ops that fail or time out are indeterminate and not counted as acked.
import { Redis } from "ioredis";

/** One acknowledged operation. */
export interface AckedOp {
  /** `set`, `incr` or `rpush`. */
  kind: "set" | "incr" | "rpush";
  /** The key written. */
  key: string;
  /** The value written (`set`, `rpush`) or the value INCR returned. */
  value: string;
  /** Acknowledgement time, ms since the epoch. */
  at: number;
  /** `host:port` of the connection that acknowledged it. */
  by: string;
}

/** Options of {@link Workload.start}. */
export interface WorkloadOptions {
  /** Ports of the daemons the clients resolve the master through. */
  sentinelPorts: readonly number[];
  /** Number of clients; 3 by default. */
  clients?: number;
  /** Pause between two ops of one client, ms; 10 by default. */
  pauseMs?: number;
  /** Address map applied to what the daemons report (see Topology.natMap). */
  natMap?: Record<string, { host: string; port: number }>;
}

/** The running workload. */
export class Workload {
  /** Acknowledged ops, in acknowledgement order. */
  readonly acked: AckedOp[] = [];
  /** Ops that failed (error or timeout): when, and the error's first line. */
  readonly failed: { at: number; error: string }[] = [];
  /** Clients replaced after ioredis ended their connection for good. */
  reconnects = 0;
  readonly #clients: Redis[] = [];
  readonly #loops: Promise<void>[] = [];
  readonly #pauseMs: number;
  #running = true;

  private constructor(pauseMs: number) {
    this.#pauseMs = pauseMs;
  }

  /** Connects the clients and starts their loops. */
  static start(options: WorkloadOptions): Workload {
    const w = new Workload(options.pauseMs ?? 10);
    const run = `${process.pid}-${Date.now()}`;
    const connect = (): Redis => {
      const client = new Redis({
        sentinels: options.sentinelPorts.map((port) => ({ host: "127.0.0.1", port })),
        name: "mymaster",
        protocol: 2,
        ...(options.natMap !== undefined ? { natMap: options.natMap } : {}),
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
        connectTimeout: 500,
        sentinelRetryStrategy: () => 100,
        sentinelCommandTimeout: 500,
        retryStrategy: () => 100,
        enableOfflineQueue: true,
        failoverDetector: true,
        // Clients use only the sentinel addresses given: learning the daemons' announced ones
        // would route around a partition the row puts between clients and daemons.
        updateSentinels: false,
      });
      client.on("error", () => undefined);
      return client;
    };
    for (let c = 0; c < (options.clients ?? 3); c++) w.#loops.push(w.#loop(connect, `${run}:${c}`));
    return w;
  }

  async #loop(connect: () => Redis, id: string): Promise<void> {
    let client = connect();
    this.#clients.push(client);
    for (let seq = 0; this.#running; seq++) {
      const kind = (["set", "incr", "rpush"] as const)[seq % 3]!;
      const value = `${id}:${seq}`;
      const key = kind === "set" ? `set:${value}` : kind === "incr" ? `incr:${id}` : `list:${id}`;
      try {
        const reply =
          kind === "set" ? await client.set(key, value) : kind === "incr" ? await client.incr(key) : await client.rpush(key, value);
        const stream = (client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
        this.acked.push({ kind, key, value: kind === "incr" ? String(reply) : value, at: Date.now(), by: `${stream?.remoteAddress ?? "?"}:${stream?.remotePort ?? 0}` });
      } catch (error) {
        this.failed.push({ at: Date.now(), error: String((error as Error).message).split("\n")[0]!.slice(0, 80) });
        // ioredis in sentinel mode sometimes ends a connection for good during a failover
        // ("Connection is closed"); a client application would make a new one, so do we.
        if (client.status === "end") {
          client.disconnect();
          client = connect();
          this.#clients.push(client);
          this.reconnects++;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, this.#pauseMs));
    }
  }

  /** Acks since `since` (ms since the epoch). */
  ackedSince(since: number): number {
    return this.acked.filter((a) => a.at >= since).length;
  }

  /** Stops the loops (bounded by the command timeout) and disconnects. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.race([Promise.allSettled(this.#loops), new Promise((r) => setTimeout(r, 3_000))]);
    for (const c of this.#clients) c.disconnect();
  }
}

/** Which acknowledged ops the final master no longer has. */
export async function lostOps(acked: readonly AckedOp[], masterPort: number): Promise<AckedOp[]> {
  const reader = new Redis({ port: masterPort, host: "127.0.0.1", protocol: 2, maxRetriesPerRequest: 2, commandTimeout: 5_000, lazyConnect: true });
  reader.on("error", () => undefined);
  try {
    await reader.connect();
    const lost: AckedOp[] = [];
    const lists = new Map<string, Set<string>>();
    const counters = new Map<string, number>();
    for (const op of acked) {
      if (op.kind === "set") {
        if ((await reader.get(op.key)) !== op.value) lost.push(op);
      } else if (op.kind === "rpush") {
        let items = lists.get(op.key);
        if (items === undefined) {
          items = new Set(await reader.lrange(op.key, 0, -1));
          lists.set(op.key, items);
        }
        if (!items.has(op.value)) lost.push(op);
      } else {
        let final = counters.get(op.key);
        if (final === undefined) {
          final = Number((await reader.get(op.key)) ?? 0);
          counters.set(op.key, final);
        }
        // An INCR that returned v is lost when the counter ended below v.
        if (final < Number(op.value)) lost.push(op);
      }
    }
    return lost;
  } finally {
    reader.disconnect();
  }
}
