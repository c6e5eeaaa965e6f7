/**
 * Decides how long to wait before attempt number `attempt` (1 for the first retry) after
 * `lastError`; `null` gives up and lets the last error reach the caller.
 */
export type RetryStrategy = (attempt: number, lastError: Error) => number | null;

/** Settings of {@link backoffRetryStrategy}. */
export interface BackoffOptions {
  /** Delay of the first retry, in ms; doubles at each attempt. */
  readonly initialDelayMs?: number;
  /** Upper bound of a delay, in ms. */
  readonly maxDelayMs?: number;
  /** Attempts after which to give up; `Infinity` retries forever. */
  readonly maxAttempts?: number;
}

/**
 * Exponential backoff: `min(initialDelayMs * 2^(attempt-1), maxDelayMs)`, giving up after
 * `maxAttempts`. The defaults (50 ms doubling to 1 s, forever) retry faster than ioredis's
 * `min(times*10, 1000)` at first, because a failover usually completes within seconds
 * and the first retries are the ones that decide how long writes stall.
 */
export function backoffRetryStrategy(options: BackoffOptions = {}): RetryStrategy {
  const initial = options.initialDelayMs ?? 50;
  const max = options.maxDelayMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  return (attempt) => {
    if (attempt > maxAttempts) return null;
    return Math.min(initial * 2 ** Math.max(0, attempt - 1), max);
  };
}
