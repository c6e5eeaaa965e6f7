import { Command, Option } from "commander";
import { parseAddress, type Address, type DiscoveryOptions } from "@sentinel-kit/client-discovery";

/** The connection options every command shares, as commander parses them. */
export interface ConnectionFlags {
  /** `--sentinel host:port`, repeatable. */
  sentinel?: string[];
  /** `--sentinels a:1,b:2`. */
  sentinels?: string;
  /** `--sentinel-user`. */
  sentinelUser?: string;
  /** `--sentinel-password`. */
  sentinelPassword?: string;
  /** `--sentinel-tls`. */
  sentinelTls?: boolean;
  /** `--user` for the data nodes. */
  user?: string;
  /** `--password` for the data nodes. */
  password?: string;
  /** `--tls` for the data nodes. */
  tls?: boolean;
  /** `--timeout-ms` per sentinel exchange. */
  timeoutMs?: string;
  /** `--json`. */
  json?: boolean;
}

/** Adds the shared connection options to a command. */
export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--sentinel <host:port>", "a sentinel to ask (repeatable)").argParser((value: string, previous: string[] = []) => [
        ...previous,
        value,
      ]),
    )
    .addOption(new Option("--sentinels <list>", "comma-separated sentinels").env("SENTINEL_KIT_SENTINELS"))
    .addOption(new Option("--sentinel-user <name>", "ACL user for the sentinels"))
    .addOption(new Option("--sentinel-password <password>", "password for the sentinels").env("SENTINEL_KIT_SENTINEL_PASSWORD"))
    .addOption(new Option("--sentinel-tls", "TLS to the sentinels"))
    .addOption(new Option("--user <name>", "ACL user for the master and replicas"))
    .addOption(new Option("--password <password>", "password for the master and replicas").env("SENTINEL_KIT_PASSWORD"))
    .addOption(new Option("--tls", "TLS to the master and replicas"))
    .addOption(new Option("--timeout-ms <ms>", "deadline of one sentinel exchange").default("300"));
}

/** Raised for option values that make no sense; maps to the usage exit code. */
export class UsageError extends Error {
  /** Stable error name. */
  override readonly name = "UsageError";
}

/** The sentinels named by `--sentinel` and `--sentinels` (default 127.0.0.1:26379). */
export function sentinelAddresses(flags: ConnectionFlags): Address[] {
  const texts = [...(flags.sentinel ?? []), ...(flags.sentinels ?? "").split(",").map((s) => s.trim()).filter(Boolean)];
  try {
    return texts.length === 0 ? [{ host: "127.0.0.1", port: 26379 }] : texts.map((t) => parseAddress(t));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A positive integer option, or a {@link UsageError} naming it. */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** Discovery options for `name` from the shared flags. */
export function discoveryOptions(name: string, flags: ConnectionFlags): DiscoveryOptions {
  return {
    name,
    sentinels: sentinelAddresses(flags),
    sentinelTimeoutMs: positiveInt("--timeout-ms", flags.timeoutMs, 300),
    sentinelAuth: {
      username: flags.sentinelUser,
      password: flags.sentinelPassword,
      tls: flags.sentinelTls ? {} : undefined,
    },
    nodeAuth: { username: flags.user, password: flags.password, tls: flags.tls ? {} : undefined },
  };
}
