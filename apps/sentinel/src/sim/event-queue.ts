/** One scheduled action of the simulated world. */
export interface Scheduled {
  /** Simulated time, ms. */
  readonly at: number;
  /** Insertion order: equal times run in the order they were scheduled. */
  readonly seq: number;
  /** What happens. */
  readonly run: () => void;
}

/** A binary min-heap on (at, seq): the simulator's agenda. */
export class EventQueue {
  readonly #heap: Scheduled[] = [];
  #seq = 0;

  /** Number of pending actions. */
  get size(): number {
    return this.#heap.length;
  }

  /** Schedules `run` at `at`. */
  push(at: number, run: () => void): void {
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** The time of the earliest action, or null. */
  peekAt(): number | null {
    return this.#heap[0]?.at ?? null;
  }

  /** Removes and returns the earliest action. */
  pop(): Scheduled | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
