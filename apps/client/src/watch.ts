import { Redis } from "ioredis";
import { formatAddress } from "@sentinel-kit/client-discovery";
import { positiveInt, sentinelAddresses, type ConnectionFlags } from "./connection-options.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIO } from "./io.js";

/** Flags of `watch`. */
export interface WatchFlags extends ConnectionFlags {
  /** `--master <name>`: only events that name this master. */
  master?: string;
  /** `--count <n>`: stop after n events. */
  count?: string;
  /** `--timeout <ms>`: stop after this long. */
  timeout?: string;
  /** `--hello`: include `__sentinel__:hello` gossip. */
  hello?: boolean;
}

/** One event printed by `watch --json` (one JSON object per line). */
export interface WatchEvent {
  /** ISO time it was received. */
  readonly time: string;
  /** The sentinel it came from. */
  readonly sentinel: string;
  /** Channel = event name (SPEC §3). */
  readonly channel: string;
  /** Payload. */
  readonly message: string;
}

/**
 * Whether an event's payload names `master`: `+switch-master` starts with the name, an
 * instance-details payload has it second (`master <name> ...`) or after `@` (SPEC §3).
 */
export function eventNamesMaster(message: string, master: string): boolean {
  const parts = message.split(" ");
  const at = parts.indexOf("@");
  return parts[0] === master || (parts[0] === "master" && parts[1] === master) || (at >= 0 && parts[at + 1] === master);
}

/**
 * `watch`: PSUBSCRIBE `*` on every sentinel and print events as they come, until
 * `--count` events, `--timeout` ms, or SIGINT. Exit 3 if no sentinel could be subscribed.
 */
export async function runWatch(flags: WatchFlags, io: CliIO): Promise<number> {
  const sentinels = sentinelAddresses(flags);
  const count = positiveInt("--count", flags.count, 0);
  const timeoutMs = positiveInt("--timeout", flags.timeout, 0);
  const connectTimeout = positiveInt("--timeout-ms", flags.timeoutMs, 300);
  let seen = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const subscribers = sentinels.map((sentinel) => {
    const redis = new Redis({
      host: sentinel.host,
      port: sentinel.port,
      username: flags.sentinelUser,
      password: flags.sentinelPassword,
      tls: flags.sentinelTls ? {} : undefined,
      connectTimeout,
      lazyConnect: true,
      protocol: 2,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    redis.on("error", () => undefined);
    redis.on("pmessage", (_pattern: string, channel: string, message: string) => {
      if (count > 0 && seen >= count) return;
      if (!flags.hello && channel === "__sentinel__:hello") return;
      if (flags.master !== undefined && !eventNamesMaster(message, flags.master)) return;
      seen++;
      const event: WatchEvent = { time: new Date().toISOString(), sentinel: formatAddress(sentinel), channel, message };
      io.out(flags.json ? JSON.stringify(event) + "\n" : `${event.time} ${event.sentinel} ${channel} ${message}\n`);
      if (count > 0 && seen >= count) finish();
    });
    return { sentinel, redis };
  });
  const subscribed = await Promise.all(
    subscribers.map(async ({ sentinel, redis }) => {
      try {
        await redis.connect();
        await redis.psubscribe("*");
        return true;
      } catch (error) {
        io.err(`sentinel ${formatAddress(sentinel)}: ${(error as Error).message}\n`);
        return false;
      }
    }),
  );
  const onSignal = () => finish();
  process.once("SIGINT", onSignal);
  const timer = timeoutMs > 0 ? setTimeout(finish, timeoutMs) : undefined;
  try {
    if (!subscribed.some(Boolean)) return ExitCode.noSentinel;
    if (io.interactive && !flags.json) io.err(`watching ${subscribed.filter(Boolean).length}/${sentinels.length} sentinels\n`);
    await finished;
    return ExitCode.ok;
  } finally {
    clearTimeout(timer);
    process.removeListener("SIGINT", onSignal);
    for (const { redis } of subscribers) redis.disconnect();
  }
}
