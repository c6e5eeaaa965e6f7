import type { Address } from "./address.js";

/** What one sentinel said during a resolution. */
export interface SentinelAttempt {
  /** The sentinel asked. */
  readonly sentinel: Address;
  /**
   * `unreachable`: no connection or no reply in time; `error`: an error reply;
   * `unknown-master`: the null reply of GET-MASTER-ADDR-BY-NAME; `answered`: an address.
   */
  readonly outcome: "unreachable" | "error" | "unknown-master" | "answered";
  /** The error message, or the address answered as `host:port`. */
  readonly detail: string;
}

function describe(attempts: readonly SentinelAttempt[]): string {
  return attempts.map((a) => `${a.sentinel.host}:${a.sentinel.port} ${a.outcome}${a.detail ? ` (${a.detail})` : ""}`).join("; ");
}

/** No configured or discovered sentinel could be reached or answered (S5: "no Sentinel reachable"). */
export class NoSentinelReachableError extends Error {
  /** Stable error name, for matching without `instanceof`. */
  override readonly name = "NoSentinelReachableError";
  /** The master name being resolved. */
  readonly masterName: string;
  /** Every sentinel tried, in order, with what happened. */
  readonly attempts: readonly SentinelAttempt[];
  /** @param masterName the name resolved @param attempts what each sentinel did */
  constructor(masterName: string, attempts: readonly SentinelAttempt[]) {
    super(`no sentinel reachable for master "${masterName}": ${describe(attempts)}`);
    this.masterName = masterName;
    this.attempts = attempts;
  }
}

/** Every sentinel that answered replied null: none monitors this name (S5: "unknown master"). */
export class MasterUnknownError extends Error {
  /** Stable error name, for matching without `instanceof`. */
  override readonly name = "MasterUnknownError";
  /** The master name being resolved. */
  readonly masterName: string;
  /** Every sentinel tried, in order, with what happened. */
  readonly attempts: readonly SentinelAttempt[];
  /** @param masterName the name resolved @param attempts what each sentinel did */
  constructor(masterName: string, attempts: readonly SentinelAttempt[]) {
    super(`no sentinel knows master "${masterName}": ${describe(attempts)}`);
    this.masterName = masterName;
    this.attempts = attempts;
  }
}

/**
 * The cross-check found no address reported at the highest config epoch by enough
 * sentinels: writing anywhere could mean writing to a master the majority has replaced.
 */
export class NoAgreementError extends Error {
  /** Stable error name, for matching without `instanceof`. */
  override readonly name = "NoAgreementError";
  /** The master name being resolved. */
  readonly masterName: string;
  /** Sentinels required to agree. */
  readonly required: number;
  /** Every sentinel tried, with what it answered (including its config epoch). */
  readonly attempts: readonly SentinelAttempt[];
  /** @param masterName the name @param required agreeing sentinels needed @param attempts answers */
  constructor(masterName: string, required: number, attempts: readonly SentinelAttempt[]) {
    super(`sentinels do not agree on master "${masterName}" (need ${required}): ${describe(attempts)}`);
    this.masterName = masterName;
    this.required = required;
    this.attempts = attempts;
  }
}

/** `ROLE` on the resolved address did not report the expected role (S5 step 3). */
export class RoleMismatchError extends Error {
  /** Stable error name, for matching without `instanceof`. */
  override readonly name = "RoleMismatchError";
  /** The address checked. */
  readonly address: Address;
  /** The role wanted: `master` or `slave`. */
  readonly expected: string;
  /** What ROLE replied, or `unreachable` with the cause in the message. */
  readonly actual: string;
  /** @param address where @param expected wanted role @param actual reported role @param cause why, if unreachable */
  constructor(address: Address, expected: string, actual: string, cause?: string) {
    super(`${address.host}:${address.port} is ${actual}, expected ${expected}${cause ? `: ${cause}` : ""}`);
    this.address = address;
    this.expected = expected;
    this.actual = actual;
  }
}

/** No replica is usable (all down, disconnected or none) and fallback to the master is off. */
export class NoReplicaAvailableError extends Error {
  /** Stable error name, for matching without `instanceof`. */
  override readonly name = "NoReplicaAvailableError";
  /** The master name. */
  readonly masterName: string;
  /** Replicas reported by the sentinel, as `host:port flags`. */
  readonly rejected: readonly string[];
  /** @param masterName the name @param rejected replicas seen and why they were not used */
  constructor(masterName: string, rejected: readonly string[]) {
    super(`no usable replica for master "${masterName}"${rejected.length ? `: ${rejected.join("; ")}` : ""}`);
    this.masterName = masterName;
    this.rejected = rejected;
  }
}

/**
 * The sentinels still name a master that a failover in progress is replacing (see
 * `fenceOnFailoverMs`): writing there now would be lost, so resolution waits.
 */
export class MasterFencedError extends Error {
  /** Stable error name, for matching without `instanceof`. */
  override readonly name = "MasterFencedError";
  /** The master being replaced. */
  readonly address: Address;
  /** ms left until the fence lapses. */
  readonly remainingMs: number;
  /** @param address the fenced master @param remainingMs time left */
  constructor(address: Address, remainingMs: number) {
    super(`${address.host}:${address.port} is being replaced by a failover; not writing there for ${remainingMs} ms more`);
    this.address = address;
    this.remainingMs = remainingMs;
  }
}
