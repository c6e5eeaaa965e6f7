/**
 * The periods of Redis Sentinel that govern links, PING, INFO and SDOWN (SPEC §4.1). Redis
 * lets each be changed at run time with `SENTINEL DEBUG`; here they are options, so tests
 * can shorten them and a simulation can stretch them.
 */
export interface SentinelTimings {
  /**
   * `sentinel_ping_period`, ms: the longest gap between PINGs (the actual period is
   * min(down-after, this)) and the shortest gap between two reconnect attempts.
   */
  readonly pingPeriodMs: number;
  /** `sentinel_info_period`, ms: INFO to masters and replicas. */
  readonly infoPeriodMs: number;
  /**
   * The INFO period, ms, for a replica whose master is ODOWN or failing over, or that
   * reports its master link down. A literal 1000 in Redis.
   */
  readonly fastInfoPeriodMs: number;
  /**
   * `sentinel_publish_period`, ms: the hello period; a pub/sub connection with no message
   * for 3 of these is presumed dead.
   */
  readonly publishPeriodMs: number;
  /**
   * `sentinel_min_link_reconnect_period`, ms: a connection younger than this is never
   * closed for inactivity, so a slow instance is not reconnected in a loop.
   */
  readonly minLinkReconnectPeriodMs: number;
  /**
   * `SENTINEL_MAX_PENDING_COMMANDS`: periodic commands are skipped while a link has this
   * many commands (times its refcount) without a reply, so a stuck link cannot grow
   * memory without bound.
   */
  readonly maxPendingCommands: number;
}

/** Redis Sentinel 7.0's values (SPEC §4.1). */
export const DEFAULT_TIMINGS: SentinelTimings = {
  pingPeriodMs: 1000,
  infoPeriodMs: 10_000,
  fastInfoPeriodMs: 1000,
  publishPeriodMs: 2000,
  minLinkReconnectPeriodMs: 15_000,
  maxPendingCommands: 100,
};

/** `sentinel_default_down_after`, ms: down-after-milliseconds when none is configured. */
export const DEFAULT_DOWN_AFTER_MS = 30_000;

/** `SENTINEL_DEFAULT_SLAVE_PRIORITY`: a replica's priority until its INFO says otherwise. */
export const DEFAULT_SLAVE_PRIORITY = 100;
