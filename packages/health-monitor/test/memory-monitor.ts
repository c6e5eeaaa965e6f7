// A HealthMonitor on in-memory links and a clock the test moves, for the monitor's tests.
import { HealthMonitor, MemoryLink, type LinkOptions, type MemoryRedis, type MonitorClock, type SentinelEvent } from "../src/index.js";

/** A clock whose time moves only when the test says so; timers fire in order. */
export class ManualClock implements MonitorClock {
  time = 1_000_000;
  /** Timers that fired so far. */
  fired = 0;
  /** Called before each timer fires and at the end of advance, with promises settled. */
  beforeFire: () => void = () => undefined;
  #timers: { at: number; callback: () => void; id: number }[] = [];
  #nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  /** Moves time forward by `ms`, firing timers in order and letting promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      this.beforeFire();
      if (next === undefined || next.at > end) break;
      this.#timers.shift();
      this.time = Math.max(this.time, next.at);
      this.fired += 1;
      next.callback();
    }
    this.time = end;
    await flush();
    this.beforeFire();
  }
}

// Lets chains of resolved promises run.
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

/** A monitor of "mymaster" on port 6379 (down-after 5000) over `instances`, keyed by port, and the events it emits. */
export function memoryMonitor(instances: Map<number, MemoryRedis>): { clock: ManualClock; monitor: HealthMonitor; events: SentinelEvent[] } {
  const clock = new ManualClock();
  const events: SentinelEvent[] = [];
  const monitor = new HealthMonitor({
    master: { name: "mymaster", host: "127.0.0.1", port: 6379 },
    sentinelId: "0123456789abcdef",
    downAfterMs: 5000,
    clock,
    createLink: (options: LinkOptions) => {
      const instance = instances.get(options.port);
      if (instance === undefined) throw new Error(`no instance on port ${options.port}`);
      return new MemoryLink(instance, options);
    },
  });
  monitor.onEvent((event) => events.push(event));
  return { clock, monitor, events };
}
