/**
 * The full name (`client|list`, `sentinel|masters`) of each client's last command, for the
 * `cmd=` field of CLIENT LIST. The RESP server records only the top-level name; the
 * dispatcher, which sees the subcommand, records the full name here.
 *
 * @module
 */
import type { RespClientContext } from "@sentinel-kit/resp-protocol";

// Keyed by the connection's context object, so an entry goes away with its connection.
const lastFullNames = new WeakMap<RespClientContext, string>();

/** Records that `client` is running the command `fullName`. */
export function recordCommand(client: RespClientContext, fullName: string): void {
  lastFullNames.set(client, fullName);
}

/**
 * The full name of the client's last command: the recorded one while it is still the last
 * (the server answers HELLO, AUTH and the SUBSCRIBE family without the dispatcher), else the
 * server's top-level name, or `NULL` before the first command, as Redis prints it.
 */
export function lastFullCommand(client: RespClientContext): string {
  const recorded = lastFullNames.get(client);
  if (recorded !== undefined && recorded.split("|")[0] === client.lastCommand) return recorded;
  return client.lastCommand === "" ? "NULL" : client.lastCommand;
}
