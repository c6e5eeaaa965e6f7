import { startRedis, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { HealthMonitor, type SentinelEvent } from "../src/index.js";

const DOWN_AFTER_MS = 400;
// SENTINEL DEBUG ping-period 50: SDOWN then follows a stop within down-after + one ping period.
// The ping period is also the reconnect period (sentinelReconnectInstance).
const TIMINGS = { pingPeriodMs: 50, infoPeriodMs: 1000 };
// Timer and measurement jitter allowed below the rule's lower bound.
const TOLERANCE_MS = 20;

describe("HealthMonitor on real redis-server (issue 4, Done when)", () => {
  const servers: RedisServer[] = [];
  const monitors: HealthMonitor[] = [];

  afterEach(async () => {
    for (const monitor of monitors.splice(0)) monitor.stop();
    for (const server of servers.splice(0)) await server.stop();
  });

  async function watch(master: RedisServer) {
    const events: { at: number; event: SentinelEvent }[] = [];
    const monitor = new HealthMonitor({
      master: { name: "mymaster", host: master.host, port: master.port },
      sentinelId: "5e471e1d00000000000000000000000000000000",
      downAfterMs: DOWN_AFTER_MS,
      timings: TIMINGS,
      checkPubsubIdle: false,
      connectTimeoutMs: 200,
    });
    monitors.push(monitor);
    monitor.onEvent((event) => events.push({ at: Date.now(), event }));
    monitor.start();
    await waitFor(() => monitor.instances()[0]?.health.infoRefresh !== undefined, {
      timeoutMs: 3000,
      what: "the first INFO from the master",
    });
    const first = (type: string) => events.find((e) => e.event.type === type);
    return { monitor, events, first };
  }

  it("discovers a replica from the master's INFO within one INFO period (SPEC §4.4)", async () => {
    const master = await startRedis();
    servers.push(master);
    const { monitor, first } = await watch(master);
    const replica = await startRedis({ replicaOf: { host: master.host, port: master.port } });
    servers.push(replica);
    await waitFor(async () => (await master.cli("INFO", "replication")).includes(`port=${replica.port},`), {
      timeoutMs: 5000,
      intervalMs: 10,
      what: "the replica in the master's INFO",
    });
    const listedAt = Date.now();
    const slave = await waitFor(() => first("+slave"), { timeoutMs: 3000, what: "+slave" });
    expect(slave.event.message).toBe(
      `slave 127.0.0.1:${replica.port} 127.0.0.1 ${replica.port} @ mymaster 127.0.0.1 ${master.port}`,
    );
    expect(slave.at - listedAt).toBeLessThanOrEqual(TIMINGS.infoPeriodMs + 100);
    // The command connection is polled too: a connection reopened after the INFO would
    // read "connecting" for a moment.
    const watched = await waitFor(
      () =>
        monitor
          .instances()
          .find((i) => i.details.port === replica.port && i.health.infoRefresh !== undefined && i.health.cmd === "open"),
      { timeoutMs: 3000, what: "the replica's own INFO on an open command connection" },
    );
    expect(watched.health).toMatchObject({ roleReported: "slave", slaveMasterPort: master.port, cmd: "open" });
  });

  it("marks a master killed with SIGKILL SDOWN down-after after the kill, within + 100 ms + one reconnect period (SPEC §4.6)", async () => {
    const master = await startRedis();
    servers.push(master);
    const { first } = await watch(master);
    const killedAt = Date.now();
    await master.kill();
    const sdown = await waitFor(() => first("+sdown"), { timeoutMs: 3000, what: "+sdown" });
    expect(sdown.event.message).toBe(`master mymaster 127.0.0.1 ${master.port}`);
    // sentinel.c: the reconnect after the kill queues a PING ("Send a PING ASAP when
    // reconnecting") and sentinelSendPing sets act_ping_time, which the refused connect
    // leaves set: down-after is counted from that attempt, as redis-sentinel does.
    expect(sdown.at - killedAt).toBeGreaterThanOrEqual(DOWN_AFTER_MS - TOLERANCE_MS);
    expect(sdown.at - killedAt).toBeLessThanOrEqual(DOWN_AFTER_MS + 100 + TIMINGS.pingPeriodMs);
  });

  it("marks a master paused with SIGSTOP SDOWN within down-after + 100 ms, and up again on SIGCONT", async () => {
    const master = await startRedis();
    servers.push(master);
    const { first } = await watch(master);
    const pausedAt = Date.now();
    await master.pause();
    try {
      const sdown = await waitFor(() => first("+sdown"), { timeoutMs: 3000, what: "+sdown" });
      expect(sdown.at - pausedAt).toBeLessThanOrEqual(DOWN_AFTER_MS + 100);
      // A PING sent just before the pause may already be the one left unanswered.
      expect(sdown.at - pausedAt).toBeGreaterThan(DOWN_AFTER_MS - TIMINGS.pingPeriodMs);
    } finally {
      await master.resume();
    }
    const up = await waitFor(() => first("-sdown"), { timeoutMs: 3000, what: "-sdown" });
    expect(up.event.message).toBe(`master mymaster 127.0.0.1 ${master.port}`);
  });

  it("recovers both connections after CLIENT KILL, without SDOWN", async () => {
    const master = await startRedis();
    servers.push(master);
    const { monitor, events } = await watch(master);
    const names = async () => (await master.cli("CLIENT", "LIST")).match(/name=sentinel-5e471e1d-\w+/g)?.sort() ?? [];
    const both = ["name=sentinel-5e471e1d-cmd", "name=sentinel-5e471e1d-pubsub"];
    // Both open, as the link sees them and as the server lists them: the first INFO can
    // come before the pub/sub connection is open, and a connection still opening already
    // counts as present (health.disconnected is false).
    const bothOpen = async () => {
      const health = monitor.instances()[0]?.health;
      return health?.cmd === "open" && health.pubsub === "open" && (await names()).join() === both.join();
    };
    await waitFor(bothOpen, { timeoutMs: 3000, what: "both connections open" });
    const killedAt = Date.now();
    await master.cli("CLIENT", "KILL", "TYPE", "normal");
    await master.cli("CLIENT", "KILL", "TYPE", "pubsub");
    await waitFor(bothOpen, { timeoutMs: 3000, what: "both connections back" });
    // No SDOWN through down-after past the kill: wait for a PING answered after that window
    // (the monitor has then judged the whole window), not for a fixed time.
    await waitFor(() => (monitor.instances()[0]?.health.lastAvailTime ?? 0) > killedAt + DOWN_AFTER_MS + 100, {
      timeoutMs: 3000,
      what: "a PING answered down-after past the kill",
    });
    expect(events.map((e) => e.event.type)).not.toContain("+sdown");
  });
});
