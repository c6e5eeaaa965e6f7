// SENTINEL SET down-after-milliseconds / master-reboot-down-after-period change the periods in
// place: Redis's sentinelSetCommand assigns ri->down_after_period (and
// sentinelPropagateDownAfterPeriod copies it to replicas and sentinels) or
// ri->master_reboot_down_after_period, and sentinelCheckSubjectivelyDown reads them on the
// next tick (SPEC §1.2, §4.6). Links, replies and SDOWN stay.
import { describe, expect, it } from "vitest";
import { InstanceHealth, type HealthInput, type HealthStep } from "../src/index.js";

const MASTER = { kind: "master", name: "mymaster", ip: "127.0.0.1", port: 6379 } as const;
const PONG: HealthInput = { type: "ping-reply", reply: { kind: "status", text: "PONG" } };
const runId = (c: string) => c.repeat(40);
const info = (id: string) => `# Server\r\nrun_id:${id}\r\n# Replication\r\nrole:master\r\n`;
const events = (step: HealthStep) =>
  step.effects.flatMap((e) => (e.type === "event" ? [`${e.event.type} ${e.event.message}`] : []));

/** A master (down-after 5000) whose links opened at 1, PING answered and INFO read at 2. */
function connected() {
  const health = new InstanceHealth({ details: MASTER, downAfterMs: 5000 }, 0);
  health.step({ type: "tick" }, 0);
  health.step({ type: "connected", connection: "cmd" }, 1);
  health.step({ type: "connected", connection: "pubsub" }, 1);
  health.step(PONG, 2);
  health.step({ type: "info-reply", info: info(runId("a")) }, 2);
  return health;
}

describe("set-down-after changes down-after in place (sentinelPropagateDownAfterPeriod)", () => {
  it("a shorter down-after: no effect at once, SDOWN one new period after the unanswered PING, links kept", () => {
    const health = connected();
    health.step({ type: "tick" }, 1003); // PING, never answered
    const before = health.snapshot();
    const step = health.step({ type: "set-down-after", downAfterMs: 2000 }, 1500);
    expect(step.effects).toEqual([]);
    expect(health.snapshot()).toEqual(before);
    expect(health.downAfterMs).toBe(2000);
    expect(step.nextDueAt).toBeLessThanOrEqual(3004);
    expect(events(health.step({ type: "tick" }, 3003))).toEqual([]);
    const tick = health.step({ type: "tick" }, 3004);
    expect(events(tick)).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    expect(tick.effects.filter((e) => e.type === "connect" || e.type === "close")).toEqual([]);
    expect(health.snapshot()).toMatchObject({ sdown: true, sdownSince: 3004, runId: runId("a"), cmd: "open", pubsub: "open" });
  });

  it("a longer down-after clears SDOWN on the next tick; a shorter one caps the ping period", () => {
    const health = connected();
    health.step({ type: "tick" }, 1003);
    expect(events(health.step({ type: "tick" }, 6004))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    health.step({ type: "set-down-after", downAfterMs: 60_000 }, 6010);
    expect(events(health.step({ type: "tick" }, 6010))).toEqual(["-sdown master mymaster 127.0.0.1 6379"]);
    expect(health.pingPeriodMs).toBe(1000);
    health.step({ type: "set-down-after", downAfterMs: 400 }, 6020);
    expect(health.pingPeriodMs).toBe(400);
  });

  it("master-reboot-down-after-period set after the start applies to the next reboot; absent fields keep their values", () => {
    const health = connected();
    health.step({ type: "set-down-after", masterRebootDownAfterMs: 3000 }, 100);
    expect(health.masterRebootDownAfterMs).toBe(3000);
    expect(health.downAfterMs).toBe(5000);
    expect(events(health.step({ type: "info-reply", info: info(runId("b")) }, 200))).toEqual(["+reboot master mymaster 127.0.0.1 6379"]);
    // No PONG since the reboot: SDOWN once the flag is older than the new period.
    expect(events(health.step({ type: "tick" }, 3200))).toEqual([]);
    expect(events(health.step({ type: "tick" }, 3201))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    expect(health.snapshot().sdownReason).toBe("master-reboot");
  });
});
