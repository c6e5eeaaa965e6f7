import { setTimeout as sleep } from "node:timers/promises";
import { WaitTimeoutError } from "./errors.js";

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Pause between two checks, in milliseconds; 25 by default. */
  intervalMs?: number;
  /** What is awaited, in words; it goes into the timeout message. */
  what: string;
  /** Called once at the timeout; its text is appended to the message (e.g. a log tail). */
  detail?: () => string;
}

/**
 * Calls `check` until it returns a truthy value, and resolves with that value. A falsy
 * result means "not yet"; a thrown error aborts the wait and is passed on, so a check can
 * stop early when waiting has become pointless (the process died). Throws
 * {@link WaitTimeoutError} after `timeoutMs`.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: WaitForOptions,
): Promise<NonNullable<T>> {
  const intervalMs = options.intervalMs ?? 25;
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result as NonNullable<T>;
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new WaitTimeoutError(options.what, options.timeoutMs, options.detail?.());
    }
    await sleep(Math.min(intervalMs, left));
  }
}
