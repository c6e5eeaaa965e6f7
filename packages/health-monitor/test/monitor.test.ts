import { describe, expect, it } from "vitest";
import { HealthMonitor, MemoryLink, MemoryRedis, type LinkOptions } from "../src/index.js";
import { memoryMonitor, ManualClock } from "./memory-monitor.js";

function setup(instances: Map<number, MemoryRedis>) {
  const { clock, monitor, events } = memoryMonitor(instances);
  const lines = () => events.map((e) => `${e.type} ${e.message}`);
  return { clock, monitor, lines };
}

describe("HealthMonitor drives the health state with links and due times", () => {
  it("discovers replicas from the master's INFO and watches them too", async () => {
    const master = new MemoryRedis();
    master.info = "run_id:" + "a".repeat(40) + "\r\nrole:master\r\nslave0:ip=127.0.0.1,port=6380,state=online,offset=1,lag=0\r\n";
    const replica = new MemoryRedis();
    replica.info = "run_id:" + "b".repeat(40) + "\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n";
    const { clock, monitor, lines } = setup(new Map([[6379, master], [6380, replica]]));
    monitor.start();
    await clock.advance(10);
    expect(lines()).toEqual(["+slave slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379"]);
    const watched = monitor.instances();
    expect(watched.map((i) => i.details.name)).toEqual(["mymaster", "127.0.0.1:6380"]);
    expect(watched[1]?.health).toMatchObject({ roleReported: "slave", slaveMasterPort: 6379, cmd: "open" });
    expect(replica.clientNames).toEqual(["sentinel-01234567-cmd", "sentinel-01234567-pubsub"]);
    monitor.stop();
  });

  it("PINGs once per second and INFOs every 10 s, woken only by its timer", async () => {
    const master = new MemoryRedis();
    const { clock, monitor } = setup(new Map([[6379, master]]));
    monitor.start();
    await clock.advance(30_000);
    const count = (name: string) => master.commands.filter((c) => c[0] === name).length;
    // One PING on connect, then one each time the last reply is older than 1 s.
    expect(count("PING")).toBeGreaterThanOrEqual(28);
    expect(count("PING")).toBeLessThanOrEqual(31);
    expect(count("INFO")).toBe(3);
    monitor.stop();
  });

  it("marks a paused master SDOWN after down-after, and up again when it answers", async () => {
    const master = new MemoryRedis();
    const { clock, monitor, lines } = setup(new Map([[6379, master]]));
    monitor.start();
    await clock.advance(3000);
    master.pause();
    const pausedAt = clock.time;
    await clock.advance(7000);
    expect(lines()).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    const sdownSince = monitor.instances()[0]?.health.sdownSince ?? 0;
    expect(sdownSince - pausedAt).toBeGreaterThan(5000);
    expect(sdownSince - pausedAt).toBeLessThanOrEqual(6001);
    master.resume();
    await clock.advance(10);
    expect(lines()).toEqual(["+sdown master mymaster 127.0.0.1 6379", "-sdown master mymaster 127.0.0.1 6379"]);
    monitor.stop();
  });

  it("reconnects after CLIENT KILL within one ping period, without SDOWN", async () => {
    const master = new MemoryRedis();
    const { clock, monitor, lines } = setup(new Map([[6379, master]]));
    monitor.start();
    await clock.advance(3000);
    master.killClients();
    // The last attempt was 3 s ago, so the link comes back at once.
    await clock.advance(1);
    expect(monitor.instances()[0]?.health).toMatchObject({ cmd: "open", pubsub: "open" });
    master.killClients();
    // A second cut waits for the ping period since that attempt.
    await clock.advance(998);
    expect(monitor.instances()[0]?.health.disconnected).toBe(true);
    await clock.advance(2);
    expect(monitor.instances()[0]?.health).toMatchObject({ cmd: "open", pubsub: "open", disconnected: false });
    await clock.advance(20_000);
    expect(lines()).toEqual([]);
    monitor.stop();
  });

  it("closes a command connection whose PING hangs past down-after/2 and opens a new one (SPEC §4.3)", async () => {
    const master = new MemoryRedis();
    const { clock, monitor } = setup(new Map([[6379, master]]));
    const cmdConnections = () => master.clientNames.filter((name) => name.endsWith("-cmd")).length;
    monitor.start();
    await clock.advance(16_000);
    expect(cmdConnections()).toBe(1);
    master.pause();
    // The next PING goes out within 1 s; 2.5 s (down-after/2) later the connection is dropped.
    await clock.advance(2500);
    expect(cmdConnections()).toBe(1);
    await clock.advance(1002);
    expect(cmdConnections()).toBe(2);
    monitor.stop();
  });

  it("marks an unreachable master SDOWN after down-after and retries once per ping period", async () => {
    const master = new MemoryRedis();
    master.reachable = false;
    const { clock, monitor, lines } = setup(new Map([[6379, master]]));
    monitor.start();
    await clock.advance(5000);
    expect(lines()).toEqual([]);
    await clock.advance(1);
    expect(lines()).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    master.reachable = true;
    await clock.advance(1000);
    expect(lines()).toEqual(["+sdown master mymaster 127.0.0.1 6379", "-sdown master mymaster 127.0.0.1 6379"]);
    monitor.stop();
  });
});

describe("HealthMonitor's send grid (sendGranularityMs, Redis's 10 Hz tick)", () => {
  async function pingTimes(sendGranularityMs: number | undefined) {
    const clock = new ManualClock();
    const sent: { at: number; port: number }[] = [];
    class TimedLink extends MemoryLink {
      override command(args: readonly string[]) {
        if (args[0] === "PING") sent.push({ at: clock.now(), port: this.port });
        return super.command(args);
      }
      constructor(instance: MemoryRedis, readonly port: number, options: LinkOptions) {
        super(instance, options);
      }
    }
    const monitors: HealthMonitor[] = [];
    // Two monitors started 37 ms apart, off the grid, as masters added at run time are.
    for (const [offset, port] of [[13, 6379], [37, 6380]] as const) {
      await clock.advance(offset);
      const monitor = new HealthMonitor({
        master: { name: `m${port}`, host: "127.0.0.1", port },
        sentinelId: "0123456789abcdef",
        clock,
        ...(sendGranularityMs !== undefined ? { sendGranularityMs } : {}),
        createLink: (options) => new TimedLink(new MemoryRedis(), port, options),
      });
      monitor.start();
      monitors.push(monitor);
    }
    await clock.advance(5000);
    for (const monitor of monitors) monitor.stop();
    // The first PING follows the connect at once; the periodic ones are what the grid moves.
    return { monitors, periodic: sent.filter((_, i) => i >= 2) };
  }

  it("by default sends every periodic PING on a multiple of 100 ms, so monitors wake together", async () => {
    const { monitors, periodic } = await pingTimes(undefined);
    expect(monitors[0]?.sendGranularityMs).toBe(100);
    expect(periodic.length).toBeGreaterThanOrEqual(6);
    expect(periodic.filter((s) => s.at % 100 !== 0)).toEqual([]);
    const at = (port: number) => periodic.filter((s) => s.port === port).map((s) => s.at);
    expect(at(6379)).toEqual(at(6380));
  });

  it("wakes once per PING: a PONG moves the timer set for resending the PING later", async () => {
    const master = new MemoryRedis();
    const { clock, monitor } = setup(new Map([[6379, master]]));
    monitor.start();
    await clock.advance(1000);
    const fired = clock.fired;
    const pings = master.commands.filter((c) => c[0] === "PING").length;
    await clock.advance(11_000);
    // PINGs every 1.1 s on the grid, and one INFO at 10 s + 1 ms rounded up: 11 wake-ups.
    // Without the move, as many idle ones again at the "resend the PING" times (SPEC §4.3:
    // half a ping period after a PING) that the PONG had made moot.
    const newPings = master.commands.filter((c) => c[0] === "PING").length - pings;
    expect({ newPings, fired: clock.fired - fired }).toEqual({ newPings: 10, fired: 11 });
    monitor.stop();
  });

  it("with sendGranularityMs 0 sends at the exact due times", async () => {
    const { periodic } = await pingTimes(0);
    expect(periodic.length).toBeGreaterThanOrEqual(6);
    expect(periodic.some((s) => s.at % 100 !== 0)).toBe(true);
  });
});
