import type { ConnectionKind } from "./health-state.js";
import {
  LinkClosedError,
  LinkConnectError,
  LinkReplyError,
  linkClientName,
  type InstanceLink,
  type LinkEvent,
  type LinkOptions,
  type LinkReply,
} from "./link.js";
import { LinkListeners } from "./link-listeners.js";

interface Waiting {
  readonly owner: MemoryLink;
  readonly run: () => void;
  readonly fail: () => void;
}

/**
 * A fake Redis instance for tests of code built on {@link InstanceLink}: it answers PING,
 * INFO, PUBLISH and CLIENT, delivers published messages to subscribed links, and can be
 * made unreachable, paused (like SIGSTOP) or told to drop its clients (like CLIENT KILL).
 */
export class MemoryRedis {
  /** When false, connecting fails (like a stopped process). */
  reachable = true;
  /** The text INFO returns. */
  info = "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
  /** The reply to PING: a status line or an error reply. */
  pingReply:
    | {
        /** Answer with this status line, e.g. `PONG`. */
        readonly status: string;
      }
    | {
        /** Answer with this error line, e.g. `LOADING Redis is loading ...`. */
        readonly error: string;
      } = { status: "PONG" };
  /** When set, connections must authenticate with this password. */
  requirePass: string | undefined;
  /** Every command received on command connections, in order. */
  readonly commands: string[][] = [];
  /** The names connections gave themselves with CLIENT SETNAME. */
  readonly clientNames: string[] = [];
  readonly #links = new Set<MemoryLink>();
  readonly #subscribers = new Map<string, Set<MemoryLink>>();
  #paused = false;
  #waiting: Waiting[] = [];

  /** True while paused. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Stops answering: commands wait, as on a SIGSTOPped process. */
  pause(): void {
    this.#paused = true;
  }

  /** Answers again, starting with the commands that waited. */
  resume(): void {
    this.#paused = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const entry of waiting) entry.run();
  }

  /** Closes every client connection, as `CLIENT KILL` does; links emit `closed`. */
  killClients(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const entry of waiting) entry.fail();
    for (const link of [...this.#links]) link.dropAll();
  }

  /** Called by a link: whether `authPass` may connect. */
  accepts(authPass: string | undefined): boolean {
    return this.requirePass === undefined || this.requirePass === authPass;
  }

  /** Called by a link when it opens or closes connections. */
  track(link: MemoryLink, open: boolean): void {
    if (open) this.#links.add(link);
    else this.#links.delete(link);
  }

  /** Called by a link: subscribes it to `channel`. */
  subscribe(link: MemoryLink, channel: string): void {
    const set = this.#subscribers.get(channel) ?? new Set<MemoryLink>();
    set.add(link);
    this.#subscribers.set(channel, set);
  }

  /** Called by a link when its pub/sub connection goes away. */
  unsubscribeAll(link: MemoryLink): void {
    for (const set of this.#subscribers.values()) set.delete(link);
  }

  /**
   * Called by a link: runs `args` and calls `reply` with the answer (at once, or on
   * {@link MemoryRedis.resume}), or `fail` if the clients are killed first.
   */
  execute(
    owner: MemoryLink,
    args: readonly string[],
    reply: (value: LinkReply | LinkReplyError) => void,
    fail: () => void,
  ): void {
    const run = () => {
      this.commands.push([...args]);
      reply(this.#answer(args));
    };
    if (this.#paused) this.#waiting.push({ owner, run, fail });
    else run();
  }

  /** Called by a link closing its command connection: its waiting commands fail. */
  failWaiting(owner: MemoryLink): void {
    const mine = this.#waiting.filter((entry) => entry.owner === owner);
    this.#waiting = this.#waiting.filter((entry) => entry.owner !== owner);
    for (const entry of mine) entry.fail();
  }

  #answer(args: readonly string[]): LinkReply | LinkReplyError {
    const name = (args[0] ?? "").toUpperCase();
    switch (name) {
      case "PING":
        return "status" in this.pingReply ? this.pingReply.status : new LinkReplyError(this.pingReply.error);
      case "INFO":
        return this.info;
      case "PUBLISH": {
        const receivers = this.#subscribers.get(args[1] ?? "") ?? new Set<MemoryLink>();
        for (const link of receivers) link.deliver(args[1] ?? "", args[2] ?? "");
        return receivers.size;
      }
      case "CLIENT":
      case "SCRIPT":
        return "OK";
      default:
        return new LinkReplyError(`ERR unknown command '${args[0] ?? ""}'`);
    }
  }
}

/** {@link InstanceLink} to a {@link MemoryRedis}, with the same rules as the real link. */
export class MemoryLink implements InstanceLink {
  readonly #instance: MemoryRedis;
  readonly #options: LinkOptions;
  readonly #address: string;
  readonly #listeners = new LinkListeners();
  readonly #channels = new Set<string>();
  readonly #open = new Set<ConnectionKind>();
  #generation = 0;
  #pending = 0;

  /** A link to `instance`; `options` supply the address, password and client names. */
  constructor(instance: MemoryRedis, options: LinkOptions) {
    this.#instance = instance;
    this.#options = options;
    this.#address = `${options.host}:${options.port}`;
  }

  /** {@inheritDoc InstanceLink.pendingCommands} */
  get pendingCommands(): number {
    return this.#pending;
  }

  /** {@inheritDoc InstanceLink.connect} */
  async connect(kind: ConnectionKind): Promise<void> {
    this.close(kind);
    if (!this.#instance.reachable || !this.#instance.accepts(this.#options.authPass)) {
      throw new LinkConnectError(this.#address, kind, new Error("connection refused"));
    }
    this.#open.add(kind);
    this.#instance.track(this, true);
    if (this.#options.sentinelId !== undefined) {
      this.#instance.clientNames.push(linkClientName(this.#options.sentinelId, kind));
    }
    if (kind === "pubsub") {
      for (const channel of this.#channels) this.#subscribeNow(channel);
    }
  }

  #subscribeNow(channel: string): void {
    this.#instance.subscribe(this, channel);
    this.#listeners.emit({ type: "subscribed", channel });
  }

  /** {@inheritDoc InstanceLink.close} */
  close(kind: ConnectionKind): void {
    if (!this.#open.delete(kind)) return;
    if (kind === "cmd") {
      this.#generation += 1;
      this.#instance.failWaiting(this);
    } else {
      this.#instance.unsubscribeAll(this);
    }
    if (this.#open.size === 0) this.#instance.track(this, false);
  }

  /** Called by {@link MemoryRedis.killClients}: drops both connections and reports it. */
  dropAll(): void {
    for (const kind of [...this.#open]) {
      this.close(kind);
      this.#listeners.emit({ type: "closed", connection: kind, error: new Error("killed") });
    }
  }

  /** Called by {@link MemoryRedis} for a message on a subscribed channel. */
  deliver(channel: string, message: string): void {
    if (this.#open.has("pubsub")) this.#listeners.emit({ type: "message", channel, message });
  }

  /** {@inheritDoc InstanceLink.command} */
  command(args: readonly string[]): Promise<LinkReply> {
    if (!this.#open.has("cmd")) return Promise.reject(new LinkClosedError(this.#address));
    const generation = this.#generation;
    this.#pending += 1;
    return new Promise<LinkReply>((resolve, reject) => {
      const settle = () => {
        this.#pending -= 1;
      };
      this.#instance.execute(
        this,
        args,
        (value) => {
          settle();
          if (generation !== this.#generation) reject(new LinkClosedError(this.#address));
          else if (value instanceof LinkReplyError) reject(value);
          else resolve(value);
        },
        () => {
          settle();
          reject(new LinkClosedError(this.#address));
        },
      );
    });
  }

  /** {@inheritDoc InstanceLink.publish} */
  async publish(channel: string, message: string): Promise<number> {
    return Number(await this.command(["PUBLISH", channel, message]));
  }

  /** {@inheritDoc InstanceLink.subscribe} */
  async subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    if (this.#open.has("pubsub")) this.#subscribeNow(channel);
  }

  /** {@inheritDoc InstanceLink.localAddress} */
  localAddress(): string | undefined {
    return this.#open.has("cmd") ? "127.0.0.1" : undefined;
  }

  /** {@inheritDoc InstanceLink.onEvent} */
  onEvent(listener: (event: LinkEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** {@inheritDoc InstanceLink.destroy} */
  destroy(): void {
    this.close("cmd");
    this.close("pubsub");
    this.#listeners.clear();
  }
}
