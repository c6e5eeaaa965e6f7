import { isSentinelId, toSentinelId, type Epoch, type SentinelId } from "./types.js";

/**
 * `SENTINEL is-master-down-by-addr <ip> <port> <current-epoch> <runid|*>` (SENTINEL-SPEC
 * §1.2, §4.7). With a run id the sender asks for a vote; with `*` it only asks whether the
 * receiver sees the master down.
 */
export interface IsMasterDownRequest {
  /** Master ip (or hostname) as the sender knows it; the receiver looks the master up by address. */
  readonly ip: string;
  /** Master port. */
  readonly port: number;
  /** The epoch the vote is asked for. */
  readonly epoch: Epoch;
  /** The candidate asking for the vote, or `"*"` for no vote. */
  readonly runId: SentinelId | "*";
}

/** The 3-element reply `[down 0/1, leader runid or "*", leader epoch]`. */
export interface IsMasterDownReply {
  /** The replier sees the master SDOWN (always false while it is in TILT). */
  readonly down: boolean;
  /** Whom the replier voted for in `leaderEpoch`, or `null` (`"*"`). */
  readonly leader: SentinelId | null;
  /** The epoch of that vote (0 when no vote was asked for). */
  readonly leaderEpoch: Epoch;
}

/** The command's argument vector, as Redis sends it (`sentinelAskMasterStateToOtherSentinels`). */
export function isMasterDownCommand(request: IsMasterDownRequest): string[] {
  return [
    "SENTINEL",
    "is-master-down-by-addr",
    request.ip,
    String(request.port),
    String(request.epoch),
    request.runId,
  ];
}

/** The reply as RESP values: integer, bulk string, integer. */
export function isMasterDownReplyValue(reply: IsMasterDownReply): [0 | 1, string, number] {
  return [reply.down ? 1 : 0, reply.leader ?? "*", reply.leaderEpoch];
}

function integerOf(v: unknown): number | null {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === "bigint" && v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return null;
}

/**
 * Reads a reply the way `sentinelReceiveIsMasterDownReply` does: anything but a 3-element
 * array of integer, string, integer is ignored (returns `null`); the stale-reply expiry
 * then clears the peer's report. A leader that is neither `*` nor a run id, or a negative
 * epoch, is treated as malformed too (Redis would store it as a vote for nobody real).
 */
export function parseIsMasterDownReply(value: unknown): IsMasterDownReply | null {
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [down, leader, epoch] = value as [unknown, unknown, unknown];
  const downInt = integerOf(down);
  const epochInt = integerOf(epoch);
  const leaderText = typeof leader === "string" ? leader : leader instanceof Uint8Array ? new TextDecoder().decode(leader) : null;
  if (downInt === null || epochInt === null || leaderText === null) return null;
  if (leaderText !== "*" && !isSentinelId(leaderText)) return null;
  return {
    down: downInt === 1,
    leader: leaderText === "*" ? null : toSentinelId(leaderText),
    leaderEpoch: epochInt,
  };
}
