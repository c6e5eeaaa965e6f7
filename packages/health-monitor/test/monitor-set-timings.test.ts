import { describe, expect, it } from "vitest";
import { MemoryRedis } from "../src/index.js";
import { memoryMonitor, type ManualClock } from "./memory-monitor.js";

const REPLICA_INFO =
  "run_id:" + "b".repeat(40) + "\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n";
const MASTER_INFO =
  "run_id:" + "a".repeat(40) + "\r\nrole:master\r\nslave0:ip=127.0.0.1,port=6380,state=online,offset=1,lag=0\r\n";

const setup = memoryMonitor;

/** The fake-clock times at which `instance` receives `command` from now on. */
function recordTimes(instance: MemoryRedis, clock: ManualClock, command: string): number[] {
  const times: number[] = [];
  let seen = instance.commands.length;
  // advance() settles promises before each timer, so a command sent by a timer at time t
  // is in `commands` before the clock leaves t.
  clock.beforeFire = () => {
    for (; seen < instance.commands.length; seen += 1) {
      if (instance.commands[seen]?.[0] === command) times.push(clock.time);
    }
  };
  return times;
}

describe("HealthMonitor.setTimings and setDownAfter change periods in place", () => {
  it("PINGs every 200 ms after setTimings({ pingPeriodMs: 200 }) instead of every second (SPEC §4.1)", async () => {
    const master = new MemoryRedis();
    const { clock, monitor } = setup(new Map([[6379, master]]));
    monitor.start();
    await clock.advance(5000);
    const pings = () => master.commands.filter((c) => c[0] === "PING").length;
    const before = pings();
    await clock.advance(4000);
    // Redis's 1 s period: about 4 PINGs in 4 s.
    expect(pings() - before).toBeLessThanOrEqual(5);

    monitor.setTimings({ pingPeriodMs: 200 });
    const times = recordTimes(master, clock, "PING");
    await clock.advance(4000);
    // A PING is due once the last PONG is more than 200 ms old (Redis's strict
    // `now - last_pong_time > ping_period`, src/sentinel.c), rounded up to the 100 ms send
    // grid: every 300 ms, against 1100 ms before.
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps.length).toBeGreaterThanOrEqual(11);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(200);
      expect(gap).toBeLessThanOrEqual(300);
    }
    // The other periods keep their values: INFO still every 10 s, at 0 and 10.1 s of 13 s.
    const infos = master.commands.filter((c) => c[0] === "INFO").length;
    expect(infos).toBe(2);
    monitor.stop();
  });

  it("gives the new periods to replicas discovered later, and works before start", async () => {
    const master = new MemoryRedis();
    master.info = MASTER_INFO;
    const replica = new MemoryRedis();
    replica.info = REPLICA_INFO;
    const { clock, monitor } = setup(new Map([[6379, master], [6380, replica]]));
    monitor.setTimings({ pingPeriodMs: 250 });
    monitor.start();
    await clock.advance(2000);
    expect(monitor.instances().map((i) => i.details.name)).toEqual(["mymaster", "127.0.0.1:6380"]);
    const pings = (instance: MemoryRedis) => instance.commands.filter((c) => c[0] === "PING").length;
    const master0 = pings(master);
    const replica0 = pings(replica);
    await clock.advance(5000);
    // Every 300 ms (250 rounded up to the 100 ms grid): 16 or 17 in 5 s each; at Redis's
    // 1 s period it would be 4 or 5.
    expect(pings(master) - master0).toBeGreaterThanOrEqual(15);
    expect(pings(replica) - replica0).toBeGreaterThanOrEqual(15);
    monitor.stop();
  });

  it("declares a paused master SDOWN after the new down-after, not the old one (SPEC §4.3)", async () => {
    const master = new MemoryRedis();
    const { clock, monitor, events } = setup(new Map([[6379, master]]));
    monitor.start();
    await clock.advance(3000);
    monitor.setDownAfter(600);
    await clock.advance(1000);
    master.pause();
    const pausedAt = clock.time;
    await clock.advance(2000);
    expect(events.map((e) => e.type)).toEqual(["+sdown"]);
    const sdownSince = monitor.instances()[0]?.health.sdownSince ?? 0;
    // Never before down-after without a reply, and within down-after + one ping period
    // (min(600, 1000) = 600), far below the old 5000 ms.
    expect(sdownSince - pausedAt).toBeGreaterThanOrEqual(600);
    expect(sdownSince - pausedAt).toBeLessThanOrEqual(1200);
    monitor.stop();
  });
});
