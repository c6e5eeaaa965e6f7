import type { IsMasterDownReply, IsMasterDownRequest } from "./messages.js";
import { jitteredStartTime } from "./random-delays.js";
import { getMaster, withMaster, type ElectionState, type MasterElection } from "./state.js";
import { StepBuilder, type ElectionStep } from "./step.js";
import { toEpoch, type Epoch, type MasterName, type RandomInt, type SentinelId } from "./types.js";

/** The vote a voter holds for a master after a request: the one just cast, or an older one. */
export interface HeldVote {
  /** The Sentinel voted for, or `null` if no vote was ever cast (or it was reset). */
  readonly leader: SentinelId | null;
  /** The epoch of that vote. */
  readonly leaderEpoch: Epoch;
}

/** A {@link ElectionStep} that also says which vote the voter holds. */
export interface VoteStep extends ElectionStep {
  /** The vote after the request. */
  readonly vote: HeldVote;
}

/**
 * The voter rule, `sentinelVoteLeader` (SENTINEL-SPEC §4.8 "Vote"), on a step builder.
 * Exported for the candidate, which casts its own vote through the same rule.
 */
export function castVote(
  b: StepBuilder,
  state: ElectionState,
  master: MasterElection,
  reqEpoch: Epoch,
  reqRunId: SentinelId,
  now: number,
  random: RandomInt,
): { state: ElectionState; master: MasterElection; vote: HeldVote } {
  let s = state;
  let m = master;
  // 1. The epoch check comes first: a higher epoch is adopted whatever happens next.
  if (reqEpoch > s.currentEpoch) {
    s = { ...s, currentEpoch: reqEpoch };
    b.markPersist();
    b.event(m, { name: "+new-epoch", master: m.name, epoch: reqEpoch });
  }
  // 2. One vote per epoch, first come first served: only an epoch above the last vote,
  // and not below our current epoch, gets a new vote.
  if (m.leaderEpoch < reqEpoch && s.currentEpoch <= reqEpoch) {
    m = { ...m, leader: reqRunId, leaderEpoch: s.currentEpoch };
    b.markPersist();
    b.event(m, { name: "+vote-for-leader", master: m.name, leader: reqRunId, epoch: m.leaderEpoch });
    // Having voted for someone else, hold our own attempt back: the 2 x failover-timeout
    // gate now counts from here (plus jitter, SENTINEL-SPEC §4.14 item 2).
    if (reqRunId !== s.myId) {
      m = { ...m, failoverStartTime: jitteredStartTime(now, s.timings.maxDesyncMs, random) };
    }
  }
  s = withMaster(s, m);
  return { state: s, master: m, vote: { leader: m.leader, leaderEpoch: m.leaderEpoch } };
}

/**
 * Asks this Sentinel (as a voter) to vote for `candidate` in `epoch` for `master`:
 * adopt a higher epoch, vote if nothing was voted in that epoch yet, and return the vote
 * held either way.
 */
export function voteLeader(
  state: ElectionState,
  master: MasterName,
  epoch: Epoch,
  candidate: SentinelId,
  now: number,
  random: RandomInt,
): VoteStep {
  const b = new StepBuilder();
  const r = castVote(b, state, getMaster(state, master), toEpoch(epoch), candidate, now, random);
  return { ...b.finish(r.state), vote: r.vote };
}

function findByAddress(state: ElectionState, ip: string, port: number): MasterElection | undefined {
  const want = ip.toLowerCase();
  for (const m of state.masters.values()) if (m.port === port && m.ip.toLowerCase() === want) return m;
  return undefined;
}

/**
 * Answers `SENTINEL is-master-down-by-addr <ip> <port> <epoch> <runid|*>` (the
 * `sentinelCommand` branch): the master is found by address; "down" is reported only
 * outside TILT for a master seen SDOWN; a vote is cast only when a run id is given. TILT
 * does not stop the vote (SENTINEL-SPEC §4.8 observation). Unknown address: `[0, *, 0]`.
 *
 * @param replyTo - the caller's correlation token, copied into the reply effect
 */
export function handleIsMasterDownRequest(
  state: ElectionState,
  request: IsMasterDownRequest,
  replyTo: string,
  now: number,
  random: RandomInt,
): ElectionStep {
  const b = new StepBuilder();
  const master = findByAddress(state, request.ip, request.port);
  let s = state;
  let reply: IsMasterDownReply = { down: false, leader: null, leaderEpoch: 0 };
  if (master !== undefined) {
    const down = !state.tilt && master.sdown;
    reply = { ...reply, down };
    if (request.runId !== "*") {
      const r = castVote(b, s, master, toEpoch(request.epoch), request.runId, now, random);
      s = r.state;
      reply = { down, leader: r.vote.leader, leaderEpoch: r.vote.leaderEpoch };
    }
  }
  b.push({ type: "reply", replyTo, reply });
  return b.finish(s);
}

/**
 * A higher `current_epoch` seen elsewhere (a hello message, SENTINEL-SPEC §4.5) is adopted,
 * persisted and announced with `+new-epoch`; a lower or equal one changes nothing.
 */
export function observeEpoch(state: ElectionState, epoch: Epoch, master: MasterName): ElectionStep {
  const b = new StepBuilder();
  const m = getMaster(state, master);
  const e = toEpoch(epoch);
  if (e <= state.currentEpoch) return b.finish(state);
  b.markPersist();
  b.event(m, { name: "+new-epoch", master: m.name, epoch: e });
  return b.finish({ ...state, currentEpoch: e });
}
