import {
  createFailoverPlanner,
  type MasterView,
  type PlannerInput,
  type ReplicaView,
} from "@sentinel-kit/failover-planner";

/** One failover of "mymaster" with fast confirmation; returns the events published. */
export function runExample(): string[] {
  const planner = createFailoverPlanner({
    fastConfirmation: { probeIntervalMs: 20, maxProbes: 100 },
  });
  let state = planner.initialState();
  let now = 1_700_000_000_000;
  let currentEpoch = 0;

  const replica: ReplicaView = {
    addr: { host: "10.0.0.2", port: 6379 },
    runId: "4b1f6d0c9a8e7f6d5c4b3a29180716f5e4d3c2b1",
    sDown: false, oDown: false, sDownSince: 0, oDownSince: 0,
    disconnected: false, lastAvailTime: now, infoRefresh: now,
    priority: 100, replOffset: 5000, masterLinkDownTime: 0,
    role: "slave", roleReportedTime: now - 60_000,
    masterHost: "10.0.0.1", masterPort: 6379, masterLinkUp: false,
    confChangeTime: now - 60_000,
  };
  const master: MasterView = {
    name: "mymaster", addr: { host: "10.0.0.1", port: 6379 },
    sDown: true, oDown: true, sDownSince: now - 3000,
    role: "master", infoRefresh: now - 3000,
    downAfter: 1000, failoverTimeout: 180_000, parallelSyncs: 1,
    renamedCommands: {}, replicas: [replica],
  };

  const published: string[] = [];
  const step = (input: PlannerInput) => {
    const result = planner.step(state, input, { now, master, currentEpoch, random: Math.random });
    state = result.state;
    for (const effect of result.effects) {
      if (effect.kind === "set-current-epoch") currentEpoch = effect.epoch;
      if (effect.kind === "event") published.push(`${effect.type} ${effect.payload}`);
      // A daemon would also send effect.commands for "send", write the config on
      // "persist", and step again with { type: "tick" } at a "wake" time.
    }
  };

  step({ type: "tick" }); // ODOWN: +try-failover, then ask the other sentinels
  now += 5;
  step({ type: "election", epoch: currentEpoch, elected: true }); // we won the vote
  now += 2;
  step({ type: "role-reply", replica: replica.addr, reply: { role: "master" } });
  return published;
}
