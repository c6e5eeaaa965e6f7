import type { MasterView, PlannerTimings, ReplicaView } from "./types.js";

/**
 * Why a replica cannot be promoted, one reason per rule of `sentinelSelectSlave`
 * (SPEC §4.9), checked in Redis's order.
 */
export type ExclusionReason =
  | "s_down"
  | "o_down"
  | "disconnected"
  | "ping-stale"
  | "priority-zero"
  | "info-stale"
  | "master-link-down-too-long";

/**
 * The first rule of §4.9 that excludes `replica` from promotion, or null if it is
 * eligible. `now` is the caller's clock in milliseconds.
 */
export function exclusionReason(
  replica: ReplicaView,
  master: MasterView,
  now: number,
  timings: Pick<PlannerTimings, "pingPeriod" | "infoPeriod">,
): ExclusionReason | null {
  if (replica.sDown) return "s_down";
  if (replica.oDown) return "o_down";
  if (replica.disconnected) return "disconnected";
  if (now - replica.lastAvailTime > timings.pingPeriod * 5) return "ping-stale";
  if (replica.priority === 0) return "priority-zero";
  // With the master SDOWN, replicas get INFO every second, so 5 ping periods is already
  // generous; otherwise INFO comes every info period and three of them are allowed.
  const infoValidity = master.sDown ? timings.pingPeriod * 5 : timings.infoPeriod * 3;
  if (now - replica.infoRefresh > infoValidity) return "info-stale";
  if (replica.masterLinkDownTime > maxMasterLinkDownTime(master, now)) {
    return "master-link-down-too-long";
  }
  return null;
}

/**
 * The longest `master_link_down_time` a promotable replica may report:
 * `(now - master.s_down_since if SDOWN) + 10 * down-after`.
 */
export function maxMasterLinkDownTime(master: MasterView, now: number): number {
  const sinceDown = master.sDown ? now - master.sDownSince : 0;
  return sinceDown + master.downAfter * 10;
}

/**
 * `compareSlavesForPromotion`: negative when `a` is the better candidate. Lower
 * priority first, then the larger replication offset, then the smaller run id compared
 * case-insensitively, with a null run id after any other.
 */
export function compareReplicasForPromotion(a: ReplicaView, b: ReplicaView): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.replOffset > b.replOffset) return -1;
  if (a.replOffset < b.replOffset) return 1;
  if (a.runId === null && b.runId === null) return 0;
  if (a.runId === null) return 1;
  if (b.runId === null) return -1;
  const x = a.runId.toLowerCase();
  const y = b.runId.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * `sentinelSelectSlave`: the best eligible replica of `master`, or null when none is
 * eligible. Among equals the first in `master.replicas` wins.
 */
export function selectReplica(
  master: MasterView,
  now: number,
  timings: Pick<PlannerTimings, "pingPeriod" | "infoPeriod">,
): ReplicaView | null {
  const eligible = master.replicas.filter((r) => exclusionReason(r, master, now, timings) === null);
  eligible.sort(compareReplicasForPromotion);
  return eligible[0] ?? null;
}

/**
 * True when no replica of `master` is eligible, the master is SDOWN, and at least one
 * replica is excluded only because its INFO is stale: a fresh INFO (sent every second
 * while the master is down) could make it eligible, so SELECT_SLAVE may wait for it.
 * False when every replica is excluded for a reason INFO cannot change soon (SDOWN,
 * disconnected, priority 0, ...): then the failover is aborted at once, as in Redis.
 */
export function awaitsFreshInfo(
  master: MasterView,
  now: number,
  timings: Pick<PlannerTimings, "pingPeriod" | "infoPeriod">,
): boolean {
  if (!master.sDown) return false;
  let stale = false;
  for (const r of master.replicas) {
    const reason = exclusionReason(r, master, now, timings);
    if (reason === null) return false;
    if (reason === "info-stale") stale = true;
  }
  return stale;
}
