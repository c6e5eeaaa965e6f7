/**
 * Redis's `client-output-buffer-limit` rule (`checkClientOutputBufferLimits` in
 * `networking.c`) as a pure function of the buffered bytes and the time.
 *
 * @module
 */

/** A `client-output-buffer-limit <class> <hard> <soft> <soft-seconds>` setting. */
export interface OutputBufferLimit {
  /** Close the client as soon as its output buffer holds at least this many bytes; 0 = no hard limit. */
  readonly hardBytes: number;
  /** Close the client when its buffer stays at or above this many bytes for longer than `softSeconds`; 0 = no soft limit. */
  readonly softBytes: number;
  /** How long, in seconds, the soft limit may be exceeded without a break. */
  readonly softSeconds: number;
}

/** Redis's default for pub/sub clients: `client-output-buffer-limit pubsub 32mb 8mb 60`. */
export const DEFAULT_PUBSUB_OUTPUT_LIMIT: OutputBufferLimit = {
  hardBytes: 32 * 1024 * 1024,
  softBytes: 8 * 1024 * 1024,
  softSeconds: 60,
};

/**
 * Tracks one client's output buffer against an {@link OutputBufferLimit}. Feed it every time
 * the buffer grows; it remembers since when the soft limit has been exceeded.
 */
export class OutputLimitTracker {
  private softSince: number | undefined;

  /** @param limit - The limit to enforce. */
  constructor(private readonly limit: OutputBufferLimit) {}

  /**
   * Tells whether the client must be closed now.
   *
   * @param bufferedBytes - The bytes waiting in the client's output buffer.
   * @param nowMs - The current time in milliseconds (any monotonic origin).
   */
  exceeded(bufferedBytes: number, nowMs: number): boolean {
    const { hardBytes, softBytes, softSeconds } = this.limit;
    if (hardBytes > 0 && bufferedBytes >= hardBytes) return true;
    if (softBytes === 0 || bufferedBytes < softBytes) {
      this.softSince = undefined;
      return false;
    }
    if (this.softSince === undefined) {
      this.softSince = nowMs;
      return false;
    }
    return nowMs - this.softSince > softSeconds * 1000;
  }
}
