import { sameHost } from "./address.js";
import { slaveOfTransaction } from "./commands.js";
import type { PlannerEffect } from "./effects.js";
import { replicaDetails } from "./events.js";
import type { MasterView, PlannerTimings, ReplicaView } from "./types.js";

/**
 * `sentinelMasterLooksSane`: the master reports role master, is neither SDOWN nor ODOWN,
 * and its last INFO is less than two INFO periods old.
 */
export function masterLooksSane(
  master: MasterView,
  now: number,
  timings: Pick<PlannerTimings, "infoPeriod">,
): boolean {
  return (
    master.role === "master" &&
    !master.sDown &&
    !master.oDown &&
    now - master.infoRefresh < timings.infoPeriod * 2
  );
}

/**
 * `sentinelRedisInstanceNoDownFor`: no SDOWN or ODOWN in the last `ms` milliseconds
 * (a down-since time of 0 means never down).
 */
export function noDownFor(replica: ReplicaView, ms: number, now: number): boolean {
  const mostRecent = Math.max(replica.sDownSince, replica.oDownSince);
  return mostRecent === 0 || now - mostRecent > ms;
}

/** True when the replica's INFO names a master other than `master.addr`. */
export function pointsElsewhere(replica: ReplicaView, master: MasterView): boolean {
  return (
    replica.masterPort !== master.addr.port ||
    replica.masterHost === null ||
    !sameHost(replica.masterHost, master.addr.host)
  );
}

/**
 * The observer rules of `sentinelRefreshInstanceInfo` (SPEC §4.12) for a replica whose
 * INFO was just parsed, outside TILT. Every sentinel applies them, leader or not:
 *
 * - a replica that reports role master and is not the replica being promoted is sent
 *   `SLAVEOF <master>` (`+convert-to-slave`) once the master looks sane, the replica has
 *   had no down state for 4 publish periods, and its role changed more than 4 publish
 *   periods ago (time for a newer configuration to arrive first);
 * - a replica replicating from another address is sent `SLAVEOF <master>`
 *   (`+fix-slave-config`) once the master looks sane, the replica has had no down state
 *   for failover-timeout, and its master address changed more than failover-timeout ago.
 */
export function observeReplica(
  master: MasterView,
  replica: ReplicaView,
  isPromoted: boolean,
  now: number,
  timings: Pick<PlannerTimings, "infoPeriod" | "publishPeriod">,
): PlannerEffect[] {
  const effects: PlannerEffect[] = [];
  if (replica.role === "master" && !isPromoted) {
    const wait = timings.publishPeriod * 4;
    if (
      masterLooksSane(master, now, timings) &&
      noDownFor(replica, wait, now) &&
      now - replica.roleReportedTime > wait
    ) {
      effects.push(fixCommands(master, replica, "convert-to-slave"));
      effects.push({
        kind: "event",
        type: "+convert-to-slave",
        level: "notice",
        payload: replicaDetails(replica.addr, master.name, master.addr),
      });
    }
  }
  if (replica.role === "slave" && pointsElsewhere(replica, master)) {
    const wait = master.failoverTimeout;
    if (
      masterLooksSane(master, now, timings) &&
      noDownFor(replica, wait, now) &&
      now - replica.confChangeTime > wait
    ) {
      effects.push(fixCommands(master, replica, "fix-slave-config"));
      effects.push({
        kind: "event",
        type: "+fix-slave-config",
        level: "notice",
        payload: replicaDetails(replica.addr, master.name, master.addr),
      });
    }
  }
  return effects;
}

function fixCommands(
  master: MasterView,
  replica: ReplicaView,
  purpose: "convert-to-slave" | "fix-slave-config",
): PlannerEffect {
  return {
    kind: "send",
    to: replica.addr,
    purpose,
    commands: slaveOfTransaction(master.addr, master.renamedCommands),
  };
}
