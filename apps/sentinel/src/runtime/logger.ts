import { closeSync, openSync, writeSync } from "node:fs";
import { pino, type Logger } from "pino";
import type { CoreLogLevel } from "../core/types.js";

/** Pino levels named as Redis names them; `nothing` is above all of them. */
const LEVELS = { debug: 10, verbose: 20, notice: 30, warning: 40, nothing: 100 } as const;
const MARKS: Record<number, string> = { 10: ".", 20: "-", 30: "*", 40: "#" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The verbosity names `loglevel` takes. */
export type LogVerbosity = CoreLogLevel | "nothing";

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** `25 Nov 2026 09:20:03.123`: Redis's `serverLogRaw` time stamp, local time. */
export function redisLogTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`
  );
}

/** A log line in Redis's form: `<pid>:X <time> <mark> <message>` (mark `.` `-` `*` `#`). */
export function formatRedisLogLine(pid: number, time: number, level: number, message: string): string {
  return `${pid}:X ${redisLogTime(time)} ${MARKS[level] ?? "*"} ${message}\n`;
}

/**
 * The daemon's log: pino with Redis's levels, writing Redis's line format to `logfile`
 * (appended) or to standard output when `logfile` is empty, as redis-sentinel does.
 */
export class RedisLog {
  readonly #logger: Logger<"debug" | "verbose" | "notice" | "warning" | "nothing", true>;
  readonly #fd: number;
  readonly #ownFd: boolean;

  /** Opens the log; `logfile` empty means standard output. */
  constructor(logfile: string, level: LogVerbosity) {
    this.#ownFd = logfile !== "";
    this.#fd = this.#ownFd ? openSync(logfile, "a") : 1;
    const fd = this.#fd;
    this.#logger = pino(
      {
        customLevels: LEVELS,
        useOnlyCustomLevels: true,
        level,
        base: null,
        timestamp: false,
      },
      {
        write(line: string): void {
          const record = JSON.parse(line) as { level: number; msg: string };
          writeSync(fd, formatRedisLogLine(process.pid, Date.now(), record.level, record.msg));
        },
      },
    );
  }

  /** Changes the verbosity (`loglevel`, SENTINEL CONFIG SET loglevel). */
  setLevel(level: LogVerbosity): void {
    this.#logger.level = level;
  }

  /** Logs one line at `level`. */
  log(level: CoreLogLevel, message: string): void {
    this.#logger[level](message);
  }

  /** Closes the log file, if one was opened. */
  close(): void {
    if (this.#ownFd) closeSync(this.#fd);
  }
}
