import { waitFor, type ManagedProcess } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, parseMasterAddrReply, SentinelDiscovery, type Address } from "../src/index.js";
import {
  MASTER,
  sentinelCall,
  sentinelConfig,
  startSentinel,
  startTopology,
  TOPOLOGY_START_TIMEOUT_MS,
  type SentinelKind,
  type Topology,
} from "./topology.js";

// SPEC §5.3 "cross-check config-epoch ... to avoid trusting an isolated or stale sentinel".
// The three sentinels reach the master through a FaultProxy. The proxy black-holes: the
// old master is partitioned from them (still a master, still writable), they fail over
// to the replica at epoch 1. A fourth sentinel on the old master's side of the partition
// only ever sees the old master, at epoch 0: the stale sentinel, listed first. Run with
// redis-sentinel 7.0 and with sentinel-kit daemons (apps/sentinel, built) on both sides:
// issue 7 asks for both.
describe.each<SentinelKind>(["redis-sentinel", "sentinel-kit"])("a stale %s behind a partition", (kind) => {
  let topo: Topology;
  let stale: ManagedProcess;
  let oldMaster: Address;
  let newMaster: Address;
  let sentinels: Address[];
  beforeAll(async () => {
    topo = await startTopology({ replicas: 1, proxyMaster: true, sentinelKind: kind });
    oldMaster = { host: topo.master.host, port: topo.master.port };
    newMaster = { host: topo.replicas[0]!.host, port: topo.replicas[0]!.port };
    topo.masterProxy!.blackhole();
    expect(await sentinelCall(topo.sentinelAddresses[0]!, "FAILOVER", MASTER)).toBe("OK");
    await waitFor(
      async () => {
        for (const s of topo.sentinelAddresses) {
          const reported = parseMasterAddrReply(await sentinelCall(s, "GET-MASTER-ADDR-BY-NAME", MASTER));
          if (reported?.port !== newMaster.port) return false;
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: "the three sentinels to switch to the replica" },
    );
    stale = await startSentinel(kind, sentinelConfig(oldMaster.host, oldMaster.port));
    sentinels = [{ host: stale.host, port: stale.port }, ...topo.sentinelAddresses];
  }, TOPOLOGY_START_TIMEOUT_MS + 40_000);
  afterAll(async () => {
    await stale?.stop();
    await topo?.stop();
  });

  it("misleads the plain S5 procedure: its old master still passes the ROLE check", async () => {
    expect(await topo.master.cli("ROLE")).toMatch(/^master/);
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels });
    expect((await discovery.resolveMaster()).address).toEqual(oldMaster);
  });

  it("loses to the epoch cross-check: writes go to the new master only", async () => {
    const client = createRedis({ name: MASTER, sentinels, trust: { minAgreeing: 2 }, watchSwitches: false });
    try {
      for (let n = 0; n < 20; n++) {
        const replies = await client.redis.multi().set(`stale-${n}`, "x").call("CLIENT", "INFO").exec();
        expect(String(replies?.[1]?.[1])).toContain(`laddr=${newMaster.host}:${newMaster.port}`);
      }
      expect(client.connection.address).toEqual(newMaster);
      expect(await topo.master.cli("EXISTS", "stale-0")).toBe("0");
      const resolution = await client.discovery.resolveMaster();
      expect(resolution.configEpoch).toBeGreaterThanOrEqual(1);
      expect(resolution.attempts.find((a) => a.sentinel.port === stale.port)?.detail).toBe(`${oldMaster.host}:${oldMaster.port} epoch 0`);
    } finally {
      await client.close();
    }
  });

  it("is ignored with minOtherSentinels, since it sees no other sentinel", async () => {
    const discovery = new SentinelDiscovery({ name: MASTER, sentinels, trust: { minOtherSentinels: 1 } });
    expect((await discovery.resolveMaster()).address).toEqual(newMaster);
  });
});
