import type { SentinelId } from "./types.js";

/**
 * The absolute majority of `voters`: `voters/2 + 1` in integer arithmetic, as in
 * `sentinelGetLeader` (`voters_quorum = voters/2+1`).
 */
export function majority(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/** How many votes each candidate received. Keys keep first-seen order. */
export function countVotes(votes: Iterable<SentinelId>): Map<SentinelId, number> {
  const counts = new Map<SentinelId, number>();
  for (const v of votes) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * The candidate with the most votes, or `null` when there are none.
 *
 * Redis takes the first maximum in its hash table's iteration order, which is arbitrary;
 * here ties go to the lexicographically smaller run id so that a run is reproducible. A tie
 * can never produce a winner (two candidates holding `k` votes each means `2k <= voters`,
 * so `k < voters/2 + 1`), so the choice only decides whom a Sentinel that has not voted yet
 * supports.
 */
export function leadingCandidate(votes: Iterable<SentinelId>): SentinelId | null {
  return leaderOf(countVotes(votes));
}

function leaderOf(counts: ReadonlyMap<SentinelId, number>): SentinelId | null {
  let best: SentinelId | null = null;
  let bestCount = 0;
  for (const [id, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== null && id < best)) {
      best = id;
      bestCount = n;
    }
  }
  return best;
}

/** What {@link electionWinner} decided. */
export interface TallyResult {
  /** The elected Sentinel, or `null` if nobody holds both a majority and the quorum. */
  readonly winner: SentinelId | null;
  /** The leading candidate (the winner when there is one), or `null` with no votes. */
  readonly leading: SentinelId | null;
  /** Votes held by the leading candidate. */
  readonly leadingVotes: number;
  /** The majority that was required: `voters/2 + 1`. */
  readonly majority: number;
}

/**
 * The tally rule of `sentinelGetLeader` (SENTINEL-SPEC §4.8 "Count"): the winner needs
 * `votes >= voters/2 + 1` AND `votes >= quorum`, where `voters` counts every Sentinel known
 * for the master (reachable or not) plus this one.
 *
 * The candidate's tally passes the voters of {@link electorate}, which adds the unknown
 * Sentinels its votes name to Redis's `known + 1`.
 *
 * @param votes - one entry per vote cast in the election's epoch
 * @param voters - known Sentinels + 1 in Redis; see {@link electorate}
 * @param quorum - the master's configured quorum
 */
export function electionWinner(
  votes: Iterable<SentinelId>,
  voters: number,
  quorum: number,
): TallyResult {
  const counts = countVotes(votes);
  const leading = leaderOf(counts);
  const leadingVotes = leading === null ? 0 : (counts.get(leading) ?? 0);
  const needed = majority(voters);
  const won = leading !== null && leadingVotes >= needed && leadingVotes >= quorum;
  return { winner: won ? leading : null, leading, leadingVotes, majority: needed };
}

/** The Sentinels a candidate counts as voters in one election ({@link electorate}). */
export interface Electorate {
  /** Redis's count: the Sentinels known for the master (reachable or not) plus this one. */
  readonly known: number;
  /**
   * Run ids named by a vote of the election's epoch that are neither this Sentinel nor a
   * known one, each once, in first-seen order.
   */
  readonly unknown: readonly SentinelId[];
  /** `known + unknown.length`: the voters the majority is taken over. */
  readonly voters: number;
}

/**
 * The voters a candidate counts (a sentinel-kit addition; Redis counts only
 * {@link Electorate.known}). A vote reply names whom the peer voted for in the epoch; a
 * name that is neither this Sentinel nor a known Sentinel proves that a Sentinel exists that
 * this one has not heard of yet, typically one added while the master was down
 * (redis/redis#6459), and that Sentinel is counted as a voter. Two candidates that count
 * different electorates can otherwise both reach "their" majority in one epoch.
 *
 * Only ever raises the count, so the rule makes this Sentinel's own tally stricter and
 * changes nothing a peer sees: mixed with redis-sentinel peers it stays compatible. It
 * acts only on replies that arrive before the tally is won; a candidate whose fast votes
 * already make its majority never hears of the newcomer (see the package README).
 *
 * @param self - this Sentinel's run id (its own vote is not an unknown voter)
 * @param known - the known Sentinels of the master, by run id (a set or a map)
 * @param votes - the votes of the election's epoch only (older epochs prove nothing about
 *   this electorate and are left out by the caller); "no vote" (`*`) is not a run id and
 *   cannot appear
 */
export function electorate(
  self: SentinelId,
  known: ReadonlySet<SentinelId> | ReadonlyMap<SentinelId, unknown>,
  votes: Iterable<SentinelId>,
): Electorate {
  const unknown = new Set<SentinelId>();
  for (const v of votes) if (v !== self && !known.has(v)) unknown.add(v);
  const knownVoters = known.size + 1;
  return { known: knownVoters, unknown: [...unknown], voters: knownVoters + unknown.size };
}

/**
 * The ODOWN rule of `sentinelCheckObjectivelyDown` (SENTINEL-SPEC §4.7): with the master
 * seen SDOWN here, `1 + peers reporting master_down` must reach the quorum.
 */
export function isObjectivelyDown(reports: number, quorum: number): boolean {
  return reports >= quorum;
}

/** The answer of {@link quorumReachable}. */
export interface QuorumReachability {
  /** Enough usable Sentinels to reach the configured quorum. */
  readonly quorum: boolean;
  /** Enough usable Sentinels to reach the majority that authorizes a failover. */
  readonly majority: boolean;
}

/**
 * `sentinelIsQuorumReachable` (`SENTINEL CKQUORUM`, SENTINEL-SPEC §1.2): `usable` is this
 * Sentinel plus known Sentinels that are neither SDOWN nor ODOWN; `voters` all known + 1.
 */
export function quorumReachable(usable: number, voters: number, quorum: number): QuorumReachability {
  return { quorum: usable >= quorum, majority: usable >= majority(voters) };
}
