import type { ConnectionOptions } from "node:tls";
import { Redis } from "ioredis";
import type { Address } from "./address.js";

/** Credentials and TLS for one kind of server (sentinels, or the Redis data nodes). */
export interface ServerAuth {
  /** ACL user name (Redis 6+). */
  readonly username?: string;
  /** Password (`requirepass`, or the ACL user's password). */
  readonly password?: string;
  /** TLS options; absent = plain TCP. */
  readonly tls?: ConnectionOptions;
}

/** Raised when a short exchange does not finish within its deadline. */
class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

/** Options of {@link openShortConnection}. */
export interface ShortConnectionOptions {
  /** Credentials and TLS; absent = no AUTH, plain TCP. */
  readonly auth?: ServerAuth;
  /**
   * Give up establishing the connection (TCP, and the TLS handshake with `auth.tls`) after
   * this many ms, failing `connect()` with `connect ETIMEDOUT`. AUTH and the ready check
   * are not covered: bound them with `commandTimeoutMs` or a deadline of your own.
   */
  readonly connectTimeoutMs: number;
  /**
   * Reject a command that has no reply after this many ms. Absent = wait for replies as
   * long as they take, which a blocking command (BLPOP, DEBUG SLEEP) needs.
   */
  readonly commandTimeoutMs?: number;
  /**
   * Before `connect()` resolves, wait until the server has finished loading its dataset
   * (ioredis's INFO ready check) instead of letting commands meet `-LOADING`. Default false.
   */
  readonly readyCheck?: boolean;
}

/**
 * Creates a connection to one Redis node (or sentinel) for a few commands: it never
 * reconnects and never queues or retries a command, so a failure surfaces at once as the
 * rejection of `connect()` or of the command. It is created unconnected (`lazyConnect`):
 * attach an `"error"` listener, then call `connect()`, and `disconnect()` when done.
 */
export function openShortConnection(address: Address, options: ShortConnectionOptions): Redis {
  const auth = options.auth ?? {};
  return new Redis({
    host: address.host,
    port: address.port,
    username: auth.username,
    password: auth.password,
    tls: auth.tls,
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableReadyCheck: options.readyCheck ?? false,
    enableOfflineQueue: false,
    protocol: 2,
  });
}

/**
 * Opens a connection, runs `commands` as one pipeline and closes it, all within
 * `deadlineMs` (connect, AUTH and replies together), so a blackholed server costs at most
 * the deadline. Returns one `Error | reply` per command; rejects if the connection fails.
 */
export async function exchange(
  address: Address,
  auth: ServerAuth,
  deadlineMs: number,
  commands: readonly (readonly string[])[],
): Promise<unknown[]> {
  const redis = openShortConnection(address, { auth, connectTimeoutMs: deadlineMs, commandTimeoutMs: deadlineMs });
  // Failures surface through the promises below; the first one is kept because ioredis
  // rejects a failed connect with a bare "Connection is closed." instead of the cause.
  let cause: Error | undefined;
  redis.on("error", (error: Error) => {
    cause ??= error;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no reply within ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await redis.connect().catch((error: unknown) => {
          throw cause ?? error;
        });
        const pipeline = redis.pipeline();
        for (const [name, ...args] of commands) pipeline.call(name!, ...args);
        const results = (await pipeline.exec()) ?? [];
        return results.map(([err, reply]) => err ?? reply);
      })(),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
