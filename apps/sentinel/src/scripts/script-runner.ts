import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { constants as osConstants } from "node:os";
import {
  ScriptQueue,
  type PendingScript,
  type ScriptCounts,
  type ScriptEvent,
  type ScriptJob,
  type ScriptQueueOptions,
  type ScriptTimings,
} from "./script-queue.js";

/** Starts one script process: no shell, the path executed with its arguments. */
export type ScriptSpawn = (path: string, args: readonly string[], options: { readonly stdio: StdioOptions }) => ChildProcess;

/** Options of {@link ScriptRunner}. */
export interface ScriptRunnerOptions extends ScriptQueueOptions {
  /**
   * Receives every script event: `-script-error` and `-script-timeout` (warning, published),
   * `+script-child` and `-script-child` (debug, logged only). None has an instance, so none
   * runs a notification script.
   */
  readonly onEvent: (event: ScriptEvent) => void;
  /**
   * Where the scripts' stdin, stdout and stderr go. Redis's children inherit the daemon's
   * descriptors; `inherit` by default, tests pass `ignore`.
   */
  readonly stdio?: StdioOptions;
  /** The clock, ms; `Date.now` by default. */
  readonly now?: () => number;
  /** Starts a process; `child_process.spawn` by default (tests inject failures). */
  readonly spawn?: ScriptSpawn;
}

// Errors from creating the process itself; any other spawn error means execve failed.
const FORK_ERRORS = new Set(["EAGAIN", "ENOMEM"]);

// Bound on the wait for killed children in stop(): SIGKILL cannot be caught.
const STOP_WAIT_MS = 5_000;

// setTimeout fires at once for longer delays (a max runtime raised through SENTINEL DEBUG
// could ask for one); waking early only re-arms.
const MAX_TIMER_MS = 2 ** 31 - 1;

function signalNumber(signal: NodeJS.Signals | null): number {
  if (signal === null) return 0;
  return (osConstants.signals as Record<string, number | undefined>)[signal] ?? 0;
}

const defaultSpawn: ScriptSpawn = (path, args, options) => spawn(path, [...args], { stdio: options.stdio });

/**
 * Runs notification and client reconfiguration scripts (the edge of {@link ScriptQueue}):
 * spawns the jobs the queue says are due, SIGKILLs the ones running too long, reports exits
 * back, and keeps one timer set to the queue's next due time.
 */
export class ScriptRunner {
  readonly #queue: ScriptQueue;
  readonly #onEvent: (event: ScriptEvent) => void;
  readonly #stdio: StdioOptions;
  readonly #now: () => number;
  readonly #spawn: ScriptSpawn;
  readonly #children = new Map<number, { child: ChildProcess; done: Promise<void> }>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  /** Makes an idle runner; nothing runs until {@link schedule}. */
  constructor(options: ScriptRunnerOptions) {
    this.#queue = new ScriptQueue(options);
    this.#onEvent = options.onEvent;
    this.#stdio = options.stdio ?? "inherit";
    this.#now = options.now ?? Date.now;
    this.#spawn = options.spawn ?? defaultSpawn;
  }

  /**
   * Queues a script run (`sentinelScheduleScriptExecution`); it starts on the next turn of
   * the event loop when fewer than 16 scripts run. Ignored after {@link stop}.
   */
  schedule(path: string, args: readonly string[]): void {
    if (this.#stopped) return;
    this.#queue.schedule(path, args);
    this.#arm();
  }

  /** The current timings. */
  get timings(): ScriptTimings {
    return this.#queue.timings;
  }

  /** Changes the timings (SENTINEL DEBUG `script-max-runtime`, `script-retry-delay`). */
  setTimings(timings: Partial<ScriptTimings>): void {
    this.#queue.setTimings(timings);
    this.#arm();
  }

  /** SENTINEL PENDING-SCRIPTS data, now. */
  pending(): PendingScript[] {
    return this.#queue.pending(this.#now());
  }

  /** Every job, oldest first (the shape the command layer's `ScriptJobView` reads). */
  snapshot(): ScriptJob[] {
    return this.#queue.snapshot();
  }

  /** The counts INFO shows. */
  counts(): ScriptCounts {
    return this.#queue.counts();
  }

  /**
   * Stops running scripts: no new job starts, every running child is SIGKILLed, and the
   * promise resolves once they exited (bounded wait). Redis leaves its children running on
   * shutdown; a library that is stopped should not leave processes behind.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const waits: Promise<void>[] = [];
    for (const { child, done } of this.#children.values()) {
      child.kill("SIGKILL");
      waits.push(done);
    }
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(waits),
      new Promise<void>((resolve) => {
        bound = setTimeout(resolve, STOP_WAIT_MS);
      }),
    ]);
    clearTimeout(bound);
  }

  #arm(): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const at = this.#queue.nextDueAt();
    if (at === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#tick();
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - this.#now())));
    // The daemon's own handles keep the process alive; a pending retry alone should not.
    this.#timer.unref();
  }

  #tick(): void {
    if (this.#stopped) return;
    const now = this.#now();
    for (const { job, event } of this.#queue.timedOut(now)) {
      this.#emit([event]);
      this.#children.get(job.id)?.child.kill("SIGKILL");
    }
    for (const job of this.#queue.due(now)) this.#start(job);
    this.#arm();
  }

  #start(job: ScriptJob): void {
    const [path, ...args] = job.argv as [string, ...string[]];
    let child: ChildProcess;
    try {
      child = this.#spawn(path, args, { stdio: this.#stdio });
    } catch (error) {
      this.#spawnError(job.id, error);
      return;
    }
    let settle!: () => void;
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    let finished = false;
    const finish = (events: ScriptEvent[]): void => {
      if (finished) return;
      finished = true;
      this.#children.delete(job.id);
      settle();
      if (this.#stopped) return;
      this.#emit(events);
      this.#arm();
    };
    child.once("exit", (code, signal) => {
      finish(this.#queue.exited(job.id, code ?? 0, signalNumber(signal), this.#now()));
    });
    child.on("error", (error) => {
      // After the process exists, errors are about kill() or pipes: its exit still comes.
      if (child.pid === undefined) finish(this.#spawnErrorEvents(job.id, error));
    });
    this.#children.set(job.id, { child, done });
    if (child.pid !== undefined) this.#emit(this.#queue.started(job.id, child.pid));
  }

  #spawnError(id: number, error: unknown): void {
    this.#emit(this.#spawnErrorEvents(id, error));
    this.#arm();
  }

  #spawnErrorEvents(id: number, error: unknown): ScriptEvent[] {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return code !== undefined && FORK_ERRORS.has(code)
      ? this.#queue.spawnFailed(id, this.#now())
      : this.#queue.execFailed(id);
  }

  #emit(events: readonly ScriptEvent[]): void {
    for (const event of events) this.#onEvent(event);
  }
}
