// Short-lived RESP2 conversations with daemons and data nodes, as redis-cli has them.
import { ask as askOnce } from "@sentinel-kit/testkit";

/** How long a row waits to connect and then for one reply, in ms: rows poll, and a node silent that long counts as not answering. */
const ASK_TIMEOUT_MS = 1_000;

/** One command to 127.0.0.1:`port` over a fresh connection, bounded by {@link ASK_TIMEOUT_MS}; rejects on any error. */
export function ask(port: number, ...args: string[]): Promise<unknown> {
  return askOnce({ port, timeoutMs: ASK_TIMEOUT_MS }, ...args);
}

/** GET-MASTER-ADDR-BY-NAME's port at a daemon, or null when it does not answer. */
export async function reportedMasterPort(port: number, name = "mymaster"): Promise<number | null> {
  try {
    const reply = (await ask(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name)) as string[] | null;
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
