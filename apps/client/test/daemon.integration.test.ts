import { afterAll, beforeAll, expect, it } from "vitest";
import { ExitCode, runCli, type ResolveReport, type StatusReport } from "../src/index.js";
import { MASTER, startTopology, type Topology } from "../../../packages/client-discovery/test/topology.js";
import { captureIO } from "./capture.js";

// The CLI was written against redis-sentinel; the same reports from three sentinel-kit
// daemons (apps/sentinel, built) show the daemon's SENTINEL replies parse the same way.
let topo: Topology;
let sentinelArgs: string[];
beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinelKind: "sentinel-kit" });
  sentinelArgs = ["--sentinels", topo.sentinelAddresses.map((s) => `${s.host}:${s.port}`).join(",")];
}, 40_000);
afterAll(async () => {
  await topo?.stop();
});

async function cli(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

it("status --json against sentinel-kit daemons: master, replica, the two other sentinels, every daemon's view", async () => {
  const { code, out, err } = await cli("status", ...sentinelArgs, "--json");
  expect({ code, err }).toEqual({ code: ExitCode.ok, err: "" });
  const report = JSON.parse(out) as StatusReport;
  const master = report.masters.find((m) => m.name === MASTER)!;
  expect(master.address).toBe(`127.0.0.1:${topo.master.port}`);
  expect(master.flags).toEqual(["master"]);
  expect(master.replicas.map((r) => r.address)).toEqual([`127.0.0.1:${topo.replicas[0]!.port}`]);
  expect(master.sentinels).toHaveLength(2);
  expect(master.views.map((v) => v.configEpoch)).toEqual([0, 0, 0]);
});

it("resolve --json --cross-check 3 against sentinel-kit daemons: the ROLE-verified master and its replica", async () => {
  const { code, out, err } = await cli("resolve", MASTER, ...sentinelArgs, "--cross-check", "3", "--json");
  expect({ code, err }).toEqual({ code: ExitCode.ok, err: "" });
  const report = JSON.parse(out) as ResolveReport;
  expect(report.master).toBe(`127.0.0.1:${topo.master.port}`);
  expect(report.configEpoch).toBe(0);
  expect(report.replicas).toEqual([{ address: `127.0.0.1:${topo.replicas[0]!.port}`, flags: ["slave"], usable: true }]);
});
