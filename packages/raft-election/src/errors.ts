/** A string that should be a Sentinel run id is not 40 hexadecimal characters. */
export class InvalidSentinelIdError extends Error {
  /** Stable error name. */
  override readonly name = "InvalidSentinelIdError";
  /** The rejected value. */
  readonly value: string;

  /** @param value - the rejected value */
  constructor(value: string) {
    super(`not a Sentinel run id (40 hex characters): ${JSON.stringify(value)}`);
    this.value = value;
  }
}

/** An epoch is negative, fractional or beyond 2^53 - 1. */
export class InvalidEpochError extends Error {
  /** Stable error name. */
  override readonly name = "InvalidEpochError";
  /** The rejected value, as text. */
  readonly value: string;

  /** @param value - the rejected value, as text */
  constructor(value: string) {
    super(`not a valid epoch (a non-negative integer up to 2^53 - 1): ${value}`);
    this.value = value;
  }
}

/** The injected random source returned something other than an integer in `[0, bound)`. */
export class RandomSourceError extends Error {
  /** Stable error name. */
  override readonly name = "RandomSourceError";
  /** The bound that was asked for. */
  readonly bound: number;
  /** What the source returned. */
  readonly returned: number;

  /**
   * @param bound - the exclusive upper bound asked for
   * @param returned - the value the source returned
   */
  constructor(bound: number, returned: number) {
    super(`random source returned ${returned}, expected an integer in [0, ${bound})`);
    this.bound = bound;
    this.returned = returned;
  }
}

/** An operation named a master that the election state does not hold. */
export class UnknownMasterError extends Error {
  /** Stable error name. */
  override readonly name = "UnknownMasterError";
  /** The master name that was not found. */
  readonly master: string;

  /** @param master - the master name that was not found */
  constructor(master: string) {
    super(`no such master: ${master}`);
    this.master = master;
  }
}

/** A master was added twice under the same name. */
export class DuplicateMasterError extends Error {
  /** Stable error name. */
  override readonly name = "DuplicateMasterError";
  /** The duplicated master name. */
  readonly master: string;

  /** @param master - the duplicated master name */
  constructor(master: string) {
    super(`master already present: ${master}`);
    this.master = master;
  }
}

/**
 * A failover was requested (`SENTINEL FAILOVER`) while one is already in progress for the
 * master. Redis answers `-INPROG Failover already in progress`.
 */
export class FailoverInProgressError extends Error {
  /** Stable error name. */
  override readonly name = "FailoverInProgressError";
  /** The master the failover was requested for. */
  readonly master: string;

  /** @param master - the master the failover was requested for */
  constructor(master: string) {
    super(`failover already in progress for ${master}`);
    this.master = master;
  }
}
