import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { resolveBinary } from "./binaries.js";
import { ProcessExitedError } from "./errors.js";
import { pingOnce } from "./ping.js";
import { redisCliAt } from "./redis-cli.js";
import { runDir, track, untrack } from "./registry.js";
import { waitFor } from "./wait-for.js";

/** How long `stop()` waits after SIGTERM before it sends SIGKILL, in milliseconds. */
const STOP_GRACE_MS = 5_000;
/** How long any wait for an exit may take after SIGKILL, in milliseconds. */
const KILL_WAIT_MS = 5_000;
/** Default bound on the wait for readiness, in milliseconds. */
const READY_TIMEOUT_MS = 10_000;

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  /** Program to run: a name looked up on `PATH`, or a path. */
  command: string;
  /** Its arguments; they must make it listen on `port`. */
  args: readonly string[];
  /** The port it will listen on (see {@link freePort}). */
  port: number;
  /** The address it will listen on; `127.0.0.1` by default. */
  host?: string;
  /** Working directory, created empty under the run directory when not given. */
  dir?: string;
  /** Name used in messages and as the log file's name; the command's basename by default. */
  name?: string;
  /** Environment; the parent's by default. */
  env?: NodeJS.ProcessEnv;
  /** Readiness check; one RESP PING answered with `+PONG` by default. */
  ready?: (process: ManagedProcess) => Promise<boolean>;
  /** Bound on the wait for readiness, in milliseconds; 10 000 by default. */
  readyTimeoutMs?: number;
  /** What the readiness check waits for, in words; `"to answer PING"` by default. */
  readyWhat?: string;
}

/** What a {@link ManagedProcess} is built from; internal to the starters. */
export interface ProcessInfo {
  /** The spawned child. */
  child: ChildProcess;
  /** Name used in messages. */
  name: string;
  /** Address it listens on. */
  host: string;
  /** Port it listens on. */
  port: number;
  /** Its working directory. */
  dir: string;
  /** File that receives its stdout and stderr. */
  logPath: string;
}

/**
 * A process the kit started and tracks by pid: stopped on `stop()`/`kill()`, and killed
 * when the test process exits or is interrupted, or by the global teardown after a crash.
 */
export class ManagedProcess {
  /** Its pid. */
  readonly pid: number;
  /** Name used in messages, e.g. `redis-server`. */
  readonly name: string;
  /** Address it listens on. */
  readonly host: string;
  /** Port it listens on. */
  readonly port: number;
  /** Its own working directory (data, config, log). */
  readonly dir: string;
  /** File that receives its stdout and stderr. */
  readonly logPath: string;
  readonly #exited: Promise<void>;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  /** Wraps a spawned child; use {@link startProcess} or the Redis starters instead. */
  constructor(info: ProcessInfo) {
    const pid = info.child.pid;
    if (pid === undefined) throw new Error(`${info.name} has no pid: it was not spawned`);
    this.pid = pid;
    this.name = info.name;
    this.host = info.host;
    this.port = info.port;
    this.dir = info.dir;
    this.logPath = info.logPath;
    this.#exited = new Promise((resolve) => {
      info.child.once("exit", (code, signal) => {
        this.#exit = { code, signal };
        untrack(pid);
        resolve();
      });
    });
  }

  /** Whether it has exited (and been reaped). */
  get exited(): boolean {
    return this.#exit !== undefined;
  }

  /** Its exit code and signal once exited, else `undefined`. */
  get exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.#exit;
  }

  /** Resolves `true` once it exited, `false` if it is still running after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<boolean> {
    if (this.exited) return true;
    const controller = new AbortController();
    const exited = await Promise.race([
      this.#exited.then(() => true),
      sleep(timeoutMs, false, { signal: controller.signal }).catch(() => false),
    ]);
    controller.abort();
    return exited;
  }

  /**
   * Graceful stop: SIGTERM (and SIGCONT, so a paused process can act on it), up to
   * `graceMs` for it to exit, then SIGKILL. Resolves once the pid is gone.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.exited) return;
    this.#signal("SIGTERM");
    this.#signal("SIGCONT");
    if (await this.waitForExit(graceMs)) return;
    await this.kill();
  }

  /** SIGKILL, as in a crash. Resolves once the pid is gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.#signal("SIGKILL");
    if (!(await this.waitForExit(KILL_WAIT_MS))) {
      throw new Error(`${this.#label()} still running ${KILL_WAIT_MS} ms after SIGKILL`);
    }
  }

  /** SIGSTOP: the process stays alive, holds its sockets, and answers nothing. */
  async pause(): Promise<void> {
    this.#signal("SIGSTOP");
    await this.#waitForState((state) => state === "T", "to be stopped by SIGSTOP");
  }

  /** SIGCONT: resumes a paused process. */
  async resume(): Promise<void> {
    this.#signal("SIGCONT");
    await this.#waitForState((state) => state !== "T", "to resume after SIGCONT");
  }

  /** Runs `redis-cli` against it and resolves with the output (see {@link redisCliAt}). */
  cli(...args: string[]): Promise<string> {
    return redisCliAt(this.host, this.port, ...args);
  }

  /** The last `lines` lines of its log. */
  logTail(lines = 30): string {
    try {
      const text = readFileSync(this.logPath, "utf8").trimEnd();
      return text.split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  #label(): string {
    return `${this.name} on ${this.host}:${this.port} (pid ${this.pid})`;
  }

  #signal(signal: NodeJS.Signals): void {
    if (this.exited) throw new Error(`${this.#label()} has already exited`);
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      // It can exit between the check and the signal; the exit event follows shortly.
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }

  // Signals are asynchronous: wait until the kernel reports the new state, where /proc exists.
  async #waitForState(ok: (state: string) => boolean, what: string): Promise<void> {
    await waitFor(
      () => {
        if (this.exited) return true;
        const state = procState(this.pid);
        return state === undefined || ok(state);
      },
      { timeoutMs: 2_000, intervalMs: 5, what: `${this.#label()} ${what}` },
    );
  }

  /** @internal Waits until `ready` passes, failing early if the process exits. */
  async awaitReady(
    ready: (process: ManagedProcess) => Promise<boolean>,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    try {
      await waitFor(
        async () => {
          if (this.#exit !== undefined) {
            throw new ProcessExitedError(
              this.name,
              this.pid,
              this.#exit.code,
              this.#exit.signal,
              this.#logSection(),
            );
          }
          return ready(this);
        },
        {
          timeoutMs,
          intervalMs: 20,
          what: `${this.#label()} ${what}`,
          detail: () => this.#logSection(),
        },
      );
    } catch (error) {
      if (!this.exited) await this.kill();
      throw error;
    }
  }

  #logSection(): string {
    return `--- last lines of ${this.logPath} ---\n${this.logTail()}`;
  }
}

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name in parentheses may hold spaces; the state follows the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

/** @internal A new empty directory for one process under the run directory. */
export function makeProcessDir(name: string, port: number): string {
  return mkdtempSync(join(runDir(), `${name}-${port}-`));
}

/** @internal Spawns a tracked child with its output in `<dir>/<name>.log`. */
export function spawnTracked(options: StartProcessOptions): ProcessInfo {
  const binary = resolveBinary(options.command);
  const name = options.name ?? basename(options.command);
  const dir = options.dir ?? makeProcessDir(name, options.port);
  const logPath = join(dir, `${name}.log`);
  const fd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(binary, [...options.args], {
      cwd: dir,
      env: options.env ?? process.env,
      stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  // A spawn failure is also emitted as an event; without a listener it would crash the run.
  child.once("error", () => undefined);
  if (child.pid === undefined) {
    throw new Error(`could not spawn ${binary}: see ${logPath}`);
  }
  track(child.pid, basename(binary));
  return { child, name, host: options.host ?? "127.0.0.1", port: options.port, dir, logPath };
}

/**
 * Starts any program that will listen on `port` (our daemon, for one) and resolves once it
 * is ready: by default once it answers PING over RESP. If it exits first or is not ready
 * in time, it is killed and the error carries the tail of its log.
 */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  const proc = new ManagedProcess(spawnTracked(options));
  await proc.awaitReady(
    options.ready ?? ((p) => pingOnce(p.host, p.port)),
    options.readyTimeoutMs ?? READY_TIMEOUT_MS,
    options.readyWhat ?? "to answer PING",
  );
  return proc;
}
