// Our script module next to Debian's redis-sentinel 7.0.15 (SPEC §1.2 PENDING-SCRIPTS and
// SENTINEL SET script rules, §2 sentinel.conf script lines, §3 "Scripts"): the same events
// queue the same argv, PENDING-SCRIPTS has the same fields in the same order, INFO the same
// counts, and the error texts are Redis's own.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, resolveBinary, startRedisSentinel, waitFor, type RedisSentinel } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DENY_SCRIPTS_RECONFIG_ERROR,
  ScriptQueue,
  scriptNotExecutableConfigError,
  scriptNotExecutableReply,
  type PendingScript,
  type ScriptOption,
} from "../src/scripts/index.js";

let dir = "";
let sleeper = "";
let plain = "";
let pidFile = "";
let sentinel: RedisSentinel | undefined;
let client: Redis | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sentinel-scripts-redis-"));
  sleeper = join(dir, "sleeper.sh");
  plain = join(dir, "plain.sh");
  pidFile = join(dir, "pids");
  // Records its pid so the test can stop every script redis-sentinel started.
  writeFileSync(sleeper, `#!/bin/sh\necho $$ >> '${pidFile}'\nexec sleep 20\n`);
  chmodSync(sleeper, 0o755);
  writeFileSync(plain, "#!/bin/sh\n");
  chmodSync(plain, 0o644);
});

afterAll(async () => {
  client?.disconnect();
  await sentinel?.stop();
  if (existsSync(pidFile)) {
    for (const pid of readFileSync(pidFile, "utf8").split("\n").filter((l) => l !== "")) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

async function setError(c: Redis, ...args: string[]): Promise<string> {
  return c.call("SENTINEL", "SET", ...args).then(
    (reply) => `unexpected ${String(reply)}`,
    (error: Error) => error.message,
  );
}

/** A PENDING-SCRIPTS entry as RESP2 carries it: field, value, field, value ... */
function flat(p: PendingScript): unknown[] {
  return ["argv", p.argv, "flags", p.flags, "pid", String(p.pid), p.timeField, String(p.timeMs), "retry-num", String(p.retryNum)];
}

/** Replaces the values that differ by nature (pids, times) with their kind. */
function shape(entry: unknown[]): unknown[] {
  return entry.map((v, i) => (i === 5 && v !== "0" ? "<pid>" : i === 7 && entry[6] === "run-time" ? "<ms>" : v));
}

describe("scripts next to redis-sentinel 7.0.15", () => {
  it("deny-scripts-reconfig (on by default) refuses SET with Redis's text", async () => {
    const denying = await startRedisSentinel({ config: "" });
    const c = new Redis({ host: denying.host, port: denying.port, protocol: 2, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await c.connect();
      await c.call("SENTINEL", "MONITOR", "m1", "127.0.0.1", String(await freePort()), "1");
      expect(await setError(c, "m1", "notification-script", sleeper)).toBe(DENY_SCRIPTS_RECONFIG_ERROR);
    } finally {
      c.disconnect();
      await denying.stop();
    }
  });

  it.each(["notification-script", "client-reconfig-script"] as const)(
    "sentinel.conf %s naming a non-executable file is fatal with Redis's text",
    async (option: ScriptOption) => {
      const conf = join(dir, `${option}.conf`);
      const port = await freePort();
      writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nsentinel monitor m1 127.0.0.1 ${port} 1\nsentinel ${option} m1 ${plain}\n`);
      const output = await new Promise<string>((resolve) => {
        execFile(resolveBinary("redis-sentinel"), [conf], { timeout: 5_000, encoding: "utf8" }, (_error, stdout, stderr) => resolve(stdout + stderr));
      });
      expect(output).toContain("FATAL CONFIG FILE ERROR");
      expect(output).toContain(`\n${scriptNotExecutableConfigError(option)}\n`);
    },
  );

  it("SET checks, PENDING-SCRIPTS fields and INFO counts match our queue", async () => {
    const downPort = await freePort();
    sentinel = await startRedisSentinel({ config: "sentinel deny-scripts-reconfig no" });
    client = new Redis({ host: sentinel.host, port: sentinel.port, protocol: 2, lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    await client.call("SENTINEL", "MONITOR", "m1", "127.0.0.1", String(downPort), "1");
    expect(await setError(client, "m1", "notification-script", plain)).toBe(scriptNotExecutableReply("notification-script"));
    expect(await setError(client, "m1", "client-reconfig-script", join(dir, "missing"))).toBe(
      scriptNotExecutableReply("client-reconfig-script"),
    );

    // Every SET is a WARNING +set event about the master: 18 of them queue 18 runs of the
    // sleeper, 16 running and 2 waiting (the master stays up in Redis's eyes: down-after is 30 s).
    const ours = new ScriptQueue();
    const payloads: string[] = [];
    await client.call("SENTINEL", "SET", "m1", "notification-script", sleeper);
    payloads.push(`master m1 127.0.0.1 ${downPort} notification-script ${sleeper}`);
    for (let q = 1; payloads.length < 18; q++) {
      await client.call("SENTINEL", "SET", "m1", "quorum", String(q));
      payloads.push(`master m1 127.0.0.1 ${downPort} quorum ${q}`);
    }
    let pid = 1000;
    for (const payload of payloads) {
      ours.schedule(sleeper, ["+set", payload]);
      for (const job of ours.due(0)) ours.started(job.id, pid++);
    }

    const c = client;
    const theirs = await waitFor(
      async () => {
        const reply = (await c.call("SENTINEL", "PENDING-SCRIPTS")) as unknown[][];
        return reply.filter((e) => e[3] === "running").length === 16 ? reply : undefined;
      },
      { timeoutMs: 10_000, what: "16 running scripts in redis-sentinel" },
    );
    expect(theirs.map(shape)).toEqual(ours.pending(5).map(flat).map(shape));
    expect(theirs.at(-1)).toEqual(["argv", [sleeper, "+set", payloads[17]], "flags", "scheduled", "pid", "0", "run-delay", "0", "retry-num", "0"]);

    const info = String(await client.call("INFO", "sentinel"));
    const counts = ours.counts();
    expect(info).toContain(`sentinel_running_scripts:${counts.running}\r\n`);
    expect(info).toContain(`sentinel_scripts_queue_length:${counts.queueLength}\r\n`);
    expect(counts).toEqual({ running: 16, queueLength: 18 });
  });
});
