import { instanceName, sameAddress, sameHost } from "./address.js";
import { slaveOfTransaction } from "./commands.js";
import { DEFAULT_FAST_CONFIRMATION, DEFAULT_TIMINGS } from "./constants.js";
import type { PlannerEffect } from "./effects.js";
import type { EventLevel, PlannerEventType } from "./events.js";
import { masterDetails, replicaDetails, switchMasterPayload } from "./events.js";
import { PlannerInputError } from "./errors.js";
import { observeReplica } from "./observer.js";
import type { ProbeSchedule } from "./promotion-confirmation.js";
import { dueProbe, firstProbe, NO_PROBES, nextProbeTime } from "./promotion-confirmation.js";
import { awaitsFreshInfo, selectReplica } from "./replica-selection.js";
import type {
  Address,
  FastConfirmationOptions,
  MasterView,
  PlannerOptions,
  PlannerTimings,
  ReplicaView,
  RoleReply,
} from "./types.js";

/** `failover_state` of sentinel.c, with the names `SENTINEL MASTER` shows. */
export type FailoverPhase =
  | "none"
  | "wait_start"
  | "select_slave"
  | "send_slaveof_noone"
  | "wait_promotion"
  | "reconf_slaves"
  | "update_config";

/** The reconfiguration flags Redis keeps on each replica during RECONF_SLAVES. */
export interface ReconfProgress {
  /** `SRI_RECONF_SENT`: SLAVEOF <new master> was sent. */
  readonly sent: boolean;
  /** `SRI_RECONF_INPROG`: the replica reports the new master. */
  readonly inProgress: boolean;
  /** `SRI_RECONF_DONE`: its link to the new master is up (or it was given up on). */
  readonly done: boolean;
  /** `slave_reconf_sent_time`, ms. */
  readonly sentTime: number;
  /** ROLE probes of the fast confirmation option. */
  readonly probes: ProbeSchedule;
}

/** The planner's state for one master. Treat it as opaque and immutable. */
export interface FailoverState {
  /** The failover state. */
  readonly phase: FailoverPhase;
  /** `failover_epoch`: the epoch this attempt was started in. */
  readonly epoch: number;
  /**
   * `failover_start_time` (start + random desync), or null when no attempt was made since
   * the last switch. Redis uses 0 with a wall clock; null keeps the "failover again at
   * once" meaning with a simulated clock that starts at 0.
   */
  readonly startTime: number | null;
  /** `failover_state_change_time`, ms. */
  readonly stateChangeTime: number;
  /** `SRI_FORCE_FAILOVER`: started by SENTINEL FAILOVER, so no election is needed. */
  readonly forced: boolean;
  /** The last epoch we were told we lead, or null. */
  readonly electedEpoch: number | null;
  /** The replica selected for promotion (`SRI_PROMOTED`), or null. */
  readonly promoted: Address | null;
  /** Reconfiguration flags by replica instance name. */
  readonly reconf: Readonly<Record<string, ReconfProgress>>;
  /** ROLE probes to the promoted replica (fast confirmation only). */
  readonly promotionProbes: ProbeSchedule;
}

/** One input to {@link FailoverPlanner.step}. */
export type PlannerInput =
  | {
      /** The periodic timer (`sentinelTimer`), or a `wake` effect coming due. */
      readonly type: "tick";
    }
  | {
      /** The election result for `epoch`: elected leader, or not (yet). */
      readonly type: "election";
      /** The epoch voted on. */
      readonly epoch: number;
      /** True when this sentinel won the election for `epoch`. */
      readonly elected: boolean;
    }
  | {
      /** A replica's INFO was parsed and its view in the context is up to date. */
      readonly type: "replica-info";
      /** The replica. */
      readonly replica: Address;
    }
  | {
      /** The reply to a ROLE probe (fast confirmation). */
      readonly type: "role-reply";
      /** The instance that answered. */
      readonly replica: Address;
      /** Its reply. */
      readonly reply: RoleReply;
    }
  | {
      /** `SENTINEL FAILOVER <master>`: a forced failover that needs no election. */
      readonly type: "failover-command";
    };

/** The world as seen at the moment of a step. */
export interface StepContext {
  /** The caller's clock, ms. */
  readonly now: number;
  /** The master and its replicas. */
  readonly master: MasterView;
  /** Sentinel's current epoch. */
  readonly currentEpoch: number;
  /** Sentinel is in TILT: the acting half is skipped (SPEC §4.13). */
  readonly tilt?: boolean;
  /** A random source in [0, 1), used for the start delay (SPEC §4.14). */
  readonly random: () => number;
}

/** The result of one step. */
export interface StepResult {
  /** The new state. */
  readonly state: FailoverState;
  /** What the caller must do, in order. */
  readonly effects: readonly PlannerEffect[];
}

/** A failover planner: pure, one state per master, driven by {@link PlannerInput}s. */
export interface FailoverPlanner {
  /** The timings in force. */
  readonly timings: PlannerTimings;
  /** The fast confirmation options, or null when Redis's INFO polling alone is used. */
  readonly fast: FastConfirmationOptions | null;
  /** The state of a master with no failover in progress and none attempted. */
  initialState(): FailoverState;
  /** Applies one input and returns the new state and the effects. */
  step(state: FailoverState, input: PlannerInput, ctx: StepContext): StepResult;
}

/** Creates a planner; see {@link PlannerOptions}. */
export function createFailoverPlanner(options: PlannerOptions = {}): FailoverPlanner {
  const timings: PlannerTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  for (const [key, value] of Object.entries(timings)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new PlannerInputError(`timings.${key}`, value, "a finite number >= 0");
    }
  }
  const fast =
    options.fastConfirmation === undefined || options.fastConfirmation === false
      ? null
      : { ...DEFAULT_FAST_CONFIRMATION, ...options.fastConfirmation };
  if (fast !== null) {
    if (!(fast.probeIntervalMs > 0)) {
      throw new PlannerInputError("fastConfirmation.probeIntervalMs", fast.probeIntervalMs, "> 0");
    }
    if (!Number.isInteger(fast.maxProbes) || fast.maxProbes < 0) {
      throw new PlannerInputError("fastConfirmation.maxProbes", fast.maxProbes, "an integer >= 0");
    }
  }
  return {
    timings,
    fast,
    initialState,
    step(state, input, ctx) {
      checkContext(ctx);
      const run: Run = { s: draftOf(state), fx: [], ctx, t: timings, fast, switched: false, moved: false };
      dispatch(run, input);
      scheduleWake(run, input);
      return { state: run.s, effects: run.fx };
    },
  };
}

function initialState(): FailoverState {
  return {
    phase: "none",
    epoch: 0,
    startTime: null,
    stateChangeTime: 0,
    forced: false,
    electedEpoch: null,
    promoted: null,
    reconf: {},
    promotionProbes: NO_PROBES,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Omit<Mutable<FailoverState>, "reconf"> & { reconf: Record<string, Mutable<ReconfProgress>> };

interface Run {
  s: Draft;
  fx: PlannerEffect[];
  ctx: StepContext;
  t: PlannerTimings;
  fast: FastConfirmationOptions | null;
  /** The master was switched in this step: the context's master view is now stale. */
  switched: boolean;
  /** The promotion or a replica's reconfiguration moved forward in this step. */
  moved: boolean;
}

function draftOf(state: FailoverState): Draft {
  const reconf: Record<string, Mutable<ReconfProgress>> = {};
  for (const [name, progress] of Object.entries(state.reconf)) reconf[name] = { ...progress };
  return { ...state, reconf };
}

function checkContext(ctx: StepContext): void {
  const m = ctx.master;
  if (!Number.isInteger(m.parallelSyncs) || m.parallelSyncs < 1) {
    throw new PlannerInputError("master.parallelSyncs", m.parallelSyncs, "an integer >= 1");
  }
  if (!(m.failoverTimeout > 0)) {
    throw new PlannerInputError("master.failoverTimeout", m.failoverTimeout, "> 0");
  }
  if (!(m.downAfter > 0)) throw new PlannerInputError("master.downAfter", m.downAfter, "> 0");
  if (!Number.isInteger(ctx.currentEpoch) || ctx.currentEpoch < 0) {
    throw new PlannerInputError("currentEpoch", ctx.currentEpoch, "an integer >= 0");
  }
  if (!Number.isFinite(ctx.now)) throw new PlannerInputError("now", ctx.now, "a finite number");
}

function dispatch(run: Run, input: PlannerInput): void {
  const tilt = run.ctx.tilt === true;
  switch (input.type) {
    case "tick":
      if (tilt) return;
      startIfNeeded(run);
      advance(run);
      sendDueProbes(run);
      return;
    case "election":
      if (input.elected) run.s.electedEpoch = input.epoch;
      else if (run.s.electedEpoch === input.epoch) run.s.electedEpoch = null;
      if (run.fast !== null && !tilt) advance(run);
      return;
    case "replica-info":
      if (!tilt) onReplicaInfo(run, input.replica);
      return;
    case "role-reply":
      if (!tilt) onRoleReply(run, input.replica, input.reply);
      return;
    case "failover-command":
      onFailoverCommand(run);
      return;
  }
}

// ---------------------------------------------------------------- helpers

function emit(run: Run, type: PlannerEventType, level: EventLevel, payload: string): void {
  run.fx.push({ kind: "event", type, level, payload });
}

function masterEvent(run: Run, type: PlannerEventType): void {
  emit(run, type, "warning", masterDetails(run.ctx.master.name, run.ctx.master.addr));
}

function replicaEvent(run: Run, type: PlannerEventType, level: EventLevel, addr: Address): void {
  const m = run.ctx.master;
  emit(run, type, level, replicaDetails(addr, m.name, m.addr));
}

function findReplica(master: MasterView, addr: Address): ReplicaView | undefined {
  return master.replicas.find((r) => sameAddress(r.addr, addr));
}

function isPromoted(s: Draft, addr: Address): boolean {
  return s.phase !== "none" && s.promoted !== null && sameAddress(s.promoted, addr);
}

function progressOf(s: Draft, addr: Address): Mutable<ReconfProgress> {
  const name = instanceName(addr);
  let p = s.reconf[name];
  if (p === undefined) {
    p = { sent: false, inProgress: false, done: false, sentTime: 0, probes: NO_PROBES };
    s.reconf[name] = p;
  }
  return p;
}

function setPhase(run: Run, phase: FailoverPhase): void {
  run.s.phase = phase;
  run.s.stateChangeTime = run.ctx.now;
}

// ---------------------------------------------------------------- start and abort

/** `sentinelStartFailoverIfNeeded`: ODOWN, no failover running, 2 x failover-timeout since the last attempt. */
function startIfNeeded(run: Run): void {
  const { master, now } = run.ctx;
  if (!master.oDown || run.s.phase !== "none") return;
  if (run.s.startTime !== null && now - run.s.startTime < master.failoverTimeout * 2) return;
  start(run);
  run.fx.push({ kind: "ask-sentinels", epoch: run.s.epoch });
}

/** `sentinelStartFailover`. */
function start(run: Run): void {
  const { now, currentEpoch, random } = run.ctx;
  const r = random();
  if (!(r >= 0 && r < 1)) throw new PlannerInputError("random()", r, "in [0, 1)");
  const s = run.s;
  setPhase(run, "wait_start");
  s.epoch = currentEpoch + 1;
  s.forced = false;
  s.promoted = null;
  s.reconf = {};
  s.promotionProbes = NO_PROBES;
  run.fx.push({ kind: "set-current-epoch", epoch: s.epoch });
  emit(run, "+new-epoch", "warning", String(s.epoch));
  masterEvent(run, "+try-failover");
  s.startTime = now + Math.floor(r * run.t.maxDesync);
}

/** `sentinelAbortFailover`: only before the promotion is seen; the start time stays, so the 2 x timeout back-off applies. */
function abort(run: Run): void {
  const s = run.s;
  setPhase(run, "none");
  s.forced = false;
  s.promoted = null;
  s.promotionProbes = NO_PROBES;
}

function onFailoverCommand(run: Run): void {
  if (run.s.phase !== "none") {
    reply(run, { ok: false, code: "INPROG", message: "Failover already in progress" });
    return;
  }
  const { master, now } = run.ctx;
  // Refused only when no replica could become eligible: one waiting for a fresh INFO is
  // waited for in SELECT_SLAVE, as after an election (see selectSlave).
  if (selectReplica(master, now, run.t) === null && !awaitsFreshInfo(master, now, run.t)) {
    reply(run, { ok: false, code: "NOGOODSLAVE", message: "No suitable replica to promote" });
    return;
  }
  start(run);
  run.s.forced = true;
  reply(run, { ok: true });
  if (run.fast !== null) advance(run);
}

function reply(run: Run, r: Extract<PlannerEffect, { kind: "reply" }>["reply"]): void {
  run.fx.push({ kind: "reply", reply: r });
}

// ---------------------------------------------------------------- the state machine

/**
 * `sentinelFailoverStateMachine`, then the switch of `sentinelHandleDictOfRedisInstances`.
 * Redis handles one state per timer tick; with fast confirmation every state that can
 * move on does so in the same step.
 */
function advance(run: Run): void {
  for (;;) {
    const before = run.s.phase;
    machineStep(run);
    if (run.fast === null || run.s.phase === before || run.s.phase === "none") break;
  }
  if (run.s.phase === "update_config") switchToPromoted(run);
}

function machineStep(run: Run): void {
  switch (run.s.phase) {
    case "wait_start":
      return waitStart(run);
    case "select_slave":
      return selectSlave(run);
    case "send_slaveof_noone":
      return sendSlaveOfNoOne(run);
    case "wait_promotion":
      return waitPromotion(run);
    case "reconf_slaves":
      return reconfNextSlave(run);
    case "none":
    case "update_config":
      return;
  }
}

/** `sentinelFailoverWaitStart`: go on once elected (or forced); give up after min(election timeout, failover-timeout). */
function waitStart(run: Run): void {
  const s = run.s;
  const { now, master } = run.ctx;
  const leader = s.electedEpoch === s.epoch;
  if (!leader && !s.forced) {
    const electionTimeout = Math.min(run.t.electionTimeout, master.failoverTimeout);
    if (now - (s.startTime ?? now) > electionTimeout) {
      masterEvent(run, "-failover-abort-not-elected");
      abort(run);
    }
    return;
  }
  masterEvent(run, "+elected-leader");
  setPhase(run, "select_slave");
  masterEvent(run, "+failover-state-select-slave");
}

/**
 * `sentinelFailoverSelectSlave`, except that a replica excluded only for stale INFO is
 * waited for, up to `staleInfoWait` after entering the state: Redis selects one tick
 * (~100 ms) later, by when the INFO it sent at ODOWN has usually been answered; a caller
 * that steps at once would otherwise abort before the reply arrives.
 */
function selectSlave(run: Run): void {
  const chosen = selectReplica(run.ctx.master, run.ctx.now, run.t);
  if (chosen === null) {
    if (waitingForInfo(run)) return;
    masterEvent(run, "-failover-abort-no-good-slave");
    abort(run);
    return;
  }
  replicaEvent(run, "+selected-slave", "warning", chosen.addr);
  run.s.promoted = chosen.addr;
  setPhase(run, "send_slaveof_noone");
  replicaEvent(run, "+failover-state-send-slaveof-noone", "notice", chosen.addr);
}

/** SELECT_SLAVE found no replica but a fresh INFO could give one, and the wait is not over. */
function waitingForInfo(run: Run): boolean {
  const { master, now } = run.ctx;
  return now < run.s.stateChangeTime + run.t.staleInfoWait && awaitsFreshInfo(master, now, run.t);
}

/** `sentinelFailoverSendSlaveOfNoOne`: wait for a link to the chosen replica, up to failover-timeout. */
function sendSlaveOfNoOne(run: Run): void {
  const { master, now } = run.ctx;
  const promoted = run.s.promoted;
  const view = promoted === null ? undefined : findReplica(master, promoted);
  if (promoted === null || view === undefined || view.disconnected) {
    if (now - run.s.stateChangeTime > master.failoverTimeout) {
      masterEvent(run, "-failover-abort-slave-timeout");
      abort(run);
    }
    return;
  }
  run.fx.push({
    kind: "send",
    to: promoted,
    purpose: "promote",
    commands: slaveOfTransaction(null, master.renamedCommands),
  });
  if (run.fast !== null) {
    const { effect, schedule } = firstProbe(master, promoted, now, run.fast);
    if (effect !== null) run.fx.push(effect);
    run.s.promotionProbes = schedule;
  }
  replicaEvent(run, "+failover-state-wait-promotion", "notice", promoted);
  setPhase(run, "wait_promotion");
}

/** `sentinelFailoverWaitPromotion`: only the timeout; the promotion itself is seen in INFO (or a ROLE reply). */
function waitPromotion(run: Run): void {
  if (run.ctx.now - run.s.stateChangeTime > run.ctx.master.failoverTimeout) {
    masterEvent(run, "-failover-abort-slave-timeout");
    abort(run);
  }
}

/** The promoted replica reports role master (`sentinelRefreshInstanceInfo`). */
function confirmPromotion(run: Run, promoted: Address): void {
  const { master } = run.ctx;
  run.fx.push({ kind: "set-config-epoch", epoch: run.s.epoch });
  setPhase(run, "reconf_slaves");
  run.fx.push({ kind: "persist" });
  replicaEvent(run, "+promoted-slave", "warning", promoted);
  masterEvent(run, "+failover-state-reconf-slaves");
  run.fx.push({ kind: "client-reconfig-script", role: "leader", from: master.addr, to: promoted });
  run.fx.push({ kind: "force-hello" });
  run.moved = true;
  if (run.fast !== null) advance(run);
}

/** `sentinelFailoverReconfNextSlave`, with its pacing by parallel-syncs. */
function reconfNextSlave(run: Run): void {
  const { master, now } = run.ctx;
  const s = run.s;
  const target = s.promoted;
  if (target === null) return;
  let inProgress = 0;
  for (const r of master.replicas) {
    const p = s.reconf[instanceName(r.addr)];
    if (p !== undefined && (p.sent || p.inProgress)) inProgress++;
  }
  // As in Redis, the loop (and with it the reconf-sent timeout) only runs while fewer than
  // parallel-syncs replicas are in progress.
  for (const r of master.replicas) {
    if (inProgress >= master.parallelSyncs) break;
    if (isPromoted(s, r.addr)) continue;
    const p = progressOf(s, r.addr);
    if (p.done) continue;
    if (p.sent && now - p.sentTime > run.t.slaveReconfTimeout) {
      replicaEvent(run, "-slave-reconf-sent-timeout", "notice", r.addr);
      p.sent = false;
      p.done = true;
    }
    if (p.sent || p.inProgress) continue;
    if (r.disconnected) continue;
    run.fx.push({
      kind: "send",
      to: r.addr,
      purpose: "reconf",
      commands: slaveOfTransaction(target, master.renamedCommands),
    });
    if (run.fast !== null) {
      const { effect, schedule } = firstProbe(master, r.addr, now, run.fast);
      if (effect !== null) run.fx.push(effect);
      p.probes = schedule;
    }
    p.sent = true;
    p.sentTime = now;
    replicaEvent(run, "+slave-reconf-sent", "notice", r.addr);
    inProgress++;
  }
  detectEnd(run);
}

/** `sentinelFailoverDetectEnd`. */
function detectEnd(run: Run): void {
  const { master, now } = run.ctx;
  const s = run.s;
  const target = s.promoted;
  if (target === null) return;
  const promotedView = findReplica(master, target);
  if (promotedView === undefined || promotedView.sDown) return;
  let notReconfigured = 0;
  for (const r of master.replicas) {
    if (isPromoted(s, r.addr) || s.reconf[instanceName(r.addr)]?.done === true) continue;
    if (r.sDown) continue;
    notReconfigured++;
  }
  let timedOut = false;
  if (now - s.stateChangeTime > master.failoverTimeout) {
    notReconfigured = 0;
    timedOut = true;
    masterEvent(run, "+failover-end-for-timeout");
  }
  if (notReconfigured === 0) {
    masterEvent(run, "+failover-end");
    setPhase(run, "update_config");
  }
  if (!timedOut) return;
  for (const r of master.replicas) {
    if (isPromoted(s, r.addr)) continue;
    const p = progressOf(s, r.addr);
    if (p.done || p.sent || r.disconnected) continue;
    run.fx.push({
      kind: "send",
      to: r.addr,
      purpose: "reconf-best-effort",
      commands: slaveOfTransaction(target, master.renamedCommands),
    });
    replicaEvent(run, "+slave-reconf-sent-be", "notice", r.addr);
    p.sent = true;
  }
}

/** `sentinelFailoverSwitchToPromotedSlave` and `sentinelResetMasterAndChangeAddress`. */
function switchToPromoted(run: Run): void {
  const { master } = run.ctx;
  const to = run.s.promoted ?? master.addr;
  emit(run, "+switch-master", "warning", switchMasterPayload(master.name, master.addr, to));
  const replicas = master.replicas.map((r) => r.addr).filter((a) => !sameAddress(a, to));
  if (!sameAddress(to, master.addr)) replicas.push(master.addr);
  run.fx.push({ kind: "reset-master", from: master.addr, to, replicas });
  for (const addr of replicas) emit(run, "+slave", "notice", replicaDetails(addr, master.name, to));
  run.fx.push({ kind: "persist" });
  run.s = draftOf(initialState());
  run.switched = true;
}

// ---------------------------------------------------------------- INFO and ROLE replies

/** The acting half of `sentinelRefreshInstanceInfo` for a replica. */
function onReplicaInfo(run: Run, addr: Address): void {
  const { master, now } = run.ctx;
  const view = findReplica(master, addr);
  if (view === undefined) return;
  const promoted = isPromoted(run.s, view.addr);
  if (view.role === "master" && promoted && run.s.phase === "wait_promotion") {
    confirmPromotion(run, view.addr);
  } else {
    run.fx.push(...observeReplica(master, view, promoted, now, run.t));
  }
  // A fresh INFO may be what SELECT_SLAVE waits for.
  if (run.s.phase === "select_slave" && run.fast !== null) advance(run);
  if (view.role !== "slave") return;
  const moved = reconfProgress(run, view.addr, view.masterHost, view.masterPort, view.masterLinkUp);
  if (moved && run.fast !== null) advance(run);
}

function onRoleReply(run: Run, addr: Address, r: RoleReply): void {
  if (r.role === "master") {
    if (isPromoted(run.s, addr) && run.s.phase === "wait_promotion") confirmPromotion(run, addr);
    return;
  }
  const moved = reconfProgress(run, addr, r.masterHost, r.masterPort, r.linkUp);
  if (moved && run.fast !== null) advance(run);
}

/** RECONF_SENT -> RECONF_INPROG -> RECONF_DONE, as INFO (or ROLE) shows the new master and then the link up. */
function reconfProgress(
  run: Run,
  addr: Address,
  masterHost: string | null,
  masterPort: number,
  linkUp: boolean,
): boolean {
  const s = run.s;
  const p = s.reconf[instanceName(addr)];
  const target = s.promoted;
  if (p === undefined || target === null || !(p.sent || p.inProgress)) return false;
  let moved = false;
  if (p.sent && masterHost !== null && sameHost(target.host, masterHost) && masterPort === target.port) {
    p.sent = false;
    p.inProgress = true;
    replicaEvent(run, "+slave-reconf-inprog", "notice", addr);
    moved = true;
  }
  if (p.inProgress && linkUp) {
    p.inProgress = false;
    p.done = true;
    replicaEvent(run, "+slave-reconf-done", "notice", addr);
    moved = true;
  }
  if (moved) run.moved = true;
  return moved;
}

function sendDueProbes(run: Run): void {
  const fast = run.fast;
  const s = run.s;
  const { master, now } = run.ctx;
  if (fast === null || s.promoted === null) return;
  if (s.phase === "wait_promotion") {
    const view = findReplica(master, s.promoted);
    if (view === undefined || view.disconnected) return;
    const due = dueProbe(master, s.promoted, s.promotionProbes, now, fast);
    if (due !== null) {
      run.fx.push(due.effect);
      s.promotionProbes = due.schedule;
    }
    return;
  }
  if (s.phase !== "reconf_slaves") return;
  for (const r of master.replicas) {
    const p = s.reconf[instanceName(r.addr)];
    if (p === undefined || !(p.sent || p.inProgress) || r.disconnected) continue;
    const due = dueProbe(master, r.addr, p.probes, now, fast);
    if (due !== null) {
      run.fx.push(due.effect);
      p.probes = due.schedule;
    }
  }
}

// ---------------------------------------------------------------- wake-up time

/**
 * The earliest time a tick could change something: `now` when a tick would act at once
 * (Redis handles one state per tick), else the next deadline still ahead. A deadline
 * already passed asks for a tick only after a non-tick input: after a tick it has had its
 * chance (a reconf-sent timeout Redis's loop does not reach stays unreached), so a caller
 * that ticks on wake-ups never spins.
 */
function scheduleWake(run: Run, input: PlannerInput): void {
  // In TILT nothing acts, and after a switch the context's master is stale; the caller's
  // periodic timer covers both.
  if (run.ctx.tilt === true || run.switched) return;
  const s = run.s;
  const { master, now } = run.ctx;
  const timeout = master.failoverTimeout;
  const deadlines: number[] = [];
  // In Redis pacing, progress seen outside a tick is acted on at the next tick.
  let soon = run.moved && input.type !== "tick" && run.fast === null;
  switch (s.phase) {
    case "none":
      if (master.oDown) deadlines.push(s.startTime === null ? now : s.startTime + timeout * 2);
      break;
    case "wait_start":
      if (s.electedEpoch === s.epoch || s.forced) soon = true;
      else deadlines.push((s.startTime ?? now) + Math.min(run.t.electionTimeout, timeout) + 1);
      break;
    case "select_slave":
      if (selectReplica(master, now, run.t) === null && waitingForInfo(run)) {
        deadlines.push(s.stateChangeTime + run.t.staleInfoWait);
      } else soon = true;
      break;
    case "send_slaveof_noone": {
      const view = s.promoted === null ? undefined : findReplica(master, s.promoted);
      if (view !== undefined && !view.disconnected) soon = true;
      else deadlines.push(s.stateChangeTime + timeout + 1);
      break;
    }
    case "wait_promotion":
      deadlines.push(s.stateChangeTime + timeout + 1);
      if (run.fast !== null) {
        const probe = nextProbeTime(s.promotionProbes, run.fast);
        if (probe !== null) deadlines.push(probe);
      }
      break;
    case "reconf_slaves":
      deadlines.push(s.stateChangeTime + timeout + 1);
      for (const r of master.replicas) {
        const p = s.reconf[instanceName(r.addr)];
        if (p === undefined) continue;
        if (p.sent) deadlines.push(p.sentTime + run.t.slaveReconfTimeout + 1);
        if (run.fast !== null && (p.sent || p.inProgress)) {
          const probe = nextProbeTime(p.probes, run.fast);
          if (probe !== null) deadlines.push(probe);
        }
      }
      break;
    case "update_config":
      break;
  }
  if (input.type !== "tick" && deadlines.some((t) => t <= now)) soon = true;
  const ahead = deadlines.filter((t) => t > now);
  if (soon) run.fx.push({ kind: "wake", at: now });
  else if (ahead.length > 0) run.fx.push({ kind: "wake", at: Math.min(...ahead) });
}
