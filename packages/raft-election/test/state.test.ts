import { describe, expect, it } from "vitest";
import {
  addMaster,
  addPeer,
  createElectionState,
  DuplicateMasterError,
  endFailover,
  forceFailover,
  getMaster,
  jitteredStartTime,
  nextTimerHz,
  nextWake,
  persistentSnapshot,
  RandomSourceError,
  removeMaster,
  removePeer,
  resetMaster,
  restoreElectionState,
  setMasterOptions,
  setPeerConnected,
  setTimings,
  toSentinelId,
  UnknownMasterError,
  voteLeader,
} from "../src/index.js";

const ME = toSentinelId("a".repeat(40));
const B = toSentinelId("b".repeat(40));
const C = toSentinelId("c".repeat(40));
const mymaster = { name: "mymaster", ip: "127.0.0.1", port: 6379, quorum: 2, peers: [B] } as const;

describe("election state", () => {
  it("starts from Redis's defaults (SENTINEL-SPEC §4.1)", () => {
    const s = createElectionState({ myId: ME, masters: [mymaster] });
    expect(s.currentEpoch).toBe(0);
    expect(s.timings).toEqual({ askPeriodMs: 1000, electionTimeoutMs: 10_000, maxDesyncMs: 1000 });
    const m = getMaster(s, "mymaster");
    expect(m.failoverTimeoutMs).toBe(180_000);
    expect(m.failoverStartTime).toBeNull();
    expect([...m.peers.keys()]).toEqual([B]);
    expect(setTimings(s, { askPeriodMs: 100 }).timings.askPeriodMs).toBe(100);
  });

  it("adds, changes and removes masters and peers", () => {
    let s = createElectionState({ myId: ME });
    s = addMaster(s, mymaster);
    expect(() => addMaster(s, mymaster)).toThrow(DuplicateMasterError);
    s = addPeer(s, "mymaster", C);
    expect(addPeer(s, "mymaster", C)).toEqual(s);
    s = setPeerConnected(s, "mymaster", C, false);
    expect(getMaster(s, "mymaster").peers.get(C)?.connected).toBe(false);
    s = removePeer(s, "mymaster", B);
    expect([...getMaster(s, "mymaster").peers.keys()]).toEqual([C]);
    s = setMasterOptions(s, "mymaster", { quorum: 3 });
    expect(getMaster(s, "mymaster").quorum).toBe(3);
    s = removeMaster(s, "mymaster");
    expect(() => getMaster(s, "mymaster")).toThrow(UnknownMasterError);
    expect(() => removeMaster(s, "mymaster")).toThrow(UnknownMasterError);
  });

  it("endFailover keeps the start time, so the retry gate still counts from it (§4.11 use 1)", () => {
    const s0 = createElectionState({ myId: ME, masters: [mymaster] });
    const started = forceFailover(s0, "mymaster", 5000, () => 7).state;
    const ended = endFailover(started, "mymaster");
    expect(getMaster(ended, "mymaster").failover).toBeNull();
    expect(getMaster(ended, "mymaster").failoverStartTime).toBe(5007);
  });

  it("resetMaster clears the vote's run id but keeps its epoch (sentinelResetMaster)", () => {
    let s = createElectionState({ myId: ME, masters: [mymaster] });
    s = voteLeader(s, "mymaster", 4, B, 1000, () => 1).state;
    const kept = resetMaster(s, "mymaster", { keepPeers: true, ip: "127.0.0.1", port: 6380 });
    const m = getMaster(kept, "mymaster");
    expect([m.leader, m.leaderEpoch, m.failoverStartTime, m.port, m.peers.size]).toEqual([null, 4, null, 6380, 1]);
    expect(getMaster(resetMaster(s, "mymaster", { keepPeers: false }), "mymaster").peers.size).toBe(0);
    // The epoch of the vote still blocks a second vote in epoch 4.
    expect(voteLeader(kept, "mymaster", 4, C, 2000, () => 0).vote).toEqual({ leader: null, leaderEpoch: 4 });
  });

  it("restores epochs and votes from a persisted snapshot", () => {
    const voted = voteLeader(createElectionState({ myId: ME, masters: [mymaster] }), "mymaster", 2, B, 0, () => 0);
    const first = voted.effects[0];
    if (first?.type !== "persist") throw new Error("expected a persist first");
    const restored = restoreElectionState({ myId: ME, masters: [mymaster] }, first.snapshot);
    expect(persistentSnapshot(restored)).toEqual(first.snapshot);
    expect(getMaster(restored, "mymaster").leader).toBe(B);
  });

  it("has no deadline in TILT or when idle", () => {
    const s = createElectionState({ myId: ME, masters: [mymaster] });
    expect(nextWake(s, 0)).toBeNull();
    const started = forceFailover(s, "mymaster", 0, () => 0).state;
    expect(nextWake({ ...started, tilt: true }, 0)).toBeNull();
  });
});

// SENTINEL-SPEC §4.14.
describe("random delays", () => {
  it("keeps the jitter in [now, now + maxDesync) and the timer in 10..19 Hz", () => {
    expect(jitteredStartTime(100, 1000, () => 0)).toBe(100);
    expect(jitteredStartTime(100, 1000, () => 999)).toBe(1099);
    expect(nextTimerHz(() => 0)).toBe(10);
    expect(nextTimerHz(() => 9)).toBe(19);
  });

  it.each([1000, -1, 0.5, Number.NaN])("refuses a source returning %s for bound 1000", (bad) => {
    expect(() => jitteredStartTime(0, 1000, () => bad)).toThrow(RandomSourceError);
  });
});
