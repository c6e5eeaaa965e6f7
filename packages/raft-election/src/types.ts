import { InvalidEpochError, InvalidSentinelIdError } from "./errors.js";

declare const sentinelIdBrand: unique symbol;

/**
 * A Sentinel's run id: 40 hexadecimal characters, stored lower-case.
 *
 * Branded so that a master name or an address cannot be passed where a run id is meant;
 * make one with {@link toSentinelId}.
 */
export type SentinelId = string & {
  /** Compile-time brand only; no such property exists at run time. */
  readonly [sentinelIdBrand]: true;
};

/**
 * An epoch (Redis `current_epoch`, `leader_epoch`, `failover_epoch`).
 *
 * Redis keeps epochs as unsigned 64-bit integers; a JavaScript number is exact up to
 * 2^53, and epochs grow by one per failover attempt or vote, so real deployments stay far
 * below that. Values outside the safe integer range are refused by {@link toEpoch}.
 */
export type Epoch = number;

/** The name a master is monitored under (`sentinel monitor <name> ...`). */
export type MasterName = string;

/**
 * The injected random source: returns an integer in `[0, bound)`.
 *
 * Stands in for C's `rand() % bound`; tests pass a seeded or constant source.
 */
export type RandomInt = (bound: number) => number;

const SENTINEL_ID = /^[0-9a-f]{40}$/i;

/** Whether `value` has the form of a Sentinel run id (40 hexadecimal characters). */
export function isSentinelId(value: string): boolean {
  return SENTINEL_ID.test(value);
}

/**
 * Checks and brands a run id. Redis compares run ids case-insensitively
 * (`strcasecmp` in `sentinelVoteLeader`), so the id is lower-cased once here.
 *
 * @throws {@link InvalidSentinelIdError} if `value` is not 40 hexadecimal characters.
 */
export function toSentinelId(value: string): SentinelId {
  if (!isSentinelId(value)) throw new InvalidSentinelIdError(value);
  return value.toLowerCase() as SentinelId;
}

/**
 * Checks that `value` is a usable epoch: a non-negative safe integer.
 *
 * @throws {@link InvalidEpochError} otherwise (negative, fractional, or above 2^53 - 1).
 */
export function toEpoch(value: number | bigint): Epoch {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof value === "bigint" && BigInt(n) !== value) throw new InvalidEpochError(String(value));
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidEpochError(String(value));
  return n;
}
