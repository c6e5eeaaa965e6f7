/** The version string Redis prints in its fatal config error banner; the format follows 7.0.15. */
const REDIS_VERSION = "7.0.15";

/** Where a config error was found and why, as plain data. */
export interface ConfigErrorDetails {
  /** Path of the file that holds the bad line, as it was given to the loader. */
  readonly file: string;
  /** 1-based line number inside `file`. */
  readonly line: number;
  /** The offending line, trimmed like Redis trims it before printing. */
  readonly text: string;
  /** What is wrong, in Redis's own words where Redis has them. */
  readonly reason: string;
}

/**
 * A sentinel.conf (or an included file) that Redis would refuse to start with.
 *
 * The message is the block Redis prints before `exit(1)` (`loadServerConfigFromString`,
 * `loadSentinelConfigFromQueue`), plus the file name, which Redis leaves out.
 */
export class ConfigError extends Error implements ConfigErrorDetails {
  /** Stable error name, for `instanceof`-free matching. */
  override readonly name = "ConfigError";
  /** Path of the file that holds the bad line. */
  readonly file: string;
  /** 1-based line number inside `file`. */
  readonly line: number;
  /** The offending line. */
  readonly text: string;
  /** What is wrong. */
  readonly reason: string;

  /** Builds the error from its structured fields. */
  constructor(details: ConfigErrorDetails) {
    super(
      `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n` +
        `Reading the configuration file ${details.file}, at line ${details.line}\n` +
        `>>> '${details.text}'\n` +
        details.reason,
    );
    this.file = details.file;
    this.line = details.line;
    this.text = details.text;
    this.reason = details.reason;
  }
}

/**
 * The config file cannot be written, so state (epochs, votes) could not be persisted.
 * Redis refuses to run in that case (`sentinelIsRunning`); the message is Redis's.
 */
export class ConfigNotWritableError extends Error {
  /** Stable error name. */
  override readonly name = "ConfigNotWritableError";
  /** The config file path. */
  readonly file: string;
  /** The `errno` code reported by the system, e.g. `EACCES`. */
  readonly code: string;

  /** Builds the error from the path, the errno code and its `strerror` text. */
  constructor(file: string, code: string, description: string) {
    super(`Sentinel config file ${file} is not writable: ${description}. Exiting...`);
    this.file = file;
    this.code = code;
  }
}

/**
 * The rewritten file would not load back into the state it was written from, for example
 * because an included file (which rewrite never changes) holds a conflicting line.
 */
export class RewriteConflictError extends Error {
  /** Stable error name. */
  override readonly name = "RewriteConflictError";
  /** The included file that holds the conflicting line. */
  readonly file: string;
  /** 1-based line number in `file`. */
  readonly line: number;
  /** The conflicting line. */
  readonly text: string;

  /** Builds the error from the place of the conflicting line. */
  constructor(file: string, line: number, text: string) {
    super(
      `Cannot rewrite: included file ${file} line ${line} ('${text}') holds state that ` +
        "rewrite would have to change; move that line into the main config file",
    );
    this.file = file;
    this.line = line;
    this.text = text;
  }
}

/**
 * A state that cannot be written because Redis would refuse the file at the next start
 * (quorum 0, a hostname without `resolve-hostnames yes`...), or because the file would load
 * to a different state (`currentEpoch` below a `configEpoch`, an empty `announceIp`...).
 * Nothing is written.
 */
export class InvalidStateError extends Error {
  /** Stable error name. */
  override readonly name = "InvalidStateError";
  /** Redis's reason for refusing the line, or why the state would not come back. */
  readonly reason: string;
  /** The line that would be refused, or "" when the whole state is at fault. */
  readonly text: string;

  /** Builds the error from Redis's reason and the offending line. */
  constructor(reason: string, text: string) {
    super(text === "" ? `Cannot write this state: ${reason}` : `Cannot write this state: '${text}': ${reason}`);
    this.reason = reason;
    this.text = text;
  }
}

/** `strerror` for the errno codes a config file check meets. */
export function strerror(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const texts: Record<string, string> = {
    EACCES: "Permission denied",
    ENOENT: "No such file or directory",
    EROFS: "Read-only file system",
    EPERM: "Operation not permitted",
    EISDIR: "Is a directory",
    ENOTDIR: "Not a directory",
  };
  if (typeof code === "string" && texts[code] !== undefined) return texts[code];
  return error instanceof Error ? error.message : String(error);
}
