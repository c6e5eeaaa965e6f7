import type { AbstractConnector, Redis, RedisOptions } from "ioredis";
import { createConnection, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from "node:tls";
import type { ConnectionKind } from "./health-state.js";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  LinkClosedError,
  LinkReplyError,
  LinkRenameError,
  linkClientName,
  linkCommandNames,
  type InstanceLink,
  type LinkCommandNames,
  type LinkEvent,
  type LinkOptions,
  type LinkReply,
} from "./link.js";
import { LinkConnections, type TimedStep } from "./link-connections.js";
import { LinkListeners } from "./link-listeners.js";

interface Ioredis {
  readonly Redis: typeof Redis;
  readonly AbstractConnector: typeof AbstractConnector;
}

// ioredis is loaded on first connect, not with this package: loading it slows
// `String.prototype.charCodeAt` for the whole process (its VerbatimString extends String),
// which users of the default RespLink should not pay for.
let ioredis: Promise<Ioredis> | undefined;
function loadIoredis(): Promise<Ioredis> {
  ioredis ??= import("ioredis").then(({ Redis, AbstractConnector }) => ({ Redis, AbstractConnector }));
  return ioredis;
}

// ioredis cannot choose the local address; a connector of our own opens the socket with
// `localAddress` for bind-source-addr.
function boundConnector(
  { AbstractConnector }: Ioredis,
  host: string,
  port: number,
  localAddress: string,
  tls: ConnectionOptions | undefined,
) {
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
  // Undefined until ioredis is loaded.
  client: Redis | undefined;
  // Its own commands' names (rename-command), resolved when it is opened.
  readonly names: LinkCommandNames;
  ready: Promise<void>;
  open: boolean;
}

function disconnectClient(connection: Connection): void {
  connection.client?.disconnect();
}

/**
 * {@link InstanceLink} on ioredis: one ioredis client per connection, with ioredis's own
 * retries, offline queue and resubscription turned off so that reconnect policy stays in
 * the health state, speaking RESP2 like Redis Sentinel. AUTH and `CLIENT SETNAME` are sent
 * by the link, not through ioredis's `password`/`connectionName`, so that they follow
 * {@link LinkOptions.mapCommand}; a renamed `SUBSCRIBE` is refused ({@link LinkRenameError}).
 */
export class IoredisLink implements InstanceLink {
  readonly #options: LinkOptions;
  readonly #address: string;
  readonly #listeners = new LinkListeners();
  readonly #channels = new Set<string>();
  readonly #connections: LinkConnections<Connection>;
  #pending = 0;

  /** Creates a link; nothing connects until {@link IoredisLink.connect}. */
  constructor(options: LinkOptions) {
    this.#options = options;
    this.#address = `${options.host}:${options.port}`;
    this.#connections = new LinkConnections(this.#address, options.connectTimeoutMs, disconnectClient);
  }

  /** {@inheritDoc InstanceLink.pendingCommands} */
  get pendingCommands(): number {
    return this.#pending;
  }

  #redisOptions(lib: Ioredis): RedisOptions {
    const { host, port, tls, bindSourceAddr } = this.#options;
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
      ...(tls !== undefined ? { tls } : {}),
      ...(bindSourceAddr !== undefined ? { Connector: boundConnector(lib, host, port, bindSourceAddr, tls) } : {}),
    };
  }

  /** {@inheritDoc InstanceLink.connect} */
  connect(kind: ConnectionKind): Promise<void> {
    return this.#connections.open(
      kind,
      () => ({ client: undefined, names: linkCommandNames(this.#options.mapCommand), ready: Promise.resolve(), open: false }),
      (connection, timed) => this.#establish(kind, connection, timed),
    );
  }

  async #establish(kind: ConnectionKind, connection: Connection, timed: TimedStep): Promise<void> {
    const { names } = connection;
    if (kind === "pubsub" && names.subscribe.toUpperCase() !== "SUBSCRIBE") throw new LinkRenameError("SUBSCRIBE", names.subscribe);
    // Loading ioredis is not part of the connect timeout: only the first connect pays it.
    const lib = await loadIoredis();
    if (this.#connections.current(kind) !== connection) throw new Error("closed while connecting");
    const client = new lib.Redis(this.#redisOptions(lib));
    connection.client = client;
    // Failures surface as a rejected connect() or a "closed" event, never as "error".
    client.on("error", () => undefined);
    // One timed step: the timeout covers the whole handshake.
    await timed(this.#handshake(client, kind, names));
    client.once("close", () => {
      if (this.#connections.lost(kind, connection)) this.#listeners.emit({ type: "closed", connection: kind, error: undefined });
    });
    if (kind === "pubsub") {
      client.on("message", (channel: string, message: string) => {
        this.#listeners.emit({ type: "message", channel, message });
      });
      for (const channel of this.#channels) await this.#subscribeOn(client, channel);
    }
  }

  async #handshake(client: Redis, kind: ConnectionKind, names: LinkCommandNames): Promise<void> {
    await client.connect();
    const { authPass, authUser, sentinelId } = this.#options;
    // Pipelined, as hiredis sends them: ioredis writes both before either reply.
    const steps: Promise<unknown>[] = [];
    if (authPass !== undefined) steps.push(authUser === undefined ? client.call(names.auth, authPass) : client.call(names.auth, authUser, authPass));
    if (sentinelId !== undefined) {
      // Redis discards this reply (sentinelDiscardReplyCallback): an instance without CLIENT
      // is monitored all the same, its connections unnamed.
      const named = client.call(names.client, "SETNAME", linkClientName(sentinelId, kind));
      steps.push(named.catch((error: unknown) => {
        if (!(error instanceof Error && error.name === "ReplyError")) throw error;
      }));
    }
    await Promise.all(steps);
  }

  async #subscribeOn(client: Redis, channel: string): Promise<void> {
    await client.subscribe(channel);
    this.#listeners.emit({ type: "subscribed", channel });
  }

  /** {@inheritDoc InstanceLink.close} */
  close(kind: ConnectionKind): void {
    this.#connections.close(kind);
  }

  /** {@inheritDoc InstanceLink.command} */
  async command(args: readonly string[]): Promise<LinkReply> {
    const connection = this.#connections.current("cmd");
    const [name, ...rest] = args;
    if (connection === undefined || name === undefined) throw new LinkClosedError(this.#address);
    this.#pending += 1;
    try {
      try {
        await connection.ready;
      } catch {
        throw new LinkClosedError(this.#address);
      }
      const { client } = connection;
      if (this.#connections.current("cmd") !== connection || client === undefined) throw new LinkClosedError(this.#address);
      return (await client.call(name, ...rest)) as LinkReply;
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
    const name = this.#connections.current("cmd")?.names.publish ?? "PUBLISH";
    return Number(await this.command([name, channel, message]));
  }

  /** {@inheritDoc InstanceLink.subscribe} */
  async subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    const connection = this.#connections.current("pubsub");
    if (connection?.open === true && connection.client !== undefined) await this.#subscribeOn(connection.client, channel);
  }

  /** {@inheritDoc InstanceLink.localAddress} */
  localAddress(): string | undefined {
    const connection = this.#connections.current("cmd");
    return connection?.open === true ? connection.client?.stream.localAddress : undefined;
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
