import { formatAddressName } from "./address.js";
import type { PublishTarget } from "./effects.js";

/**
 * After a failed PUBLISH, the next try waits this long, in milliseconds: Redis retries on
 * its next timer tick, about 100 ms at the default hz of 10.
 */
export const HELLO_RETRY_DELAY_MS = 100;

interface Entry {
  readonly target: PublishTarget;
  lastPubTime: number;
  inFlight: boolean;
  retryAt: number;
}

/** The key naming a publish target. */
export function targetKey(target: PublishTarget): string {
  switch (target.kind) {
    case "master":
      return `m ${target.master}`;
    case "replica":
      return `r ${target.master} ${formatAddressName(target.address)}`;
    case "sentinel":
      return `s ${target.master} ${target.runid}`;
  }
}

/**
 * When each hello is due, as times (SPEC §4.3): a target gets a hello once more than
 * `period` ms passed since its last successful one (`now - last_pub_time > period`), and
 * `last_pub_time` moves only on a non-error reply. Nothing here reads a clock.
 */
export class PublishSchedule {
  readonly #period: number;
  readonly #entries = new Map<string, Entry>();

  /** A schedule publishing every `periodMs` milliseconds to each target. */
  constructor(periodMs: number) {
    this.#period = periodMs;
  }

  /** The number of targets. */
  get size(): number {
    return this.#entries.size;
  }

  /** Adds a target as Redis creates an instance: its first hello is due one period after `now`. */
  add(target: PublishTarget, now: number): void {
    const key = targetKey(target);
    if (!this.#entries.has(key)) this.#entries.set(key, { target, lastPubTime: now, inFlight: false, retryAt: 0 });
  }

  /** Removes one target. */
  remove(target: PublishTarget): void {
    this.#entries.delete(targetKey(target));
  }

  /** Removes the targets matching `predicate`. */
  removeWhere(predicate: (target: PublishTarget) => boolean): void {
    for (const [key, entry] of this.#entries) if (predicate(entry.target)) this.#entries.delete(key);
  }

  /** Whether the target is scheduled. */
  has(target: PublishTarget): boolean {
    return this.#entries.has(targetKey(target));
  }

  /** The targets due at `now`, marked in flight until {@link PublishSchedule.replied}. */
  takeDue(now: number): PublishTarget[] {
    const due: PublishTarget[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.inFlight || now < entry.retryAt || now - entry.lastPubTime <= this.#period) continue;
      entry.inFlight = true;
      due.push(entry.target);
    }
    return due;
  }

  /** The earliest time a hello becomes due, or undefined when every target is in flight or none exists. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.inFlight) continue;
      const at = Math.max(entry.lastPubTime + this.#period + 1, entry.retryAt);
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** Records the PUBLISH reply: success moves the target's last publish time to `now`. */
  replied(target: PublishTarget, ok: boolean, now: number): void {
    const entry = this.#entries.get(targetKey(target));
    if (entry === undefined) return;
    entry.inFlight = false;
    if (ok) entry.lastPubTime = now;
    else entry.retryAt = now + HELLO_RETRY_DELAY_MS;
  }

  /**
   * Makes the targets matching `predicate` due at once: `sentinelForceHelloUpdateForMaster`
   * moves `last_pub_time` back by period + 1 when it is at least that large.
   */
  force(predicate: (target: PublishTarget) => boolean): void {
    for (const entry of this.#entries.values()) {
      if (!predicate(entry.target)) continue;
      if (entry.lastPubTime >= this.#period + 1) entry.lastPubTime -= this.#period + 1;
      entry.retryAt = 0;
    }
  }
}
