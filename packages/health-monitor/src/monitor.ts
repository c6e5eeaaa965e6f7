import type { ConnectionOptions } from "node:tls";
import { formatAddress, type InstanceDetails, type SentinelEvent } from "./details.js";
import {
  InstanceHealth,
  type ConnectionKind,
  type HealthEffect,
  type HealthInput,
  type HealthSnapshot,
} from "./health-state.js";
import { LinkReplyError, commandRenamer, type InstanceLink, type LinkOptions, type LinkReply } from "./link.js";
import { RespLink } from "./resp-link.js";
import { DEFAULT_SEND_GRANULARITY_MS } from "./send-grid.js";
import { DEFAULT_DOWN_AFTER_MS, type SentinelTimings } from "./timings.js";

/** The clock and timers the monitor uses; replaceable so tests can drive time. */
export interface MonitorClock {
  /** Current time in integer milliseconds. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer set by `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

/** `Date.now` and the global timers. */
export const SYSTEM_CLOCK: MonitorClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Options of {@link HealthMonitor}. */
export interface HealthMonitorOptions {
  /** The master to watch: its name in events and its address. */
  readonly master: {
    /** The name used in events (`master <name> <ip> <port>`). */
    readonly name: string;
    /** Its host or IP literal. */
    readonly host: string;
    /** Its port. */
    readonly port: number;
  };
  /** This sentinel's id (40 hex chars in Redis); names the connections. */
  readonly sentinelId: string;
  /** down-after-milliseconds; 30 000 by default. */
  readonly downAfterMs?: number;
  /** master-reboot-down-after-period, ms; 0 (off) by default. */
  readonly masterRebootDownAfterMs?: number;
  /** Periods and caps; Redis's by default. */
  readonly timings?: Partial<SentinelTimings>;
  /** `resolve-hostnames`: accept replicas announced under a hostname; false by default. */
  readonly resolveHostnames?: boolean;
  /** Whether to apply the pub/sub idle rule (see {@link InstanceHealth}); true by default. */
  readonly checkPubsubIdle?: boolean;
  /** auth-pass for the master and its replicas. */
  readonly authPass?: string;
  /** auth-user for the master and its replicas. */
  readonly authUser?: string;
  /** TLS options for every link. */
  readonly tls?: ConnectionOptions;
  /** bind-source-addr for every link. */
  readonly bindSourceAddr?: string;
  /** Bound on opening a connection, ms. */
  readonly connectTimeoutMs?: number;
  /**
   * `sentinel rename-command` for the master and its replicas: original command names
   * (compared case-insensitively) to the names to send. It applies to the monitor's PING,
   * INFO and SCRIPT KILL and, through {@link LinkOptions.mapCommand}, to the links' AUTH,
   * CLIENT SETNAME, SUBSCRIBE and PUBLISH. None by default.
   */
  readonly renamedCommands?: Readonly<Record<string, string>>;
  /**
   * Grid, ms, to which PING, INFO and reconnect times are rounded up, so that many
   * monitors in one process wake together (see `alignSendTime`); SDOWN deadlines stay
   * exact. {@link DEFAULT_SEND_GRANULARITY_MS} (Redis's 10 Hz tick) by default; 0 sends
   * at the exact due times.
   */
  readonly sendGranularityMs?: number;
  /**
   * Makes the link to each instance; {@link RespLink} by default. `IoredisLink` is the
   * alternative on ioredis.
   */
  readonly createLink?: (options: LinkOptions) => InstanceLink;
  /** Clock and timers; the system's by default. */
  readonly clock?: MonitorClock;
}

/** One watched instance, as {@link HealthMonitor.instances} lists it. */
export interface MonitoredInstance {
  /** Who it is. */
  readonly details: InstanceDetails;
  /** What the health state knows. */
  readonly health: HealthSnapshot;
  /** Its link, through which other packages (gossip) may publish and subscribe. */
  readonly link: InstanceLink;
}

interface Entry {
  readonly health: InstanceHealth;
  readonly link: InstanceLink;
  readonly unlisten: () => void;
  // Bumped on every connect and close, so the outcome of a superseded attempt is dropped.
  readonly attempts: Record<ConnectionKind, number>;
  nextDueAt: number;
}

function pingReplyOf(value: LinkReply): HealthInput {
  return typeof value === "string"
    ? { type: "ping-reply", reply: { kind: "status", text: value } }
    : { type: "ping-reply", reply: { kind: "other" } };
}

/**
 * The edge that runs {@link InstanceHealth} for a master and the replicas its INFO
 * reveals: it owns the links, turns link replies and events into inputs, performs the
 * effects, and sleeps until the earliest due time among the instances. One timer, no
 * polling.
 */
export class HealthMonitor {
  readonly #options: HealthMonitorOptions;
  readonly #clock: MonitorClock;
  // rename-command, resolved once: PING and INFO go out every second per instance.
  readonly #mapCommand: ((command: string) => string) | undefined;
  readonly #ping: readonly string[];
  readonly #info: readonly string[];
  readonly #scriptKill: readonly string[];
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<(event: SentinelEvent) => void>();
  // The periods in force: the options' until setTimings/setDownAfter change them, so that
  // replicas discovered later start with the same values as the instances already watched.
  #timings: Partial<SentinelTimings>;
  #downAfterMs: number;
  #rebootDownAfterMs: number | undefined;
  #timer: unknown;
  #timerAt = Infinity;
  #running = false;

  /** Prepares the monitor; {@link HealthMonitor.start} begins the work. */
  constructor(options: HealthMonitorOptions) {
    this.#options = options;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#mapCommand = options.renamedCommands === undefined ? undefined : commandRenamer(options.renamedCommands);
    const map = this.#mapCommand ?? ((command: string) => command);
    this.#ping = [map("PING")];
    this.#info = [map("INFO")];
    this.#scriptKill = [map("SCRIPT"), "KILL"];
    this.#timings = options.timings ?? {};
    this.#downAfterMs = options.downAfterMs ?? DEFAULT_DOWN_AFTER_MS;
    this.#rebootDownAfterMs = options.masterRebootDownAfterMs;
  }

  /**
   * The send grid in use, ms: callers that send on their own schedule (hellos) can round
   * their times with `alignSendTime` to wake with the monitor.
   */
  get sendGranularityMs(): number {
    return this.#options.sendGranularityMs ?? DEFAULT_SEND_GRANULARITY_MS;
  }

  /** Registers a listener for Sentinel events; returns a function that removes it. */
  onEvent(listener: (event: SentinelEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts watching the master. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const { master } = this.#options;
    this.#add({ kind: "master", name: master.name, ip: master.host, port: master.port });
  }

  /** Stops: closes every link and cancels the timer. Idempotent. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    for (const entry of this.#entries.values()) {
      entry.unlisten();
      entry.link.destroy();
    }
    this.#entries.clear();
  }

  /** The master first, then the replicas in discovery order. */
  instances(): MonitoredInstance[] {
    return [...this.#entries.values()].map((entry) => ({
      details: entry.health.details,
      health: entry.health.snapshot(),
      link: entry.link,
    }));
  }

  /**
   * Tells the replicas whether their master is ODOWN or failing over, which makes their
   * INFO period 1 s (SPEC §4.3).
   */
  setMasterStatus(odownOrFailover: boolean): void {
    for (const entry of this.#entries.values()) {
      if (entry.health.details.kind === "slave") this.#feed(entry, { type: "master-status", odownOrFailover });
    }
  }

  /**
   * Changes periods in place, as `SENTINEL DEBUG` does: every watched instance gets them
   * (links, replies and SDOWN stay; the next PING and INFO fall due one new period after
   * the last ones, at once if that is past), the timer is moved to the new earliest due
   * time, and replicas discovered later start with them. The periods not given keep their
   * values. Also valid before {@link HealthMonitor.start}.
   */
  setTimings(timings: Partial<SentinelTimings>): void {
    this.#timings = { ...this.#timings, ...timings };
    for (const entry of [...this.#entries.values()]) this.#feed(entry, { type: "set-timings", timings });
  }

  /**
   * Changes down-after-milliseconds and, when given, master-reboot-down-after-period (ms, 0
   * disables the rule) in place, as `SENTINEL SET` does, for every watched instance and the
   * replicas discovered later: the ping period (min(down-after, ping period)) and the SDOWN
   * rules use the new values from now on, and the timer follows the new due times.
   */
  setDownAfter(downAfterMs: number, masterRebootDownAfterMs?: number): void {
    this.#downAfterMs = downAfterMs;
    if (masterRebootDownAfterMs !== undefined) this.#rebootDownAfterMs = masterRebootDownAfterMs;
    const input: HealthInput = {
      type: "set-down-after",
      downAfterMs,
      ...(masterRebootDownAfterMs !== undefined ? { masterRebootDownAfterMs } : {}),
    };
    for (const entry of [...this.#entries.values()]) this.#feed(entry, input);
  }

  #add(details: InstanceDetails): void {
    const options = this.#options;
    const link = (options.createLink ?? ((o: LinkOptions) => new RespLink(o)))({
      host: details.ip,
      port: details.port,
      sentinelId: options.sentinelId,
      ...(options.authPass !== undefined ? { authPass: options.authPass } : {}),
      ...(options.authUser !== undefined ? { authUser: options.authUser } : {}),
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
      ...(options.bindSourceAddr !== undefined ? { bindSourceAddr: options.bindSourceAddr } : {}),
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(this.#mapCommand !== undefined ? { mapCommand: this.#mapCommand } : {}),
    });
    const health = new InstanceHealth(
      {
        details,
        downAfterMs: this.#downAfterMs,
        ...(this.#rebootDownAfterMs !== undefined ? { masterRebootDownAfterMs: this.#rebootDownAfterMs } : {}),
        timings: this.#timings,
        sendGranularityMs: this.sendGranularityMs,
        ...(options.checkPubsubIdle !== undefined ? { checkPubsubIdle: options.checkPubsubIdle } : {}),
        ...(options.resolveHostnames !== undefined ? { resolveHostnames: options.resolveHostnames } : {}),
      },
      this.#clock.now(),
    );
    const entry: Entry = {
      health,
      link,
      nextDueAt: this.#clock.now(),
      attempts: { cmd: 0, pubsub: 0 },
      unlisten: link.onEvent((event) => {
        if (event.type === "closed") this.#feed(entry, { type: "disconnected", connection: event.connection });
        else this.#feed(entry, { type: "pubsub-activity" });
      }),
    };
    this.#entries.set(details.kind === "master" ? details.name : formatAddress(details.ip, details.port), entry);
    this.#schedule();
  }

  #feed(entry: Entry, input: HealthInput): void {
    if (!this.#running) return;
    const step = entry.health.step(input, this.#clock.now());
    entry.nextDueAt = step.nextDueAt;
    for (const effect of step.effects) this.#apply(entry, effect);
    this.#schedule();
  }

  #apply(entry: Entry, effect: HealthEffect): void {
    switch (effect.type) {
      case "connect":
        this.#connect(entry, effect.connection);
        break;
      case "close":
        entry.attempts[effect.connection] += 1;
        entry.link.close(effect.connection);
        break;
      case "send":
        this.#send(entry, effect.command);
        break;
      case "event":
        for (const listener of this.#listeners) listener(effect.event);
        break;
      case "replica-discovered":
        this.#add(effect.replica);
        break;
    }
  }

  #connect(entry: Entry, connection: ConnectionKind): void {
    const attempt = (entry.attempts[connection] += 1);
    const settle = (input: HealthInput) => {
      if (entry.attempts[connection] === attempt) this.#feed(entry, input);
    };
    entry.link.connect(connection).then(
      () => settle({ type: "connected", connection }),
      () => settle({ type: "disconnected", connection }),
    );
  }

  #send(entry: Entry, command: "PING" | "INFO" | "SCRIPT KILL"): void {
    const { link } = entry;
    if (command === "PING") {
      link.command(this.#ping).then(
        (value) => this.#feed(entry, pingReplyOf(value)),
        (error: unknown) => {
          // No reply at all (connection gone) is not a reply: Redis's callback never runs.
          if (error instanceof LinkReplyError) {
            this.#feed(entry, { type: "ping-reply", reply: { kind: "error", text: error.reply } });
          }
        },
      );
    } else if (command === "INFO") {
      link.command(this.#info).then(
        (value) => {
          const info = typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString() : undefined;
          this.#feed(entry, { type: "info-reply", info });
        },
        (error: unknown) => {
          if (error instanceof LinkReplyError) this.#feed(entry, { type: "info-reply", info: undefined });
        },
      );
    } else {
      link.command(this.#scriptKill).catch(() => undefined);
    }
  }

  #schedule(): void {
    if (!this.#running) return;
    let due = Infinity;
    for (const entry of this.#entries.values()) due = Math.min(due, entry.nextDueAt);
    if (due === this.#timerAt) return;
    // A due time that moved later (a PONG came before the PING could be resent) moves the
    // timer too: an early wake-up with nothing due costs more than moving a timer.
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = due;
    if (due === Infinity) return;
    this.#timer = this.#clock.setTimeout(() => this.#onTimer(), Math.max(0, due - this.#clock.now()));
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.#clock.now();
    for (const entry of [...this.#entries.values()]) {
      if (entry.nextDueAt <= now) {
        this.#feed(entry, { type: "tick", pendingCommands: entry.link.pendingCommands });
      }
    }
    this.#schedule();
  }
}
