// Questions tests and tools ask a sentinel (ours or redis-sentinel) many times over while
// they poll for a state, shared so every poll reads replies the same way.
import { ask, type PlainTarget } from "./plain-client.js";

/**
 * A flat RESP2 field list (`[k1, v1, k2, v2, ...]`, as `SENTINEL MASTER` and each entry of
 * `SENTINEL REPLICAS` reply) as a record of strings; an odd trailing key is dropped and a
 * reply that is not a list gives `{}`: `fields(await ask(port, "SENTINEL", "MASTER", "mymaster"))["num-slaves"]`.
 */
export function fields(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const list = Array.isArray(reply) ? (reply as unknown[]) : [];
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = String(list[i + 1]);
  return out;
}

/**
 * The port in `SENTINEL GET-MASTER-ADDR-BY-NAME <name>` at the sentinel `target` (a port on
 * 127.0.0.1 or a {@link PlainTarget}, whose `timeoutMs` bounds the question), or null when
 * the sentinel does not know the name, does not answer, or answers with an error: a poll
 * treats all of these as "not there yet".
 */
export async function masterPort(target: number | PlainTarget, name = "mymaster"): Promise<number | null> {
  try {
    const reply = await ask(target, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name);
    return Array.isArray(reply) && reply.length === 2 ? Number(reply[1]) : null;
  } catch {
    return null;
  }
}
