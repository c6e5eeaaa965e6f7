import { ManagedProcess, makeProcessDir, spawnTracked } from "./managed-process.js";
import { pingOnce } from "./ping.js";
import { withPort } from "./port-retry.js";

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Start as a replica of this master (`--replicaof host port`). */
  replicaOf?: { host: string; port: number };
  /** Extra `redis-server` arguments, after the kit's own, so they override them. */
  args?: string[];
  /** Port to listen on; a free one by default. Give the old port to restart an instance. */
  port?: number;
  /** Working directory; a new empty one by default. Give the old one to restart an instance. */
  dir?: string;
  /** Bound on the wait for the first PONG, in milliseconds; 10 000 by default. */
  readyTimeoutMs?: number;
}

/** A `redis-server` started by {@link startRedis}. */
export class RedisServer extends ManagedProcess {}

/**
 * Starts `redis-server` on 127.0.0.1 in its own directory, without persistence, with no
 * delay before a full sync to a replica (`repl-diskless-sync-delay 0`), logging to
 * `<dir>/redis-server.log`, and resolves once it answers PING.
 */
export function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  return withPort(options.port, async (port) => {
    const dir = options.dir ?? makeProcessDir("redis-server", port);
    const args = [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--daemonize", "no",
      "--save", "",
      "--appendonly", "no",
      "--dir", dir,
      // Redis waits 5 s for more replicas before a diskless full sync; tests cannot afford it.
      "--repl-diskless-sync-delay", "0",
      ...(options.replicaOf !== undefined
        ? ["--replicaof", options.replicaOf.host, String(options.replicaOf.port)]
        : []),
      ...(options.args ?? []),
    ];
    const server = new RedisServer(spawnTracked({ command: "redis-server", args, port, dir }));
    await server.awaitReady((p) => pingOnce(p.host, p.port), options.readyTimeoutMs ?? 10_000, "to answer PING");
    return server;
  });
}
