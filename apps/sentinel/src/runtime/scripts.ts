import { spawn, type ChildProcess } from "node:child_process";
import type { ScriptJobView } from "../commands/view.js";
import type { CoreLogLevel } from "../core/types.js";

/** Limits of the {@link ScriptRunner}. */
export interface ScriptLimits {
  /** Scripts running at the same time. */
  readonly maxRunning: number;
  /** Jobs kept; beyond it the oldest job not running is dropped. */
  readonly maxQueue: number;
  /** Runs of one job before a failure is final. */
  readonly maxRetry: number;
  /** A script running longer is killed, ms. */
  readonly maxRuntimeMs: number;
  /** First retry delay, doubled on each retry, ms. */
  readonly retryDelayMs: number;
}

/** Redis's limits for user scripts (SPEC §3, sentinel.c `SENTINEL_SCRIPT_*`). */
export const SCRIPT_LIMITS: ScriptLimits = {
  /** Scripts running at the same time. */
  maxRunning: 16,
  /** Jobs kept; beyond it the oldest job not running is dropped. */
  maxQueue: 256,
  /** Runs of one job before a failure is final. */
  maxRetry: 10,
  /** A script running longer is killed, ms. */
  maxRuntimeMs: 60_000,
  /** First retry delay, doubled on each retry, ms. */
  retryDelayMs: 30_000,
};

interface Job {
  readonly argv: readonly string[];
  running: boolean;
  pid: number;
  startTime: number;
  retryNum: number;
  child: ChildProcess | undefined;
}

/** How the runner reports its events (`-script-error`, `-script-timeout`, debug ones). */
export type ScriptEventSink = (name: string, level: CoreLogLevel, payload: string) => void;

/**
 * Runs notification and client-reconfig scripts the way Redis Sentinel does: a queue of at
 * most 256 jobs, 16 running at once, killed after 60 s, retried up to 10 times with a delay
 * of 30 s doubled each time when they exit with 1 or die by a signal, reported with
 * `-script-error` when they fail for good.
 */
export class ScriptRunner {
  readonly #jobs: Job[] = [];
  readonly #emit: ScriptEventSink;
  readonly #limits: ScriptLimits;
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  /** A runner reporting through `emit`; `limits` are Redis's unless given. */
  constructor(emit: ScriptEventSink, limits: Partial<ScriptLimits> = {}) {
    this.#emit = emit;
    this.#limits = { ...SCRIPT_LIMITS, ...limits };
  }

  /** `sentinelScheduleScriptExecution`: queue a run as soon as possible. */
  schedule(path: string, args: readonly string[]): void {
    if (this.#closed) return;
    if (this.#jobs.length >= this.#limits.maxQueue) {
      const oldest = this.#jobs.findIndex((j) => !j.running);
      if (oldest >= 0) this.#jobs.splice(oldest, 1);
    }
    this.#jobs.push({ argv: [path, ...args], running: false, pid: 0, startTime: 0, retryNum: 0, child: undefined });
    this.#runPending();
  }

  /** SENTINEL PENDING-SCRIPTS: the jobs, in queue order. */
  jobs(): ScriptJobView[] {
    return this.#jobs.map((j) => ({ argv: j.argv, running: j.running, pid: j.pid, startTime: j.startTime, retryNum: j.retryNum }));
  }

  /** The number of scripts running (`sentinel_running_scripts`). */
  get running(): number {
    return this.#jobs.filter((j) => j.running).length;
  }

  /** Kills running scripts and forgets the queue. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    for (const j of this.#jobs) j.child?.kill("SIGKILL");
    this.#jobs.length = 0;
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  // sentinelRunPendingScripts
  #runPending(): void {
    const now = Date.now();
    let running = this.running;
    for (const job of this.#jobs) {
      if (running >= this.#limits.maxRunning) break;
      if (job.running || job.startTime > now) continue;
      this.#start(job, now);
      running++;
    }
  }

  #start(job: Job, now: number): void {
    job.running = true;
    job.startTime = now;
    job.retryNum++;
    const [path = "", ...args] = job.argv;
    let child: ChildProcess;
    try {
      child = spawn(path, args, { stdio: "ignore" });
    } catch {
      this.#finished(job, 2, 0);
      return;
    }
    job.child = child;
    job.pid = child.pid ?? 0;
    this.#emit("+script-child", "debug", String(job.pid));
    let done = false;
    // execve failing in Redis's child exits with 2: a missing or non-executable script.
    child.once("error", () => {
      if (!done) {
        done = true;
        this.#finished(job, 2, 0);
      }
    });
    child.once("exit", (code, signal) => {
      if (done) return;
      done = true;
      this.#emit("-script-child", "debug", `${job.pid} ${code ?? 0} ${signal === null ? 0 : 1}`);
      this.#finished(job, code ?? 0, signal === null ? 0 : 1);
    });
    const started = job.startTime;
    this.#later(this.#limits.maxRuntimeMs, () => {
      if (!done && job.running && job.startTime === started) {
        this.#emit("-script-timeout", "warning", `${path} ${job.pid}`);
        child.kill("SIGKILL");
      }
    });
  }

  // sentinelCollectTerminatedScripts
  #finished(job: Job, exitCode: number, bySignal: number): void {
    job.running = false;
    job.pid = 0;
    job.child = undefined;
    if ((bySignal !== 0 || exitCode === 1) && job.retryNum !== this.#limits.maxRetry) {
      let delay = this.#limits.retryDelayMs;
      for (let n = job.retryNum; n > 1; n--) delay *= 2;
      job.startTime = Date.now() + delay;
      this.#later(delay, () => this.#runPending());
    } else {
      if (bySignal !== 0 || exitCode !== 0) this.#emit("-script-error", "warning", `${job.argv[0]} ${bySignal} ${exitCode}`);
      const i = this.#jobs.indexOf(job);
      if (i >= 0) this.#jobs.splice(i, 1);
    }
    if (!this.#closed) this.#runPending();
  }
}
