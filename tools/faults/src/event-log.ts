// Every event a daemon publishes (PSUBSCRIBE *), with its arrival time; reconnects after a
// daemon restart so a row that restarts daemons still sees their events.
import { Redis } from "ioredis";

/** One published event. */
export interface DaemonEvent {
  /** Arrival time, ms since the epoch. */
  at: number;
  /** Index of the daemon that published it. */
  daemon: number;
  /** Channel, e.g. `+switch-master`. */
  channel: string;
  /** Payload. */
  message: string;
}

/** Collects the events of one daemon into a shared list. */
export class EventLog {
  readonly #client: Redis;

  private constructor(client: Redis) {
    this.#client = client;
  }

  /** Subscribes to every channel of the daemon on `port`; events are appended to `into`. */
  static async open(port: number, daemon: number, into: DaemonEvent[]): Promise<EventLog> {
    const client = new Redis({
      port,
      host: "127.0.0.1",
      protocol: 2,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      retryStrategy: () => 200,
    });
    client.on("error", () => undefined);
    client.on("pmessage", (_pattern: string, channel: string, message: string) => {
      into.push({ at: Date.now(), daemon, channel, message });
    });
    await client.connect();
    await client.psubscribe("*");
    return new EventLog(client);
  }

  /** Closes the subscription. */
  close(): void {
    this.#client.disconnect();
  }
}
