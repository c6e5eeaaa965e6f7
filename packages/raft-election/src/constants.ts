/**
 * The Redis timing parameters the election depends on (SENTINEL-SPEC §4.1). All of them
 * can be changed at run time in Redis through `SENTINEL DEBUG`, so they are state, not
 * module constants.
 */
export interface ElectionTimings {
  /**
   * `sentinel_ask_period`, ms (Redis default 1000). A peer is asked again at most this
   * often; its last `is-master-down-by-addr` reply expires after 5 of these periods.
   */
  readonly askPeriodMs: number;
  /**
   * `sentinel_election_timeout`, ms (Redis default 10000). A candidate that has not won
   * after min(this, failover-timeout) gives up (`-failover-abort-not-elected`).
   */
  readonly electionTimeoutMs: number;
  /**
   * `SENTINEL_MAX_DESYNC`, ms (Redis 1000, not tunable there). The random jitter added to
   * `failover_start_time` when a failover starts or a vote goes to another Sentinel.
   */
  readonly maxDesyncMs: number;
}

/** Redis 7.0's values for {@link ElectionTimings}. */
export const DEFAULT_ELECTION_TIMINGS: ElectionTimings = {
  askPeriodMs: 1000,
  electionTimeoutMs: 10_000,
  maxDesyncMs: 1000,
};

/**
 * A peer's `is-master-down-by-addr` reply counts for this many ask periods, then its
 * `master_down` flag and its vote are forgotten (`sentinelAskMasterStateToOtherSentinels`:
 * `elapsed > sentinel_ask_period*5`).
 */
export const REPLY_VALIDITY_ASK_PERIODS = 5;

/** Redis's default `failover-timeout`, ms (`sentinel_default_failover_timeout`). */
export const DEFAULT_FAILOVER_TIMEOUT_MS = 180_000;
