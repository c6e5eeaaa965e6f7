import { describe, expect, it } from "vitest";
import {
  createElectionState,
  electionWinner,
  electorate,
  majority,
  parseIsMasterDownReply,
  receiveIsMasterDownReply,
  setSubjectiveDown,
  tick,
  toSentinelId,
  type ElectionState,
  type SentinelId,
} from "../src/index.js";

// redis/redis#6459: Sentinels added while the master is down know only some of the others.
// Redis's sentinelGetLeader counts `voters = dictSize(master->sentinels) + 1`, so two
// candidates that count different electorates can both reach "their" majority in one
// epoch. A vote reply (`is-master-down-by-addr`: down, leader runid, leader epoch) that
// names a Sentinel this one does not know proves one more voter; the candidate counts it.

const ids: Record<string, SentinelId> = Object.fromEntries(
  [..."ABCDEFGH"].map((c, i) => [c, toSentinelId((i + 1).toString(16).repeat(40))]),
);

function id(alias: string): SentinelId {
  const v = ids[alias];
  if (v === undefined) throw new Error(`no sentinel ${alias}`);
  return v;
}

function list(aliases: string): SentinelId[] {
  return [...aliases].map(id);
}

describe("electorate: known Sentinels + 1 + unknown Sentinels named by this epoch's votes", () => {
  it.each([
    // self, known, votes, voters, unknown, why
    ["B", "AC", "BB", 3, "", "only known Sentinels voted: Redis's count"],
    ["B", "AC", "BBD", 4, "D", "A voted for D, whom B does not know"],
    ["B", "AC", "BDD", 4, "D", "an unknown Sentinel is counted once however many name it"],
    ["B", "AC", "BDE", 5, "DE", "two unknown Sentinels"],
    ["B", "AC", "ACB", 3, "", "votes for known Sentinels and for self add nobody"],
    ["B", "", "BD", 2, "D", "a Sentinel that knows nobody yet: itself and D"],
    ["B", "AC", "", 3, "", "no votes at all"],
  ])("%s knowing %s, votes %s -> %i voters, unknown %s (%s)", (self, known, votes, voters, unknown, _why) => {
    const e = electorate(id(self), new Set(list(known)), list(votes));
    expect(e).toEqual({ known: known.length + 1, unknown: list(unknown), voters });
  });

  it("takes the known Sentinels as a map as well (a master's peers)", () => {
    const peers = new Map(list("AC").map((p) => [p, { connected: true }]));
    expect(electorate(id("B"), peers, list("BBD")).voters).toBe(4);
  });

  it("with the brief's votes, B (2 votes) is short of the majority of 4 voters; Redis's 3 would elect it", () => {
    const votes = list("BBD");
    const voters = electorate(id("B"), new Set(list("AC")), votes).voters;
    expect(majority(voters)).toBe(3);
    expect(electionWinner(votes, voters, 2).winner).toBeNull();
    expect(electionWinner(votes, 3, 2).winner).toBe(id("B"));
  });
});

const MASTER = "mymaster";

/** `me` knows `known`; the master is SDOWN here and `known[0]` reported it down: ODOWN. */
function candidate(me: string, known: string, currentEpoch = 0): ElectionState {
  let s = createElectionState({
    myId: id(me),
    currentEpoch,
    masters: [{ name: MASTER, ip: "127.0.0.1", port: 6379, quorum: 2, failoverTimeoutMs: 60_000, peers: list(known) }],
  });
  s = setSubjectiveDown(s, MASTER, true);
  return receiveIsMasterDownReply(s, MASTER, id(known[0] ?? ""), { down: true, leader: null, leaderEpoch: 0 }, 900);
}

type Reply = readonly [from: string, leader: string, epoch: number];

/** Starts the attempt at 1000, feeds the replies at 1050, tallies at 1100. */
function elected(me: string, known: string, currentEpoch: number, replies: readonly Reply[]): boolean {
  const start = tick(candidate(me, known, currentEpoch), 1000, () => 0);
  const attempt = start.state.masters.get(MASTER)?.failover;
  expect(attempt?.epoch).toBe(currentEpoch + 1);
  let s = start.state;
  for (const [from, leader, epoch] of replies) {
    const reply = parseIsMasterDownReply([1, leader === "*" ? "*" : id(leader), epoch]);
    expect(reply).not.toBeNull();
    if (reply !== null) s = receiveIsMasterDownReply(s, MASTER, id(from), reply, 1050);
  }
  const step = tick(s, 1100, () => 0);
  return step.effects.some((e) => e.type === "event" && e.event.name === "+elected-leader");
}

describe("the candidate's tally counts unknown Sentinels named by replies of the attempt's epoch", () => {
  it.each<[string, string, number, Reply[], boolean, string]>([
    // me, known, current epoch, replies (from, leader, epoch), elected, why
    ["B", "AC", 0, [["C", "B", 1], ["A", "D", 1]], false, "B, B (from C), D (from A): 4 voters, majority 3"],
    ["B", "AC", 0, [["C", "B", 1]], true, "B, B (from C), no unknown: 3 voters, majority 2, as before"],
    ["B", "AC", 0, [["C", "B", 1], ["A", "A", 1]], true, "A voted for itself, a known Sentinel: still 3 voters"],
    ["B", "AC", 0, [["C", "B", 1], ["A", "*", 0]], true, "A answered without a vote (*): nobody is named"],
    ["B", "AC", 1, [["C", "B", 2], ["A", "D", 1]], true, "A's vote for D is of epoch 1, the attempt's is 2: not counted"],
    ["B", "ACFGH", 0, [["C", "B", 1], ["F", "B", 1], ["G", "B", 1], ["A", "D", 1], ["H", "D", 1]], true, "D named twice is one voter: 7 voters, 4 of 4 needed"],
    ["B", "ACFGH", 0, [["C", "B", 1], ["F", "B", 1], ["G", "B", 1], ["A", "D", 1], ["H", "E", 1]], false, "D and E: 8 voters, 5 needed, B has 4"],
  ])("%s knowing %s in epoch %i+1: %j -> elected %s (%s)", (me, known, epoch, replies, want, _why) => {
    expect(elected(me, known, epoch, replies)).toBe(want);
  });

  it("a reply naming nobody ('*') leaves the peer's earlier vote of the epoch in place, as Redis does", () => {
    // sentinelReceiveIsMasterDownReply only replaces ri->leader when the runid is not "*".
    let s = tick(candidate("B", "AC"), 1000, () => 0).state;
    s = receiveIsMasterDownReply(s, MASTER, id("A"), { down: true, leader: id("D"), leaderEpoch: 1 }, 1040);
    s = receiveIsMasterDownReply(s, MASTER, id("A"), { down: true, leader: null, leaderEpoch: 0 }, 1045);
    s = receiveIsMasterDownReply(s, MASTER, id("C"), { down: true, leader: id("B"), leaderEpoch: 1 }, 1050);
    expect(s.masters.get(MASTER)?.peers.get(id("A"))?.leader).toBe(id("D"));
    const step = tick(s, 1100, () => 0);
    expect(step.effects.some((e) => e.type === "event" && e.event.name === "+elected-leader")).toBe(false);
  });

  it("an empty leader is not a run id: the whole reply is ignored, not read as a vote", () => {
    expect(parseIsMasterDownReply([1, "", 1])).toBeNull();
  });
});
