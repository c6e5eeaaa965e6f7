import type { Redis } from "ioredis";

/** One write of {@link startWriteLoop}: when it was issued and which server acknowledged it. */
export interface WriteRecord {
  readonly key: string;
  /** `performance.now()` when the write was issued. */
  readonly sentAt: number;
  /** The port of the server that executed it (its `laddr` in CLIENT INFO), if acknowledged. */
  readonly port?: number;
  readonly error?: string;
}

/** A running {@link startWriteLoop}. */
export interface WriteLoop {
  /** The writes so far, growing while the loop runs, so a test can poll them. */
  readonly records: readonly WriteRecord[];
  /** Stops the loop after the write in flight and resolves with every record. */
  stop(): Promise<readonly WriteRecord[]>;
}

/**
 * Writes `<prefix>-<n>` in a loop until stopped, each write in a MULTI with CLIENT INFO so
 * the record names the server that acknowledged it, not the one the client meant to reach.
 * Bounded by time, not by a count: a fast loop on a slow failover must not run out of
 * writes before the switch it is there to observe.
 */
export function startWriteLoop(redis: Redis, prefix: string, maxMs = 120_000): WriteLoop {
  const records: WriteRecord[] = [];
  let stopped = false;
  const deadline = performance.now() + maxMs;
  const done = (async () => {
    for (let n = 0; !stopped && performance.now() < deadline; n++) {
      const key = `${prefix}-${n}`;
      const sentAt = performance.now();
      try {
        const replies = await redis.multi().set(key, String(n)).call("CLIENT", "INFO").exec();
        const info = String(replies?.[1]?.[1] ?? "");
        const port = Number(/laddr=[^ ]*:(\d+)/.exec(info)?.[1]);
        records.push({ key, sentAt, port });
      } catch (error) {
        records.push({ key, sentAt, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  })();
  return {
    records,
    stop: async () => {
      stopped = true;
      await done;
      return records;
    },
  };
}
