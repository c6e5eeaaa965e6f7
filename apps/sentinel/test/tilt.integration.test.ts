// TILT with a real stall (SPEC §4.13, sentinel.c sentinelCheckTiltCondition): the daemon is
// stopped with SIGSTOP for 3 s, more than the 2 s tilt trigger between two ticks. While
// tilted it keeps its links but acts on nothing: a master that stops answering is not
// flagged SDOWN, and `is-master-down-by-addr` answers 0 (sentinelCommand: `isdown` needs
// `!sentinel.tilt`). Once the (shortened) tilt period is over it publishes `-tilt` and acts at once.
import { readFileSync } from "node:fs";
import { startRedis, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import { expect, it } from "vitest";
import { EventLog, ask, fields, startDaemon, type Daemon } from "./harness/processes.js";

// Long enough that the checks made while tilted (a 2.5 s wait and three replies) end well
// inside it on a loaded machine.
const TILT_PERIOD_MS = 10_000;

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\\r?$`, "m").exec(info)?.[1];
}

it("SIGSTOP for 3 s: +tilt, no SDOWN and 'not down' replies while tilted, -tilt and SDOWN, ODOWN and a failover attempt afterwards", async () => {
  const redis: RedisServer[] = [];
  let daemon: Daemon | undefined;
  let log: EventLog | undefined;
  try {
    const master = await startRedis();
    redis.push(master);
    redis.push(await startRedis({ replicaOf: { host: master.host, port: master.port } }));
    // Quorum 1: a lone daemon may fail over by itself, so "no action" is observable.
    daemon = await startDaemon(
      `sentinel monitor mymaster 127.0.0.1 ${master.port} 1\nsentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 3000\n`,
    );
    const port = daemon.port;
    expect(await ask(port, "SENTINEL", "DEBUG", "tilt-period", String(TILT_PERIOD_MS))).toBe("OK");
    expect(fields(await ask(port, "SENTINEL", "DEBUG"))["TILT-PERIOD"]).toBe(String(TILT_PERIOD_MS));
    await waitFor(async () => fields(await ask(port, "SENTINEL", "MASTER", "mymaster"))["num-slaves"] === "1", {
      timeoutMs: 20_000,
      what: "the daemon to discover the replica",
    });
    expect(infoField(String(await ask(port, "INFO", "sentinel")), "sentinel_tilt")).toBe("0");
    log = await EventLog.open(port);
    const events = log;

    await daemon.process.pause();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await daemon.process.resume();
    await waitFor(() => events.has("+tilt"), { timeoutMs: 15_000, what: "+tilt after the stall" });
    const tiltAt = events.events.find((e) => e.channel === "+tilt")!.at;
    expect(infoField(String(await ask(port, "INFO", "sentinel")), "sentinel_tilt")).toBe("1");

    // The master stops answering while the daemon is tilted. Outside TILT it would be SDOWN
    // within 2 s (a PING sent up to one ping period, 1 s, after its last reply, plus
    // down-after, 1 s); 2.5 s are still well inside the tilt period.
    await master.pause();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const reply = (await ask(port, "SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", String(master.port), "0", "*")) as unknown[];
      const flags = fields(await ask(port, "SENTINEL", "MASTER", "mymaster"))["flags"];
      // Asked after both replies, so both were given in TILT (the -tilt event may still be
      // on its way to the subscriber; the daemon's own state is not).
      expect(infoField(String(await ask(port, "INFO", "sentinel")), "sentinel_tilt")).toBe("1");
      expect(reply).toEqual([0, "*", 0]);
      expect(flags).toBe("master");

      await waitFor(() => events.has("-tilt"), { timeoutMs: TILT_PERIOD_MS + 10_000, what: "-tilt" });
      const untiltAt = events.events.find((e) => e.channel === "-tilt")!.at;
      expect(untiltAt - tiltAt).toBeGreaterThanOrEqual(TILT_PERIOD_MS - 500);
      // Nothing acted on between +tilt and -tilt.
      const acted = events.events.filter((e) => e.at < untiltAt && ["+sdown", "+odown", "+try-failover", "+switch-master"].includes(e.channel));
      expect(acted).toEqual([]);

      // Out of TILT it acts: SDOWN, ODOWN (quorum 1) and a failover attempt. Whether that
      // attempt finds the replica's INFO fresh enough is another matter, not TILT's.
      await waitFor(() => events.has("+try-failover"), { timeoutMs: 10_000, what: "+try-failover after -tilt" });
      for (const channel of ["+sdown", "+odown", "+try-failover"]) {
        const first = events.events.find((e) => e.channel === channel && e.message.includes(`127.0.0.1 ${master.port}`));
        expect(first?.at, channel).toBeGreaterThanOrEqual(untiltAt);
        // At once: the master had been past down-after for seconds, only TILT held it back.
        expect(first!.at - untiltAt, channel).toBeLessThan(1000);
      }
    } finally {
      await master.resume();
    }
    expect(infoField(String(await ask(port, "INFO", "sentinel")), "sentinel_tilt")).toBe("0");
    // Logged as redis-sentinel logs it (sentinelEvent: `# +tilt #tilt mode entered`).
    const logText = readFileSync(daemon.process.logPath, "utf8");
    expect(logText).toMatch(/# \+tilt #tilt mode entered/);
    expect(logText).toMatch(/# -tilt #tilt mode exited/);
  } finally {
    log?.close();
    await daemon?.process.stop();
    await Promise.all(redis.map((r) => r.stop()));
  }
}, 100_000);
