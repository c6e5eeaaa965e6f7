import { describe, expect, it } from "vitest";
import {
  createElectionState,
  handleIsMasterDownRequest,
  RandomSourceError,
  setSubjectiveDown,
  setTilt,
  toSentinelId,
  UnknownMasterError,
  voteLeader,
  type ElectionEffect,
  type SentinelId,
} from "../src/index.js";

const ME = toSentinelId("c".repeat(40));
const A = toSentinelId("a".repeat(40));
const B = toSentinelId("b".repeat(40));
const ids: Record<string, SentinelId> = { A, B, ME };

function voter(currentEpoch: number, leader: string | null, leaderEpoch: number) {
  return createElectionState({
    myId: ME,
    currentEpoch,
    masters: [
      {
        name: "m",
        ip: "127.0.0.1",
        port: 6379,
        quorum: 2,
        failoverTimeoutMs: 60_000,
        leaderEpoch,
        leader: leader === null ? null : (ids[leader] ?? null),
        peers: [A, B],
      },
    ],
  });
}

function names(effects: readonly ElectionEffect[]): string[] {
  return effects.map((e) => (e.type === "event" ? `${e.event.name} ${e.message}` : e.type));
}

// Every rule of sentinelVoteLeader (SENTINEL-SPEC §4.8 "Vote"); rand % 1000 is 400, now 5000.
describe("voteLeader rules", () => {
  it.each([
    // current, held leader, held epoch, req epoch, req runid -> current, vote, vote epoch, effects, start
    [3, null, 0, 4, "A", 4, "A", 4, ["persist", `+new-epoch 4`, `+vote-for-leader ${A} 4`], 5400, "rule 1+2: higher epoch adopted, then voted"],
    [4, null, 0, 4, "A", 4, "A", 4, ["persist", `+vote-for-leader ${A} 4`], 5400, "rule 2: epoch equal to current, no vote yet"],
    [4, "A", 4, 4, "B", 4, "A", 4, [], null, "rule 2: one vote per epoch, first come first served"],
    [4, "A", 4, 3, "B", 4, "A", 4, [], null, "rule 3: a lower epoch gets the held vote back"],
    [6, "A", 4, 5, "B", 6, "A", 4, [], null, "rule 2: req epoch below current epoch: no vote"],
    [6, "A", 4, 6, "B", 6, "B", 6, ["persist", `+vote-for-leader ${B} 6`], 5400, "rule 2: a later epoch gets a new vote"],
    [6, "A", 4, 9, "B", 9, "B", 9, ["persist", `+new-epoch 9`, `+vote-for-leader ${B} 9`], 5400, "rule 1 jumps several epochs"],
    [3, null, 0, 4, "ME", 4, "ME", 4, ["persist", `+new-epoch 4`, `+vote-for-leader ${ME} 4`], null, "a vote for oneself sets no back-off"],
    [0, null, 7, 5, "A", 5, null, 7, ["persist", `+new-epoch 5`], null, "restored leader_epoch 7 blocks votes up to 7, epoch still adopted"],
  ])(
    "current %i, held %s@%i, asked %i for %s -> current %i, vote %s@%i (%#)",
    (cur, held, heldEpoch, reqEpoch, req, wantCur, wantVote, wantEpoch, wantEffects, wantStart, _why) => {
      const reqId = ids[req];
      if (reqId === undefined) throw new Error(req);
      const r = voteLeader(voter(cur, held, heldEpoch), "m", reqEpoch, reqId, 5000, () => 400);
      const m = r.state.masters.get("m");
      expect(r.state.currentEpoch).toBe(wantCur);
      expect(r.vote).toEqual({ leader: wantVote === null ? null : ids[wantVote], leaderEpoch: wantEpoch });
      expect(m?.leaderEpoch).toBe(wantEpoch);
      expect(names(r.effects)).toEqual(wantEffects);
      expect(m?.failoverStartTime).toBe(wantStart);
    },
  );

  it("the persist carries the new vote and epoch, before everything else", () => {
    const r = voteLeader(voter(3, null, 0), "m", 4, A, 0, () => 0);
    expect(r.effects[0]).toEqual({
      type: "persist",
      snapshot: { currentEpoch: 4, votes: [{ master: "m", leader: A, leaderEpoch: 4 }] },
    });
    expect(r.effects.filter((e) => e.type === "persist")).toHaveLength(1);
  });

  it("refuses an unknown master and a broken random source", () => {
    expect(() => voteLeader(voter(0, null, 0), "nope", 1, A, 0, () => 0)).toThrow(UnknownMasterError);
    expect(() => voteLeader(voter(0, null, 0), "m", 1, A, 0, () => 1000)).toThrow(RandomSourceError);
    expect(() => voteLeader(voter(0, null, 0), "m", 1, A, 0, () => 0.5)).toThrow(RandomSourceError);
  });
});

// The is-master-down-by-addr branch of sentinelCommand (SENTINEL-SPEC §1.2, §4.7, §4.13).
describe("handleIsMasterDownRequest", () => {
  const req = { ip: "127.0.0.1", port: 6379, epoch: 1, runId: A } as const;

  it.each([
    [false, false, false],
    [true, false, true],
    [true, true, false],
  ])("sdown %s, tilt %s -> down %s, and the vote is cast either way", (sdown, tilt, down) => {
    let s = setSubjectiveDown(voter(0, null, 0), "m", sdown);
    s = setTilt(s, tilt);
    const r = handleIsMasterDownRequest(s, req, "x", 0, () => 0);
    const last = r.effects[r.effects.length - 1];
    expect(last).toEqual({ type: "reply", replyTo: "x", reply: { down, leader: A, leaderEpoch: 1 } });
    expect(r.effects[0]?.type).toBe("persist");
  });

  it("looks the master up by address, hostnames case-insensitively", () => {
    const s = createElectionState({
      myId: ME,
      masters: [{ name: "m", ip: "Redis-1.example", port: 6379, quorum: 1 }],
    });
    const hit = handleIsMasterDownRequest(s, { ...req, ip: "redis-1.EXAMPLE" }, "x", 0, () => 0);
    expect(hit.state.currentEpoch).toBe(1);
    const miss = handleIsMasterDownRequest(s, { ...req, ip: "redis-2.example" }, "y", 0, () => 0);
    expect(miss.effects).toEqual([{ type: "reply", replyTo: "y", reply: { down: false, leader: null, leaderEpoch: 0 } }]);
    expect(miss.state).toBe(s);
  });
});
