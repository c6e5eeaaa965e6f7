import { REPLY_VALIDITY_ASK_PERIODS } from "./constants.js";
import type { IsMasterDownReply } from "./messages.js";
import { isObjectivelyDown } from "./quorum.js";
import { getMaster, withMaster, type ElectionState, type MasterElection, type PeerView } from "./state.js";
import type { StepBuilder } from "./step.js";
import type { MasterName, SentinelId } from "./types.js";

/**
 * How many Sentinels currently report the master down, this one included: 0 unless this
 * Sentinel sees it SDOWN, else 1 + peers whose last reply said down.
 */
export function downReports(master: MasterElection): number {
  if (!master.sdown) return 0;
  let n = 1;
  for (const p of master.peers.values()) if (p.masterDown) n++;
  return n;
}

/**
 * `sentinelCheckObjectivelyDown` (SENTINEL-SPEC §4.7): ODOWN iff SDOWN here and
 * {@link downReports} reaches the quorum; `+odown` / `-odown` on changes.
 */
export function checkObjectivelyDown(
  b: StepBuilder,
  state: ElectionState,
  master: MasterElection,
  now: number,
): ElectionState {
  const votes = downReports(master);
  const odown = master.sdown && isObjectivelyDown(votes, master.quorum);
  if (odown && !master.odown) {
    b.event(master, { name: "+odown", master: master.name, votes, quorum: master.quorum });
    return withMaster(state, { ...master, odown: true, odownSince: now });
  }
  if (!odown && master.odown) {
    b.event(master, { name: "-odown", master: master.name });
    return withMaster(state, { ...master, odown: false, odownSince: null });
  }
  return state;
}

/**
 * Records a peer's `is-master-down-by-addr` reply (`sentinelReceiveIsMasterDownReply`):
 * its down flag, the time, and its vote when it names a leader. Replies from a peer that is
 * no longer known are dropped. Nothing is decided here; the next {@link tick} counts.
 */
export function receiveIsMasterDownReply(
  state: ElectionState,
  master: MasterName,
  from: SentinelId,
  reply: IsMasterDownReply,
  now: number,
): ElectionState {
  const m = getMaster(state, master);
  const peer = m.peers.get(from);
  if (peer === undefined) return state;
  const updated: PeerView = {
    ...peer,
    lastReplyTime: now,
    masterDown: reply.down,
    ...(reply.leader === null ? {} : { leader: reply.leader, leaderEpoch: reply.leaderEpoch }),
  };
  const peers = new Map(m.peers);
  peers.set(from, updated);
  return withMaster(state, { ...m, peers });
}

/** The time after which a peer's last reply no longer counts (strictly after it). */
export function replyExpiresAt(peer: PeerView, askPeriodMs: number): number {
  return peer.lastReplyTime + askPeriodMs * REPLY_VALIDITY_ASK_PERIODS;
}

/**
 * `sentinelAskMasterStateToOtherSentinels` (SENTINEL-SPEC §4.7): first forget replies older
 * than 5 ask periods (down flag and vote); then, if the master is SDOWN here, ask every
 * connected peer whose last reply is at least one ask period old (or all of them when
 * `forced`, right after an attempt starts). During an attempt the request carries this
 * Sentinel's run id and the attempt's epoch, otherwise `*` and the current epoch.
 *
 * Peers in `asked` are skipped and added to it, so that a peer is asked once per tick
 * (Redis asks twice in the tick an attempt starts; the second request is redundant).
 */
export function askOtherSentinels(
  b: StepBuilder,
  state: ElectionState,
  master: MasterElection,
  now: number,
  forced: boolean,
  asked: Set<SentinelId>,
): ElectionState {
  const { askPeriodMs } = state.timings;
  let peers: Map<SentinelId, PeerView> | null = null;
  for (const p of master.peers.values()) {
    if (now > replyExpiresAt(p, askPeriodMs) && (p.masterDown || p.leader !== null)) {
      peers ??= new Map(master.peers);
      peers.set(p.id, { ...p, masterDown: false, leader: null });
    }
    if (!master.sdown || !p.connected || asked.has(p.id)) continue;
    if (!forced && now - p.lastReplyTime < askPeriodMs) continue;
    asked.add(p.id);
    const attempt = master.failover;
    b.push({
      type: "ask",
      to: p.id,
      master: master.name,
      request: {
        ip: master.ip,
        port: master.port,
        epoch: attempt === null ? state.currentEpoch : attempt.epoch,
        runId: attempt === null ? "*" : state.myId,
      },
    });
  }
  return peers === null ? state : withMaster(state, { ...master, peers });
}
