// Host names (redis/redis#8282, #10146; SPEC §2.1): with `resolve-hostnames yes` a master
// given as `localhost` is monitored, replies and the saved file give its resolved address
// unless `announce-hostnames yes` (announceSentinelAddr), an unresolvable MONITOR is refused
// (createSentinelAddr's ENOENT) — each checked against Debian's redis-sentinel 7.0.15 — and a
// resolution that fails once neither loses nor duplicates the instance: the address is
// resolved again on the next reconnection.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, redisCli, startRedis, startRedisSentinel, waitFor, type RedisSentinel, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SentinelDaemon } from "../src/index.js";
import { fields, readConf, startDaemon, type Daemon } from "./harness/processes.js";

let master: RedisServer;

beforeAll(async () => {
  master = await startRedis();
}, 20_000);

afterAll(async () => {
  await master?.stop();
});

describe("beside redis-sentinel 7.0.15", () => {
  let ours: Daemon;
  let theirs: RedisSentinel;
  const both = (): [string, number][] => [["redis-sentinel", theirs.port], ["sentinel-kit", ours.port]];

  beforeAll(async () => {
    const config = `sentinel resolve-hostnames yes\nsentinel monitor mymaster localhost ${master.port} 2\n`;
    ours = await startDaemon(config);
    theirs = await startRedisSentinel({ config });
  }, 30_000);

  afterAll(async () => {
    await ours?.process.stop();
    await theirs?.stop();
  });

  it("answers with the resolved address, or the name with announce-hostnames yes", async () => {
    for (const [who, port] of both()) {
      expect(await redisCli(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"), who).toBe(`127.0.0.1\n${master.port}`);
      expect(fields((await redisCli(port, "SENTINEL", "MASTER", "mymaster")).split("\n"))["ip"], who).toBe("127.0.0.1");
      expect((await redisCli(port, "SENTINEL", "MONITOR", "other", "no-such-host.invalid", "1234", "2")).trim(), who).toBe("ERR Invalid IP address or hostname specified");
      expect(await redisCli(port, "SENTINEL", "CONFIG", "SET", "announce-hostnames", "yes"), who).toBe("OK");
      expect(await redisCli(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"), who).toBe(`localhost\n${master.port}`);
      expect(await redisCli(port, "SENTINEL", "CONFIG", "SET", "announce-hostnames", "no"), who).toBe("OK");
    }
  });

  it("saves the monitored master under its address as redis-sentinel's rewrite does", async () => {
    for (const [, port] of both()) expect(await redisCli(port, "SENTINEL", "FLUSHCONFIG")).toBe("OK");
    const monitorLine = (text: string) => text.split("\n").find((line) => line.startsWith("sentinel monitor "));
    expect(monitorLine(readFileSync(theirs.configPath, "utf8"))).toBe(`sentinel monitor mymaster 127.0.0.1 ${master.port} 2`);
    expect(monitorLine(readConf(ours))).toBe(monitorLine(readFileSync(theirs.configPath, "utf8")));
  });
});

it("a resolution that fails once keeps the instance; the next reconnection resolves it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-hostnames-"));
  const configPath = join(dir, "sentinel.conf");
  const logPath = join(dir, "sentinel.log");
  writeFileSync(configPath, `port ${await freePort()}\nbind 127.0.0.1\nlogfile ${logPath}\nsentinel resolve-hostnames yes\nsentinel monitor mymaster localhost ${master.port} 2\n`);
  let calls = 0;
  const daemon = await SentinelDaemon.open({
    configPath,
    lookup: async (host) => {
      calls++;
      if (calls === 1) throw new Error(`getaddrinfo EAI_AGAIN ${host}`);
      return "127.0.0.1";
    },
  });
  try {
    await daemon.start();
    const only = () => {
      const masters = daemon.view().masters;
      expect(masters).toHaveLength(1);
      return masters[0];
    };
    await waitFor(() => only()?.runid !== null && only()?.flags.has("disconnected") === false, { timeoutMs: 20_000, intervalMs: 50, what: "the master's link up" });
    // Not resolved yet: the name stands for the address, the instance is there and healthy.
    expect(only()?.ip).toBe("localhost");
    expect(readFileSync(logPath, "utf8")).toContain("Failed to resolve hostname 'localhost'");
    const runid = only()?.runid;
    // The daemon's links to the master dropped: reconnecting resolves the name again.
    await redisCli(master.port, "CLIENT", "KILL", "TYPE", "normal");
    await waitFor(() => only()?.ip === "127.0.0.1", { timeoutMs: 20_000, intervalMs: 50, what: "the address resolved on reconnection" });
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(only()?.runid).toBe(runid);
    expect(only()?.port).toBe(master.port);
    // The one +monitor of the start: the instance was never dropped and created again.
    expect(readFileSync(logPath, "utf8").match(/\+monitor master mymaster/g) ?? []).toHaveLength(1);
  } finally {
    await daemon.stop();
  }
}, 60_000);
