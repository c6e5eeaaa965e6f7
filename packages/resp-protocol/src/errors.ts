/**
 * Why a byte stream was rejected. Request-side reasons carry Redis's own wording
 * (src/networking.c, processInlineBuffer and processMultibulkBuffer); reply-side reasons
 * follow hiredis's reader where Redis itself has no text.
 */
export type RespProtocolErrorReason =
  /** `*N` with N not an integer, below -1 or above the multibulk limit. */
  | "invalid-multibulk-length"
  /** `$N` with N not an integer, below -1 or above the bulk limit. */
  | "invalid-bulk-length"
  /** A request array element that does not start with `$`. */
  | "expected-bulk"
  /** An inline request longer than the inline limit without a newline. */
  | "too-big-inline-request"
  /** A `*N` header longer than the inline limit without a CR. */
  | "too-big-mbulk-count-string"
  /** A `$N` header longer than the inline limit without a CR. */
  | "too-big-bulk-count-string"
  /** An inline request whose quotes do not close (sdssplitargs failed). */
  | "unbalanced-quotes"
  /** More arguments than a client that has not authenticated may send. */
  | "unauthenticated-multibulk-length"
  /** A bulk argument longer than a client that has not authenticated may send. */
  | "unauthenticated-bulk-length"
  /** A reply starting with a byte that is no RESP2/RESP3 type. */
  | "invalid-type-byte"
  /** A reply line (simple string, error, number, header) longer than the line limit. */
  | "too-long-line"
  /** A CR not followed by LF, or a bulk payload not followed by CRLF. */
  | "missing-crlf"
  /** `:` with something other than an optional `-` and digits. */
  | "invalid-integer"
  /** `,` with something that is not a number, `inf`, `-inf` or `nan`. */
  | "invalid-double"
  /** `#` with something other than `t` or `f`. */
  | "invalid-boolean"
  /** `_` followed by anything before CRLF. */
  | "invalid-null"
  /** `(` with something other than an optional `-` and digits. */
  | "invalid-big-number"
  /** `=` whose payload is shorter than 4 bytes or lacks the `:` after the format. */
  | "invalid-verbatim"
  /** Aggregates nested deeper than the nesting limit. */
  | "too-deep";

/**
 * Malformed RESP input. Once a decoder has thrown it, the decoder refuses further input
 * (throws the same error again) until `reset()`: the stream is out of sync and a server
 * answers `-ERR Protocol error: <message>` and closes the connection, as Redis does.
 */
export class RespProtocolError extends Error {
  /** Stable name for `instanceof`-free checks. */
  override readonly name = "RespProtocolError";
  /** Machine-readable cause. */
  readonly reason: RespProtocolErrorReason;
  /** Offset in the stream (bytes fed since construction or `reset()`) where the bad element starts. */
  readonly offset: number;

  /**
   * @param reason - Machine-readable cause.
   * @param message - The text Redis puts after `Protocol error: `, e.g. `invalid multibulk length`.
   * @param offset - Stream offset of the offending element.
   */
  constructor(reason: RespProtocolErrorReason, message: string, offset: number) {
    super(message);
    this.reason = reason;
    this.offset = offset;
  }
}
