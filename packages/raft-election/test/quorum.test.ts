import { describe, expect, it } from "vitest";
import {
  electionWinner,
  isObjectivelyDown,
  leadingCandidate,
  majority,
  quorumReachable,
  toSentinelId,
  type SentinelId,
} from "../src/index.js";

const A = toSentinelId("1".repeat(40));
const B = toSentinelId("2".repeat(40));
const C = toSentinelId("3".repeat(40));

function votes(spec: string): SentinelId[] {
  const ids: Record<string, SentinelId> = { A, B, C };
  return [...spec].map((c) => {
    const id = ids[c];
    if (id === undefined) throw new Error(c);
    return id;
  });
}

describe("majority: voters/2 + 1 in integer arithmetic (sentinelGetLeader voters_quorum)", () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [6, 4],
    [7, 4],
  ])("%i voters need %i", (voters, needed) => {
    expect(majority(voters)).toBe(needed);
  });
});

// SENTINEL-SPEC §4.8 "Count": votes >= voters/2+1 AND votes >= quorum.
describe("electionWinner", () => {
  it.each([
    // votes, voters, quorum, winner, why
    ["", 3, 2, null, "no votes at all"],
    ["A", 1, 1, "A", "a lone Sentinel with quorum 1 elects itself"],
    ["A", 3, 1, null, "quorum 1 but 1 < majority 2"],
    ["AA", 3, 2, "A", "2 of 3 and quorum 2"],
    ["AA", 3, 3, null, "majority reached but quorum 3 is not"],
    ["AA", 4, 2, null, "2 of 4 is not a majority (3 needed)"],
    ["AAA", 4, 2, "A", "3 of 4"],
    ["AAB", 5, 2, null, "2 of 5 (3 needed)"],
    ["AABBC", 5, 2, null, "split 2/2/1 in five"],
    ["AAABB", 5, 3, "A", "3 of 5 with quorum 3"],
    ["AAABB", 5, 4, null, "3 of 5 but quorum 4"],
    ["BBA", 3, 2, "B", "the most voted wins, not the first"],
    ["AB", 2, 1, null, "a tie never wins"],
  ])("%s of %i voters, quorum %i -> %s (%s)", (spec, voters, quorum, winner, _why) => {
    const r = electionWinner(votes(spec), voters, quorum);
    expect(r.winner).toBe(winner === null ? null : votes(winner)[0]);
    expect(r.majority).toBe(majority(voters));
  });

  it("reports the leading candidate and its votes even without a winner", () => {
    const r = electionWinner(votes("ABB"), 5, 2);
    expect(r).toEqual({ winner: null, leading: B, leadingVotes: 2, majority: 3 });
  });
});

describe("leadingCandidate", () => {
  it.each([
    ["", null],
    ["A", "A"],
    ["BAB", "B"],
    ["BA", "A"], // a tie goes to the smaller run id
    ["CBCB", "B"],
  ])("%s -> %s", (spec, lead) => {
    expect(leadingCandidate(votes(spec))).toBe(lead === null ? null : votes(lead)[0]);
  });
});

// SENTINEL-SPEC §4.7: ODOWN iff 1 + peers reporting master_down >= quorum.
describe("isObjectivelyDown", () => {
  it.each([
    [1, 1, true],
    [1, 2, false],
    [2, 2, true],
    [3, 2, true],
    [2, 3, false],
  ])("%i reports, quorum %i -> %s", (reports, quorum, down) => {
    expect(isObjectivelyDown(reports, quorum)).toBe(down);
  });
});

// SENTINEL-SPEC §1.2 CKQUORUM: NOQUORUM if usable < quorum; NOAUTH if usable < voters/2+1.
describe("quorumReachable", () => {
  it.each([
    [3, 3, 2, true, true],
    [2, 3, 2, true, true],
    [1, 3, 2, false, false],
    [2, 5, 2, true, false],
    [3, 5, 4, false, true],
  ])("usable %i of %i voters, quorum %i -> quorum %s, majority %s", (usable, voters, quorum, q, m) => {
    expect(quorumReachable(usable, voters, quorum)).toEqual({ quorum: q, majority: m });
  });
});
