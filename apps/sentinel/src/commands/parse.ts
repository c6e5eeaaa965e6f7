/**
 * Argument parsing the way Redis 7.0 parses: integers as strictly as `string2ll` (no sign
 * but `-`, no leading zeros, no spaces, within 64 bits), yes/no as `yesnotoi`, numeric
 * hosts as `anetResolve(..., ANET_IP_ONLY)` (glibc's `getaddrinfo` with `AI_NUMERICHOST`).
 *
 * @module
 */
import { isIPv6 } from "node:net";

/** Redis's reply to an argument that is not a 64-bit integer (`shared.outofrangeerr` wording). */
export const NOT_AN_INTEGER_ERROR = "ERR value is not an integer or out of range";

/** Redis's `shared.syntaxerr`. */
export const SYNTAX_ERROR = "ERR syntax error";

/** The reply of a config save that failed (`sentinelFlushConfigAndReply`). */
export const FLUSH_FAILED_ERROR = "ERR Failed to save config file. Check server logs.";

/**
 * `addReplySubcommandSyntaxError`: the subcommand as the client typed it (cut at 128 bytes)
 * and the container in capitals.
 */
export function subcommandSyntaxError(typedSub: string, container: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${Buffer.from(typedSub).subarray(0, 128).toString()}'. Try ${container.toUpperCase()} HELP.`;
}

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

// One part of an inet_aton address: hex after 0x, octal after a leading 0, decimal otherwise.
function atonPart(part: string): number | null {
  let digits = part;
  let base = 10;
  if (/^0[xX]/.test(part)) {
    base = 16;
    digits = part.slice(2);
  } else if (part.startsWith("0")) {
    base = 8;
    digits = part.slice(1);
  }
  const valid = base === 16 ? /^[0-9a-fA-F]*$/ : base === 8 ? /^[0-7]*$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return null;
  // "0" and "0x" alone are 0, as glibc's inet_aton reads them.
  return digits === "" ? 0 : parseInt(digits, base);
}

/**
 * The address `anetResolve(..., ANET_IP_ONLY)` makes of `text`, or null when it refuses it:
 * an IPv4 address in any form `inet_aton` takes (`127.1`, `0x7f.0.0.1`, `2130706433`),
 * printed dotted-quad as Redis then shows it, or an IPv6 address, kept as written.
 */
export function parseNumericHost(text: string): string | null {
  if (isIPv6(text)) return text;
  const parts = text.split(".");
  if (parts.length > 4 || parts.some((p) => p === "")) return null;
  const values = parts.map(atonPart);
  if (values.some((v) => v === null)) return null;
  const nums = values as number[];
  // The last part fills the bytes the earlier ones leave: a.b is 8+24 bits, a.b.c 8+8+16.
  const lastBits = 32 - 8 * (nums.length - 1);
  const head = nums.slice(0, -1);
  const last = nums[nums.length - 1] ?? 0;
  if (head.some((v) => v > 255) || last >= 2 ** lastBits) return null;
  let address = 0;
  for (const v of head) address = address * 256 + v;
  address = address * 2 ** lastBits + last;
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}
