// A plain ioredis client for tests and tools: it sends nothing of its own but AUTH (and
// HELLO when asked for RESP3), and never reconnects or retries, so what a test sees on the
// wire and in the server's CLIENT LIST is what the test did.
import { Redis } from "ioredis";

/** How long {@link ask} waits to connect, and then for its reply, unless told otherwise, in milliseconds. */
export const ASK_TIMEOUT_MS = 10_000;

/** Where and how a plain client connects; a bare port means 127.0.0.1 and the defaults. */
export interface PlainTarget {
  /** Host to connect to; "127.0.0.1" by default. */
  readonly host?: string;
  /** TCP port. */
  readonly port: number;
  /** ACL user to authenticate as (`AUTH <username> <password>`); the default user without it. */
  readonly username?: string;
  /** Password to authenticate with; no AUTH is sent without it. */
  readonly password?: string;
  /** RESP version: 2 by default, as redis-cli speaks; 3 sends `HELLO 3` first. */
  readonly protocol?: 2 | 3;
  /**
   * Bound on connecting and on each command, in milliseconds. {@link plainClient} has none
   * by default (ioredis's 10 s connect timeout, commands wait); {@link ask} has
   * {@link ASK_TIMEOUT_MS}.
   */
  readonly timeoutMs?: number;
}

/**
 * An ioredis client that does not connect until `connect()` or its first command, then
 * sends no ready-check INFO and no CLIENT SETINFO (a server with INFO or CLIENT renamed
 * still takes it), fails a command at once instead of retrying it, and stays closed once
 * the connection is lost. Connection errors surface as rejected commands, never as an
 * unhandled `error` event. The caller disconnects it.
 */
export function plainClient(target: number | PlainTarget): Redis {
  const t = typeof target === "number" ? { port: target } : target;
  const client = new Redis({
    host: t.host ?? "127.0.0.1",
    port: t.port,
    username: t.username,
    password: t.password,
    protocol: t.protocol ?? 2,
    lazyConnect: true,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...(t.timeoutMs !== undefined ? { connectTimeout: t.timeoutMs, commandTimeout: t.timeoutMs } : {}),
  });
  client.on("error", () => undefined);
  return client;
}

/**
 * Sends one command (`PING` when `args` is empty) to `target` on a fresh
 * {@link plainClient}, resolves with its reply and closes the connection. Rejects on a
 * refused connection, an error reply, or no connection or reply within `timeoutMs`
 * ({@link ASK_TIMEOUT_MS} by default): `await ask(port, "SENTINEL", "MASTERS")`.
 */
export async function ask(target: number | PlainTarget, ...args: string[]): Promise<unknown> {
  const t = typeof target === "number" ? { port: target } : target;
  const client = plainClient({ ...t, timeoutMs: t.timeoutMs ?? ASK_TIMEOUT_MS });
  try {
    await client.connect();
    return await client.call(args[0] ?? "PING", ...args.slice(1));
  } finally {
    client.disconnect();
  }
}
