import { FailoverInProgressError } from "./errors.js";
import { electionWinner, electorate, leadingCandidate, type TallyResult } from "./quorum.js";
import { jitteredStartTime } from "./random-delays.js";
import { getMaster, withMaster, type ElectionState, type FailoverAttempt, type MasterElection } from "./state.js";
import { StepBuilder, type ElectionStep } from "./step.js";
import type { MasterName, RandomInt, SentinelId } from "./types.js";
import { castVote } from "./voter.js";

/** How long a candidate waits for a majority: min(election timeout, failover-timeout). */
export function electionTimeoutFor(state: ElectionState, master: MasterElection): number {
  return Math.min(state.timings.electionTimeoutMs, master.failoverTimeoutMs);
}

/**
 * The last instant a candidate still waits: `failoverStartTime + min(election timeout,
 * failover-timeout)`; strictly after it the attempt is abandoned.
 */
export function abortsAfter(state: ElectionState, master: MasterElection): number {
  return (master.failoverStartTime ?? 0) + electionTimeoutFor(state, master);
}

/**
 * The time from which a new attempt may start, `failoverStartTime + 2 x failover-timeout`,
 * or `null` when no attempt or vote for another ever set `failoverStartTime`.
 */
export function retryGateOpensAt(master: MasterElection): number | null {
  return master.failoverStartTime === null ? null : master.failoverStartTime + 2 * master.failoverTimeoutMs;
}

function startAttempt(
  b: StepBuilder,
  state: ElectionState,
  master: MasterElection,
  forced: boolean,
  now: number,
  random: RandomInt,
): ElectionState {
  // `sentinelStartFailover`. Redis flushes the incremented epoch only with the vote that
  // follows in the same tick; here the step's persist covers it before any request leaves.
  const epoch = state.currentEpoch + 1;
  const m: MasterElection = {
    ...master,
    failover: { epoch, forced, phase: "wait-start" },
    failoverStartTime: jitteredStartTime(now, state.timings.maxDesyncMs, random),
  };
  b.markPersist();
  b.event(m, { name: "+new-epoch", master: m.name, epoch });
  b.event(m, { name: "+try-failover", master: m.name, epoch });
  return withMaster({ ...state, currentEpoch: epoch }, m);
}

/**
 * `sentinelStartFailoverIfNeeded` (SENTINEL-SPEC §4.8 "Start"): an attempt starts when the
 * master is ODOWN, none is in progress, and 2 x failover-timeout have passed since
 * `failoverStartTime`. The attempt runs in `current_epoch + 1`.
 */
export function startFailoverIfNeeded(
  b: StepBuilder,
  state: ElectionState,
  master: MasterElection,
  now: number,
  random: RandomInt,
): { state: ElectionState; started: boolean } {
  if (!master.odown || master.failover !== null) return { state, started: false };
  const gate = retryGateOpensAt(master);
  if (gate !== null && now < gate) {
    if (master.failoverDelayReported === master.failoverStartTime) return { state, started: false };
    b.push({ type: "failover-delayed", master: master.name, notBefore: gate });
    return {
      state: withMaster(state, { ...master, failoverDelayReported: master.failoverStartTime }),
      started: false,
    };
  }
  return { state: startAttempt(b, state, master, false, now, random), started: true };
}

/**
 * `SENTINEL FAILOVER <name>`: starts an attempt that needs no election (Redis
 * `SRI_FORCE_FAILOVER`); the next {@link tick} declares this Sentinel leader. Replica
 * availability (`-NOGOODSLAVE`) is the failover planner's check.
 *
 * @throws {@link FailoverInProgressError} (`-INPROG`) if an attempt is in progress.
 */
export function forceFailover(
  state: ElectionState,
  master: MasterName,
  now: number,
  random: RandomInt,
): ElectionStep {
  const m = getMaster(state, master);
  if (m.failover !== null) throw new FailoverInProgressError(master);
  const b = new StepBuilder();
  return b.finish(startAttempt(b, state, m, true, now, random));
}

/**
 * The tally of `sentinelGetLeader` for the attempt in progress (SENTINEL-SPEC §4.8
 * "Count"): peers' votes in the attempt's epoch, then this Sentinel's own vote, cast
 * through the voter rule for the leading candidate (or itself when nobody has votes).
 *
 * Redis counts the peers' votes of `current_epoch` and its own vote of `failover_epoch`;
 * the two differ once a hello raises the epoch during an election, and then a Sentinel
 * can combine votes of two epochs into a win. Counting only the attempt's epoch keeps
 * "at most one leader per epoch" in that race (see the README).
 *
 * The majority is taken over {@link electorate}: known Sentinels + 1 (Redis's count) plus
 * every unknown Sentinel that one of these votes names, so that a Sentinel added during the
 * failure, and already collecting votes, is counted (redis/redis#6459).
 */
export function tallyAttempt(
  b: StepBuilder,
  state: ElectionState,
  master: MasterElection,
  attempt: FailoverAttempt,
  now: number,
  random: RandomInt,
): { state: ElectionState; tally: TallyResult } {
  const votes: SentinelId[] = [];
  for (const p of master.peers.values()) {
    if (p.leader !== null && p.leaderEpoch === attempt.epoch) votes.push(p.leader);
  }
  const own = castVote(b, state, master, attempt.epoch, leadingCandidate(votes) ?? state.myId, now, random);
  if (own.vote.leader !== null && own.vote.leaderEpoch === attempt.epoch) votes.push(own.vote.leader);
  const { voters } = electorate(state.myId, master.peers, votes);
  return { state: own.state, tally: electionWinner(votes, voters, master.quorum) };
}

/**
 * `sentinelFailoverWaitStart`: leader (or forced) → `+elected-leader`, phase `elected`;
 * otherwise give up with `-failover-abort-not-elected` once
 * `now - failoverStartTime > min(election timeout, failover-timeout)`.
 */
export function waitStart(
  b: StepBuilder,
  state: ElectionState,
  master: MasterElection,
  now: number,
  random: RandomInt,
): ElectionState {
  const attempt = master.failover;
  if (attempt === null || attempt.phase !== "wait-start") return state;
  const t = tallyAttempt(b, state, master, attempt, now, random);
  const m = getMaster(t.state, master.name);
  if (t.tally.winner === state.myId || attempt.forced) {
    b.event(m, { name: "+elected-leader", master: m.name, epoch: attempt.epoch });
    return withMaster(t.state, { ...m, failover: { ...attempt, phase: "elected" } });
  }
  if (now > abortsAfter(state, m)) {
    b.event(m, { name: "-failover-abort-not-elected", master: m.name, epoch: attempt.epoch });
    return withMaster(t.state, { ...m, failover: null });
  }
  return t.state;
}
