import { execFile } from "node:child_process";
import { resolveBinary } from "./binaries.js";
import { RedisCliError } from "./errors.js";

/** How long one `redis-cli` call may take before it is killed, in milliseconds. */
const CLI_TIMEOUT_MS = 10_000;

/**
 * Runs `redis-cli -h <host> -p <port> ...args` and resolves with its stdout, trailing
 * newline removed. Error replies (`ERR ...`) are output, not failures, as with redis-cli
 * itself; a non-zero exit (cannot connect) or a timeout rejects with {@link RedisCliError}.
 */
export async function redisCliAt(host: string, port: number, ...args: string[]): Promise<string> {
  const binary = resolveBinary("redis-cli");
  return new Promise<string>((resolve, reject) => {
    execFile(
      binary,
      ["-h", host, "-p", String(port), ...args],
      { timeout: CLI_TIMEOUT_MS, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          const code = typeof error.code === "number" ? error.code : null;
          reject(new RedisCliError(args, code, stderr !== "" ? stderr : error.message));
          return;
        }
        resolve(stdout.replace(/\r?\n$/, ""));
      },
    );
  });
}

/** {@link redisCliAt} on 127.0.0.1: `redisCli(port, "INFO", "replication")`. */
export function redisCli(port: number, ...args: string[]): Promise<string> {
  return redisCliAt("127.0.0.1", port, ...args);
}
