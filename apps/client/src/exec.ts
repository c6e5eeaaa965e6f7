import { formatAddress, openShortConnection, SentinelDiscovery, type Address } from "@sentinel-kit/client-discovery";
import { discoveryOptions, type ConnectionFlags } from "./connection-options.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIO } from "./io.js";

/** ioredis's default connect timeout, which `exec` has always used. */
const EXEC_CONNECT_TIMEOUT_MS = 10_000;

/** Flags of `exec`. */
export interface ExecFlags extends ConnectionFlags {
  /** `--replica`: run on a replica chosen by discovery instead of the master. */
  replica?: boolean;
  /** `--fallback-to-master`: with `--replica`, use the master when no replica is usable. */
  fallbackToMaster?: boolean;
}

/** Formats a reply the way redis-cli does on a terminal. */
export function formatReply(reply: unknown, indent = ""): string {
  if (reply === null || reply === undefined) return "(nil)";
  if (typeof reply === "number" || typeof reply === "bigint") return `(integer) ${reply}`;
  if (Buffer.isBuffer(reply)) return JSON.stringify(reply.toString("utf8"));
  if (Array.isArray(reply)) {
    if (reply.length === 0) return "(empty array)";
    const width = String(reply.length).length;
    return reply
      .map((item, i) => `${i === 0 ? "" : indent}${String(i + 1).padStart(width)}) ${formatReply(item, `${indent}${" ".repeat(width + 2)}`)}`)
      .join("\n");
  }
  return String(reply);
}

/** `exec <name> <command...>`: runs one command on the current master (or a replica). */
export async function runExec(name: string, command: readonly string[], flags: ExecFlags, io: CliIO): Promise<number> {
  const options = discoveryOptions(name, flags);
  const discovery = new SentinelDiscovery({ ...options, replicas: { fallbackToMaster: flags.fallbackToMaster ?? false } });
  let address: Address;
  let role: string;
  if (flags.replica) {
    const chosen = await discovery.resolveReplica();
    address = chosen.address;
    role = chosen.kind;
  } else {
    address = (await discovery.resolveMaster()).address;
    role = "master";
  }
  // Only the connect is bounded: the command may block (BLPOP, DEBUG SLEEP) as long as it asks.
  const redis = openShortConnection(address, {
    auth: options.nodeAuth ?? {},
    connectTimeoutMs: EXEC_CONNECT_TIMEOUT_MS,
    readyCheck: true,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    const [commandName, ...args] = command;
    let reply: unknown;
    try {
      reply = await redis.call(commandName!, ...args);
    } catch (error) {
      if (flags.json) io.out(JSON.stringify({ address: formatAddress(address), role, error: (error as Error).message }) + "\n");
      else io.err(`(error) ${(error as Error).message}\n`);
      return ExitCode.commandError;
    }
    if (flags.json) io.out(JSON.stringify({ address: formatAddress(address), role, reply }) + "\n");
    else io.out(formatReply(reply) + "\n");
    return ExitCode.ok;
  } finally {
    redis.disconnect();
  }
}
