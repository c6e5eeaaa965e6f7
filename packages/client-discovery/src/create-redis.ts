import { Redis, type RedisOptions } from "ioredis";
import { sameAddress } from "./address.js";
import { createDiscoveryConnector, type ConnectorRole, type ConnectorState } from "./connector.js";
import { SentinelDiscovery, type DiscoveryOptions } from "./discovery.js";
import { startPingWatchdog, type WatchdogOptions } from "./watchdog.js";

/** Options of {@link createRedis}. */
export interface CreateRedisOptions extends DiscoveryOptions {
  /** Connect to the master (default) or to a replica chosen by the replica policy. */
  readonly role?: ConnectorRole;
  /** Extra ioredis options (db, keyPrefix, timeouts...); connection and retry options are set by discovery. */
  readonly redisOptions?: Omit<RedisOptions, "Connector" | "sentinels" | "host" | "port" | "path">;
  /** Hung-connection detection: PING every `intervalMs`, reconnect after `timeoutMs` of silence. Default 1000/1000; `false` turns it off. */
  readonly watchdog?: WatchdogOptions | false;
  /** Subscribe to `+switch-master` hints on several sentinels. Default true. */
  readonly watchSwitches?: boolean;
}

/** An ioredis client bound to discovery, as returned by {@link createRedis}. */
export interface DiscoveredRedis {
  /** The ioredis client; use it as usual. */
  readonly redis: Redis;
  /** The discovery it dials through (shared resolutions, `onChange`, `sentinels`). */
  readonly discovery: SentinelDiscovery;
  /** Where the current connection goes (updated on every connect). */
  readonly connection: Readonly<ConnectorState>;
  /** Closes the client (QUIT), the watchdog and the discovery subscriptions. */
  close(): Promise<void>;
}

/**
 * An ioredis `Redis` that reaches the master (or a replica) of `options.name` through
 * {@link SentinelDiscovery}: resolution and ROLE check on every connect, reconnect when a
 * verified switch moves the master away from the current connection, READONLY on a
 * master connection re-resolves and resends the command, and a PING watchdog for hung
 * connections.
 */
export function createRedis(options: CreateRedisOptions): DiscoveredRedis {
  const discovery = new SentinelDiscovery(options);
  const role = options.role ?? "master";
  const connection: ConnectorState = { address: undefined, resolving: false };
  const auth = options.nodeAuth ?? {};
  const retry = options.retryStrategy;
  const redis = new Redis({
    ...options.redisOptions,
    username: auth.username,
    password: auth.password,
    tls: auth.tls,
    Connector: createDiscoveryConnector(discovery, role, connection),
    // ioredis calls this after a connection drops; failures inside a connect are retried
    // by the connector itself.
    retryStrategy: (times) => (retry ? (retry(times, new Error("connection closed")) ?? null) : Math.min(times * 20, 200)),
    reconnectOnError: (error) => {
      if (role === "master" && error.message.startsWith("READONLY")) {
        discovery.reportReadonly().catch(() => undefined);
        // 2: reconnect (and so re-resolve), then resend the command that failed.
        return 2;
      }
      return false;
    },
  });
  const stopChangeListener = discovery.onChange((change) => {
    // S5 step 6: a connection to anything but the verified master must go.
    if (role !== "master" || connection.resolving || connection.address === undefined) return;
    if (!sameAddress(connection.address, change.to)) {
      redis.disconnect(true);
    }
  });
  const stopFenceListener = discovery.onFence((address) => {
    if (role !== "master" || connection.resolving || connection.address === undefined) return;
    if (sameAddress(connection.address, address)) {
      redis.disconnect(true);
    }
  });
  const watchdog = options.watchdog ?? { intervalMs: 1000, timeoutMs: 1000 };
  const stopWatchdog = watchdog === false ? () => undefined : startPingWatchdog(redis, watchdog);
  if (options.watchSwitches ?? true) discovery.watch();
  return {
    redis,
    discovery,
    connection,
    async close() {
      stopWatchdog();
      stopChangeListener();
      stopFenceListener();
      discovery.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
