import { afterAll, beforeAll, expect, it } from "vitest";
import { ExitCode } from "../src/index.js";
import { MASTER, startTopology, TOPOLOGY_START_TIMEOUT_MS, type Topology } from "../../../packages/client-discovery/test/topology.js";
import { cli } from "./capture.js";
import { expectFreshResolve, expectFreshStatus, sentinelFlags } from "./fresh-topology.js";

// The CLI was written against redis-sentinel; the same reports from three sentinel-kit
// daemons (apps/sentinel, built) show the daemon's SENTINEL replies parse the same way.
let topo: Topology;
let sentinelArgs: string[];
beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinelKind: "sentinel-kit" });
  sentinelArgs = sentinelFlags(topo);
}, TOPOLOGY_START_TIMEOUT_MS);
afterAll(async () => {
  await topo?.stop();
});

it("status --json against sentinel-kit daemons: master, replica, the two other sentinels, every daemon's view", async () => {
  const { code, out, err } = await cli("status", ...sentinelArgs, "--json");
  expect({ code, err }).toEqual({ code: ExitCode.ok, err: "" });
  expectFreshStatus(out, topo);
});

it("resolve --json --cross-check 3 against sentinel-kit daemons: the ROLE-verified master and its replica", async () => {
  const { code, out, err } = await cli("resolve", MASTER, ...sentinelArgs, "--cross-check", "3", "--json");
  expect({ code, err }).toEqual({ code: ExitCode.ok, err: "" });
  expectFreshResolve(out, topo);
});
