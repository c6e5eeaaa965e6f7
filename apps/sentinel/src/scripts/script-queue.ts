/** Most jobs the queue holds, running ones included (`SENTINEL_SCRIPT_MAX_QUEUE`). */
export const SCRIPT_MAX_QUEUE = 256;
/** Most scripts running at once (`SENTINEL_SCRIPT_MAX_RUNNING`). */
export const SCRIPT_MAX_RUNNING = 16;
/** Most runs of one job: the first one and its retries (`SENTINEL_SCRIPT_MAX_RETRY`). */
export const SCRIPT_MAX_RETRY = 10;
/** Default run time after which a script is SIGKILLed, ms (`sentinel_script_max_runtime`). */
export const DEFAULT_SCRIPT_MAX_RUNTIME = 60_000;
/** Default delay before the first retry, ms; doubled at each further retry (`sentinel_script_retry_delay`). */
export const DEFAULT_SCRIPT_RETRY_DELAY = 30_000;
/**
 * Delay before a job whose process could not be created is tried again, ms. Redis tries it
 * again at its next timer tick (10 Hz); without a tick, the queue says when.
 */
export const SCRIPT_FORK_RETRY_PERIOD = 100;
/** The signal number Redis reports in `-script-error` when fork() fails. */
export const FORK_FAILURE_SIGNAL = 99;

/** The two timings SENTINEL DEBUG tunes (`script-max-runtime`, `script-retry-delay`), in ms. */
export interface ScriptTimings {
  /** A running script older than this is SIGKILLed, ms. */
  readonly maxRuntime: number;
  /** Delay before the first retry, ms; the n-th retry waits `retryDelay * 2^(n-1)`. */
  readonly retryDelay: number;
}

/** Options of {@link ScriptQueue}; every field defaults to Redis's value. */
export interface ScriptQueueOptions {
  /** See {@link ScriptTimings.maxRuntime}; 60 000 ms by default. */
  readonly maxRuntime?: number;
  /** See {@link ScriptTimings.retryDelay}; 30 000 ms by default. */
  readonly retryDelay?: number;
  /** Most jobs held, running ones included; 256 by default. */
  readonly maxQueue?: number;
  /** Most jobs running at once; 16 by default. */
  readonly maxRunning?: number;
  /** Most runs of one job; 10 by default. */
  readonly maxRetry?: number;
}

/**
 * A sentinel event about scripts. All have no instance, so they never run a notification
 * script themselves. Debug ones are logged only, never published (SPEC §3).
 */
export interface ScriptEvent {
  /** Event name (and pub/sub channel for the warning ones). */
  readonly name: "-script-error" | "-script-timeout" | "+script-child" | "-script-child";
  /** `warning` for errors and timeouts, `debug` for child start and exit. */
  readonly level: "warning" | "debug";
  /** Redis's payload text, e.g. `/path/to/script 0 2` for `-script-error`. */
  readonly payload: string;
}

/** A job as the queue holds it (`sentinelScriptJob`), copied out. */
export interface ScriptJob {
  /** The queue's own id for the job; stable across retries. */
  readonly id: number;
  /** The script path followed by its arguments, as execve gets them. */
  readonly argv: readonly string[];
  /** Whether it runs now (or its process is being created). */
  readonly running: boolean;
  /** The child's pid while running, 0 otherwise. */
  readonly pid: number;
  /** When it started (running), or the earliest time it may start (scheduled; 0: any time). */
  readonly startTime: number;
  /** How many times it was started so far. */
  readonly retryNum: number;
  /** Whether it was told to die for running too long. */
  readonly killSent: boolean;
}

/** One entry of SENTINEL PENDING-SCRIPTS, field by field in Redis's order. */
export interface PendingScript {
  /** `argv`: the script path and its arguments. */
  readonly argv: readonly string[];
  /** `flags`: `running` or `scheduled`. */
  readonly flags: "running" | "scheduled";
  /** `pid`: the child's pid, 0 when not running. */
  readonly pid: number;
  /** Which timing field follows: `run-time` when running, `run-delay` when scheduled. */
  readonly timeField: "run-time" | "run-delay";
  /** Its value in ms: time since start, or time left before it may start (never negative). */
  readonly timeMs: number;
  /** `retry-num`: how many times it was started so far. */
  readonly retryNum: number;
}

/** What INFO's sentinel section shows about scripts. */
export interface ScriptCounts {
  /** `sentinel_running_scripts`. */
  readonly running: number;
  /** `sentinel_scripts_queue_length`: every job held, running ones included. */
  readonly queueLength: number;
}

/** A job the queue told its caller to kill, with the event to emit. */
export interface ScriptTimeout {
  /** The job, with its pid. */
  readonly job: ScriptJob;
  /** The `-script-timeout <path> <pid>` event. */
  readonly event: ScriptEvent;
}

/** What {@link ScriptQueue.schedule} did. */
export interface ScheduleResult {
  /** The new job. */
  readonly job: ScriptJob;
  /** The oldest job not running, dropped because the queue was full; null when none was. */
  readonly dropped: ScriptJob | null;
}

/**
 * Delay before a retry after `retryNum` runs (`sentinelScriptRetryDelay`): the base delay
 * doubled for every run after the first, so 30 s, 60 s, 2 min ... with Redis's base.
 */
export function scriptRetryDelay(retryNum: number, retryDelay: number): number {
  return retryDelay * 2 ** Math.max(0, retryNum - 1);
}

interface Job {
  readonly id: number;
  readonly argv: readonly string[];
  running: boolean;
  pid: number;
  startTime: number;
  retryNum: number;
  killSent: boolean;
}

function copy(job: Job): ScriptJob {
  return {
    id: job.id,
    argv: job.argv,
    running: job.running,
    pid: job.pid,
    startTime: job.startTime,
    retryNum: job.retryNum,
    killSent: job.killSent,
  };
}

function scriptError(path: string, signal: number, exitCode: number): ScriptEvent {
  return { name: "-script-error", level: "warning", payload: `${path} ${signal} ${exitCode}` };
}

/**
 * The script queue of Redis Sentinel (sentinel.c, "script execution"), as a pure state
 * machine: time comes in as `now`, and the caller starts and kills the processes it is told
 * to, then reports back. Jobs run oldest first; a full queue drops its oldest job that is not
 * running; exit code 1 or death by a signal is retried with back-off until
 * {@link SCRIPT_MAX_RETRY} runs; exit code 2 or more is not retried.
 */
export class ScriptQueue {
  readonly #jobs: Job[] = [];
  readonly #maxQueue: number;
  readonly #maxRunning: number;
  readonly #maxRetry: number;
  #maxRuntime: number;
  #retryDelay: number;
  #nextId = 1;

  /** Makes an empty queue; options default to Redis's limits and timings. */
  constructor(options: ScriptQueueOptions = {}) {
    this.#maxRuntime = options.maxRuntime ?? DEFAULT_SCRIPT_MAX_RUNTIME;
    this.#retryDelay = options.retryDelay ?? DEFAULT_SCRIPT_RETRY_DELAY;
    this.#maxQueue = options.maxQueue ?? SCRIPT_MAX_QUEUE;
    this.#maxRunning = options.maxRunning ?? SCRIPT_MAX_RUNNING;
    this.#maxRetry = options.maxRetry ?? SCRIPT_MAX_RETRY;
  }

  /** The current timings. */
  get timings(): ScriptTimings {
    return { maxRuntime: this.#maxRuntime, retryDelay: this.#retryDelay };
  }

  /** Changes the timings (SENTINEL DEBUG); running jobs and pending retries keep their times. */
  setTimings(timings: Partial<ScriptTimings>): void {
    if (timings.maxRuntime !== undefined) this.#maxRuntime = timings.maxRuntime;
    if (timings.retryDelay !== undefined) this.#retryDelay = timings.retryDelay;
  }

  /**
   * Queues `path` with `args` (`sentinelScheduleScriptExecution`), runnable at once. When the
   * queue then holds more than its limit, the oldest job not running is dropped.
   */
  schedule(path: string, args: readonly string[]): ScheduleResult {
    const job: Job = {
      id: this.#nextId++,
      argv: [path, ...args],
      running: false,
      pid: 0,
      startTime: 0,
      retryNum: 0,
      killSent: false,
    };
    this.#jobs.push(job);
    let dropped: ScriptJob | null = null;
    if (this.#jobs.length > this.#maxQueue) {
      const index = this.#jobs.findIndex((j) => !j.running);
      if (index !== -1) dropped = copy(this.#jobs.splice(index, 1)[0] as Job);
    }
    return { job: copy(job), dropped };
  }

  /**
   * Jobs to start now, oldest first, without exceeding the running limit
   * (`sentinelRunPendingScripts`). Each is marked running from `now` with its run counted;
   * the caller then reports {@link started}, {@link spawnFailed} or {@link execFailed}.
   */
  due(now: number): ScriptJob[] {
    const out: ScriptJob[] = [];
    let running = this.#runningCount();
    for (const job of this.#jobs) {
      if (running >= this.#maxRunning) break;
      if (job.running || job.startTime > now) continue;
      job.running = true;
      job.pid = 0;
      job.startTime = now;
      job.retryNum++;
      job.killSent = false;
      running++;
      out.push(copy(job));
    }
    return out;
  }

  /** The job's process exists with `pid`: returns the `+script-child <pid>` debug event. */
  started(id: number, pid: number): ScriptEvent[] {
    const job = this.#find(id);
    if (job === undefined || !job.running) return [];
    job.pid = pid;
    return [{ name: "+script-child", level: "debug", payload: String(pid) }];
  }

  /**
   * The process could not be created (fork failure in Redis): `-script-error <path> 99 0`, and
   * the job waits to be tried again, without a limit on such tries, as in Redis.
   */
  spawnFailed(id: number, now: number): ScriptEvent[] {
    const job = this.#find(id);
    if (job === undefined || !job.running) return [];
    job.running = false;
    job.pid = 0;
    job.startTime = now + SCRIPT_FORK_RETRY_PERIOD;
    return [scriptError(job.argv[0] as string, FORK_FAILURE_SIGNAL, 0)];
  }

  /**
   * The program could not be executed (missing, not executable): in Redis the child exits
   * with 2 after execve fails, so the job is dropped with `-script-error <path> 0 2`.
   */
  execFailed(id: number): ScriptEvent[] {
    const index = this.#jobs.findIndex((j) => j.id === id && j.running);
    if (index === -1) return [];
    const job = this.#jobs.splice(index, 1)[0] as Job;
    return [scriptError(job.argv[0] as string, 0, 2)];
  }

  /**
   * The job's process ended (`sentinelCollectTerminatedScripts`). `signal` is the number of
   * the signal that killed it (0 if none); `exitCode` is 0 when killed, as WEXITSTATUS gives.
   * Exit code 1 or a signal: retried after {@link scriptRetryDelay} unless it already ran
   * the maximum number of times. Otherwise the job leaves the queue, with `-script-error`
   * unless it exited with 0.
   */
  exited(id: number, exitCode: number, signal: number, now: number): ScriptEvent[] {
    const index = this.#jobs.findIndex((j) => j.id === id && j.running);
    if (index === -1) return [];
    const job = this.#jobs[index] as Job;
    const events: ScriptEvent[] = [
      { name: "-script-child", level: "debug", payload: `${job.pid} ${exitCode} ${signal}` },
    ];
    if ((signal !== 0 || exitCode === 1) && job.retryNum < this.#maxRetry) {
      job.running = false;
      job.pid = 0;
      job.killSent = false;
      job.startTime = now + scriptRetryDelay(job.retryNum, this.#retryDelay);
    } else {
      this.#jobs.splice(index, 1);
      if (signal !== 0 || exitCode !== 0) events.push(scriptError(job.argv[0] as string, signal, exitCode));
    }
    return events;
  }

  /**
   * Running jobs older than the maximum run time, to SIGKILL (`sentinelKillTimedoutScripts`),
   * each with its `-script-timeout <path> <pid>` event. A job is returned once: Redis repeats
   * the kill and the event at each timer tick until the child is reaped, which SIGKILL makes
   * immediate.
   */
  timedOut(now: number): ScriptTimeout[] {
    const out: ScriptTimeout[] = [];
    for (const job of this.#jobs) {
      if (!job.running || job.pid === 0 || job.killSent) continue;
      if (now - job.startTime <= this.#maxRuntime) continue;
      job.killSent = true;
      out.push({
        job: copy(job),
        event: { name: "-script-timeout", level: "warning", payload: `${job.argv[0] as string} ${job.pid}` },
      });
    }
    return out;
  }

  /**
   * The earliest time {@link due} or {@link timedOut} has something to return, or null when
   * nothing is waiting for time (an empty queue, or only running jobs already killed). A time
   * in the past means now.
   */
  nextDueAt(): number | null {
    let next: number | null = null;
    const consider = (t: number): void => {
      if (next === null || t < next) next = t;
    };
    const canStart = this.#runningCount() < this.#maxRunning;
    for (const job of this.#jobs) {
      if (job.running) {
        if (job.pid !== 0 && !job.killSent) consider(job.startTime + this.#maxRuntime + 1);
      } else if (canStart) {
        consider(job.startTime);
      }
    }
    return next;
  }

  /** The SENTINEL PENDING-SCRIPTS data at `now`, oldest job first (`sentinelPendingScriptsCommand`). */
  pending(now: number): PendingScript[] {
    return this.#jobs.map((job) => ({
      argv: job.argv,
      flags: job.running ? "running" : "scheduled",
      pid: job.pid,
      timeField: job.running ? "run-time" : "run-delay",
      timeMs: job.running ? now - job.startTime : job.startTime !== 0 ? Math.max(0, job.startTime - now) : 0,
      retryNum: job.retryNum,
    }));
  }

  /** Every job, oldest first. */
  snapshot(): ScriptJob[] {
    return this.#jobs.map(copy);
  }

  /** The counts INFO shows. */
  counts(): ScriptCounts {
    return { running: this.#runningCount(), queueLength: this.#jobs.length };
  }

  #runningCount(): number {
    let n = 0;
    for (const job of this.#jobs) if (job.running) n++;
    return n;
  }

  #find(id: number): Job | undefined {
    return this.#jobs.find((j) => j.id === id);
  }
}
