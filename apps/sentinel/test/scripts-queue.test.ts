// The pure script queue against Redis's rules (SPEC §3 "Scripts"; redis/redis src/sentinel.c:
// sentinelScheduleScriptExecution, sentinelRunPendingScripts, sentinelCollectTerminatedScripts,
// sentinelKillTimedoutScripts, sentinelScriptRetryDelay, sentinelPendingScriptsCommand).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCRIPT_MAX_RUNTIME,
  DEFAULT_SCRIPT_RETRY_DELAY,
  SCRIPT_FORK_RETRY_PERIOD,
  SCRIPT_MAX_QUEUE,
  SCRIPT_MAX_RETRY,
  SCRIPT_MAX_RUNNING,
  ScriptQueue,
  scriptRetryDelay,
} from "../src/scripts/index.js";

const PATH = "/usr/local/bin/notify.sh";

/** Schedules one job and starts it at `now` with `pid`; returns its id. */
function startOne(queue: ScriptQueue, now: number, pid: number): number {
  const { job } = queue.schedule(PATH, ["+sdown", "master m 127.0.0.1 6379"]);
  const [started] = queue.due(now);
  expect(started?.id).toBe(job.id);
  queue.started(job.id, pid);
  return job.id;
}

describe("limits and constants (sentinel.c SENTINEL_SCRIPT_*, SPEC §4.1)", () => {
  it("match Redis", () => {
    expect([SCRIPT_MAX_QUEUE, SCRIPT_MAX_RUNNING, SCRIPT_MAX_RETRY]).toEqual([256, 16, 10]);
    expect([DEFAULT_SCRIPT_MAX_RUNTIME, DEFAULT_SCRIPT_RETRY_DELAY]).toEqual([60_000, 30_000]);
    expect(new ScriptQueue().timings).toEqual({ maxRuntime: 60_000, retryDelay: 30_000 });
  });
});

describe("schedule and due", () => {
  it("a new job runs at once with argv = path then args, its run counted", () => {
    const queue = new ScriptQueue();
    queue.schedule(PATH, ["+odown", "master m 127.0.0.1 6379 #quorum 2/2"]);
    const [job] = queue.due(1_000);
    expect(job).toMatchObject({
      argv: [PATH, "+odown", "master m 127.0.0.1 6379 #quorum 2/2"],
      running: true,
      pid: 0,
      startTime: 1_000,
      retryNum: 1,
    });
    expect(queue.due(1_001)).toEqual([]);
  });

  it("started gives the +script-child debug event with the pid", () => {
    const queue = new ScriptQueue();
    const { job } = queue.schedule(PATH, []);
    queue.due(0);
    expect(queue.started(job.id, 4242)).toEqual([{ name: "+script-child", level: "debug", payload: "4242" }]);
    expect(queue.snapshot()[0]?.pid).toBe(4242);
  });

  it("at most 16 run at once, oldest first; an exit lets the next one start", () => {
    const queue = new ScriptQueue();
    for (let i = 0; i < 20; i++) queue.schedule(PATH, [String(i)]);
    const first = queue.due(0);
    expect(first.map((j) => j.argv[1])).toEqual(Array.from({ length: 16 }, (_, i) => String(i)));
    expect(queue.due(1)).toEqual([]);
    expect(queue.counts()).toEqual({ running: 16, queueLength: 20 });
    queue.started(first[3]!.id, 100);
    queue.exited(first[3]!.id, 0, 0, 2);
    expect(queue.due(2).map((j) => j.argv[1])).toEqual(["16"]);
    expect(queue.counts()).toEqual({ running: 16, queueLength: 19 });
  });

  it.each([
    { running: 0, dropped: "0" },
    { running: 16, dropped: "16" },
  ])("past 256 jobs the oldest one not running is dropped ($running running)", ({ running, dropped }) => {
    const queue = new ScriptQueue();
    for (let i = 0; i < SCRIPT_MAX_QUEUE; i++) {
      expect(queue.schedule(PATH, [String(i)]).dropped).toBeNull();
    }
    if (running > 0) expect(queue.due(0)).toHaveLength(running);
    const result = queue.schedule(PATH, ["new"]);
    expect(result.dropped?.argv[1]).toBe(dropped);
    const argv1 = queue.snapshot().map((j) => j.argv[1]);
    expect(argv1).toHaveLength(SCRIPT_MAX_QUEUE);
    expect(argv1).not.toContain(dropped);
    expect(argv1.at(-1)).toBe("new");
    expect(queue.counts()).toEqual({ running, queueLength: 256 });
  });
});

describe("exits (sentinelCollectTerminatedScripts)", () => {
  it("exit 0: the job leaves with only the -script-child debug event", () => {
    const queue = new ScriptQueue();
    const id = startOne(queue, 0, 77);
    expect(queue.exited(id, 0, 0, 10)).toEqual([{ name: "-script-child", level: "debug", payload: "77 0 0" }]);
    expect(queue.counts()).toEqual({ running: 0, queueLength: 0 });
  });

  it.each([2, 3, 126, 255])("exit %i: no retry, -script-error <path> 0 <code>", (code) => {
    const queue = new ScriptQueue();
    const id = startOne(queue, 0, 77);
    expect(queue.exited(id, code, 0, 10)).toEqual([
      { name: "-script-child", level: "debug", payload: `77 ${code} 0` },
      { name: "-script-error", level: "warning", payload: `${PATH} 0 ${code}` },
    ]);
    expect(queue.snapshot()).toEqual([]);
  });

  // "30 sec, 60 sec, 2 min, 4 min, 8 min, 16 min, 32 min, 64 min, 128 min" (sentinel.c).
  const delays = [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000, 7_680_000];

  it.each([
    { how: "exit code 1", code: 1, signal: 0 },
    { how: "SIGKILL", code: 0, signal: 9 },
    { how: "SIGTERM", code: 0, signal: 15 },
  ])("$how: retried after 30 s * 2^(n-1), 10 runs in all, then -script-error", ({ code, signal }) => {
    const queue = new ScriptQueue();
    const { job } = queue.schedule(PATH, ["a"]);
    let now = 1_000;
    const seen: number[] = [];
    for (let run = 1; run <= SCRIPT_MAX_RETRY; run++) {
      const [started] = queue.due(now);
      expect(started?.retryNum).toBe(run);
      queue.started(job.id, 500 + run);
      now += 5;
      const events = queue.exited(job.id, code, signal, now);
      if (run < SCRIPT_MAX_RETRY) {
        expect(events.map((e) => e.name)).toEqual(["-script-child"]);
        const [waiting] = queue.snapshot();
        expect(waiting).toMatchObject({ running: false, pid: 0, retryNum: run });
        seen.push(waiting!.startTime - now);
        expect(queue.due(waiting!.startTime - 1)).toEqual([]);
        now = waiting!.startTime;
      } else {
        expect(events).toEqual([
          { name: "-script-child", level: "debug", payload: `${500 + run} ${code} ${signal}` },
          { name: "-script-error", level: "warning", payload: `${PATH} ${signal} ${code}` },
        ]);
      }
    }
    expect(seen).toEqual(delays);
    expect(queue.snapshot()).toEqual([]);
  });

  it("scriptRetryDelay doubles from the base", () => {
    expect(delays.map((_, i) => scriptRetryDelay(i + 1, 30_000))).toEqual(delays);
    expect(scriptRetryDelay(3, 50)).toBe(200);
  });

  it("a report for an unknown or not running job changes nothing", () => {
    const queue = new ScriptQueue();
    const { job } = queue.schedule(PATH, []);
    expect(queue.exited(job.id, 0, 0, 0)).toEqual([]);
    expect(queue.exited(999, 0, 0, 0)).toEqual([]);
    expect(queue.started(job.id, 5)).toEqual([]);
    expect(queue.snapshot()).toHaveLength(1);
  });
});

describe("process creation failures (sentinelRunPendingScripts)", () => {
  it("fork failure: -script-error <path> 99 0 and the job is tried again soon", () => {
    const queue = new ScriptQueue();
    const { job } = queue.schedule(PATH, []);
    queue.due(1_000);
    expect(queue.spawnFailed(job.id, 1_000)).toEqual([
      { name: "-script-error", level: "warning", payload: `${PATH} 99 0` },
    ]);
    expect(queue.snapshot()[0]).toMatchObject({ running: false, retryNum: 1, startTime: 1_000 + SCRIPT_FORK_RETRY_PERIOD });
    expect(queue.nextDueAt()).toBe(1_000 + SCRIPT_FORK_RETRY_PERIOD);
    expect(queue.due(1_000 + SCRIPT_FORK_RETRY_PERIOD)[0]?.retryNum).toBe(2);
  });

  it("exec failure: the child's exit 2, so -script-error <path> 0 2 and no retry", () => {
    const queue = new ScriptQueue();
    const { job } = queue.schedule(PATH, []);
    queue.due(0);
    expect(queue.execFailed(job.id)).toEqual([{ name: "-script-error", level: "warning", payload: `${PATH} 0 2` }]);
    expect(queue.counts()).toEqual({ running: 0, queueLength: 0 });
  });
});

describe("timeouts (sentinelKillTimedoutScripts)", () => {
  it("a script running more than max runtime is killed once, with -script-timeout <path> <pid>", () => {
    const queue = new ScriptQueue();
    const id = startOne(queue, 1_000, 321);
    expect(queue.nextDueAt()).toBe(1_000 + 60_000 + 1);
    expect(queue.timedOut(61_000)).toEqual([]);
    const [timeout] = queue.timedOut(61_001);
    expect(timeout?.job).toMatchObject({ id, pid: 321 });
    expect(timeout?.event).toEqual({ name: "-script-timeout", level: "warning", payload: `${PATH} 321` });
    expect(queue.timedOut(70_000)).toEqual([]);
    expect(queue.nextDueAt()).toBeNull();
    // SIGKILL is a death by signal: retried like any other (retry 1 waits the base delay).
    expect(queue.exited(id, 0, 9, 61_010).map((e) => e.name)).toEqual(["-script-child"]);
    expect(queue.snapshot()[0]).toMatchObject({ running: false, startTime: 61_010 + 30_000, killSent: false });
  });

  it("setTimings changes max runtime and retry delay (SENTINEL DEBUG)", () => {
    const queue = new ScriptQueue();
    queue.setTimings({ maxRuntime: 100 });
    expect(queue.timings).toEqual({ maxRuntime: 100, retryDelay: 30_000 });
    queue.setTimings({ retryDelay: 7 });
    const id = startOne(queue, 0, 1);
    expect(queue.timedOut(101)).toHaveLength(1);
    queue.exited(id, 1, 0, 101);
    expect(queue.snapshot()[0]?.startTime).toBe(108);
  });
});

describe("nextDueAt", () => {
  it("null when empty; 0 for a new job; the retry time; only timeouts at the running limit", () => {
    const queue = new ScriptQueue({ maxRunning: 1, maxRuntime: 500, retryDelay: 40 });
    expect(queue.nextDueAt()).toBeNull();
    const { job } = queue.schedule(PATH, []);
    expect(queue.nextDueAt()).toBe(0);
    queue.due(100);
    expect(queue.nextDueAt()).toBeNull(); // not spawned yet: no pid to time out
    queue.started(job.id, 9);
    queue.schedule(PATH, ["second"]);
    expect(queue.nextDueAt()).toBe(601);
    queue.exited(job.id, 1, 0, 200);
    expect(queue.nextDueAt()).toBe(0); // the second job may start now
    queue.due(200);
    expect(queue.nextDueAt()).toBeNull();
  });
});

describe("pending (sentinelPendingScriptsCommand)", () => {
  it("running: run-time since start; scheduled: run-delay left, 0 when runnable; retry-num", () => {
    const queue = new ScriptQueue({ retryDelay: 1_000 });
    const a = startOne(queue, 100, 11);
    queue.schedule(PATH, ["b"]);
    const c = queue.schedule(PATH, ["c"]).job.id;
    queue.due(150);
    queue.started(c, 13);
    queue.exited(c, 1, 0, 200);
    expect(queue.pending(400)).toEqual([
      { argv: [PATH, "+sdown", "master m 127.0.0.1 6379"], flags: "running", pid: 11, timeField: "run-time", timeMs: 300, retryNum: 1 },
      { argv: [PATH, "b"], flags: "running", pid: 0, timeField: "run-time", timeMs: 250, retryNum: 1 },
      { argv: [PATH, "c"], flags: "scheduled", pid: 0, timeField: "run-delay", timeMs: 800, retryNum: 1 },
    ]);
    expect(queue.pending(5_000)[2]?.timeMs).toBe(0);
    queue.exited(a, 0, 0, 400);
    const fresh = new ScriptQueue();
    fresh.schedule(PATH, []);
    expect(fresh.pending(123)).toEqual([
      { argv: [PATH], flags: "scheduled", pid: 0, timeField: "run-delay", timeMs: 0, retryNum: 0 },
    ]);
  });
});

describe("invariants under any sequence of operations", () => {
  type Op =
    | { op: "schedule" }
    | { op: "tick"; dt: number }
    | { op: "exit"; pick: number; code: number; signal: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ op: "schedule" }),
    fc.record({ op: fc.constant("tick" as const), dt: fc.integer({ min: 0, max: 200_000 }) }),
    fc.record({
      op: fc.constant("exit" as const),
      pick: fc.nat(),
      code: fc.constantFrom(0, 1, 2),
      signal: fc.constantFrom(0, 0, 9),
    }),
  );

  it("running <= max, length <= max, retries <= max, no job runs before its time", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const queue = new ScriptQueue({ maxQueue: 8, maxRunning: 3, maxRetry: 4, retryDelay: 1_000, maxRuntime: 50_000 });
        let now = 0;
        let pid = 1;
        for (const step of ops) {
          if (step.op === "schedule") queue.schedule(PATH, []);
          else if (step.op === "tick") {
            now += step.dt;
            const before = new Map(queue.snapshot().map((j) => [j.id, j.startTime]));
            for (const job of queue.due(now)) {
              expect(before.get(job.id)!).toBeLessThanOrEqual(now);
              queue.started(job.id, pid++);
            }
            queue.timedOut(now);
          } else {
            const running = queue.snapshot().filter((j) => j.running);
            const job = running[step.pick % Math.max(1, running.length)];
            if (job !== undefined) queue.exited(job.id, step.code, step.signal, now);
          }
          const jobs = queue.snapshot();
          expect(jobs.length).toBeLessThanOrEqual(8);
          expect(queue.counts().running).toBeLessThanOrEqual(3);
          for (const j of jobs) expect(j.retryNum).toBeLessThanOrEqual(4);
        }
      }),
      { numRuns: 200 },
    );
  });
});
