import { DEFAULT_ELECTION_TIMINGS, DEFAULT_FAILOVER_TIMEOUT_MS, type ElectionTimings } from "./constants.js";
import type { PersistentElectionState } from "./effects.js";
import { DuplicateMasterError, UnknownMasterError } from "./errors.js";
import { toEpoch, type Epoch, type MasterName, type SentinelId } from "./types.js";

/** What this Sentinel knows about one peer Sentinel, for one master. */
export interface PeerView {
  /** The peer's run id. */
  readonly id: SentinelId;
  /** Whether the command link to the peer is up (asks go only over a connected link). */
  readonly connected: boolean;
  /** Its last reply said the master is down (Redis flag `SRI_MASTER_DOWN`). */
  readonly masterDown: boolean;
  /** Whom it last reported voting for, or `null`. */
  readonly leader: SentinelId | null;
  /** The epoch of that vote. */
  readonly leaderEpoch: Epoch;
  /** When its last well-formed reply arrived (ms), 0 if never. */
  readonly lastReplyTime: number;
}

/** Where a failover attempt of this Sentinel stands, as far as the election goes. */
export type FailoverPhase = "wait-start" | "elected";

/** A failover attempt started by this Sentinel (Redis `SRI_FAILOVER_IN_PROGRESS`). */
export interface FailoverAttempt {
  /** `failover_epoch`: the epoch the attempt was started in. */
  readonly epoch: Epoch;
  /** Started by `SENTINEL FAILOVER`: no election is needed. */
  readonly forced: boolean;
  /** `wait-start` until elected; then the failover planner takes over until it ends. */
  readonly phase: FailoverPhase;
}

/** The election state of one monitored master. */
export interface MasterElection {
  /** Master name. */
  readonly name: MasterName;
  /** Current master ip (or hostname); `is-master-down-by-addr` looks masters up by address. */
  readonly ip: string;
  /** Current master port. */
  readonly port: number;
  /** Sentinels needed to agree on ODOWN, and the minimum votes of a winner. */
  readonly quorum: number;
  /** `failover-timeout`, ms: gates retries (2x) and caps the election wait. */
  readonly failoverTimeoutMs: number;
  /** This Sentinel sees the master SDOWN (input from the health monitor). */
  readonly sdown: boolean;
  /** The master is ODOWN. */
  readonly odown: boolean;
  /** When ODOWN began (ms), or `null`. */
  readonly odownSince: number | null;
  /** This Sentinel's vote for the master's failover leader, or `null`. */
  readonly leader: SentinelId | null;
  /** The epoch of that vote (`leader_epoch`). */
  readonly leaderEpoch: Epoch;
  /**
   * `failover_start_time` (ms): set to now + jitter when an attempt starts or a vote goes to
   * another Sentinel; no attempt starts until 2 x failover-timeout after it. `null` for
   * "never" (Redis uses 0, which its wall clock puts decades in the past; here `now` may
   * come from any clock, so "never" is explicit).
   */
  readonly failoverStartTime: number | null;
  /** The `failoverStartTime` for which a {@link FailoverDelayedEffect} was already emitted. */
  readonly failoverDelayReported: number | null;
  /** The attempt in progress, or `null`. */
  readonly failover: FailoverAttempt | null;
  /** Known peer Sentinels for this master, by run id, in the order they were added. */
  readonly peers: ReadonlyMap<SentinelId, PeerView>;
}

/** A Sentinel's whole election state. Immutable: every operation returns a new one. */
export interface ElectionState {
  /** This Sentinel's run id (`myid`). */
  readonly myId: SentinelId;
  /** `current_epoch`, shared by all masters. */
  readonly currentEpoch: Epoch;
  /** TILT mode (an input; see SENTINEL-SPEC §4.13): no acting, and never report "down". */
  readonly tilt: boolean;
  /** The timing parameters in force. */
  readonly timings: ElectionTimings;
  /** Monitored masters, by name, in the order they were added. */
  readonly masters: ReadonlyMap<MasterName, MasterElection>;
}

/** How a master is added (from `sentinel monitor` or from a config file). */
export interface MasterConfig {
  /** Master name. */
  readonly name: MasterName;
  /** Master ip (or hostname). */
  readonly ip: string;
  /** Master port. */
  readonly port: number;
  /** Quorum, at least 1. */
  readonly quorum: number;
  /** `failover-timeout`, ms; default 180000. */
  readonly failoverTimeoutMs?: number;
  /** Restored `sentinel leader-epoch` (default 0). */
  readonly leaderEpoch?: Epoch;
  /** Restored vote, if the caller kept it (Redis does not). */
  readonly leader?: SentinelId | null;
  /** Known peer Sentinels (`sentinel known-sentinel`). */
  readonly peers?: readonly SentinelId[];
}

/** Options of {@link createElectionState}. */
export interface ElectionStateOptions {
  /** This Sentinel's run id. */
  readonly myId: SentinelId;
  /** Restored `sentinel current-epoch` (default 0). */
  readonly currentEpoch?: Epoch;
  /** Timing overrides (`SENTINEL DEBUG`). */
  readonly timings?: Partial<ElectionTimings>;
  /** Masters to monitor. */
  readonly masters?: readonly MasterConfig[];
}

/** A fresh peer entry: connected, no report yet. */
function newPeer(id: SentinelId, connected = true): PeerView {
  return { id, connected, masterDown: false, leader: null, leaderEpoch: 0, lastReplyTime: 0 };
}

function newMaster(config: MasterConfig): MasterElection {
  return {
    name: config.name,
    ip: config.ip,
    port: config.port,
    quorum: config.quorum,
    failoverTimeoutMs: config.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
    sdown: false,
    odown: false,
    odownSince: null,
    leader: config.leader ?? null,
    leaderEpoch: toEpoch(config.leaderEpoch ?? 0),
    failoverStartTime: null,
    failoverDelayReported: null,
    failover: null,
    peers: new Map((config.peers ?? []).map((id) => [id, newPeer(id)])),
  };
}

/** A new election state, possibly restored from a config file. */
export function createElectionState(options: ElectionStateOptions): ElectionState {
  let state: ElectionState = {
    myId: options.myId,
    currentEpoch: toEpoch(options.currentEpoch ?? 0),
    tilt: false,
    timings: { ...DEFAULT_ELECTION_TIMINGS, ...options.timings },
    masters: new Map(),
  };
  for (const m of options.masters ?? []) state = addMaster(state, m);
  return state;
}

/**
 * Rebuilds a state from a {@link PersistentElectionState}, the way a restarted Sentinel
 * reads its config file: the epochs and votes survive, everything volatile starts over.
 */
export function restoreElectionState(
  options: Omit<ElectionStateOptions, "currentEpoch">,
  snapshot: PersistentElectionState,
): ElectionState {
  const votes = new Map(snapshot.votes.map((v) => [v.master, v]));
  return createElectionState({
    ...options,
    currentEpoch: snapshot.currentEpoch,
    masters: (options.masters ?? []).map((m) => {
      const v = votes.get(m.name);
      return v === undefined ? m : { ...m, leader: v.leader, leaderEpoch: v.leaderEpoch };
    }),
  });
}

/** The master named `name`. @throws {@link UnknownMasterError} */
export function getMaster(state: ElectionState, name: MasterName): MasterElection {
  const m = state.masters.get(name);
  if (m === undefined) throw new UnknownMasterError(name);
  return m;
}

/** `state` with `master` replacing the entry of the same name. */
export function withMaster(state: ElectionState, master: MasterElection): ElectionState {
  const masters = new Map(state.masters);
  masters.set(master.name, master);
  return { ...state, masters };
}

function updateMaster(
  state: ElectionState,
  name: MasterName,
  f: (m: MasterElection) => MasterElection,
): ElectionState {
  return withMaster(state, f(getMaster(state, name)));
}

/** Starts monitoring a master. @throws {@link DuplicateMasterError} */
export function addMaster(state: ElectionState, config: MasterConfig): ElectionState {
  if (state.masters.has(config.name)) throw new DuplicateMasterError(config.name);
  return withMaster(state, newMaster(config));
}

/** Stops monitoring a master (`SENTINEL REMOVE`). @throws {@link UnknownMasterError} */
export function removeMaster(state: ElectionState, name: MasterName): ElectionState {
  getMaster(state, name);
  const masters = new Map(state.masters);
  masters.delete(name);
  return { ...state, masters };
}

/** Changes `quorum` or `failover-timeout` (`SENTINEL SET`). */
export function setMasterOptions(
  state: ElectionState,
  name: MasterName,
  options: { readonly quorum?: number; readonly failoverTimeoutMs?: number },
): ElectionState {
  return updateMaster(state, name, (m) => ({
    ...m,
    quorum: options.quorum ?? m.quorum,
    failoverTimeoutMs: options.failoverTimeoutMs ?? m.failoverTimeoutMs,
  }));
}

/** Records the health monitor's SDOWN verdict for a master. */
export function setSubjectiveDown(state: ElectionState, name: MasterName, sdown: boolean): ElectionState {
  return updateMaster(state, name, (m) => ({ ...m, sdown }));
}

/** Enters or leaves TILT (decided by the caller's timer, SENTINEL-SPEC §4.13). */
export function setTilt(state: ElectionState, tilt: boolean): ElectionState {
  return { ...state, tilt };
}

/** Changes timing parameters (`SENTINEL DEBUG`). */
export function setTimings(state: ElectionState, timings: Partial<ElectionTimings>): ElectionState {
  return { ...state, timings: { ...state.timings, ...timings } };
}

/** Adds a peer Sentinel for a master (found through hello messages); no-op if known. */
export function addPeer(state: ElectionState, name: MasterName, id: SentinelId, connected = true): ElectionState {
  return updateMaster(state, name, (m) => {
    if (m.peers.has(id)) return m;
    const peers = new Map(m.peers);
    peers.set(id, newPeer(id, connected));
    return { ...m, peers };
  });
}

/** Forgets a peer Sentinel for a master (address switch, invalid address). */
export function removePeer(state: ElectionState, name: MasterName, id: SentinelId): ElectionState {
  return updateMaster(state, name, (m) => {
    if (!m.peers.has(id)) return m;
    const peers = new Map(m.peers);
    peers.delete(id);
    return { ...m, peers };
  });
}

/** Records whether the link to a peer is connected. */
export function setPeerConnected(
  state: ElectionState,
  name: MasterName,
  id: SentinelId,
  connected: boolean,
): ElectionState {
  return updateMaster(state, name, (m) => {
    const p = m.peers.get(id);
    if (p === undefined) return m;
    const peers = new Map(m.peers);
    peers.set(id, { ...p, connected });
    return { ...m, peers };
  });
}

/**
 * The failover ended or was aborted by the planner (`sentinelAbortFailover`, or the end
 * of a failover): no attempt in progress. `failoverStartTime` is kept, so the next attempt
 * still waits 2 x failover-timeout from the start of this one.
 */
export function endFailover(state: ElectionState, name: MasterName): ElectionState {
  return updateMaster(state, name, (m) => ({ ...m, failover: null }));
}

/**
 * `sentinelResetMaster`: after `SENTINEL RESET` (peers dropped) or a switch to the promoted
 * replica (`keepPeers`, new address given). Flags, the vote's run id and the attempt are
 * cleared and `failoverStartTime` goes to `null` ("failover again ASAP"); `leaderEpoch` is kept,
 * so no second vote can be cast in an epoch already voted in.
 */
export function resetMaster(
  state: ElectionState,
  name: MasterName,
  options: { readonly keepPeers: boolean; readonly ip?: string; readonly port?: number },
): ElectionState {
  return updateMaster(state, name, (m) => ({
    ...m,
    ip: options.ip ?? m.ip,
    port: options.port ?? m.port,
    sdown: false,
    odown: false,
    odownSince: null,
    leader: null,
    failoverStartTime: null,
    failoverDelayReported: null,
    failover: null,
    peers: options.keepPeers ? m.peers : new Map(),
  }));
}

/** The durable part of `state`, as a {@link PersistEffect} carries it. */
export function persistentSnapshot(state: ElectionState): PersistentElectionState {
  return {
    currentEpoch: state.currentEpoch,
    votes: [...state.masters.values()].map((m) => ({
      master: m.name,
      leader: m.leader,
      leaderEpoch: m.leaderEpoch,
    })),
  };
}
