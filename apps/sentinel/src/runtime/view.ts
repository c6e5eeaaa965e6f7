import { currentMasterAddress, replicaFailoverFlags } from "@sentinel-kit/failover-planner";
import type { HealthSnapshot } from "@sentinel-kit/health-monitor";
import type { MasterElection } from "@sentinel-kit/raft-election";
import type {
  DebugTimings,
  FailoverStateName,
  InstanceFlag,
  MasterView,
  ReplicaView,
  SentinelGlobalConfig,
  SentinelPeerView,
} from "../commands/view.js";
import type { InstanceEntry, MasterEntry, SentinelCore } from "../core/sentinel-core.js";
import type { LinkId } from "../core/types.js";

/** Redis 7.0's timing parameters as SENTINEL DEBUG shows them (SPEC §4.1). */
export const REDIS_DEBUG_TIMINGS: DebugTimings = {
  infoPeriod: 10_000,
  pingPeriod: 1000,
  askPeriod: 1000,
  publishPeriod: 2000,
  defaultDownAfter: 30_000,
  defaultFailoverTimeout: 180_000,
  tiltTrigger: 2000,
  tiltPeriod: 30_000,
  slaveReconfTimeout: 10_000,
  minLinkReconnectPeriod: 15_000,
  electionTimeout: 10_000,
  scriptMaxRuntime: 60_000,
  scriptRetryDelay: 30_000,
};

/** Pending commands per link, from the runtime's links. */
export type PendingOf = (link: LinkId) => number;

function commonFlags(snap: HealthSnapshot, kind: InstanceFlag): Set<InstanceFlag> {
  const flags = new Set<InstanceFlag>();
  if (snap.sdown) flags.add("s_down");
  flags.add(kind);
  if (snap.disconnected) flags.add("disconnected");
  return flags;
}

function failoverStateOf(entry: MasterEntry, election: MasterElection | undefined): FailoverStateName {
  if (entry.planner.phase !== "none") return entry.planner.phase;
  return election?.failover != null ? "wait_start" : "none";
}

function replicaView(entry: MasterEntry, inst: InstanceEntry, pending: PendingOf): ReplicaView {
  const snap = inst.health.snapshot();
  const flags = commonFlags(snap, "slave");
  for (const f of replicaFailoverFlags(entry.planner, inst.address)) flags.add(f as InstanceFlag);
  return {
    name: inst.health.details.name,
    ip: inst.address.host,
    port: inst.address.port,
    runid: snap.runId ?? null,
    flags,
    linkPendingCommands: pending(inst.link),
    linkRefcount: 1,
    lastPingSent: snap.actPingTime ?? 0,
    lastOkPingReply: snap.lastAvailTime,
    lastPingReply: snap.lastPongTime,
    sDownSince: snap.sdown ? (snap.sdownSince ?? null) : null,
    downAfterMs: entry.config.downAfterMilliseconds,
    infoRefresh: snap.infoRefresh ?? 0,
    roleReported: snap.roleReported === "master" ? "master" : "slave",
    roleReportedTime: snap.roleReportedTime,
    infoText: snap.info ?? null,
    masterLinkDownTime: snap.masterLinkDownTimeMs,
    masterLinkUp: snap.slaveMasterLinkStatus === "up",
    masterHost: snap.slaveMasterHost ?? null,
    masterPort: snap.slaveMasterPort,
    slavePriority: snap.slavePriority,
    slaveReplOffset: snap.slaveReplOffset,
    replicaAnnounced: snap.replicaAnnounced,
  };
}

function peerViews(core: SentinelCore, entry: MasterEntry, election: MasterElection | undefined, pending: PendingOf): SentinelPeerView[] {
  const name = entry.config.name;
  return core.gossip.sentinelsOf(name).map((p) => {
    const peer = core.peers.get(p.runid);
    const snap = peer?.health.snapshot();
    const vote = [...(election?.peers.values() ?? [])].find((v) => v.id === p.runid);
    const flags = new Set<InstanceFlag>();
    if (snap?.sdown === true) flags.add("s_down");
    flags.add("sentinel");
    if (snap === undefined || snap.disconnected) flags.add("disconnected");
    if (vote?.masterDown === true) flags.add("master_down");
    return {
      name: p.runid,
      ip: p.address.host,
      port: p.address.port,
      runid: p.runid,
      flags,
      linkPendingCommands: peer === undefined ? 0 : pending(peer.link),
      linkRefcount: core.gossip.peers.get(p.runid)?.masters.size ?? 1,
      lastPingSent: snap?.actPingTime ?? 0,
      lastOkPingReply: snap?.lastAvailTime ?? 0,
      lastPingReply: snap?.lastPongTime ?? 0,
      sDownSince: snap?.sdown === true ? (snap.sdownSince ?? null) : null,
      downAfterMs: entry.config.downAfterMilliseconds,
      lastHelloMessage: p.lastHelloTime,
      votedLeader: vote?.leader ?? null,
      votedLeaderEpoch: vote?.leaderEpoch ?? 0,
    };
  });
}

/** One master as the command layer sees it (SPEC §1.3), from the core's state. */
export function masterView(core: SentinelCore, entry: MasterEntry, pending: PendingOf): MasterView {
  const name = entry.config.name;
  const election = core.election.masters.get(name);
  const snap = entry.master.health.snapshot();
  const flags = commonFlags(snap, "master");
  if (election?.odown === true) flags.add("o_down");
  const failoverState = failoverStateOf(entry, election);
  if (failoverState !== "none") flags.add("failover_in_progress");
  if (election?.failover?.forced === true) flags.add("force_failover");
  const cfg = entry.config;
  const current = currentMasterAddress(entry.planner, entry.master.address);
  return {
    name,
    ip: entry.master.address.host,
    port: entry.master.address.port,
    runid: snap.runId ?? null,
    flags,
    linkPendingCommands: pending(entry.master.link),
    linkRefcount: 1,
    lastPingSent: snap.actPingTime ?? 0,
    lastOkPingReply: snap.lastAvailTime,
    lastPingReply: snap.lastPongTime,
    sDownSince: snap.sdown ? (snap.sdownSince ?? null) : null,
    downAfterMs: cfg.downAfterMilliseconds,
    infoRefresh: snap.infoRefresh ?? 0,
    roleReported: snap.roleReported === "slave" ? "slave" : "master",
    roleReportedTime: snap.roleReportedTime,
    infoText: snap.info ?? null,
    oDownSince: election?.odown === true ? election.odownSince : null,
    failoverState,
    configEpoch: core.gossip.master(name)?.configEpoch ?? cfg.configEpoch,
    quorum: cfg.quorum,
    failoverTimeoutMs: cfg.failoverTimeout,
    parallelSyncs: cfg.parallelSyncs,
    masterRebootDownAfterMs: cfg.masterRebootDownAfterPeriod,
    notificationScript: cfg.notificationScript ?? null,
    clientReconfigScript: cfg.clientReconfigScript ?? null,
    replicas: [...entry.replicas.values()].map((r) => replicaView(entry, r, pending)),
    sentinels: peerViews(core, entry, election, pending),
    currentAddress: { ip: current.host, port: current.port },
  };
}

/** SENTINEL CONFIG's global options, from the core's configuration. */
export function globalConfigView(core: SentinelCore, loglevel: SentinelGlobalConfig["loglevel"]): SentinelGlobalConfig {
  const c = core.config;
  return {
    resolveHostnames: c.resolveHostnames,
    announceHostnames: c.announceHostnames,
    announceIp: c.announceIp ?? "",
    announcePort: c.announcePort,
    sentinelUser: c.sentinelUser ?? "",
    sentinelPass: c.sentinelPass ?? "",
    loglevel,
    denyScriptsReconfig: c.denyScriptsReconfig,
  };
}
