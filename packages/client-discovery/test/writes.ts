import type { Redis } from "ioredis";

/** One write of {@link writeLoop}: when it was issued and which server acknowledged it. */
export interface WriteRecord {
  readonly key: string;
  /** `performance.now()` when the write was issued. */
  readonly sentAt: number;
  /** The port of the server that executed it (its `laddr` in CLIENT INFO), if acknowledged. */
  readonly port?: number;
  readonly error?: string;
}

/**
 * Writes `key-<n>` in a loop until `stop()` returns true, each write in a MULTI with
 * CLIENT INFO so the record names the server that acknowledged it, not the one the
 * client meant to reach.
 */
export async function writeLoop(redis: Redis, prefix: string, stop: () => boolean, maxWrites = 20_000): Promise<WriteRecord[]> {
  const records: WriteRecord[] = [];
  for (let n = 0; n < maxWrites && !stop(); n++) {
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
  return records;
}
