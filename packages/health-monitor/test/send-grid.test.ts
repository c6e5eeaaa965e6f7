import { describe, expect, it } from "vitest";
import { alignSendTime, InstanceHealth, sendGranularity, type HealthInput } from "../src/index.js";

describe("alignSendTime: sends wait for the next slot of Redis's 10 Hz tick (serverCron, hz 10)", () => {
  it.each([
    // at, granularity, expected
    [0, 100, 0],
    [1, 100, 100],
    [99, 100, 100],
    [100, 100, 100],
    [101, 100, 200],
    [1_732_000_000_001, 100, 1_732_000_000_100],
    [1_732_000_000_000, 100, 1_732_000_000_000],
    [1234, 25, 1250],
    [1234, 1, 1234],
    [1234, 0, 1234],
    [1234, -5, 1234],
    [Infinity, 100, Infinity],
  ])("alignSendTime(%d, %d) = %d", (at, granularity, expected) => {
    expect(alignSendTime(at, granularity)).toBe(expected);
  });
});

describe("sendGranularity: never more than half the ping period", () => {
  it.each([
    // sendGranularityMs, pingPeriodMs, expected
    [100, 1000, 100],
    [100, 200, 100],
    [100, 150, 75],
    [100, 50, 25],
    [100, 1, 0],
    [0, 1000, 0],
    [250, 1000, 250],
  ])("sendGranularity(%d, %d) = %d", (granularity, pingPeriod, expected) => {
    expect(sendGranularity(granularity, pingPeriod)).toBe(expected);
  });
});

const MASTER = { kind: "master", name: "mymaster", ip: "127.0.0.1", port: 6379 } as const;
const PONG: HealthInput = { type: "ping-reply", reply: { kind: "status", text: "PONG" } };
const INFO = `# Server\r\nrun_id:${"a".repeat(40)}\r\n# Replication\r\nrole:master\r\n`;

/** Connected at t=3, first PING answered at t=7 and INFO at t=8: off the grid on purpose. */
function connected(sendGranularityMs: number) {
  const health = new InstanceHealth({ details: MASTER, downAfterMs: 5000, sendGranularityMs }, 0);
  health.step({ type: "tick" }, 0);
  health.step({ type: "connected", connection: "cmd" }, 3);
  health.step({ type: "connected", connection: "pubsub" }, 3);
  health.step({ type: "tick" }, 4);
  health.step(PONG, 7);
  return { health, step: health.step({ type: "info-reply", info: INFO }, 8) };
}

describe("InstanceHealth with a send grid (SPEC §4.3 periods, §4.6 SDOWN)", () => {
  it("without a grid, the next PING is due 1 ms after the ping period from the last PONG", () => {
    expect(connected(0).step.nextDueAt).toBe(7 + 1000 + 1);
  });

  it("with a 100 ms grid, the next PING waits for the next slot and is sent there", () => {
    const { health, step } = connected(100);
    expect(step.nextDueAt).toBe(1100);
    expect(health.step({ type: "tick" }, 1100).effects).toEqual([{ type: "send", command: "PING" }]);
  });

  it("keeps the SDOWN deadline exact: a PING left unanswered makes SDOWN at act-ping + down-after + 1", () => {
    const { health } = connected(100);
    health.step({ type: "tick" }, 1100);
    // Nothing answers; later PINGs stay on the grid, SDOWN does not.
    let now = 1100;
    let declaredAt: number | undefined;
    for (let i = 0; i < 200 && declaredAt === undefined; i++) {
      const step = health.step({ type: "tick", pendingCommands: 1 }, now);
      if (step.effects.some((e) => e.type === "event" && e.event.type === "+sdown")) declaredAt = now;
      else now = step.nextDueAt;
    }
    expect(declaredAt).toBe(1100 + 5000 + 1);
  });

  it("rounds an INFO due time up to the grid too", () => {
    const { health } = connected(100);
    // Answer every PING at once, so only INFO (due 8 + 10 000 + 1) remains off-grid.
    let now = 1100;
    const sent: number[] = [];
    for (let i = 0; i < 50 && now < 10_500; i++) {
      const step = health.step({ type: "tick" }, now);
      if (step.effects.some((e) => e.type === "send" && e.command === "INFO")) sent.push(now);
      health.step(PONG, now);
      now = health.step({ type: "tick" }, now).nextDueAt;
    }
    expect(sent).toEqual([10_100]);
  });
});
