import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ManagedProcess, makeProcessDir, spawnTracked, type ProcessInfo } from "./managed-process.js";
import { pingOnce } from "./ping.js";
import { withPort } from "./port-retry.js";

/** Options of {@link startRedisSentinel}. */
export interface StartRedisSentinelOptions {
  /**
   * sentinel.conf text, e.g. `sentinel monitor mymaster 127.0.0.1 6380 2`. The kit adds
   * `port`, and `bind 127.0.0.1` and `dir` unless the text has its own.
   */
  config: string;
  /** Port to listen on; a free one by default. */
  port?: number;
  /** Bound on the wait for the first PONG, in milliseconds; 10 000 by default. */
  readyTimeoutMs?: number;
}

/** A Debian `redis-sentinel` started by {@link startRedisSentinel}. */
export class RedisSentinel extends ManagedProcess {
  /** The sentinel.conf it runs with; sentinel rewrites it as its state changes. */
  readonly configPath: string;

  /** Wraps a spawned sentinel; use {@link startRedisSentinel} instead. */
  constructor(info: ProcessInfo, configPath: string) {
    super(info);
    this.configPath = configPath;
  }
}

function hasDirective(config: string, directive: string): boolean {
  return new RegExp(`^\\s*${directive}\\s`, "im").test(config);
}

/**
 * Starts Debian's `redis-sentinel` with `config` written to `<dir>/sentinel.conf` (a file
 * sentinel may rewrite), on 127.0.0.1, and resolves once it answers PING.
 */
export function startRedisSentinel(options: StartRedisSentinelOptions): Promise<RedisSentinel> {
  return withPort(options.port, async (port) => {
    const dir = makeProcessDir("redis-sentinel", port);
    const configPath = join(dir, "sentinel.conf");
    const lines = [options.config.trimEnd(), `port ${port}`];
    if (!hasDirective(options.config, "bind")) lines.push("bind 127.0.0.1");
    if (!hasDirective(options.config, "dir")) lines.push(`dir ${dir}`);
    writeFileSync(configPath, `${lines.join("\n")}\n`);
    const sentinel = new RedisSentinel(
      spawnTracked({ command: "redis-sentinel", args: [configPath], port, dir }),
      configPath,
    );
    await sentinel.awaitReady((p) => pingOnce(p.host, p.port), options.readyTimeoutMs ?? 10_000, "to answer PING");
    return sentinel;
  });
}
