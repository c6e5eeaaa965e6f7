/**
 * Argument parsing the way Redis 7.0 parses: integers as strictly as `string2ll` (no sign
 * but `-`, no leading zeros, no spaces, within 64 bits), yes/no as `yesnotoi`.
 *
 * @module
 */

/** Redis's reply to an argument that is not a 64-bit integer (`shared.outofrangeerr` wording). */
export const NOT_AN_INTEGER_ERROR = "ERR value is not an integer or out of range";

/** Redis's `shared.syntaxerr`. */
export const SYNTAX_ERROR = "ERR syntax error";

/** The reply of a config save that failed (`sentinelFlushConfigAndReply`). */
export const FLUSH_FAILED_ERROR = "ERR Failed to save config file. Check server logs.";

/** The reply to SENTINEL subcommands naming a master that is not monitored. */
export const NO_SUCH_MASTER_ERROR = "ERR No such master with that name";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER = /^(?:0|-?[1-9][0-9]*)$/;

/**
 * Parses a signed 64-bit integer as `string2ll` does; null when Redis would refuse it. The
 * result is a `number`, exact up to 2^53, which covers every value a sentinel keeps.
 */
export function parseLongLong(text: string): number | null {
  if (text.length === 0 || text.length > 20 || !INTEGER.test(text)) return null;
  const n = BigInt(text);
  if (n < INT64_MIN || n > INT64_MAX) return null;
  return Number(n);
}

/** `yesnotoi`: 1 for yes, 0 for no (any case), null otherwise. */
export function parseYesNo(text: string): boolean | null {
  const lower = text.toLowerCase();
  if (lower === "yes") return true;
  if (lower === "no") return false;
  return null;
}
