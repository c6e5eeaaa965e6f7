import { expect } from "vitest";
import type { ResolveReport, StatusReport } from "../src/index.js";
import { MASTER, type Topology } from "../../../packages/client-discovery/test/topology.js";

/** `--sentinels` naming every sentinel of `topo`. */
export function sentinelFlags(topo: Topology): string[] {
  return ["--sentinels", topo.sentinelAddresses.map((s) => `${s.host}:${s.port}`).join(",")];
}

/**
 * Checks `status --json` output for a topology with one replica that has seen no failover:
 * the master, its replica, the two other sentinels, and every sentinel's view at epoch 0.
 */
export function expectFreshStatus(out: string, topo: Topology): void {
  const report = JSON.parse(out) as StatusReport;
  const master = report.masters.find((m) => m.name === MASTER)!;
  expect(master.address).toBe(`127.0.0.1:${topo.master.port}`);
  expect(master.flags).toEqual(["master"]);
  expect(master.replicas.map((r) => r.address)).toEqual([`127.0.0.1:${topo.replicas[0]!.port}`]);
  expect(master.sentinels).toHaveLength(2);
  expect(master.views.map((v) => v.configEpoch)).toEqual([0, 0, 0]);
}

/** Checks `resolve --json` output for the same topology: the master at epoch 0 and its usable replica. */
export function expectFreshResolve(out: string, topo: Topology): void {
  const report = JSON.parse(out) as ResolveReport;
  expect(report.master).toBe(`127.0.0.1:${topo.master.port}`);
  expect(report.configEpoch).toBe(0);
  expect(report.replicas).toEqual([{ address: `127.0.0.1:${topo.replicas[0]!.port}`, flags: ["slave"], usable: true }]);
}
