import { roleProbe } from "./commands.js";
import type { PlannerEffect } from "./effects.js";
import type { Address, FastConfirmationOptions, MasterView } from "./types.js";

/**
 * How far the probing of one instance has got: probes sent so far and when the next one
 * is due. Redis has no such thing: it waits for the next INFO, sent every second to
 * replicas during a failover.
 */
export interface ProbeSchedule {
  /** ROLE probes sent to this instance in this failover. */
  readonly sent: number;
  /** When the next probe is due, ms. */
  readonly nextAt: number;
}

/** A schedule with nothing sent. */
export const NO_PROBES: ProbeSchedule = { sent: 0, nextAt: 0 };

/**
 * The first probe, sent right behind a SLAVEOF transaction on the same connection: the
 * instance runs EXEC first, so its ROLE reply already shows the result of `SLAVEOF NO ONE`.
 */
export function firstProbe(
  master: MasterView,
  to: Address,
  now: number,
  fast: FastConfirmationOptions,
): { effect: PlannerEffect | null; schedule: ProbeSchedule } {
  if (fast.maxProbes < 1) return { effect: null, schedule: NO_PROBES };
  return {
    effect: probeEffect(master, to),
    schedule: { sent: 1, nextAt: now + fast.probeIntervalMs },
  };
}

/**
 * The next probe if one is due at `now` and the bound allows it, else null. Once
 * `maxProbes` are spent the instance is left to INFO, which is Redis's behaviour.
 */
export function dueProbe(
  master: MasterView,
  to: Address,
  schedule: ProbeSchedule,
  now: number,
  fast: FastConfirmationOptions,
): { effect: PlannerEffect; schedule: ProbeSchedule } | null {
  if (schedule.sent >= fast.maxProbes || now < schedule.nextAt) return null;
  return {
    effect: probeEffect(master, to),
    schedule: { sent: schedule.sent + 1, nextAt: now + fast.probeIntervalMs },
  };
}

/** When the next probe is due, or null when the bound is spent. */
export function nextProbeTime(schedule: ProbeSchedule, fast: FastConfirmationOptions): number | null {
  return schedule.sent >= fast.maxProbes ? null : schedule.nextAt;
}

function probeEffect(master: MasterView, to: Address): PlannerEffect {
  return { kind: "send", to, purpose: "probe-role", commands: roleProbe(master.renamedCommands) };
}
