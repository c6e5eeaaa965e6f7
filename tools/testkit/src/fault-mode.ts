/** One direction of a proxied connection. */
export type FaultDirection = "client-to-server" | "server-to-client";

/**
 * What a {@link FaultProxy} does to the traffic; applies to existing and new connections
 * from the moment it is set.
 */
export type FaultMode =
  /** Forward everything as it comes. */
  | { kind: "pass" }
  /** Forward each chunk `ms` plus up to `jitterMs` later, keeping the byte order. */
  | { kind: "delay"; ms: number; jitterMs?: number }
  /** Discard data in `direction`, or both ways when omitted; connections stay open. */
  | { kind: "drop"; direction?: FaultDirection }
  /**
   * Half-close `direction`: its receiver gets a FIN, later data that way is discarded. A
   * cut connection stays cut when the mode changes; new connections are cut as they come.
   */
  | { kind: "cut"; direction: FaultDirection }
  /**
   * Pass nothing: data is discarded both ways, new connections are accepted and held open
   * without a connection to the target until the mode changes (as after a partition heals).
   */
  | { kind: "blackhole" }
  /** RST every connection, existing and new (`socket.resetAndDestroy()`). */
  | { kind: "reset" }
  /**
   * Forward in writes of at most `bytes` bytes, each on its own event-loop turn (or
   * `intervalMs` apart), so the receiver reads them as separate chunks.
   */
  | { kind: "slice"; bytes: number; intervalMs?: number };

/** Whether `mode` discards data travelling in `direction`. */
export function discards(mode: FaultMode, direction: FaultDirection): boolean {
  switch (mode.kind) {
    case "blackhole":
    case "reset":
      return true;
    case "drop":
      return mode.direction === undefined || mode.direction === direction;
    case "cut":
      return mode.direction === direction;
    default:
      return false;
  }
}

/** Throws a `RangeError` for a mode whose numbers make no sense. */
export function validateMode(mode: FaultMode): void {
  const bad = (what: string): never => {
    throw new RangeError(`invalid fault mode ${JSON.stringify(mode)}: ${what}`);
  };
  if (mode.kind === "delay") {
    if (!(mode.ms >= 0)) bad("ms must be >= 0");
    if (mode.jitterMs !== undefined && !(mode.jitterMs >= 0)) bad("jitterMs must be >= 0");
  }
  if (mode.kind === "slice") {
    if (!Number.isInteger(mode.bytes) || mode.bytes < 1) bad("bytes must be an integer >= 1");
    if (mode.intervalMs !== undefined && !(mode.intervalMs >= 0)) bad("intervalMs must be >= 0");
  }
}
