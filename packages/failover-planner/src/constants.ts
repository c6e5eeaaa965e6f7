import type { FastConfirmationOptions, PlannerTimings } from "./types.js";

/**
 * Redis Sentinel's default timings (sentinel.c, SPEC §4.1), and `staleInfoWait`: one INFO
 * period to a replica while its master is down (1 s, hard-coded in sentinel.c) plus a
 * 100 ms margin for the reply.
 */
export const DEFAULT_TIMINGS: PlannerTimings = {
  pingPeriod: 1000,
  infoPeriod: 10_000,
  publishPeriod: 2000,
  electionTimeout: 10_000,
  slaveReconfTimeout: 10_000,
  maxDesync: 1000,
  staleInfoWait: 1100,
};

/**
 * Default fast confirmation: a probe every 20 ms, at most 100 per instance, so at most
 * 2 s of probing before only INFO counts, as in Redis.
 */
export const DEFAULT_FAST_CONFIRMATION: FastConfirmationOptions = {
  probeIntervalMs: 20,
  maxProbes: 100,
};
