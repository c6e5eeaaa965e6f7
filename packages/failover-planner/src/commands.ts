import type { Address } from "./types.js";

/** One command as its arguments, the first being the (possibly renamed) command name. */
export type CommandArgs = readonly string[];

/**
 * Apply `sentinel rename-command` (`sentinelInstanceMapCommand`): the renamed name if the
 * master has one for `command` (names compare case-insensitively), else `command` itself.
 */
export function mapCommand(renamed: Readonly<Record<string, string>>, command: string): string {
  const wanted = command.toLowerCase();
  for (const [original, replacement] of Object.entries(renamed)) {
    if (original.toLowerCase() === wanted) return replacement;
  }
  return command;
}

/**
 * The transaction `sentinelSendSlaveOf` sends: `MULTI`, `SLAVEOF <host> <port>` (or
 * `SLAVEOF NO ONE` when `target` is null), `CONFIG REWRITE`, `CLIENT KILL TYPE normal`,
 * `CLIENT KILL TYPE pubsub`, `EXEC`, every command name passed through rename-command.
 * Redis 7 sends `SLAVEOF`, so a rename of `slaveof` applies, not one of `replicaof`.
 */
export function slaveOfTransaction(
  target: Address | null,
  renamed: Readonly<Record<string, string>>,
): CommandArgs[] {
  const map = (name: string): string => mapCommand(renamed, name);
  const where = target === null ? ["NO", "ONE"] : [target.host, String(target.port)];
  return [
    [map("MULTI")],
    [map("SLAVEOF"), ...where],
    [map("CONFIG"), "REWRITE"],
    [map("CLIENT"), "KILL", "TYPE", "normal"],
    [map("CLIENT"), "KILL", "TYPE", "pubsub"],
    [map("EXEC")],
  ];
}

/** The `ROLE` probe of the fast confirmation option, renamed like any other command. */
export function roleProbe(renamed: Readonly<Record<string, string>>): CommandArgs[] {
  return [[mapCommand(renamed, "ROLE")]];
}
