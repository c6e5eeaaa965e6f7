// Real processes for the integration tests: sentinel-kit daemons started from the built
// bin (`node apps/sentinel/bin/sentinel-kit.js <conf>`), each in its own directory.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ask, fields, freePort, masterPort, plainClient, startProcess, waitFor, type ManagedProcess } from "@sentinel-kit/testkit";
import type { Redis } from "ioredis";

// Shared with tools/faults; the sentinel tests import them from here.
export { fields, masterPort } from "@sentinel-kit/testkit";

/** The executable, as a user runs it from a clone. */
export const BIN = fileURLToPath(new URL("../../bin/sentinel-kit.js", import.meta.url));
const DIST_MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/** Integration tests run the built daemon: say so clearly when it was not built. */
export function requireDist(): void {
  if (!existsSync(DIST_MAIN)) {
    throw new Error(`${DIST_MAIN} is missing: build first (\`pnpm build\` at the root, or \`cd apps/sentinel && pnpm exec tsc -b\`)`);
  }
}

/** A running sentinel-kit daemon and where its files are. */
export interface Daemon {
  process: ManagedProcess;
  readonly port: number;
  readonly dir: string;
  readonly confPath: string;
}

/** Starts a daemon on `config` (port, bind and a log file are added) in a new directory. */
export async function startDaemon(config: string): Promise<Daemon> {
  requireDist();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-it-"));
  const confPath = join(dir, "sentinel.conf");
  writeFileSync(confPath, `port ${port}\nbind 127.0.0.1\n${config}`);
  return { process: await spawnDaemon(port, dir, confPath), port, dir, confPath };
}

/** Starts the daemon again on its own files (after a stop or a crash). */
export async function restartDaemon(daemon: Daemon): Promise<void> {
  daemon.process = await spawnDaemon(daemon.port, daemon.dir, daemon.confPath);
}

function spawnDaemon(port: number, dir: string, confPath: string): Promise<ManagedProcess> {
  return startProcess({ command: process.execPath, args: [BIN, confPath], port, dir, name: "sentinel-kit" });
}

/** The file as it is now. */
export function readConf(daemon: Daemon): string {
  return readFileSync(daemon.confPath, "utf8");
}

/** One command to a daemon over a short-lived connection (RESP2, as redis-cli speaks it): the test kit's. */
export { ask };

/** Who {@link askAs} authenticates as: with neither, no AUTH is sent. */
export interface Credentials {
  readonly username?: string;
  readonly password?: string;
}

/** {@link ask} to the daemon on `port`, authenticated with `credentials` first. */
export function askAs(credentials: Credentials, port: number, ...args: string[]): Promise<unknown> {
  return ask({ port, ...credentials }, ...args);
}

/** Waits until every daemon's SENTINEL MASTER counts `replicas` replicas and `sentinels` other sentinels. */
export async function waitForDiscovery(daemons: readonly Daemon[], counts: { replicas: number; sentinels: number }, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const views = await Promise.all(daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").catch(() => null)));
      return views.every((v) => v !== null && fields(v)["num-slaves"] === String(counts.replicas) && fields(v)["num-other-sentinels"] === String(counts.sentinels));
    },
    { timeoutMs, what: `the daemons to discover ${counts.replicas} replicas and ${counts.sentinels} other sentinels each` },
  );
}

/** Waits until every daemon names the same master, other than `except`, and resolves with its port. */
export async function agreedMaster(daemons: readonly Daemon[], except: number, timeoutMs: number): Promise<number> {
  let agreed = 0;
  await waitFor(
    async () => {
      const ports = await Promise.all(daemons.map((d) => masterPort(d.port)));
      agreed = ports[0] ?? 0;
      return ports.every((p) => p !== null && p !== except && p === agreed);
    },
    { timeoutMs, what: `the daemons to agree on a master other than ${except}` },
  );
  return agreed;
}

/** Collects every event a daemon publishes (PSUBSCRIBE *), with its arrival time. */
export class EventLog {
  readonly events: { at: number; channel: string; message: string }[] = [];
  readonly #client: Redis;

  private constructor(client: Redis) {
    this.#client = client;
  }

  static async open(port: number): Promise<EventLog> {
    const client = plainClient(port);
    const log = new EventLog(client);
    client.on("pmessage", (_pattern: string, channel: string, message: string) => {
      log.events.push({ at: Date.now(), channel, message });
    });
    await client.connect();
    await client.psubscribe("*");
    return log;
  }

  has(channel: string): boolean {
    return this.events.some((e) => e.channel === channel);
  }

  close(): void {
    this.#client.disconnect();
  }
}
