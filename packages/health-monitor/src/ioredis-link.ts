import { AbstractConnector, Redis, type RedisOptions } from "ioredis";
import { createConnection, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";
import type { ConnectionKind } from "./health-state.js";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  LinkClosedError,
  LinkConnectError,
  LinkReplyError,
  linkClientName,
  type InstanceLink,
  type LinkEvent,
  type LinkOptions,
  type LinkReply,
} from "./link.js";

// ioredis cannot choose the local address; a connector of our own opens the socket with
// `localAddress` for bind-source-addr.
function boundConnector(host: string, port: number, localAddress: string, tls: ConnectionOptions | undefined) {
  return class BoundConnector extends AbstractConnector {
    constructor() {
      super(0);
    }

    connect(): Promise<Socket | TLSSocket> {
      this.connecting = true;
      const socket = createConnection({ host, port, localAddress });
      // TLS runs over the bound socket; `host` stays for certificate checks.
      const stream = tls === undefined ? socket : tlsConnect({ ...tls, host, socket });
      stream.once("error", (error: Error) => {
        this.firstError = error;
      });
      this.stream = stream;
      return Promise.resolve(stream);
    }
  };
}

interface Connection {
  readonly client: Redis;
  readonly ready: Promise<void>;
  open: boolean;
}

/**
 * {@link InstanceLink} on ioredis: one ioredis client per connection, with ioredis's own
 * retries, offline queue and resubscription turned off so that reconnect policy stays in
 * the health state, speaking RESP2 like Redis Sentinel.
 */
export class IoredisLink implements InstanceLink {
  readonly #options: LinkOptions;
  readonly #address: string;
  readonly #listeners = new Set<(event: LinkEvent) => void>();
  readonly #channels = new Set<string>();
  #cmd: Connection | undefined;
  #pubsub: Connection | undefined;
  #pending = 0;

  /** Creates a link; nothing connects until {@link IoredisLink.connect}. */
  constructor(options: LinkOptions) {
    this.#options = options;
    this.#address = `${options.host}:${options.port}`;
  }

  /** {@inheritDoc InstanceLink.pendingCommands} */
  get pendingCommands(): number {
    return this.#pending;
  }

  #redisOptions(kind: ConnectionKind): RedisOptions {
    const { host, port, tls, bindSourceAddr, sentinelId, authUser, authPass } = this.#options;
    const timeout = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return {
      host,
      port,
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      autoResubscribe: false,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      disableClientInfo: true,
      connectTimeout: timeout,
      ...(authPass !== undefined ? { password: authPass } : {}),
      ...(authPass !== undefined && authUser !== undefined ? { username: authUser } : {}),
      ...(tls !== undefined ? { tls } : {}),
      ...(sentinelId !== undefined ? { connectionName: linkClientName(sentinelId, kind) } : {}),
      ...(bindSourceAddr !== undefined ? { Connector: boundConnector(host, port, bindSourceAddr, tls) } : {}),
    };
  }

  #emit(event: LinkEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #current(kind: ConnectionKind): Connection | undefined {
    return kind === "cmd" ? this.#cmd : this.#pubsub;
  }

  /** {@inheritDoc InstanceLink.connect} */
  connect(kind: ConnectionKind): Promise<void> {
    this.close(kind);
    const client = new Redis(this.#redisOptions(kind));
    // Failures surface as a rejected connect() or a "closed" event, never as "error".
    client.on("error", () => undefined);
    const timeoutMs = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const ready = this.#open(kind, client, timeoutMs);
    const connection: Connection = { client, ready, open: false };
    if (kind === "cmd") this.#cmd = connection;
    else this.#pubsub = connection;
    // Commands wait on `ready`; an unhandled rejection there would be reported twice.
    ready.catch(() => undefined);
    return ready;
  }

  async #open(kind: ConnectionKind, client: Redis, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            client.disconnect();
            reject(new Error(`timed out after ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
      if (kind === "pubsub") {
        client.on("message", (channel: string, message: string) => {
          this.#emit({ type: "message", channel, message });
        });
        for (const channel of this.#channels) await this.#subscribeOn(client, channel);
      }
    } catch (error) {
      client.disconnect();
      if (this.#current(kind)?.client === client) this.#forget(kind);
      throw new LinkConnectError(this.#address, kind, error);
    } finally {
      clearTimeout(timer);
    }
    const connection = this.#current(kind);
    if (connection?.client !== client) {
      client.disconnect();
      throw new LinkConnectError(this.#address, kind, new Error("closed while connecting"));
    }
    connection.open = true;
    client.once("close", () => {
      if (this.#current(kind)?.client !== client) return;
      this.#forget(kind);
      this.#emit({ type: "closed", connection: kind, error: undefined });
    });
  }

  async #subscribeOn(client: Redis, channel: string): Promise<void> {
    await client.subscribe(channel);
    this.#emit({ type: "subscribed", channel });
  }

  #forget(kind: ConnectionKind): void {
    if (kind === "cmd") this.#cmd = undefined;
    else this.#pubsub = undefined;
  }

  /** {@inheritDoc InstanceLink.close} */
  close(kind: ConnectionKind): void {
    const connection = this.#current(kind);
    if (connection === undefined) return;
    this.#forget(kind);
    connection.client.disconnect();
  }

  /** {@inheritDoc InstanceLink.command} */
  async command(args: readonly string[]): Promise<LinkReply> {
    const connection = this.#cmd;
    const [name, ...rest] = args;
    if (connection === undefined || name === undefined) throw new LinkClosedError(this.#address);
    this.#pending += 1;
    try {
      try {
        await connection.ready;
      } catch {
        throw new LinkClosedError(this.#address);
      }
      if (this.#cmd !== connection) throw new LinkClosedError(this.#address);
      return (await connection.client.call(name, ...rest)) as LinkReply;
    } catch (error) {
      if (error instanceof LinkClosedError) throw error;
      if (error instanceof Error && error.name === "ReplyError") throw new LinkReplyError(error.message);
      throw new LinkClosedError(this.#address);
    } finally {
      this.#pending -= 1;
    }
  }

  /** {@inheritDoc InstanceLink.publish} */
  async publish(channel: string, message: string): Promise<number> {
    return Number(await this.command(["PUBLISH", channel, message]));
  }

  /** {@inheritDoc InstanceLink.subscribe} */
  async subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    const connection = this.#pubsub;
    if (connection?.open === true) await this.#subscribeOn(connection.client, channel);
  }

  /** {@inheritDoc InstanceLink.localAddress} */
  localAddress(): string | undefined {
    const connection = this.#cmd;
    return connection?.open === true ? connection.client.stream.localAddress : undefined;
  }

  /** {@inheritDoc InstanceLink.onEvent} */
  onEvent(listener: (event: LinkEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** {@inheritDoc InstanceLink.destroy} */
  destroy(): void {
    this.close("cmd");
    this.close("pubsub");
    this.#listeners.clear();
  }
}
