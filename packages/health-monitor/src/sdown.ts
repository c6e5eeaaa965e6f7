import type { ReportedRole } from "./info.js";

/**
 * A reply to PING as Redis Sentinel classifies it: a status or error line with its text
 * (without the `+`/`-`), or any other kind of reply.
 */
export type PingReply =
  | {
      /** A status (`+`) or error (`-`) line. */
      readonly kind: "status" | "error";
      /** The line without its first character, e.g. `PONG` or `LOADING ...`. */
      readonly text: string;
    }
  | {
      /** Any other reply type (bulk string, integer, array, ...). */
      readonly kind: "other";
    };

/**
 * True for the replies that prove an instance is alive: `+PONG`, `-LOADING` and
 * `-MASTERDOWN`, matched on their prefix (SPEC §4.6, `sentinelPingReplyCallback`).
 */
export function isValidPingReply(reply: PingReply): boolean {
  if (reply.kind === "other") return false;
  return (
    reply.text.startsWith("PONG") ||
    reply.text.startsWith("LOADING") ||
    reply.text.startsWith("MASTERDOWN")
  );
}

/** `ping_period` = min(down-after, sentinel_ping_period) (SPEC §4.3). */
export function pingPeriod(downAfterMs: number, sentinelPingPeriodMs: number): number {
  return Math.min(downAfterMs, sentinelPingPeriodMs);
}

/** What {@link unresponsiveFor} needs from a link. */
export interface LinkTimes {
  /** When the oldest unanswered PING was sent, or `undefined` when none is pending. */
  readonly actPingTime: number | undefined;
  /**
   * True when the command or the pub/sub connection is closed (Redis's
   * `link->disconnected`); one being opened counts as present.
   */
  readonly disconnected: boolean;
  /** When the last valid PING reply arrived (or the link was created). */
  readonly lastAvailTime: number;
}

/**
 * How long the instance has failed to answer (SPEC §4.6, `sentinelCheckSubjectivelyDown`):
 * since the pending PING when there is one, else since the last valid reply when the link
 * is down, else 0. A reconnect attempt starts a pending PING, so after a disconnect the
 * second case lasts only until the next attempt.
 */
export function unresponsiveFor(link: LinkTimes, now: number): number {
  if (link.actPingTime !== undefined) return now - link.actPingTime;
  if (link.disconnected) return now - link.lastAvailTime;
  return 0;
}

/** Why an instance is subjectively down. */
export type SdownReason = "no-valid-reply" | "master-reports-slave" | "master-reboot";

/** Everything the SDOWN rule reads (SPEC §4.6, `sentinelCheckSubjectivelyDown`). */
export interface SdownInput extends LinkTimes {
  /** down-after-milliseconds. */
  readonly downAfterMs: number;
  /** True when our configuration has this instance as a master. */
  readonly isMaster: boolean;
  /** The role its last INFO reported, if any. */
  readonly roleReported: ReportedRole | undefined;
  /** When that role was first reported. */
  readonly roleReportedTime: number;
  /** `sentinel_info_period`. */
  readonly infoPeriodMs: number;
  /** When the master-reboot flag was set (run_id changed), or `undefined` when clear. */
  readonly rebootSince: number | undefined;
  /** master-reboot-down-after-period, ms. */
  readonly masterRebootDownAfterMs: number;
}

/**
 * The first rule of SPEC §4.6 that holds, or `undefined` when the instance is up:
 * no valid reply for more than down-after; a master reporting `role:slave` for more than
 * down-after + 2 INFO periods; a rebooted master whose flag is older than
 * master-reboot-down-after-period.
 */
export function sdownReason(input: SdownInput, now: number): SdownReason | undefined {
  if (unresponsiveFor(input, now) > input.downAfterMs) return "no-valid-reply";
  if (
    input.isMaster &&
    input.roleReported === "slave" &&
    now - input.roleReportedTime > input.downAfterMs + 2 * input.infoPeriodMs
  ) {
    return "master-reports-slave";
  }
  if (input.rebootSince !== undefined && now - input.rebootSince > input.masterRebootDownAfterMs) {
    return "master-reboot";
  }
  return undefined;
}

/**
 * The earliest time at which {@link sdownReason} can turn from `undefined` to a reason if
 * nothing else happens (no reply, no INFO); `Infinity` when no rule is running.
 * Times are integer milliseconds, so "more than X" first holds at X + 1.
 */
export function sdownDueAt(input: SdownInput): number {
  let due = Infinity;
  if (input.actPingTime !== undefined) due = input.actPingTime + input.downAfterMs + 1;
  else if (input.disconnected) due = input.lastAvailTime + input.downAfterMs + 1;
  if (input.isMaster && input.roleReported === "slave") {
    due = Math.min(due, input.roleReportedTime + input.downAfterMs + 2 * input.infoPeriodMs + 1);
  }
  if (input.rebootSince !== undefined) {
    due = Math.min(due, input.rebootSince + input.masterRebootDownAfterMs + 1);
  }
  return due;
}

/** What {@link commandConnectionIsDead} reads. */
export interface CommandConnectionTimes {
  /** When the command connection was opened. */
  readonly connectedSince: number;
  /** When the oldest unanswered PING was sent, or `undefined`. */
  readonly actPingTime: number | undefined;
  /** When any reply to PING (valid or not) last arrived. */
  readonly lastPongTime: number;
  /** down-after-milliseconds. */
  readonly downAfterMs: number;
  /** `sentinel_min_link_reconnect_period`. */
  readonly minLinkReconnectPeriodMs: number;
}

/**
 * SPEC §4.3 dead-link rule for the command connection: older than the minimum reconnect
 * period, a PING pending for more than down-after/2, and no reply of any kind to PING for
 * more than down-after/2.
 */
export function commandConnectionIsDead(times: CommandConnectionTimes, now: number): boolean {
  const half = Math.floor(times.downAfterMs / 2);
  return (
    now - times.connectedSince > times.minLinkReconnectPeriodMs &&
    times.actPingTime !== undefined &&
    now - times.actPingTime > half &&
    now - times.lastPongTime > half
  );
}

/** The time at which {@link commandConnectionIsDead} first holds, or `Infinity`. */
export function commandConnectionDeadAt(times: CommandConnectionTimes): number {
  if (times.actPingTime === undefined) return Infinity;
  const half = Math.floor(times.downAfterMs / 2);
  return Math.max(
    times.connectedSince + times.minLinkReconnectPeriodMs + 1,
    times.actPingTime + half + 1,
    times.lastPongTime + half + 1,
  );
}

/** What {@link pubsubConnectionIsDead} reads. */
export interface PubsubConnectionTimes {
  /** When the pub/sub connection was opened. */
  readonly connectedSince: number;
  /** When the last message (or subscription reply) arrived on it; 0 when never. */
  readonly lastActivity: number;
  /** `sentinel_publish_period`. */
  readonly publishPeriodMs: number;
  /** `sentinel_min_link_reconnect_period`. */
  readonly minLinkReconnectPeriodMs: number;
}

/**
 * SPEC §4.3 dead-link rule for the pub/sub connection: older than the minimum reconnect
 * period and silent for more than 3 publish periods. It presumes hellos are published
 * through this instance every publish period (the gossip package does), since each
 * sentinel receives its own.
 */
export function pubsubConnectionIsDead(times: PubsubConnectionTimes, now: number): boolean {
  return (
    now - times.connectedSince > times.minLinkReconnectPeriodMs &&
    now - times.lastActivity > 3 * times.publishPeriodMs
  );
}

/** The time at which {@link pubsubConnectionIsDead} first holds. */
export function pubsubConnectionDeadAt(times: PubsubConnectionTimes): number {
  return Math.max(
    times.connectedSince + times.minLinkReconnectPeriodMs + 1,
    times.lastActivity + 3 * times.publishPeriodMs + 1,
  );
}
