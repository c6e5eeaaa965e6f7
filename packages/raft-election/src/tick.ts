import { abortsAfter, retryGateOpensAt, startFailoverIfNeeded, waitStart } from "./candidate.js";
import { askOtherSentinels, checkObjectivelyDown, replyExpiresAt } from "./odown.js";
import { getMaster, type ElectionState } from "./state.js";
import { StepBuilder, type ElectionStep } from "./step.js";
import type { RandomInt, SentinelId } from "./types.js";

/**
 * One timer tick for every master, in the order of Redis's acting half
 * (`sentinelHandleRedisInstance`): ODOWN check, start an attempt if needed (then ask every
 * peer at once), the election wait, then the periodic asks. In TILT nothing of this runs
 * (SENTINEL-SPEC §4.13). A {@link WakeEffect} closes the step when a deadline is pending.
 */
export function tick(state: ElectionState, now: number, random: RandomInt): ElectionStep {
  const b = new StepBuilder();
  let s = state;
  if (!s.tilt) {
    for (const name of state.masters.keys()) {
      const asked = new Set<SentinelId>();
      s = checkObjectivelyDown(b, s, getMaster(s, name), now);
      const start = startFailoverIfNeeded(b, s, getMaster(s, name), now, random);
      s = start.state;
      if (start.started) s = askOtherSentinels(b, s, getMaster(s, name), now, true, asked);
      s = waitStart(b, s, getMaster(s, name), now, random);
      s = askOtherSentinels(b, s, getMaster(s, name), now, false, asked);
    }
  }
  const at = nextWake(s, now);
  if (at !== null) b.push({ type: "wake", at });
  return b.finish(s);
}

/**
 * The earliest time after `now` at which {@link tick} would act without any new input: an
 * election timing out, a peer's reply expiring, a peer due to be asked again, the retry
 * gate reopening for an ODOWN master. `null` when nothing is pending, or in TILT (the
 * caller ends TILT on its own clock). Peers that never answered are asked on every tick,
 * as in Redis, and set no deadline.
 */
export function nextWake(state: ElectionState, now: number): number | null {
  if (state.tilt) return null;
  let best: number | null = null;
  const consider = (t: number): void => {
    if (t > now && (best === null || t < best)) best = t;
  };
  const { askPeriodMs } = state.timings;
  for (const m of state.masters.values()) {
    const attempt = m.failover;
    if (attempt !== null && attempt.phase === "wait-start" && !attempt.forced) {
      consider(abortsAfter(state, m) + 1);
    }
    const gate = retryGateOpensAt(m);
    if (m.odown && attempt === null && gate !== null) consider(gate);
    for (const p of m.peers.values()) {
      if (p.masterDown || p.leader !== null) consider(replyExpiresAt(p, askPeriodMs) + 1);
      if (m.sdown && p.connected && p.lastReplyTime > 0) consider(p.lastReplyTime + askPeriodMs);
    }
  }
  return best;
}
