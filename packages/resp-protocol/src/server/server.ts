/**
 * `RespServer`: a TCP server that speaks RESP2 and RESP3 like Redis 7.0 does, and hands
 * every command it does not answer itself to one handler.
 *
 * @module
 */
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { Server as TlsServer } from "node:tls";
import type { RespValue } from "../values.js";
import { encodeReply } from "../encoder.js";
import type { CommandClient } from "./commands.js";
import { RespConnection, type ConnectionHost } from "./connection.js";
import { helloFields } from "./hello.js";
import { DEFAULT_PUBSUB_OUTPUT_LIMIT } from "./output-limit.js";
import { PubSubRegistry } from "./pubsub.js";
import { MAX_CLIENTS_ERROR, messageReply } from "./replies.js";
import type { RespClientContext, RespReplyMode, RespServerOptions } from "./types.js";

/** What {@link RespServer.subscriptions} returns. */
export interface RespSubscriptions {
  /** Channels subscribed with SUBSCRIBE. */
  readonly channels: Buffer[];
  /** Patterns subscribed with PSUBSCRIBE. */
  readonly patterns: Buffer[];
}

/** Options of {@link RespServer.close}. */
export interface RespServerCloseOptions {
  /** How long, in milliseconds, clients may take to receive their last replies before they are dropped; 5000 by default. */
  timeoutMs?: number;
}

const DEFAULT_MAX_CLIENTS = 10_000;
const DEFAULT_OUTPUT_HIGH_WATER_MARK = 1024 * 1024;
// How long a connection we ended may take to flush its last reply (QUIT, protocol error).
const LINGER_MS = 5000;
const DEFAULT_CLOSE_TIMEOUT_MS = 5000;
// Without a version of its own, the server introduces itself as the Redis it mimics.
const DEFAULT_HELLO = { version: "7.0.15", mode: "standalone", role: "master" } as const;

const toBuffer = (value: string | Buffer): Buffer => (typeof value === "string" ? Buffer.from(value) : value);

/**
 * A Redis-protocol server, over TCP or, given a `node:tls` server as `options.server`, over
 * TLS (Redis's `tls-port`). It answers HELLO, AUTH, QUIT, SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE,
 * PUNSUBSCRIBE (and PING while a RESP2 client is subscribed) itself, with Redis's replies and
 * error texts, and passes every other command to `options.handler`.
 *
 * @example
 * ```ts
 * const server = new RespServer({
 *   handler: (command) => (command.name === "ping" ? resp.simple("PONG") : undefined),
 * });
 * const { port } = await server.listen();
 * ```
 */
export class RespServer {
  private readonly net: Server;
  private readonly connections = new Set<RespConnection>();
  private readonly registry = new PubSubRegistry<CommandClient>();
  private readonly host: ConnectionHost;
  private nextId = 1;
  private closing: Promise<void> | undefined;

  /** @param options - The handler and the server's settings. */
  constructor(private readonly options: RespServerOptions) {
    const clock = options.clock ?? Date.now;
    const onDisconnect = options.onDisconnect;
    this.host = {
      handler: options.handler,
      authenticate: options.authenticate,
      hello: options.hello ?? ((client) => helloFields(client, DEFAULT_HELLO)),
      isKnownCommand: options.isKnownCommand,
      registry: this.registry,
      limits: options.limits ?? {},
      authRequired: options.authRequired ?? (() => options.authenticate !== undefined),
      passwordOnlyAuth: options.passwordOnlyAuth ?? (() => options.authenticate !== undefined),
      canSubscribe: options.canSubscribe,
      beforeCommand: options.beforeCommand,
      outputHighWaterMark: options.outputHighWaterMark ?? DEFAULT_OUTPUT_HIGH_WATER_MARK,
      pubsubOutputLimit: options.pubsubOutputLimit ?? DEFAULT_PUBSUB_OUTPUT_LIMIT,
      lingerMs: LINGER_MS,
      now: clock,
      reportError: (error, client) => this.report(error, client),
      closed: (connection, reason) => {
        this.connections.delete(connection);
        this.callback(() => onDisconnect?.(connection, reason), connection);
      },
    };
    // Half-open sockets let `printf 'PING\r\n' | nc` get its reply after the client's FIN.
    this.net = options.server ?? createServer({ allowHalfOpen: true });
    // A TLS server's "connection" is the raw socket; commands arrive after the handshake.
    this.net.on(this.net instanceof TlsServer ? "secureConnection" : "connection", (socket: Socket) => this.accept(socket));
    // Accept failures (EMFILE...) arrive here; without a listener they would crash the process.
    this.net.on("error", (error) => this.report(error, undefined));
  }

  /**
   * Starts listening on `options.host` (127.0.0.1 by default) and `options.port` (0, any
   * free port, by default), unless the server given in `options.server` already listens.
   *
   * @returns The address bound.
   */
  async listen(): Promise<AddressInfo> {
    if (!this.net.listening) {
      await new Promise<void>((resolve, reject) => {
        const failed = (error: Error) => reject(error);
        this.net.once("error", failed);
        this.net.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => {
          this.net.off("error", failed);
          resolve();
        });
      });
    }
    return this.address();
  }

  /** The address the server listens on; throws when it does not listen. */
  address(): AddressInfo {
    const address = this.net.address();
    if (address === null || typeof address === "string") throw new Error("RespServer is not listening on TCP");
    return address;
  }

  /** The clients connected now, in connection order. */
  clients(): RespClientContext[] {
    return [...this.connections];
  }

  /** The channels (SUBSCRIBE) and patterns (PSUBSCRIBE) a connected client listens to. */
  subscriptions(client: RespClientContext): RespSubscriptions {
    const connection = client as RespConnection;
    if (!this.connections.has(connection)) return { channels: [], patterns: [] };
    return { channels: this.registry.channelsOf(connection), patterns: this.registry.patternsOf(connection) };
  }

  /**
   * Sets what a connected client hears back, as Redis's CLIENT REPLY does (see
   * {@link RespReplyMode}); called by a handler, it applies to the command being answered.
   */
  setReplyMode(client: RespClientContext, mode: RespReplyMode): void {
    const connection = client as RespConnection;
    if (this.connections.has(connection)) connection.setReplyMode(mode);
  }

  /**
   * Publishes a message as PUBLISH does: to the channel's subscribers (`message`), then to
   * every matching pattern subscription (`pmessage`), each in the client's protocol.
   *
   * @returns The number of deliveries, PUBLISH's reply (a client subscribed through two matching patterns counts twice).
   */
  publish(channel: string | Buffer, message: string | Buffer): number {
    const channelBytes = toBuffer(channel);
    const messageBytes = toBuffer(message);
    const receivers = this.registry.receivers(channelBytes);
    // Encode once per protocol and pattern rather than once per subscriber.
    const cache = new Map<string, Buffer>();
    for (const { subscriber, pattern } of receivers) {
      const cacheKey = pattern === undefined ? `${subscriber.protocol}` : `${subscriber.protocol}p${pattern.toString("latin1")}`;
      let encoded = cache.get(cacheKey);
      if (encoded === undefined) {
        encoded = encodeReply(messageReply(channelBytes, messageBytes, pattern), subscriber.protocol);
        cache.set(cacheKey, encoded);
      }
      (subscriber as RespConnection).deliver(encoded);
    }
    return receivers.length;
  }

  /**
   * Sends an out-of-band value to every connected client (a RESP3 push, for example).
   *
   * @returns The number of clients it was written to.
   */
  broadcast(value: RespValue): number {
    for (const connection of this.connections) connection.send(value);
    return this.connections.size;
  }

  /**
   * Shuts down gracefully: stops accepting, lets every client receive the replies to the
   * commands it already sent, then ends the connections; clients still open after
   * `timeoutMs` are dropped. Resolves once the listening socket and all clients are closed.
   */
  close(options: RespServerCloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
    return this.closing;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const listenerClosed = new Promise<void>((resolve) => {
      if (!this.net.listening) resolve();
      else this.net.close(() => resolve());
    });
    const open = [...this.connections];
    const allClosed = Promise.all(open.map((connection) => connection.closedPromise()));
    for (const connection of open) connection.shutdown();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([allClosed, timedOut]);
    clearTimeout(timer);
    for (const connection of this.connections) connection.destroy("server-shutdown");
    await Promise.all([allClosed, listenerClosed]);
  }

  private accept(socket: Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    const maxClients = this.options.maxClients ?? DEFAULT_MAX_CLIENTS;
    if (this.connections.size >= maxClients) {
      // Redis writes this line and closes at once (acceptCommonHandler).
      socket.on("error", () => socket.destroy());
      socket.end(`-${MAX_CLIENTS_ERROR}\r\n`);
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
      return;
    }
    const connection = new RespConnection(socket, this.host, this.nextId++);
    this.connections.add(connection);
    this.callback(() => this.options.onConnect?.(connection), connection);
  }

  // User callbacks run inside socket events, where a throw would take the process down.
  private callback(run: () => void, client: RespClientContext): void {
    try {
      run();
    } catch (error) {
      this.report(error, client);
    }
  }

  private report(error: unknown, client: RespClientContext | undefined): void {
    try {
      this.options.onError?.(error, client);
    } catch {
      // An error handler that fails has nowhere left to report to.
    }
  }
}
