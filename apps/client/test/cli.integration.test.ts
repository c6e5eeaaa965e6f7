import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort, waitFor } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode, runCli, type DrillReport, type WatchEvent } from "../src/index.js";
import { MASTER, sentinelCall, startTopology, type Topology } from "../../../packages/client-discovery/test/topology.js";
import { captureIO, cli } from "./capture.js";
import { expectFreshResolve, expectFreshStatus, sentinelFlags } from "./fresh-topology.js";
import { currentMaster } from "./readme-example.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../bin/sentinel-kit-client.js", import.meta.url));

let topo: Topology;
let sentinelArgs: string[];
beforeAll(async () => {
  // The child-process test runs the built CLI, as a user of a clone would.
  const built = run("pnpm", ["exec", "tsc", "-b", "packages/client-discovery", "apps/client"], { cwd: root });
  topo = await startTopology({ replicas: 1 });
  sentinelArgs = sentinelFlags(topo);
  await built;
}, 90_000);
afterAll(async () => {
  await topo?.stop();
});

describe("sentinel-kit-client commands, in-process", () => {
  it.each(["status", "resolve", "watch", "exec", "drill"])("%s --help exits 0 with usage", async (command) => {
    const { code, out } = await cli(command, "--help");
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain(`Usage: sentinel-kit-client ${command}`);
  });

  it("status --json: masters, replicas, sentinels, epochs, and every sentinel's view", async () => {
    const { code, out } = await cli("status", ...sentinelArgs, "--json");
    expect(code).toBe(ExitCode.ok);
    expectFreshStatus(out, topo);
  });

  it("status as a table, without colour when not on a TTY", async () => {
    const { code, out } = await cli("status", ...sentinelArgs);
    expect(code).toBe(ExitCode.ok);
    expect(out).toMatch(new RegExp(`^${MASTER}  127\\.0\\.0\\.1:${topo.master.port}  master  epoch 0  quorum 2`));
    expect(out).toContain("replica ");
    expect(out).not.toContain("\u001b[");
  });

  it("on a terminal: status is coloured and a drill shows progress on stderr", async () => {
    const tty = captureIO(true, true);
    expect(await runCli(["status", ...sentinelArgs], tty)).toBe(ExitCode.ok);
    expect(tty.stdout()).toContain("\u001b[32mmaster\u001b[0m");
    const drill = captureIO(true, true);
    expect(await runCli(["drill", MASTER, ...sentinelArgs, "--duration", "700"], drill)).toBe(ExitCode.ok);
    expect(drill.stderr()).toMatch(/\r\d+ ms {2}acked \d+ {2}failed 0 {2}master 127\.0\.0\.1:\d+/);
    expect(drill.stdout()).toMatch(/^master {7}127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ \(no switch\)\n/);
    expect(drill.stdout()).toContain("lost         0 acknowledged writes missing");
  });

  it("resolve --json gives the ROLE-verified master and its replicas", async () => {
    const { code, out } = await cli("resolve", MASTER, ...sentinelArgs, "--cross-check", "2", "--json");
    expect(code).toBe(ExitCode.ok);
    expectFreshResolve(out, topo);
  });

  it("exec runs on the master, --replica on the replica, and an error reply exits 6", async () => {
    const set = await cli("exec", MASTER, "SET", "cli-key", "v1", ...sentinelArgs, "--json");
    expect(set.code).toBe(ExitCode.ok);
    expect(JSON.parse(set.out)).toEqual({ address: `127.0.0.1:${topo.master.port}`, role: "master", reply: "OK" });
    const role = await cli("exec", MASTER, "ROLE", "--replica", ...sentinelArgs);
    expect(role.code).toBe(ExitCode.ok);
    expect(role.out).toMatch(new RegExp(`^1\\) slave\n2\\) 127\\.0\\.0\\.1\n3\\) \\(integer\\) ${topo.master.port}\n`));
    const bad = await cli("exec", MASTER, "INCR", "cli-key", ...sentinelArgs);
    expect(bad.code).toBe(ExitCode.commandError);
    expect(bad.err).toContain("(error) ERR value is not an integer");
  });

  it("exit codes tell apart unreachable sentinels, an unknown master and bad usage", async () => {
    const down = await cli("resolve", MASTER, "--sentinel", `127.0.0.1:${await freePort()}`);
    expect(down.code).toBe(ExitCode.noSentinel);
    expect(down.err).toMatch(/^NoSentinelReachableError: .*ECONNREFUSED/);
    const unknown = await cli("resolve", "nosuchmaster", ...sentinelArgs);
    expect(unknown.code).toBe(ExitCode.unknownMaster);
    expect(unknown.err).toMatch(/^MasterUnknownError/);
    expect((await cli("resolve")).code).toBe(ExitCode.usage);
    expect((await cli("resolve", MASTER, "--sentinel", "nohost:99999")).code).toBe(ExitCode.usage);
    expect((await cli("status", "--sentinel", `127.0.0.1:${await freePort()}`)).code).toBe(ExitCode.noSentinel);
  });

  it("watch --json streams events from every sentinel, filtered by master, until --count", async () => {
    const io = captureIO();
    const watching = runCli(["watch", ...sentinelArgs, "--master", MASTER, "--count", "2", "--timeout", "10000", "--json"], io);
    // +set is published by the sentinel that applied the change (SPEC §3); two sentinels, two
    // events. Each is set only once watch's PSUBSCRIBE is in effect there: an event published
    // before it would be missed, whatever fixed pause a loaded machine took to get there.
    await waitFor(
      async () => {
        for (const s of topo.sentinels.slice(0, 2)) {
          if (!/ psub=[1-9]/.test(await s.cli("CLIENT", "LIST"))) return false;
        }
        return true;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: "watch to subscribe on both sentinels" },
    );
    for (const s of topo.sentinelAddresses.slice(0, 2)) expect(await sentinelCall(s, "SET", MASTER, "down-after-milliseconds", "1000")).toBe("OK");
    expect(await watching).toBe(ExitCode.ok);
    const events = io.stdout().trim().split("\n").map((line) => JSON.parse(line) as WatchEvent);
    expect(events.map((e) => e.channel)).toEqual(["+set", "+set"]);
    expect(new Set(events.map((e) => e.sentinel)).size).toBe(2);
    expect(events[0]!.message).toMatch(new RegExp(`^master ${MASTER} 127\\.0\\.0\\.1 ${topo.master.port} down-after-milliseconds 1000$`));
  }, 30_000);

  it("watch ends at --timeout when nothing happens", async () => {
    const started = performance.now();
    const { code, out } = await cli("watch", ...sentinelArgs, "--master", "other", "--timeout", "300");
    expect(code).toBe(ExitCode.ok);
    expect(out).toBe("");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("the README's TypeScript example runs, and is the code the README shows", async () => {
    expect(await currentMaster(sentinelArgs[1]!)).toBe(`127.0.0.1:${topo.master.port}`);
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(/```ts\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8"));
  });

  it("the README's commands run", async () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    const block = blocks.find((b) => b.includes("sentinel-kit-client status")) ?? "";
    const commands = block.split("\n").filter((l) => l.startsWith("sentinel-kit-client "));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    process.env["SENTINEL_KIT_SENTINELS"] = sentinelArgs[1];
    try {
      for (const line of commands) {
        const { code, err } = await cli(...line.split(" ").slice(1));
        expect({ line, code, err }).toEqual({ line, code: ExitCode.ok, err: "" });
      }
    } finally {
      delete process.env["SENTINEL_KIT_SENTINELS"];
    }
  });
});

describe("sentinel-kit-client as a child process", () => {
  it("drill --failover --fence: follows the failover, reports unavailability, errors and lost writes verified on the new master", async () => {
    // The drill writes for a fixed --duration and reports `switched` only if the failover
    // completed within it: 20 s leaves a loaded CI machine room for a 1-3 s failover.
    const { stdout } = await run(
      process.execPath,
      [bin, "drill", MASTER, ...sentinelArgs, "--failover", "--fence", "3000", "--duration", "20000", "--failover-after", "500", "--json"],
      { timeout: 45_000 },
    );
    const report = JSON.parse(stdout) as DrillReport;
    expect(report.switched).toBe(true);
    expect(report.masterBefore).toBe(`127.0.0.1:${topo.master.port}`);
    expect(report.masterAfter).toBe(`127.0.0.1:${topo.replicas[0]!.port}`);
    expect(report.trigger?.result).toMatch(/^OK from /);
    expect(report.writes.acknowledged).toBeGreaterThan(0);
    expect(report.writes.acknowledged + report.writes.failed).toBe(report.writes.attempted);
    expect(Object.keys(report.acknowledgedBy).sort()).toEqual([report.masterBefore, report.masterAfter].sort());
    expect(report.unavailable.longestMs).toBeGreaterThan(0);
    expect(report.unavailable.longestMs).toBeLessThan(5000);
    // Lost writes were read back from the new master: each one named is really absent there.
    for (const key of report.lostKeys.slice(0, 5)) expect(await topo.replicas[0]!.cli("EXISTS", key)).toBe("0");
    // Without the fence, every write the old master acknowledged between REPLICAOF NO ONE and
    // the client's switch is lost (thousands here); with it, writes wait for the new master
    // and at most the few that raced the promotion event are.
    expect(report.fenceMs).toBe(3000);
    expect(report.lost).toBeLessThan(100);
  }, 60_000);
});
