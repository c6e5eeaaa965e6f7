/**
 * Thrown by {@link waitFor} when its check did not pass in time. The message names what was
 * awaited and, for a process, ends with the tail of that process's log.
 */
export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
  /** What was awaited, in words, e.g. `redis-server 127.0.0.1:7001 (pid 42) to answer PING`. */
  readonly what: string;
  /** The bound that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /** Extra context gathered at the timeout (a log tail), or `undefined`. */
  readonly detail: string | undefined;

  /** Builds the error; `detail` is appended to the message when given. */
  constructor(what: string, timeoutMs: number, detail?: string) {
    super(
      `Timed out after ${timeoutMs} ms waiting for ${what}` +
        (detail !== undefined && detail !== "" ? `\n${detail}` : ""),
    );
    this.what = what;
    this.timeoutMs = timeoutMs;
    this.detail = detail;
  }
}

/** The Debian packages that provide every binary the kit runs. */
export const REDIS_INSTALL_HINT =
  "apt-get install -y redis-server redis-sentinel redis-tools (or run `pnpm test` at the repository root, which installs them)";

/**
 * Thrown when a binary the kit needs (`redis-server`, `redis-sentinel`, `redis-cli`) is not
 * on `PATH`. The message says what to install.
 */
export class MissingBinaryError extends Error {
  override readonly name = "MissingBinaryError";
  /** The binary that was looked for, e.g. `redis-server`. */
  readonly binary: string;
  /** The `PATH` that was searched. */
  readonly searchPath: string;

  /** Builds the error for `binary`, not found on `searchPath`. */
  constructor(binary: string, searchPath: string) {
    super(`${binary} was not found on PATH (${searchPath}). Install it with: ${REDIS_INSTALL_HINT}`);
    this.binary = binary;
    this.searchPath = searchPath;
  }
}

/**
 * Thrown when a started process exits before it became ready. The message ends with the
 * tail of its log, which usually says why (a bad config line, a port in use).
 */
export class ProcessExitedError extends Error {
  override readonly name = "ProcessExitedError";
  /** The command that was run. */
  readonly command: string;
  /** The pid it had. */
  readonly pid: number;
  /** Its exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: NodeJS.Signals | null;
  /** The last lines of its log. */
  readonly logTail: string;

  /** Builds the error from how the process ended and the tail of its log. */
  constructor(
    command: string,
    pid: number,
    exitCode: number | null,
    signal: NodeJS.Signals | null,
    logTail: string,
  ) {
    super(
      `${command} (pid ${pid}) exited before it was ready ` +
        `(${signal !== null ? `signal ${signal}` : `exit code ${String(exitCode)}`})\n${logTail}`,
    );
    this.command = command;
    this.pid = pid;
    this.exitCode = exitCode;
    this.signal = signal;
    this.logTail = logTail;
  }
}

/** Thrown when `redis-cli` exits with a non-zero status or does not finish in time. */
export class RedisCliError extends Error {
  override readonly name = "RedisCliError";
  /** The arguments given to `redis-cli` after `-h` and `-p`. */
  readonly args: readonly string[];
  /** Its exit code, or `null` when it was killed (timeout). */
  readonly exitCode: number | null;
  /** What it wrote to stderr. */
  readonly stderr: string;

  /** Builds the error from the failed run. */
  constructor(args: readonly string[], exitCode: number | null, stderr: string) {
    super(`redis-cli ${args.join(" ")} failed (exit code ${String(exitCode)}): ${stderr.trim()}`);
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}
