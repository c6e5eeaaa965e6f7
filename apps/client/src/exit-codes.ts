import {
  MasterUnknownError,
  NoAgreementError,
  NoReplicaAvailableError,
  NoSentinelReachableError,
  RoleMismatchError,
} from "@sentinel-kit/client-discovery";

/** Process exit codes of `sentinel-kit-client`, stable for scripts. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** An unexpected failure. */
  failure: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** No sentinel could be reached (or none answered). */
  noSentinel: 3,
  /** Sentinels answered, and none monitors this master name. */
  unknownMaster: 4,
  /** The answers cannot be trusted: no agreement, ROLE mismatch, or no usable replica. */
  untrusted: 5,
  /** `exec`: the server replied with an error. */
  commandError: 6,
  /** `drill --fail-on-lost`: acknowledged writes were lost. */
  lostWrites: 7,
  /** `drill --failover`: the master did not change within the drill. */
  noSwitch: 8,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error thrown by client-discovery. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof NoSentinelReachableError) return ExitCode.noSentinel;
  if (error instanceof MasterUnknownError) return ExitCode.unknownMaster;
  if (error instanceof NoAgreementError || error instanceof RoleMismatchError || error instanceof NoReplicaAvailableError) {
    return ExitCode.untrusted;
  }
  return ExitCode.failure;
}
