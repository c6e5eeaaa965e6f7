import type { Prng } from "./prng.js";

/** A node of the simulated network: `s<i>` for sentinel i, `r<port>` for a Redis instance. */
export type NodeId = string;

/** Settings of one directed link. */
export interface LinkFault {
  /** Extra one-way delay, ms. */
  readonly delayMs: number;
  /** Probability that a segment is lost and retransmitted (TCP: it arrives, later). */
  readonly loss: number;
}

/** Base one-way delay of every link, ms. */
const BASE_DELAY_MS = 1;
/** Default random extra delay of every message, 0 to this, ms. */
const JITTER_MS = 2;
/** Retransmission timeout added per lost segment, ms (Linux's minimum RTO). */
const RTO_MS = 200;

/**
 * The simulated network between sentinels and Redis instances. Messages on one connection
 * stay in order (TCP); loss costs a retransmission delay rather than a hole in the stream;
 * a cut direction drops what is sent across it, which breaks the connection for good (the
 * sender's health check then notices the silence, as with a real partition).
 */
export class SimNetwork {
  readonly #cut = new Set<string>();
  readonly #faults = new Map<string, LinkFault>();
  readonly #last = new Map<string, number>();
  readonly #random: Prng;
  /**
   * Random extra delay of every message, 0 to this many ms (2 by default). Raising it
   * shuffles the order in which messages from different senders arrive (votes, hellos,
   * replies), while each direction stays FIFO; the draw count per message does not change,
   * so a seed's other draws stay where they were.
   */
  jitterMs = JITTER_MS;

  /** Uses `random` for jitter and loss. */
  constructor(random: Prng) {
    this.#random = random;
  }

  /** Whether `from` can reach `to` now. */
  passes(from: NodeId, to: NodeId): boolean {
    return from === to || !this.#cut.has(`${from}>${to}`);
  }

  /** Whether both directions pass (a TCP connection can open). */
  connected(a: NodeId, b: NodeId): boolean {
    return this.passes(a, b) && this.passes(b, a);
  }

  /**
   * When a message sent now from `from` to `to` arrives, or null when it is dropped. Keeps
   * each direction in FIFO order.
   */
  arrival(from: NodeId, to: NodeId, now: number): number | null {
    if (!this.passes(from, to)) return null;
    const key = `${from}>${to}`;
    const fault = this.#faults.get(key);
    let delay = BASE_DELAY_MS + this.#random.int(this.jitterMs + 1) + (fault?.delayMs ?? 0);
    if (fault !== undefined && fault.loss > 0) {
      for (let tries = 0; tries < 5 && this.#random.chance(fault.loss); tries++) delay += RTO_MS << tries;
    }
    const at = Math.max(now + delay, this.#last.get(key) ?? 0);
    this.#last.set(key, at);
    return at;
  }

  /** Cuts `from` -> `to` only (a one-way cut). */
  cutOneWay(from: NodeId, to: NodeId): void {
    this.#cut.add(`${from}>${to}`);
  }

  /** Cuts both directions between `a` and `b`. */
  cut(a: NodeId, b: NodeId): void {
    this.cutOneWay(a, b);
    this.cutOneWay(b, a);
  }

  /**
   * Splits the nodes into groups that cannot talk to each other; nodes in `bridges` keep
   * talking to every group (Jepsen's bridge).
   */
  partition(groups: readonly (readonly NodeId[])[], bridges: readonly NodeId[] = []): void {
    const bridge = new Set(bridges);
    groups.forEach((g, i) =>
      groups.forEach((h, j) => {
        if (i === j) return;
        for (const a of g) for (const b of h) if (!bridge.has(a) && !bridge.has(b)) this.cutOneWay(a, b);
      }),
    );
  }

  /** Sets delay and loss on `from` -> `to`. */
  degrade(from: NodeId, to: NodeId, fault: LinkFault): void {
    this.#faults.set(`${from}>${to}`, fault);
  }

  /** Removes every cut, delay and loss. */
  heal(): void {
    this.#cut.clear();
    this.#faults.clear();
  }

  /** Number of cut directions (for reports). */
  get cutCount(): number {
    return this.#cut.size;
  }
}
