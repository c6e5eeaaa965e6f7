// Observer rules of sentinelRefreshInstanceInfo (SPEC §4.12), guard by guard.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIMINGS,
  masterLooksSane,
  noDownFor,
  observeReplica,
  pointsElsewhere,
} from "@sentinel-kit/failover-planner";
import { master, NOW, replica } from "./support/fixtures.js";

const T = DEFAULT_TIMINGS;
const kinds = (fx: ReturnType<typeof observeReplica>) =>
  fx.map((e) => (e.kind === "event" ? e.type : e.kind === "send" ? `send:${e.purpose}` : e.kind));

describe("masterLooksSane (sentinelMasterLooksSane)", () => {
  it.each([
    { why: "healthy", m: master(), want: true },
    { why: "reports slave", m: master({ role: "slave" }), want: false },
    { why: "SDOWN", m: master({ sDown: true }), want: false },
    { why: "ODOWN", m: master({ oDown: true }), want: false },
    { why: "INFO 19999 ms old", m: master({ infoRefresh: NOW - 19_999 }), want: true },
    { why: "INFO 20000 ms old", m: master({ infoRefresh: NOW - 20_000 }), want: false },
  ])("$why -> $want", ({ m, want }) => {
    expect(masterLooksSane(m, NOW, T)).toBe(want);
  });
});

describe("noDownFor (sentinelRedisInstanceNoDownFor)", () => {
  it("is true when never down, and when the last down state started more than ms ago", () => {
    expect(noDownFor(replica(), 8000, NOW)).toBe(true);
    expect(noDownFor(replica({ sDownSince: NOW - 8000 }), 8000, NOW)).toBe(false);
    expect(noDownFor(replica({ sDownSince: NOW - 8001 }), 8000, NOW)).toBe(true);
    expect(noDownFor(replica({ sDownSince: NOW - 9000, oDownSince: NOW - 100 }), 8000, NOW)).toBe(false);
  });
});

describe("+convert-to-slave", () => {
  const returning = replica({ role: "master", roleReportedTime: NOW - 8001 });
  it("fires once every guard holds", () => {
    const fx = observeReplica(master(), returning, false, NOW, T);
    expect(kinds(fx)).toEqual(["send:convert-to-slave", "+convert-to-slave"]);
    expect(fx[0]).toMatchObject({ to: returning.addr, commands: expect.arrayContaining([["SLAVEOF", "10.0.0.1", "6379"]]) });
  });
  it.each([
    { why: "it is the promoted replica", m: master(), r: returning, promoted: true },
    { why: "the master does not look sane", m: master({ sDown: true }), r: returning, promoted: false },
    { why: "its role changed 8 s ago, not more", m: master(), r: { ...returning, roleReportedTime: NOW - 8000 }, promoted: false },
    { why: "it was down 8 s ago", m: master(), r: { ...returning, sDownSince: NOW - 8000 }, promoted: false },
  ])("is held back when $why", ({ m, r, promoted }) => {
    expect(observeReplica(m, r, promoted, NOW, T)).toEqual([]);
  });
});

describe("+fix-slave-config", () => {
  const stray = replica({ masterHost: "10.9.9.9", confChangeTime: NOW - 180_001 });
  it("fires once the wrong master has been reported for more than failover-timeout", () => {
    expect(kinds(observeReplica(master(), stray, false, NOW, T))).toEqual([
      "send:fix-slave-config",
      "+fix-slave-config",
    ]);
  });
  it.each([
    { why: "the change is exactly failover-timeout old", r: { ...stray, confChangeTime: NOW - 180_000 }, m: master() },
    { why: "it was down within failover-timeout", r: { ...stray, sDownSince: NOW - 180_000 }, m: master() },
    { why: "the master is not sane", r: stray, m: master({ role: "slave" }) },
    { why: "it follows the right master", r: { ...stray, masterHost: "10.0.0.1" }, m: master() },
  ])("is held back when $why", ({ r, m }) => {
    expect(observeReplica(m, r, false, NOW, T)).toEqual([]);
  });
  it("treats a missing master_host or another port as the wrong master", () => {
    expect(pointsElsewhere(replica({ masterHost: null }), master())).toBe(true);
    expect(pointsElsewhere(replica({ masterPort: 6380 }), master())).toBe(true);
    expect(pointsElsewhere(replica(), master())).toBe(false);
  });
});
