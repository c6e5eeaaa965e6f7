import type { Redis } from "ioredis";

/** Settings of {@link startPingWatchdog}. */
export interface WatchdogOptions {
  /** How often to PING a ready connection, ms. */
  readonly intervalMs: number;
  /** A PING unanswered this long means the server is hung, ms. */
  readonly timeoutMs: number;
  /** Called when a hang is detected, before the reconnect. */
  readonly onHung?: () => void;
}

/**
 * Detects a hung (not closed) server (ioredis#1314, SPEC §5.3): a stopped process or a
 * black-holed network keeps the socket open, so nothing fails until the OS gives up,
 * minutes later. A bounded PING every `intervalMs` on a ready connection forces a
 * reconnect, and with it a new resolution, when no reply comes within `timeoutMs`.
 * Returns a function that stops the watchdog.
 */
export function startPingWatchdog(redis: Redis, options: WatchdogOptions): () => void {
  let pending = false;
  const timer = setInterval(() => {
    if (pending || redis.status !== "ready") return;
    pending = true;
    const deadline = setTimeout(() => {
      options.onHung?.();
      redis.disconnect(true);
    }, options.timeoutMs);
    redis
      .ping()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(deadline);
        pending = false;
      });
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
