/**
 * The default send granularity, ms: Redis Sentinel's 10 Hz `serverCron` tick, on which
 * Redis sends every PING, INFO and hello.
 */
export const DEFAULT_SEND_GRANULARITY_MS = 100;

/**
 * Rounds a send time up to the next multiple of `granularityMs` (a time already on the
 * grid stays). Monitors that round their sends the same way wake together, once per
 * grid slot, instead of each on its own millisecond: for hundreds of instances that is
 * what keeps the process's CPU near Redis's. A granularity of 0 or less, or a time that
 * is not finite, is returned unchanged.
 */
export function alignSendTime(at: number, granularityMs: number): number {
  if (granularityMs <= 0 || !Number.isFinite(at)) return at;
  return Math.ceil(at / granularityMs) * granularityMs;
}

/**
 * The granularity to use for an instance: `sendGranularityMs`, but at most half its ping
 * period, so that a ping period shortened below the grid (`SENTINEL DEBUG ping-period 50`)
 * still sends PINGs at least every 1.5 ping periods and SDOWN keeps its bound.
 */
export function sendGranularity(sendGranularityMs: number, pingPeriodMs: number): number {
  return Math.max(0, Math.min(sendGranularityMs, Math.floor(pingPeriodMs / 2)));
}
