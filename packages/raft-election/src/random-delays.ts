import { RandomSourceError } from "./errors.js";
import type { RandomInt } from "./types.js";

/**
 * Draws from the injected source, checking it keeps its contract.
 *
 * @throws {@link RandomSourceError} if the source returns anything but an integer in `[0, bound)`.
 */
export function randomBelow(random: RandomInt, bound: number): number {
  const r = random(bound);
  if (!Number.isInteger(r) || r < 0 || r >= bound) throw new RandomSourceError(bound, r);
  return r;
}

/**
 * `failover_start_time = now + rand() % SENTINEL_MAX_DESYNC` (SENTINEL-SPEC §4.14, items 1
 * and 2): the jittered start of an attempt, or the back-off after voting for another
 * Sentinel. Always in `[now, now + maxDesyncMs)`.
 */
export function jitteredStartTime(now: number, maxDesyncMs: number, random: RandomInt): number {
  return now + randomBelow(random, maxDesyncMs);
}

/**
 * The timer frequency Redis picks after every Sentinel tick: `10 + rand() % 10` Hz
 * (SENTINEL-SPEC §4.14 item 3), so that Sentinels started together drift apart instead of
 * asking for votes in lock-step. The caller's timer should wait `1000 / hz` ms.
 */
export function nextTimerHz(random: RandomInt): number {
  return 10 + randomBelow(random, 10);
}
