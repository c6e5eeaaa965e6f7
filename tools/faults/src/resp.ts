// Short-lived RESP2 conversations with daemons and data nodes, as redis-cli has them.
import { ask as askOnce, masterPort } from "@sentinel-kit/testkit";

export { fields } from "@sentinel-kit/testkit";

/** How long a row waits to connect and then for one reply, in ms: rows poll, and a node silent that long counts as not answering. */
const ASK_TIMEOUT_MS = 1_000;

/** One command to 127.0.0.1:`port` over a fresh connection, bounded by {@link ASK_TIMEOUT_MS}; rejects on any error. */
export function ask(port: number, ...args: string[]): Promise<unknown> {
  return askOnce({ port, timeoutMs: ASK_TIMEOUT_MS }, ...args);
}

/** GET-MASTER-ADDR-BY-NAME's port at a daemon, or null when it does not answer within {@link ASK_TIMEOUT_MS}. */
export function reportedMasterPort(port: number, name = "mymaster"): Promise<number | null> {
  return masterPort({ port, timeoutMs: ASK_TIMEOUT_MS }, name);
}
