import { formatAddressName } from "./address.js";
import type { PublishTarget } from "./effects.js";

/**
 * After a failed PUBLISH, the next try waits this long, in milliseconds: Redis retries on
 * its next timer tick, about 100 ms at the default hz of 10.
 */
export const HELLO_RETRY_DELAY_MS = 100;

interface Entry {
  readonly key: string;
  readonly target: PublishTarget;
  lastPubTime: number;
  inFlight: boolean;
  retryAt: number;
  // The seq of the entry's live heap item; every other item naming it is stale.
  live: number;
}

interface HeapItem {
  readonly at: number;
  readonly seq: number;
  readonly key: string;
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

function before(a: HeapItem, b: HeapItem): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * When each hello is due, as times (SPEC §4.3): a target gets a hello once more than
 * `period` ms passed since its last successful one (`now - last_pub_time > period`), and
 * `last_pub_time` moves only on a non-error reply. Nothing here reads a clock.
 *
 * Redis scans every instance on every timer tick; this keeps due times in a binary heap, so
 * a tick costs O(due · log n) and thousands of targets cost nothing while none is due.
 */
export class PublishSchedule {
  #period: number;
  readonly #entries = new Map<string, Entry>();
  readonly #byMaster = new Map<string, Set<string>>();
  readonly #heap: HeapItem[] = [];
  #seq = 0;

  /** A schedule publishing every `periodMs` milliseconds to each target. */
  constructor(periodMs: number) {
    this.#period = periodMs;
  }

  /** The publish period, ms. */
  get periodMs(): number {
    return this.#period;
  }

  /**
   * Changes the period in place (`SENTINEL DEBUG publish-period`). Redis compares each
   * `last_pub_time` with its global on every tick, so each target's next hello falls due
   * one new period after its last successful one (at once when that time has passed); a
   * hello in flight waits for its reply as before.
   */
  setPeriod(periodMs: number): void {
    if (periodMs === this.#period) return;
    this.#period = periodMs;
    for (const entry of this.#entries.values()) if (!entry.inFlight) this.#push(entry);
  }

  /** The number of targets. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether the target is scheduled. */
  has(target: PublishTarget): boolean {
    return this.#entries.has(targetKey(target));
  }

  /** Adds a target as Redis creates an instance: its first hello is due one period after `now`. */
  add(target: PublishTarget, now: number): void {
    const key = targetKey(target);
    if (this.#entries.has(key)) return;
    const entry: Entry = { key, target, lastPubTime: now, inFlight: false, retryAt: 0, live: -1 };
    this.#entries.set(key, entry);
    let keys = this.#byMaster.get(target.master);
    if (keys === undefined) this.#byMaster.set(target.master, (keys = new Set()));
    keys.add(key);
    this.#push(entry);
  }

  /** Removes one target. */
  remove(target: PublishTarget): void {
    this.#delete(targetKey(target));
  }

  /** Removes the targets of `master` that match `predicate` (all of them by default). */
  removeOfMaster(master: string, predicate: (target: PublishTarget) => boolean = () => true): void {
    for (const key of [...(this.#byMaster.get(master) ?? [])]) {
      const entry = this.#entries.get(key);
      if (entry !== undefined && predicate(entry.target)) this.#delete(key);
    }
  }

  /** The targets due at `now`, marked in flight until {@link PublishSchedule.replied}. */
  takeDue(now: number): PublishTarget[] {
    const due: PublishTarget[] = [];
    for (;;) {
      const entry = this.#peekLive();
      if (entry === undefined || (this.#heap[0] as HeapItem).at > now) break;
      this.#pop();
      entry.inFlight = true;
      due.push(entry.target);
    }
    return due;
  }

  /** The earliest time a hello becomes due, or undefined when every target is in flight or none exists. */
  nextDueAt(): number | undefined {
    return this.#peekLive() === undefined ? undefined : this.#heap[0]?.at;
  }

  /** Records the PUBLISH reply: success moves the target's last publish time to `now`. */
  replied(target: PublishTarget, ok: boolean, now: number): void {
    const entry = this.#entries.get(targetKey(target));
    if (entry === undefined || !entry.inFlight) return;
    entry.inFlight = false;
    if (ok) entry.lastPubTime = now;
    else entry.retryAt = now + HELLO_RETRY_DELAY_MS;
    this.#push(entry);
  }

  /**
   * Makes every target of `master` due at once: `sentinelForceHelloUpdateForMaster` moves
   * `last_pub_time` back by period + 1 when it is at least that large.
   */
  force(master: string): void {
    for (const key of this.#byMaster.get(master) ?? []) {
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      if (entry.lastPubTime >= this.#period + 1) entry.lastPubTime -= this.#period + 1;
      entry.retryAt = 0;
      if (!entry.inFlight) this.#push(entry);
    }
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    const keys = this.#byMaster.get(entry.target.master);
    keys?.delete(key);
    if (keys?.size === 0) this.#byMaster.delete(entry.target.master);
  }

  // The entry the heap's top names, after dropping stale items (removed, re-pushed or in flight).
  #peekLive(): Entry | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined) return undefined;
      const entry = this.#entries.get(top.key);
      if (entry !== undefined && entry.live === top.seq && !entry.inFlight) return entry;
      this.#pop();
    }
  }

  #push(entry: Entry): void {
    entry.live = this.#seq;
    const at = Math.max(entry.lastPubTime + this.#period + 1, entry.retryAt);
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, key: entry.key });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as HeapItem, heap[parent] as HeapItem)) break;
      [heap[i], heap[parent]] = [heap[parent] as HeapItem, heap[i] as HeapItem];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as HeapItem, heap[smallest] as HeapItem)) smallest = left;
      if (right < heap.length && before(heap[right] as HeapItem, heap[smallest] as HeapItem)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as HeapItem, heap[i] as HeapItem];
      i = smallest;
    }
  }
}
