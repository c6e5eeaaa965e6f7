import type { ReplicaView as PlannerReplicaView } from "@sentinel-kit/failover-planner";
import type { InstanceEntry } from "./sentinel-core.js";

/** What the planner needs of one replica, from its health snapshot. */
export function replicaView(inst: InstanceEntry): PlannerReplicaView {
  const s = inst.health.snapshot();
  return {
    addr: inst.address,
    runId: s.runId ?? null,
    sDown: s.sdown,
    oDown: false,
    sDownSince: s.sdownSince ?? 0,
    oDownSince: 0,
    disconnected: s.disconnected,
    lastAvailTime: s.lastAvailTime,
    infoRefresh: s.infoRefresh ?? 0,
    priority: s.slavePriority,
    replOffset: s.slaveReplOffset,
    masterLinkDownTime: s.masterLinkDownTimeMs,
    role: s.roleReported ?? "unknown",
    roleReportedTime: s.roleReportedTime,
    masterHost: s.slaveMasterHost ?? null,
    masterPort: s.slaveMasterPort,
    masterLinkUp: s.slaveMasterLinkStatus === "up",
    confChangeTime: s.slaveConfChangeTime,
  };
}

