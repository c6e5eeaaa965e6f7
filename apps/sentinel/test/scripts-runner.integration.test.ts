// The script runner with real /bin/sh scripts in a temp dir (SPEC §3 "Scripts"; sentinel.c
// script execution). Timings are shortened through the same options SENTINEL DEBUG tunes.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@sentinel-kit/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ScriptRunner, type PendingScript, type ScriptEvent, type ScriptRunnerOptions } from "../src/scripts/index.js";

let dir = "";
const runners: ScriptRunner[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sentinel-scripts-"));
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes an sh script that appends one line per argument (then `---`) to `<name>.out`. */
function script(name: string, tail: string, mode = 0o755): { path: string; out: string } {
  const path = join(dir, `${name}.sh`);
  const out = join(dir, `${name}.out`);
  // One printf, one write: scripts running at once must not interleave their records.
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" --- >> '${out}'\n${tail}\n`);
  chmodSync(path, mode);
  return { path, out };
}

function runs(out: string): string[][] {
  if (!existsSync(out)) return [];
  return readFileSync(out, "utf8")
    .split("---\n")
    .slice(0, -1)
    .map((block) => block.split("\n").filter((l) => l !== ""));
}

/** A runner whose events are collected; `observe` sees each one as it is emitted. */
function start(
  options: Partial<ScriptRunnerOptions> = {},
  observe?: (event: ScriptEvent, runner: ScriptRunner) => void,
): { runner: ScriptRunner; events: ScriptEvent[] } {
  const events: ScriptEvent[] = [];
  const runner: ScriptRunner = new ScriptRunner({
    stdio: "ignore",
    onEvent: (e) => {
      events.push(e);
      observe?.(e, runner);
    },
    ...options,
  });
  runners.push(runner);
  return { runner, events };
}

const idle = (runner: ScriptRunner) => () => runner.counts().queueLength === 0;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ScriptRunner with real scripts", () => {
  it("passes argv as is, without a shell; exit 0 gives only debug events", async () => {
    const { path, out } = script("ok", "exit 0");
    const { runner, events } = start();
    const args = ["+sdown", "master m 127.0.0.1 6379", "$HOME `x` ; 'q'"];
    runner.schedule(path, args);
    await waitFor(idle(runner), { timeoutMs: 10_000, what: "the script to finish" });
    expect(runs(out)).toEqual([args]);
    expect(events.map((e) => [e.name, e.level])).toEqual([
      ["+script-child", "debug"],
      ["-script-child", "debug"],
    ]);
    const pid = events[0]!.payload;
    expect(events[1]!.payload).toBe(`${pid} 0 0`);
  });

  it("exit 1 is retried with doubling delays up to the retry limit, then -script-error", async () => {
    const { path, out } = script("retry", "exit 1");
    // What PENDING-SCRIPTS shows right after the first exit.
    let afterFirstExit: PendingScript[] | undefined;
    const { runner, events } = start({ retryDelay: 60, maxRetry: 3 }, (e, r) => {
      if (e.name === "-script-child") afterFirstExit ??= r.pending();
    });
    const t0 = Date.now();
    runner.schedule(path, ["x"]);
    await waitFor(idle(runner), { timeoutMs: 15_000, what: "the retries to end" });
    expect(runs(out)).toEqual([["x"], ["x"], ["x"]]);
    expect(afterFirstExit).toHaveLength(1);
    expect(afterFirstExit?.[0]).toMatchObject({ argv: [path, "x"], flags: "scheduled", pid: 0, timeField: "run-delay", retryNum: 1 });
    expect(afterFirstExit?.[0]?.timeMs).toBeGreaterThan(0);
    expect(afterFirstExit?.[0]?.timeMs).toBeLessThanOrEqual(60);
    // Two waits, 60 and 120 ms, separate the three runs.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    expect(events.filter((e) => e.name === "-script-error")).toEqual([
      { name: "-script-error", level: "warning", payload: `${path} 0 1` },
    ]);
    expect(events.filter((e) => e.name === "+script-child")).toHaveLength(3);
  });

  it("exit 2 is not retried: one run, -script-error <path> 0 2", async () => {
    const { path, out } = script("fatal", "exit 2");
    const { runner, events } = start({ retryDelay: 10 });
    runner.schedule(path, ["y"]);
    await waitFor(idle(runner), { timeoutMs: 10_000, what: "the script to finish" });
    expect(runs(out)).toEqual([["y"]]);
    expect(events.at(-1)).toEqual({ name: "-script-error", level: "warning", payload: `${path} 0 2` });
  });

  it("a script past max runtime is SIGKILLed with -script-timeout, then retried as a signal death", async () => {
    const { path, out } = script("slow", "exec sleep 30");
    const { runner, events } = start({ maxRuntime: 500, retryDelay: 50, maxRetry: 2 });
    runner.schedule(path, ["z"]);
    await waitFor(idle(runner), { timeoutMs: 15_000, what: "both runs to be killed" });
    expect(runs(out)).toEqual([["z"], ["z"]]);
    const pids = events.filter((e) => e.name === "+script-child").map((e) => e.payload);
    expect(pids).toHaveLength(2);
    expect(events.filter((e) => e.level === "warning")).toEqual([
      { name: "-script-timeout", level: "warning", payload: `${path} ${pids[0]}` },
      { name: "-script-timeout", level: "warning", payload: `${path} ${pids[1]}` },
      { name: "-script-error", level: "warning", payload: `${path} 9 0` },
    ]);
    expect(events.find((e) => e.name === "-script-child")?.payload).toBe(`${pids[0]} 0 9`);
    for (const pid of pids) expect(pidAlive(Number(pid))).toBe(false);
  });

  it.each([
    { what: "not executable", make: () => script("noexec", "exit 0", 0o644).path },
    { what: "missing", make: () => join(dir, "missing.sh") },
  ])("a $what script is an exec failure: -script-error <path> 0 2, no retry", async ({ make }) => {
    const path = make();
    const { runner, events } = start({ retryDelay: 10 });
    runner.schedule(path, []);
    await waitFor(idle(runner), { timeoutMs: 10_000, what: "the job to leave" });
    expect(events).toEqual([{ name: "-script-error", level: "warning", payload: `${path} 0 2` }]);
  });

  it("runs at most maxRunning at once; the others wait as scheduled", async () => {
    const { path, out } = script("par", "exec sleep 0.3");
    // Seen at every child start: the running count, and the queue at the first start.
    const running: number[] = [];
    let atFirstStart: string[] | undefined;
    const { runner } = start({ maxRunning: 2 }, (e, r) => {
      if (e.name !== "+script-child") return;
      running.push(r.counts().running);
      atFirstStart ??= r.pending().map((p) => p.flags);
    });
    for (let i = 0; i < 5; i++) runner.schedule(path, [String(i)]);
    await waitFor(idle(runner), { timeoutMs: 15_000, what: "all five to finish" });
    expect(atFirstStart).toEqual(["running", "running", "scheduled", "scheduled", "scheduled"]);
    expect(running).toHaveLength(5);
    expect(Math.max(...running)).toBe(2);
    // Two run at a time, so their lines may land in either order.
    expect(runs(out).map((r) => r[0]).sort()).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("a fork failure is -script-error <path> 99 0 and the job is tried again", async () => {
    const { path, out } = script("forkfail", "exit 0");
    let calls = 0;
    const { runner, events } = start({
      spawn: (p, args, options): ChildProcess => {
        calls++;
        if (calls === 1) throw Object.assign(new Error("spawn EAGAIN"), { code: "EAGAIN" });
        return spawn(p, [...args], { stdio: options.stdio });
      },
    });
    runner.schedule(path, ["f"]);
    await waitFor(idle(runner), { timeoutMs: 10_000, what: "the second attempt to finish" });
    expect(events[0]).toEqual({ name: "-script-error", level: "warning", payload: `${path} 99 0` });
    expect(runs(out)).toEqual([["f"]]);
    expect(calls).toBe(2);
  });

  it("stop() kills running scripts and starts no more", async () => {
    const { path, out } = script("stopme", "exec sleep 30");
    const { runner, events } = start({ maxRunning: 1 });
    runner.schedule(path, ["1"]);
    runner.schedule(path, ["2"]);
    await waitFor(() => runs(out).length === 1, { timeoutMs: 10_000, what: "the first script to run" });
    const pid = Number(events.find((e) => e.name === "+script-child")!.payload);
    await runner.stop();
    expect(pidAlive(pid)).toBe(false);
    runner.schedule(path, ["3"]);
    await new Promise((r) => setTimeout(r, 100));
    expect(runs(out)).toEqual([["1"]]);
  });

  it("setTimings applies to the running job's timeout", async () => {
    const { path } = script("tuned", "exec sleep 30");
    const { runner, events } = start({ maxRetry: 1 });
    runner.schedule(path, []);
    await waitFor(() => runner.counts().running === 1 && runner.pending()[0]?.pid, { timeoutMs: 10_000, what: "a child" });
    runner.setTimings({ maxRuntime: 50 });
    expect(runner.timings.maxRuntime).toBe(50);
    await waitFor(idle(runner), { timeoutMs: 10_000, what: "the kill" });
    expect(events.map((e) => e.name)).toContain("-script-timeout");
  }, 30_000);

  it("a max runtime beyond setTimeout's range does not make the timer spin", async () => {
    const { path } = script("long", "exec sleep 30");
    let clockReads = 0;
    const { runner, events } = start({
      maxRuntime: 2 ** 40,
      now: () => {
        clockReads++;
        return Date.now();
      },
    });
    runner.schedule(path, []);
    await waitFor(() => events.some((e) => e.name === "+script-child"), { timeoutMs: 10_000, what: "a child" });
    const before = clockReads;
    await new Promise((r) => setTimeout(r, 300));
    expect(clockReads - before).toBeLessThan(5);
    expect(runner.counts().running).toBe(1);
  });
});
