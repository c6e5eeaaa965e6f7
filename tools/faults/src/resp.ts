// Short-lived RESP2 conversations with daemons and data nodes, as redis-cli has them.
import { Redis } from "ioredis";

/** One command over a fresh connection, bounded by `timeoutMs`; rejects on any error. */
export async function ask(port: number, args: readonly string[], timeoutMs = 1_000): Promise<unknown> {
  const client = new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    protocol: 2,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await client.call(args[0] ?? "PING", ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

/** GET-MASTER-ADDR-BY-NAME's port at a daemon, or null when it does not answer. */
export async function reportedMasterPort(port: number, name = "mymaster"): Promise<number | null> {
  try {
    const reply = (await ask(port, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name])) as string[] | null;
    return reply === null ? null : Number(reply[1]);
  } catch {
    return null;
  }
}

/** A flat RESP2 field list as an object. */
export function fields(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const list = Array.isArray(reply) ? (reply as unknown[]) : [];
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = String(list[i + 1]);
  return out;
}
