// Replica selection, rule by rule: SPEC §4.9, sentinel.c sentinelSelectSlave and
// compareSlavesForPromotion.
import { describe, expect, it } from "vitest";
import {
  awaitsFreshInfo,
  compareReplicasForPromotion,
  DEFAULT_TIMINGS,
  exclusionReason,
  maxMasterLinkDownTime,
  selectReplica,
  type ExclusionReason,
  type MasterView,
  type ReplicaView,
} from "@sentinel-kit/failover-planner";
import { master, NOW, replica } from "./support/fixtures.js";

const T = DEFAULT_TIMINGS;
const up = master();
const down = master({ sDown: true, oDown: true, sDownSince: NOW - 7000 });

interface Row {
  rule: string;
  m: MasterView;
  r: ReplicaView;
  want: ExclusionReason | null;
}

describe("exclusion rules (SPEC §4.9)", () => {
  const tables: Record<string, Row[]> = {
    "SDOWN or ODOWN replicas are skipped (flags & (SRI_S_DOWN|SRI_O_DOWN))": [
      { rule: "sdown", m: up, r: replica({ sDown: true }), want: "s_down" },
      { rule: "odown", m: up, r: replica({ oDown: true }), want: "o_down" },
      { rule: "neither", m: up, r: replica(), want: null },
    ],
    "a disconnected link is skipped (link->disconnected)": [
      { rule: "disconnected", m: up, r: replica({ disconnected: true }), want: "disconnected" },
    ],
    "the last valid PING reply must be at most 5 ping periods old": [
      { rule: "5000 ms", m: up, r: replica({ lastAvailTime: NOW - 5000 }), want: null },
      { rule: "5001 ms", m: up, r: replica({ lastAvailTime: NOW - 5001 }), want: "ping-stale" },
    ],
    "priority 0 means never promote": [
      { rule: "priority 0", m: up, r: replica({ priority: 0 }), want: "priority-zero" },
      { rule: "priority 1", m: up, r: replica({ priority: 1 }), want: null },
    ],
    "INFO at most 3 info periods old while the master is up": [
      { rule: "30000 ms", m: up, r: replica({ infoRefresh: NOW - 30_000 }), want: null },
      { rule: "30001 ms", m: up, r: replica({ infoRefresh: NOW - 30_001 }), want: "info-stale" },
    ],
    "INFO at most 5 ping periods old while the master is SDOWN": [
      { rule: "5000 ms", m: down, r: replica({ infoRefresh: NOW - 5000 }), want: null },
      { rule: "5001 ms", m: down, r: replica({ infoRefresh: NOW - 5001 }), want: "info-stale" },
    ],
    "master_link_down_time <= (now - master s_down_since) + 10 x down-after": [
      // master up: 10 x 30 000
      { rule: "up, 300000", m: up, r: replica({ masterLinkDownTime: 300_000 }), want: null },
      {
        rule: "up, 300001",
        m: up,
        r: replica({ masterLinkDownTime: 300_001 }),
        want: "master-link-down-too-long",
      },
      // master SDOWN for 7 s: 7 000 + 300 000
      { rule: "down, 307000", m: down, r: replica({ masterLinkDownTime: 307_000 }), want: null },
      {
        rule: "down, 307001",
        m: down,
        r: replica({ masterLinkDownTime: 307_001 }),
        want: "master-link-down-too-long",
      },
    ],
  };
  for (const [title, rows] of Object.entries(tables)) {
    describe(title, () => {
      it.each(rows)("$rule", ({ m, r, want }) => {
        expect(exclusionReason(r, m, NOW, T)).toBe(want);
        expect(selectReplica({ ...m, replicas: [r] }, NOW, T)).toBe(want === null ? r : null);
      });
    });
  }

  it("checks the rules in sentinel.c's order (SDOWN before disconnected before priority)", () => {
    const r = replica({ sDown: true, disconnected: true, priority: 0 });
    expect(exclusionReason(r, up, NOW, T)).toBe("s_down");
    expect(exclusionReason({ ...r, sDown: false }, up, NOW, T)).toBe("disconnected");
    expect(exclusionReason({ ...r, sDown: false, disconnected: false }, up, NOW, T)).toBe(
      "priority-zero",
    );
  });

  it("uses the timings given (SENTINEL DEBUG can change them)", () => {
    const r = replica({ lastAvailTime: NOW - 600 });
    expect(exclusionReason(r, up, NOW, { ...T, pingPeriod: 100 })).toBe("ping-stale");
    expect(maxMasterLinkDownTime(down, NOW)).toBe(7000 + 300_000);
    expect(maxMasterLinkDownTime(up, NOW)).toBe(300_000);
  });
});

describe("ordering rules (compareSlavesForPromotion)", () => {
  const pick = (...rs: ReplicaView[]) => selectReplica(master({ replicas: rs }), NOW, T);

  it.each([
    { rule: "lower priority wins over higher offset", a: { priority: 10, replOffset: 1 }, b: { priority: 100, replOffset: 9 } },
    { rule: "same priority: larger replication offset wins", a: { replOffset: 9 }, b: { replOffset: 1 } },
    { rule: "same offset: smaller run id wins", a: { runId: "aaa" }, b: { runId: "bbb" } },
    { rule: "run ids compare case-insensitively (strcasecmp)", a: { runId: "ABC" }, b: { runId: "abd" } },
    { rule: "a null run id sorts after any run id", a: { runId: "zzz" }, b: { runId: null } },
  ])("$rule", ({ a, b }) => {
    const ra = replica({ port: 7001, replOffset: 5, ...a });
    const rb = replica({ port: 7002, replOffset: 5, ...b });
    expect(compareReplicasForPromotion(ra, rb)).toBeLessThan(0);
    expect(compareReplicasForPromotion(rb, ra)).toBeGreaterThan(0);
    expect(pick(rb, ra)).toBe(ra);
    expect(pick(ra, rb)).toBe(ra);
  });

  it("treats equal keys (including two null run ids) as equal and keeps the input order", () => {
    const a = replica({ port: 7001, runId: null });
    const b = replica({ port: 7002, runId: null });
    expect(compareReplicasForPromotion(a, b)).toBe(0);
    expect(pick(a, b)).toBe(a);
    const c = replica({ port: 7003, runId: "Same" });
    const d = replica({ port: 7004, runId: "sAME" });
    expect(compareReplicasForPromotion(c, d)).toBe(0);
  });

  it("returns null when no replica is known", () => {
    expect(pick()).toBeNull();
  });

  it("never picks an excluded replica even if it ranks first", () => {
    const best = replica({ port: 7001, priority: 1, sDown: true });
    const ok = replica({ port: 7002, priority: 100 });
    expect(pick(best, ok)).toBe(ok);
  });
});

describe("awaitsFreshInfo: could a fresh INFO give SELECT_SLAVE a replica?", () => {
  const stale = replica({ port: 6381, infoRefresh: NOW - 5001 });
  it.each([
    { why: "master up: INFO is not asked for faster", m: up, rs: [replica({ infoRefresh: NOW - 30_001 })], want: false },
    { why: "master down, one replica with stale INFO", m: down, rs: [stale], want: true },
    { why: "an eligible replica: nothing to wait for", m: down, rs: [replica(), stale], want: false },
    { why: "stale INFO and priority 0 (priority is checked first)", m: down, rs: [replica({ infoRefresh: NOW - 5001, priority: 0 })], want: false },
    { why: "only other reasons", m: down, rs: [replica({ sDown: true }), replica({ port: 6382, disconnected: true })], want: false },
    { why: "one other reason, one stale", m: down, rs: [replica({ priority: 0 }), stale], want: true },
    { why: "no replicas", m: down, rs: [], want: false },
  ])("$why -> $want", ({ m, rs, want }) => {
    expect(awaitsFreshInfo({ ...m, replicas: rs }, NOW, T)).toBe(want);
  });
});
