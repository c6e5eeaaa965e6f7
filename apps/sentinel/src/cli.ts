import { spawn } from "node:child_process";
import { unlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { ConfigError, ConfigNotWritableError, strerror } from "@sentinel-kit/config-store";
import { AclConfigError } from "./acl/index.js";
import { formatRedisLogLine } from "./runtime/logger.js";
import { ListenError, SentinelDaemon, type CommandDispatcher } from "./runtime/daemon.js";
import { TlsConfigError } from "./runtime/tls.js";

/** The package version, printed by `--version`. */
export const SENTINEL_KIT_VERSION = "0.1.0";

/** What the command line asks for. */
export interface ParsedArgs {
  /** The config file, or undefined when none was given. */
  readonly configPath: string | undefined;
  /** `--<directive> <value...>` pairs turned into config lines, in order. */
  readonly overrides: readonly string[];
}

/** Thrown for a command line redis-sentinel would refuse; `exitCode` is what the process exits with. */
export class UsageError extends Error {
  /** Always `UsageError`. */
  override readonly name = "UsageError";
  /** The process exit code. */
  readonly exitCode: number;

  /** Builds the error. */
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function quote(arg: string): string {
  return /^[^\s"'\\]+$/.test(arg) ? arg : `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Reads `[<sentinel.conf>] [--<directive> <value> ...]` as `redis-server` does: every
 * `--name` starts a new line `name`, the words after it are its arguments; `--sentinel` is
 * accepted and means nothing more here.
 */
export function parseArgs(args: readonly string[]): ParsedArgs {
  let configPath: string | undefined;
  let i = 0;
  if (args[0] !== undefined && !args[0].startsWith("--")) {
    configPath = args[0];
    i = 1;
  }
  const lines: string[][] = [];
  for (; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (name === "sentinel") continue;
      if (name === "") throw new UsageError("Invalid option: --");
      lines.push([name]);
    } else {
      const current = lines[lines.length - 1];
      if (current === undefined) throw new UsageError(`Invalid argument: ${arg}`);
      current.push(quote(arg));
    }
  }
  return { configPath, overrides: lines.map((words) => words.join(" ")) };
}

function program(): Command {
  return new Command("sentinel-kit")
    .description(
      "A drop-in replacement for redis-sentinel: monitors the masters of <sentinel.conf>, fails them over, and serves Redis Sentinel's commands.",
    )
    .usage("<sentinel.conf> [--<directive> <value> ...] [--sentinel]")
    .version(`sentinel-kit v=${SENTINEL_KIT_VERSION} (Redis Sentinel 7.0.15 compatible)`, "-v, --version")
    .helpOption("-h, --help")
    .argument("[config]", "path of sentinel.conf (must be writable; state is saved there)")
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .addHelpText(
      "after",
      "\nExamples:\n  sentinel-kit /etc/redis/sentinel.conf\n  sentinel-kit ./sentinel.conf --port 26380 --loglevel verbose\n",
    );
}

function logNow(message: string): void {
  process.stdout.write(formatRedisLogLine(process.pid, Date.now(), 40, message));
}

/**
 * Runs the daemon from a command line (without the node and script paths): loads the config,
 * handles `daemonize`, `pidfile`, `dir`, signals, and resolves with the exit code once the
 * daemon stops.
 */
export async function runSentinel(argv: readonly string[], dispatch?: CommandDispatcher): Promise<number> {
  const wantsMeta = argv.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-v");
  if (wantsMeta) {
    try {
      program().exitOverride().parse([...argv], { from: "user" });
    } catch (error) {
      // --help and --version end the parse by "exiting" with code 0.
      return typeof (error as { exitCode?: unknown }).exitCode === "number" ? (error as { exitCode: number }).exitCode : 1;
    }
    return 0;
  }
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return error instanceof UsageError ? error.exitCode : 1;
  }
  if (parsed.configPath === undefined) {
    logNow("Sentinel needs config file on disk to save state. Exiting...");
    return 1;
  }
  // Redis makes the path absolute before `dir` can move the working directory.
  const configPath = resolve(parsed.configPath);
  let daemon: SentinelDaemon;
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => {
    exit = r;
  });
  try {
    daemon = await SentinelDaemon.open({
      configPath,
      overrides: parsed.overrides,
      ...(dispatch !== undefined ? { dispatch } : {}),
      onShutdown: () => exit(0),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof ConfigNotWritableError || error instanceof AclConfigError) {
      logNow(error.message);
      return 1;
    }
    if (typeof (error as { code?: unknown }).code === "string") {
      // loadServerConfig: the file could not be read at all.
      logNow(`Fatal error, can't open config file '${configPath}': ${strerror(error)}`);
      return 1;
    }
    throw error;
  }
  const server = daemon.serverConfig;
  if (server.daemonize && process.env["SENTINEL_KIT_DAEMONIZED"] !== "1") {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? "", ...argv], {
      detached: true,
      stdio: "ignore",
      env: { ...process.env, SENTINEL_KIT_DAEMONIZED: "1" },
    });
    child.unref();
    await daemon.close();
    return 0;
  }
  if (server.dir !== undefined && server.dir !== "") process.chdir(server.dir);
  const pidfile = server.pidfile !== "" ? resolve(server.pidfile) : server.daemonize ? "/var/run/redis.pid" : "";
  if (pidfile !== "") {
    try {
      writeFileSync(pidfile, `${process.pid}\n`);
    } catch {
      // Redis logs nothing either when the pidfile cannot be written.
    }
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    daemon.log("warning", `Received ${signal} scheduling shutdown...`);
    void daemon.stop().then(() => exit(0));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  try {
    await daemon.start();
  } catch (error) {
    if (!(error instanceof ListenError) && !(error instanceof TlsConfigError)) throw error;
    for (const line of error.message.split("\n")) logNow(line);
    await daemon.close();
    return 1;
  }
  const code = await exited;
  if (pidfile !== "") {
    try {
      unlinkSync(pidfile);
    } catch {
      // Already gone.
    }
  }
  return code;
}
