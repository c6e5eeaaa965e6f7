// Samples ROLE of every data node about every 50 ms to measure the time with more than
// one master (FAULTS.md figures). A node that does not answer within the period (paused,
// killed, partitioned from the observer) counts as not a master: it accepts no write then.
import { Redis } from "ioredis";

/** One sample: when, and how many nodes said `master`. */
export interface RoleSample {
  /** Sample time, ms since the epoch. */
  at: number;
  /** Ports of the nodes that answered ROLE with `master`. */
  masters: number[];
}

/** Polls ROLE on a fixed set of ports until stopped. */
export class RoleSampler {
  /** Every sample taken so far. */
  readonly samples: RoleSample[] = [];
  readonly #ports: () => readonly number[];
  readonly #clients = new Map<number, Redis>();
  readonly #periodMs: number;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  /** `ports` is read at every sample, so restarted nodes on new ports are followed. */
  constructor(ports: () => readonly number[], periodMs = 50) {
    this.#ports = ports;
    this.#periodMs = periodMs;
  }

  /** Starts sampling. */
  start(): void {
    this.#timer = setInterval(() => void this.#sample(), this.#periodMs);
  }

  /** Stops sampling and closes the connections. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const c of this.#clients.values()) c.disconnect();
    this.#clients.clear();
  }

  #client(port: number): Redis {
    let c = this.#clients.get(port);
    if (c === undefined) {
      c = new Redis({
        port,
        host: "127.0.0.1",
        protocol: 2,
        maxRetriesPerRequest: 0,
        connectTimeout: 200,
        commandTimeout: this.#periodMs * 2,
        retryStrategy: () => 100,
        enableOfflineQueue: false,
      });
      c.on("error", () => undefined);
      this.#clients.set(port, c);
    }
    return c;
  }

  async #sample(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const at = Date.now();
      const ports = this.#ports();
      const roles = await Promise.all(
        ports.map((p) => (this.#client(p).call("ROLE") as Promise<unknown[]>).then((r) => String(r[0])).catch(() => "unknown")),
      );
      this.samples.push({ at, masters: ports.filter((_, i) => roles[i] === "master") });
    } finally {
      this.#busy = false;
    }
  }
}

/** Moments and total time (ms) during which more than one node reported master. */
export function multiMaster(samples: readonly RoleSample[]): { moments: number; durationMs: number } {
  let moments = 0;
  let durationMs = 0;
  let inside = false;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const many = s.masters.length > 1;
    if (many && !inside) moments++;
    inside = many;
    const next = samples[i + 1];
    if (many && next !== undefined) durationMs += next.at - s.at;
  }
  return { moments, durationMs };
}
