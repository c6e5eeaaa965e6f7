/**
 * Size limits of the decoders. Every one is checked when a length header or line is read,
 * before any memory is allocated for the element it announces.
 */
export interface RespLimits {
  /**
   * Longest bulk string, in bytes. Redis: `proto-max-bulk-len`, 512 MiB by default; a
   * longer `$N` is `invalid bulk length`.
   */
  readonly maxBulkLength: number;
  /**
   * Most elements in one aggregate (and most arguments in one request). Redis 7 rejects a
   * `*N` above INT_MAX as `invalid multibulk length` (processMultibulkBuffer); elements
   * are appended as they arrive, so a large N allocates nothing up front.
   */
  readonly maxMultibulkLength: number;
  /**
   * Longest line without its CRLF, in bytes: an inline request, a `*N`/`$N` header, or a
   * simple reply line. Redis: PROTO_INLINE_MAX_SIZE, 64 KiB (`too big inline request`).
   */
  readonly maxInlineLength: number;
  /**
   * Deepest nesting of aggregates in a reply. Redis's deepest replies (COMMAND DOCS,
   * XINFO STREAM FULL, CLUSTER SHARDS) nest well under 10 levels; 128 leaves room for any
   * module while keeping the encoder's recursion and the decoder's frame stack small.
   */
  readonly maxNestingDepth: number;
  /**
   * Most arguments from a client that has not authenticated where authentication is
   * required. Redis: 10 (`unauthenticated multibulk length`, CVE-2021-32675).
   */
  readonly unauthenticatedMaxMultibulkLength: number;
  /**
   * Longest bulk argument from a client that has not authenticated. Redis: 16384 bytes
   * (`unauthenticated bulk length`, CVE-2021-32675).
   */
  readonly unauthenticatedMaxBulkLength: number;
}

/** Redis 7's defaults for {@link RespLimits}. */
export const DEFAULT_RESP_LIMITS: RespLimits = Object.freeze({
  maxBulkLength: 512 * 1024 * 1024,
  maxMultibulkLength: 2_147_483_647,
  maxInlineLength: 64 * 1024,
  maxNestingDepth: 128,
  unauthenticatedMaxMultibulkLength: 10,
  unauthenticatedMaxBulkLength: 16_384,
});

/** Fills the unset fields of `limits` with {@link DEFAULT_RESP_LIMITS}. */
export function resolveLimits(limits: Partial<RespLimits> = {}): RespLimits {
  return { ...DEFAULT_RESP_LIMITS, ...limits };
}
