// SENTINEL DEBUG changes periods in place. Redis's sentinelSetDebugConfigParameters only
// assigns its globals (sentinel_ping_period, sentinel_info_period, ...), and
// sentinelSendPeriodicCommands compares last_pong_time, last_ping_time and info_refresh
// with them on the next tick: links, replies and SDOWN stay, and the next PING and INFO
// fall due one new period after the last ones (SPEC §4.1, §4.3).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  InstanceHealth,
  type HealthInput,
  type HealthStep,
  type InstanceHealthOptions,
  type SentinelTimings,
} from "../src/index.js";

const MASTER = { kind: "master", name: "mymaster", ip: "127.0.0.1", port: 6379 } as const;
const PONG: HealthInput = { type: "ping-reply", reply: { kind: "status", text: "PONG" } };
const runIdA = "a".repeat(40);
const masterInfo = `# Server\r\nrun_id:${runIdA}\r\n# Replication\r\nrole:master\r\n`;

const events = (step: HealthStep) =>
  step.effects.flatMap((e) => (e.type === "event" ? [`${e.event.type} ${e.event.message}`] : []));
const sends = (step: HealthStep) => step.effects.flatMap((e) => (e.type === "send" ? [e.command] : []));
const setTimings = (timings: Partial<SentinelTimings>): HealthInput => ({ type: "set-timings", timings });

/**
 * A master (down-after 5 s, Redis's periods) whose links opened at 1, with its first PING
 * sent at 1 and answered at 2, and INFO read at 2: with Redis's periods the next PING is
 * due at 1003 and the next INFO at 10 003.
 */
function connected(options: Partial<InstanceHealthOptions> = {}) {
  const health = new InstanceHealth({ details: MASTER, downAfterMs: 5000, ...options }, 0);
  health.step({ type: "tick" }, 0);
  health.step({ type: "connected", connection: "cmd" }, 1);
  health.step({ type: "connected", connection: "pubsub" }, 1);
  health.step(PONG, 2);
  health.step({ type: "info-reply", info: masterInfo }, 2);
  return health;
}

/** Ticks at each due time from `from` on, until PING and INFO both left (or 500 ticks). */
function firstSends(health: InstanceHealth, step: HealthStep, from: number): { ping?: number; info?: number } {
  const first: { ping?: number; info?: number } = {};
  let now = Math.max(from, step.nextDueAt);
  for (let i = 0; i < 500 && (first.ping === undefined || first.info === undefined); i++) {
    const tick = health.step({ type: "tick" }, now);
    for (const command of sends(tick)) {
      if (command === "PING") first.ping ??= now;
      if (command === "INFO") first.info ??= now;
    }
    now = Math.max(now + 1, tick.nextDueAt);
  }
  return first;
}

describe("set-timings: the next PING and INFO follow the new periods from the last sends (SPEC §4.3)", () => {
  it.each([
    // [what, new periods, applied at, first PING, first INFO]
    ["a shorter ping period counts from the last PONG", { pingPeriodMs: 200 }, 100, 203, 10_003],
    ["a ping period already elapsed since the last PONG sends at once", { pingPeriodMs: 300 }, 800, 800, 10_003],
    ["a longer ping period waits longer", { pingPeriodMs: 4000 }, 500, 4003, 10_003],
    ["a ping period above down-after is capped by it", { pingPeriodMs: 9000 }, 500, 5003, 10_003],
    ["a shorter info period counts from the last INFO", { infoPeriodMs: 2000 }, 100, 1003, 2003],
    ["an info period already elapsed since the last INFO sends at once", { infoPeriodMs: 500 }, 900, 1003, 900],
    ["both at once", { pingPeriodMs: 100, infoPeriodMs: 300 }, 50, 103, 303],
  ] as const)("%s", (_what, timings, at, ping, info) => {
    const health = connected();
    const step = health.step(setTimings(timings), at);
    expect(step.effects).toEqual([]);
    expect(step.nextDueAt).toBe(Math.max(at, Math.min(ping, info)));
    expect(firstSends(health, step, at)).toEqual({ ping, info });
  });

  it("reconnects follow the new ping period from the last attempt", () => {
    const health = connected();
    health.step({ type: "disconnected", connection: "pubsub" }, 300);
    // The last attempt was at 0: with Redis's 1 s, the next may come at 1000; with 200 ms at once.
    expect(health.step({ type: "tick" }, 300).nextDueAt).toBe(1000);
    const step = health.step(setTimings({ pingPeriodMs: 200 }), 310);
    expect(step.nextDueAt).toBe(310);
    expect(health.step({ type: "tick" }, 310).effects).toContainEqual({ type: "connect", connection: "pubsub" });
  });
});

describe("set-timings keeps the state (SPEC §4.6)", () => {
  it("keeps SDOWN, the run id, the replies and the links; -sdown still comes with the next PONG", () => {
    const health = connected({ knownReplicas: [{ ip: "127.0.0.1", port: 6380 }] });
    expect(sends(health.step({ type: "tick" }, 1003))).toEqual(["PING"]);
    expect(events(health.step({ type: "tick" }, 6004))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    const before = health.snapshot();
    expect(before).toMatchObject({ sdown: true, runId: runIdA, cmd: "open", pubsub: "open", infoRefresh: 2, lastPongTime: 2 });
    const step = health.step(
      setTimings({ pingPeriodMs: 100, infoPeriodMs: 300, publishPeriodMs: 400, minLinkReconnectPeriodMs: 20_000 }),
      6010,
    );
    expect(step.effects).toEqual([]);
    expect(health.snapshot()).toEqual(before);
    expect(health.timings).toMatchObject({ pingPeriodMs: 100, infoPeriodMs: 300, publishPeriodMs: 400, minLinkReconnectPeriodMs: 20_000 });
    expect(health.pingPeriodMs).toBe(100);
    // Still down on the next tick: no -sdown, no reconnect, only the overdue sends.
    const tick = health.step({ type: "tick" }, 6010);
    expect(events(tick)).toEqual([]);
    expect(tick.effects.filter((e) => e.type === "connect" || e.type === "close")).toEqual([]);
    expect(health.snapshot()).toMatchObject({ sdown: true, sdownSince: 6004 });
    health.step(PONG, 6020);
    expect(events(health.step({ type: "tick" }, 6020))).toEqual(["-sdown master mymaster 127.0.0.1 6379"]);
  });

  it("a shorter info period brings the master-reports-slave rule forward (down-after + 2 INFO periods)", () => {
    const health = connected();
    health.step({ type: "info-reply", info: `run_id:${runIdA}\r\nrole:slave\r\n` }, 1000);
    // 6000 since role:slave, more than 5000 + 2 × 200: SDOWN is due at once.
    expect(health.step(setTimings({ infoPeriodMs: 200 }), 7000).nextDueAt).toBe(7000);
    expect(events(health.step({ type: "tick" }, 7000))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    expect(health.snapshot().sdownReason).toBe("master-reports-slave");
  });

  it("a shorter publish period shortens the pub/sub idle rule (3 publish periods)", () => {
    const health = connected();
    health.step({ type: "pubsub-activity" }, 16_000);
    health.step(PONG, 16_000);
    health.step(setTimings({ publishPeriodMs: 500 }), 17_000);
    expect(health.step({ type: "tick" }, 17_500).effects).not.toContainEqual(expect.objectContaining({ type: "close" }));
    expect(health.step({ type: "tick" }, 17_501).effects).toContainEqual({ type: "close", connection: "pubsub", reason: "pubsub-idle" });
  });
});

describe("due times stay honest across period changes", () => {
  const timingsArb = fc.record(
    {
      pingPeriodMs: fc.integer({ min: 1, max: 3000 }),
      infoPeriodMs: fc.integer({ min: 1, max: 20_000 }),
      publishPeriodMs: fc.integer({ min: 1, max: 5000 }),
      minLinkReconnectPeriodMs: fc.integer({ min: 1, max: 20_000 }),
    },
    { requiredKeys: [] },
  );
  const inputArb = fc.oneof(
    fc.constant<HealthInput>({ type: "tick" }),
    fc.constant<HealthInput>(PONG),
    fc.constant<HealthInput>({ type: "info-reply", info: masterInfo }),
    fc.constant<HealthInput>({ type: "info-reply", info: `run_id:${runIdA}\r\nrole:slave\r\n` }),
    fc.constant<HealthInput>({ type: "connected", connection: "cmd" }),
    fc.constant<HealthInput>({ type: "connected", connection: "pubsub" }),
    fc.constant<HealthInput>({ type: "disconnected", connection: "cmd" }),
    fc.constant<HealthInput>({ type: "pubsub-activity" }),
    timingsArb.map(setTimings),
  );

  it("set-timings changes no recorded state, and a tick before nextDueAt changes nothing", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(inputArb, fc.integer({ min: 0, max: 4000 })), { maxLength: 40 }), (script) => {
        const health = new InstanceHealth({ details: MASTER, downAfterMs: 3000 }, 0);
        let now = 0;
        for (const [input, gap] of script) {
          now += gap;
          const before = JSON.stringify(health.snapshot());
          const step = health.step(input, now);
          if (input.type === "set-timings") {
            expect(step.effects).toEqual([]);
            expect(JSON.stringify(health.snapshot())).toBe(before);
            expect(health.timings).toMatchObject(input.timings);
          }
          expect(step.nextDueAt).toBeGreaterThanOrEqual(now);
          if (step.nextDueAt - 1 >= now) {
            const held = JSON.stringify({ ...health.snapshot(), sdownReason: undefined });
            expect(health.step({ type: "tick" }, step.nextDueAt - 1).effects).toEqual([]);
            expect(JSON.stringify({ ...health.snapshot(), sdownReason: undefined })).toBe(held);
            now = step.nextDueAt - 1;
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
