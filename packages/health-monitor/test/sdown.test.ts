import { describe, expect, it } from "vitest";
import {
  commandConnectionDeadAt,
  commandConnectionIsDead,
  isValidPingReply,
  pingPeriod,
  pubsubConnectionDeadAt,
  pubsubConnectionIsDead,
  sdownDueAt,
  sdownReason,
  unresponsiveFor,
  type PingReply,
  type SdownInput,
} from "../src/index.js";

describe("isValidPingReply (SPEC §4.6, sentinel.c sentinelPingReplyCallback)", () => {
  const table: [PingReply, boolean][] = [
    [{ kind: "status", text: "PONG" }, true],
    [{ kind: "error", text: "LOADING Redis is loading the dataset in memory" }, true],
    [{ kind: "error", text: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'." }, true],
    [{ kind: "error", text: "BUSY Redis is busy running a script." }, false],
    [{ kind: "error", text: "NOAUTH Authentication required." }, false],
    [{ kind: "status", text: "OK" }, false],
    [{ kind: "other" }, false],
  ];
  it.each(table)("%j -> %s", (reply, valid) => {
    expect(isValidPingReply(reply)).toBe(valid);
  });
});

describe("pingPeriod (SPEC §4.3, sentinel.c sentinelSendPeriodicCommands: min(down-after, 1000))", () => {
  it.each([
    [30_000, 1000, 1000],
    [400, 1000, 400],
    [5000, 50, 50],
  ])("down-after %i, sentinel period %i -> %i", (downAfter, period, expected) => {
    expect(pingPeriod(downAfter, period)).toBe(expected);
  });
});

describe("unresponsiveFor (SPEC §4.6, sentinel.c sentinelCheckSubjectivelyDown elapsed)", () => {
  it.each([
    ["a pending ping counts from act_ping_time", { actPingTime: 100, disconnected: false, lastAvailTime: 0 }, 900],
    // sentinelReconnectInstance queues a PING, which a refused connect leaves pending.
    ["a dropped link with a pending ping still counts from act_ping_time", { actPingTime: 100, disconnected: true, lastAvailTime: 0 }, 900],
    ["a dropped link counts from last_avail_time", { actPingTime: undefined, disconnected: true, lastAvailTime: 400 }, 600],
    ["a healthy link with nothing pending is 0", { actPingTime: undefined, disconnected: false, lastAvailTime: 0 }, 0],
  ] as const)("%s", (_name, link, expected) => {
    expect(unresponsiveFor(link, 1000)).toBe(expected);
  });
});

const base: SdownInput = {
  actPingTime: undefined,
  disconnected: false,
  lastAvailTime: 0,
  downAfterMs: 5000,
  isMaster: true,
  roleReported: "master",
  roleReportedTime: 0,
  infoPeriodMs: 10_000,
  rebootSince: undefined,
  masterRebootDownAfterMs: 0,
};

describe("sdownReason (SPEC §4.6, sentinel.c sentinelCheckSubjectivelyDown)", () => {
  const table: [string, Partial<SdownInput>, number, ReturnType<typeof sdownReason>][] = [
    ["up: nothing pending", {}, 60_000, undefined],
    ["ping pending exactly down-after: not yet", { actPingTime: 1000 }, 6000, undefined],
    ["ping pending more than down-after", { actPingTime: 1000 }, 6001, "no-valid-reply"],
    ["link down, last valid reply down-after ago: not yet", { disconnected: true, lastAvailTime: 1000 }, 6000, undefined],
    ["link down for more than down-after", { disconnected: true, lastAvailTime: 1000 }, 6001, "no-valid-reply"],
    ["link down, last reply long ago, but the reconnect's PING pending only down-after", { actPingTime: 3000, disconnected: true, lastAvailTime: 1000 }, 8000, undefined],
    ["link down, the reconnect's PING pending more than down-after", { actPingTime: 3000, disconnected: true, lastAvailTime: 1000 }, 8001, "no-valid-reply"],
    ["master reports slave for down-after + 2 info periods: not yet", { roleReported: "slave", roleReportedTime: 1000 }, 26_000, undefined],
    ["master reports slave for longer", { roleReported: "slave", roleReportedTime: 1000 }, 26_001, "master-reports-slave"],
    ["a replica reporting slave is fine", { isMaster: false, roleReported: "slave" }, 1e9, undefined],
    ["reboot flag for exactly the period: not yet", { rebootSince: 1000, masterRebootDownAfterMs: 3000 }, 4000, undefined],
    ["reboot flag older than master-reboot-down-after-period", { rebootSince: 1000, masterRebootDownAfterMs: 3000 }, 4001, "master-reboot"],
  ];
  it.each(table)("%s", (_name, patch, now, expected) => {
    expect(sdownReason({ ...base, ...patch }, now)).toBe(expected);
  });

  it.each(table.filter(([, patch]) => Object.keys(patch).length > 0))(
    "sdownDueAt is the first millisecond a rule holds: %s",
    (_name, patch) => {
      const input = { ...base, ...patch };
      const due = sdownDueAt(input);
      if (due === Infinity) return expect(sdownReason(input, 1e12)).toBeUndefined();
      expect(sdownReason(input, due - 1)).toBeUndefined();
      expect(sdownReason(input, due)).toBeDefined();
    },
  );
});

describe("dead-link rules (SPEC §4.3, sentinel.c sentinelCheckSubjectivelyDown)", () => {
  const cmd = {
    connectedSince: 0,
    actPingTime: 20_000,
    lastPongTime: 20_000,
    downAfterMs: 5000,
    minLinkReconnectPeriodMs: 15_000,
  };
  it.each([
    ["a pending ping older than down-after/2 on an old connection", {}, 22_501, true],
    ["not before down-after/2", {}, 22_500, false],
    ["not without a pending ping", { actPingTime: undefined }, 60_000, false],
    ["not while other replies still arrive", { lastPongTime: 22_400 }, 22_600, false],
    ["not on a connection younger than 15 s", { connectedSince: 10_000 }, 22_501, false],
  ] as const)("command connection: %s", (_name, patch, now, dead) => {
    const times = { ...cmd, ...patch };
    expect(commandConnectionIsDead(times, now)).toBe(dead);
    const at = commandConnectionDeadAt(times);
    if (at !== Infinity) {
      expect(commandConnectionIsDead(times, at - 1)).toBe(false);
      expect(commandConnectionIsDead(times, at)).toBe(true);
    }
  });

  const pubsub = { connectedSince: 0, lastActivity: 20_000, publishPeriodMs: 2000, minLinkReconnectPeriodMs: 15_000 };
  it.each([
    ["silent for more than 3 publish periods", {}, 26_001, true],
    ["not at exactly 3 periods", {}, 26_000, false],
    ["not on a young connection", { connectedSince: 12_000 }, 26_001, false],
  ] as const)("pub/sub connection: %s", (_name, patch, now, dead) => {
    const times = { ...pubsub, ...patch };
    expect(pubsubConnectionIsDead(times, now)).toBe(dead);
    const at = pubsubConnectionDeadAt(times);
    expect(pubsubConnectionIsDead(times, at - 1)).toBe(false);
    expect(pubsubConnectionIsDead(times, at)).toBe(true);
  });
});
