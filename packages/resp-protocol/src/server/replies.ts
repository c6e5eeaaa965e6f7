/**
 * The replies and error texts the server sends on its own, worded exactly as Redis 7.0 words
 * them (checked byte for byte against a real redis-server 7.0.15 in the tests).
 *
 * @module
 */
import type { RespValue } from "../values.js";

/** Redis's reply to a client that has not authenticated (`shared.noautherr`). */
export const NOAUTH_ERROR = "NOAUTH Authentication required.";

/** Redis's reply to a failed AUTH or HELLO AUTH (`addAuthErrReply`). */
export const WRONGPASS_ERROR = "WRONGPASS invalid username-password pair or user is disabled.";

/** Redis's reply to `CLIENT SETNAME` or `HELLO ... SETNAME` with a name it refuses (`clientSetName`). */
export const INVALID_CLIENT_NAME_ERROR = "ERR Client names cannot contain spaces, newlines or special characters.";

/** Redis's line to a connection over `maxclients` (`acceptCommonHandler`), sent before closing it. */
export const MAX_CLIENTS_ERROR = "ERR max number of clients reached";

/** Replaces CR and LF, which would end an error line early, as Redis's `addReplyErrorLength` callers do. */
export function errorLine(text: string): string {
  return text.replace(/[\r\n]/g, " ");
}

/** An `-ERR`-style error value; `text` starts with the error code (`ERR`, `NOAUTH`, ...). */
export function errorReply(text: string): RespValue {
  return { kind: "error", value: errorLine(text) };
}

/** `-ERR Protocol error: <message>`: the last line a connection gets before it is closed. */
export function protocolErrorReply(message: string): RespValue {
  return errorReply(`ERR Protocol error: ${message}`);
}

/** `-ERR wrong number of arguments for '<name>' command` (`rejectCommandFormat` in `processCommand`). */
export function arityErrorReply(name: string): RespValue {
  return errorReply(`ERR wrong number of arguments for '${name}' command`);
}

/** `-ERR syntax error` (`shared.syntaxerr`). */
export function syntaxErrorReply(): RespValue {
  return errorReply("ERR syntax error");
}

// Redis prints with `%.*s`, which counts bytes, and stops adding arguments at 128 bytes.
const UNKNOWN_ARGS_BUDGET = 128;

/**
 * Redis 7.0's reply to a command it does not know (`processCommand`): the name cut at 128
 * bytes, then each argument quoted and followed by a space until 128 bytes of them are
 * printed, the last one cut to fit.
 *
 * @param name - The command name as the client sent it (case kept).
 * @param args - The arguments after the name.
 */
export function unknownCommandReply(name: Buffer, args: readonly Buffer[]): RespValue {
  let printed = Buffer.alloc(0);
  for (const arg of args) {
    if (printed.length >= UNKNOWN_ARGS_BUDGET) break;
    const room = UNKNOWN_ARGS_BUDGET - printed.length;
    printed = Buffer.concat([printed, Buffer.from("'"), arg.subarray(0, room), Buffer.from("' ")]);
  }
  const shownName = name.subarray(0, UNKNOWN_ARGS_BUDGET).toString("utf8");
  return errorReply(`ERR unknown command '${shownName}', with args beginning with: ${printed.toString("utf8")}`);
}

/**
 * The refusal of a command in RESP2 subscribed mode (Redis 7.0 `processCommand`).
 *
 * @param name - The lower-case command name.
 */
export function subscribedContextReply(name: string): RespValue {
  return errorReply(
    `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  );
}

/** A bulk string value from text or bytes. */
export function bulk(value: string | Buffer): RespValue {
  return { kind: "bulk", value: typeof value === "string" ? Buffer.from(value) : value };
}

/** A RESP integer value. */
export function integer(value: number): RespValue {
  return { kind: "integer", value };
}

/**
 * A subscription confirmation such as `subscribe`, `punsubscribe`: a push in RESP3 and an
 * array in RESP2 (`addReplyPubsubSubscribed` and friends). A null `name` is the reply to an
 * UNSUBSCRIBE with nothing to unsubscribe from.
 */
export function subscriptionReply(kind: string, name: Buffer | null, count: number): RespValue {
  return { kind: "push", value: [bulk(kind), name === null ? { kind: "null" } : bulk(name), integer(count)] };
}

/** A `message` (or, with a pattern, `pmessage`) delivery (`addReplyPubsubMessage`, `addReplyPubsubPatMessage`). */
export function messageReply(channel: Buffer, message: Buffer, pattern?: Buffer): RespValue {
  const value =
    pattern === undefined
      ? [bulk("message"), bulk(channel), bulk(message)]
      : [bulk("pmessage"), bulk(pattern), bulk(channel), bulk(message)];
  return { kind: "push", value };
}
