import type { MasterView, ReplicaView } from "@sentinel-kit/failover-planner";

export const NOW = 5_000_000;

/** A healthy replica that just answered PING and INFO. */
export function replica(overrides: Partial<ReplicaView> & { port?: number } = {}): ReplicaView {
  const { port = 6380, ...rest } = overrides;
  return {
    addr: { host: "10.0.0.2", port },
    runId: `run-${port}`,
    sDown: false,
    oDown: false,
    sDownSince: 0,
    oDownSince: 0,
    disconnected: false,
    lastAvailTime: NOW,
    infoRefresh: NOW,
    priority: 100,
    replOffset: 1000,
    masterLinkDownTime: 0,
    role: "slave",
    roleReportedTime: NOW - 60_000,
    masterHost: "10.0.0.1",
    masterPort: 6379,
    masterLinkUp: true,
    confChangeTime: NOW - 60_000,
    ...rest,
  };
}

/** A master with default Sentinel settings and the given replicas. */
export function master(overrides: Partial<MasterView> = {}): MasterView {
  return {
    name: "mymaster",
    addr: { host: "10.0.0.1", port: 6379 },
    sDown: false,
    oDown: false,
    sDownSince: 0,
    role: "master",
    infoRefresh: NOW,
    downAfter: 30_000,
    failoverTimeout: 180_000,
    parallelSyncs: 1,
    renamedCommands: {},
    replicas: [],
    ...overrides,
  };
}
