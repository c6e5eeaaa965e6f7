import { afterAll, beforeAll, expect, it } from "vitest";
import { FOLLOW_FAILOVER_TIMEOUT_MS, followFailover } from "./follow-failover.js";
import { MASTER, sentinelCall, startTopology, TOPOLOGY_START_TIMEOUT_MS, type Topology } from "./topology.js";

let topo: Topology;
beforeAll(async () => {
  topo = await startTopology();
}, TOPOLOGY_START_TIMEOUT_MS);
afterAll(async () => {
  await topo?.stop();
});

// SPEC §5.1 steps 4 and 9, §5.3: the failover is followed, and once this client knows of
// the switch no write of it reaches the old master (which stays writable for a while
// after +switch-master until a sentinel converts it).
it(
  "follows a failover and sends no write to the old master once the switch is known",
  async () => {
    const { newPort } = await followFailover(topo, {
      prefix: "fo",
      trigger: async () => {
        expect(await sentinelCall(topo.sentinelAddresses[0]!, "FAILOVER", MASTER)).toBe("OK");
      },
      settleMs: 500,
    });
    expect(topo.replicas.map((r) => r.port)).toContain(newPort);
  },
  FOLLOW_FAILOVER_TIMEOUT_MS,
);
