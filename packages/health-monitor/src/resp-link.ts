import { createConnection, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { encodeCommand, RespDecoder, type RespValue } from "@sentinel-kit/resp-protocol";
import type { ConnectionKind } from "./health-state.js";
import {
  LinkClosedError,
  LinkReplyError,
  linkClientName,
  linkCommandNames,
  type InstanceLink,
  type LinkCommandNames,
  type LinkEvent,
  type LinkOptions,
  type LinkReply,
} from "./link.js";
import { LinkConnections } from "./link-connections.js";
import { LinkListeners } from "./link-listeners.js";

// One read buffer for every plain socket: reads run one at a time on the event loop, so a
// monitor with hundreds of connections does not hold a 64 KiB buffer per socket.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

interface Waiter {
  readonly resolve: (reply: LinkReply) => void;
  readonly reject: (error: Error) => void;
  // Handshake commands (AUTH, CLIENT SETNAME) are not in pendingCommands.
  readonly counted: boolean;
}

interface SubscribeWaiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface Connection {
  readonly kind: ConnectionKind;
  readonly socket: Socket | TLSSocket;
  // Its own commands' names (rename-command), resolved when it is opened.
  readonly names: LinkCommandNames;
  readonly waiters: Waiter[];
  readonly subscribing: Map<string, SubscribeWaiter[]>;
  readonly subscribed: Set<string>;
  ready: Promise<void>;
  open: boolean;
  closed: boolean;
  error: Error | undefined;
}

/** A RESP2 reply as the link gives it: statuses and bulk strings as strings. */
function linkReply(value: RespValue): LinkReply | Error {
  switch (value.kind) {
    case "simple":
      return value.value;
    case "error":
      return new LinkReplyError(value.value);
    case "integer":
      return Number(value.value);
    case "bulk":
      return value.value.toString();
    case "null-bulk":
    case "null-array":
      return null;
    case "array": {
      const items: LinkReply[] = [];
      for (const item of value.value) {
        const reply = linkReply(item);
        if (reply instanceof LinkReplyError) {
          // An error nested in an array (EXEC) is a value, not a failed command.
          items.push(reply.reply);
        } else if (reply instanceof Error) {
          return reply;
        } else {
          items.push(reply);
        }
      }
      return items;
    }
    default:
      // RESP3 types never come on a connection that did not send HELLO 3.
      return new Error(`unexpected RESP2 reply type ${value.kind}`);
  }
}

function destroySocket(connection: Connection): void {
  connection.socket.destroy();
}

/**
 * {@link InstanceLink} on a plain `node:net` or `node:tls` socket and
 * `@sentinel-kit/resp-protocol`'s decoder, with a FIFO of reply callbacks: what Redis
 * Sentinel's hiredis links do, without a client library's per-command machinery. It is
 * `HealthMonitor`'s default link; the README gives the measurements behind that choice.
 */
export class RespLink implements InstanceLink {
  readonly #options: LinkOptions;
  readonly #address: string;
  readonly #listeners = new LinkListeners();
  readonly #channels = new Set<string>();
  readonly #connections: LinkConnections<Connection>;
  #pending = 0;

  /** Creates a link; nothing connects until {@link RespLink.connect}. */
  constructor(options: LinkOptions) {
    this.#options = options;
    this.#address = `${options.host}:${options.port}`;
    this.#connections = new LinkConnections(this.#address, options.connectTimeoutMs, destroySocket);
  }

  /** {@inheritDoc InstanceLink.pendingCommands} */
  get pendingCommands(): number {
    return this.#pending;
  }

  /** {@inheritDoc InstanceLink.connect} */
  connect(kind: ConnectionKind): Promise<void> {
    return this.#connections.open(
      kind,
      () => this.#openSocket(kind),
      (connection, timed) => timed(this.#establish(connection)),
    );
  }

  #openSocket(kind: ConnectionKind): Connection {
    const { host, port, bindSourceAddr, tls } = this.#options;
    const decoder = new RespDecoder({ onReply: (value) => this.#onReply(connection, value) });
    const feed = (chunk: Buffer) => {
      try {
        decoder.feed(chunk);
      } catch (error) {
        connection.socket.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const local = bindSourceAddr !== undefined ? { localAddress: bindSourceAddr } : {};
    let socket: Socket | TLSSocket;
    if (tls === undefined) {
      socket = createConnection({
        host,
        port,
        ...local,
        // Reads go straight to the decoder, past the Readable stream machinery. The buffer
        // is shared and the decoder keeps views of unfinished replies: it gets a copy.
        onread: {
          buffer: READ_BUFFER,
          callback: (size: number, buffer: Uint8Array) => {
            feed(Buffer.from(buffer.subarray(0, size)));
            return true;
          },
        },
      });
    } else {
      // TLS reads the raw socket itself, so replies come as 'data' events. With
      // bind-source-addr TLS runs over a socket bound first; `host` stays for the
      // certificate check.
      socket =
        bindSourceAddr === undefined
          ? tlsConnect({ ...tls, host, port })
          : tlsConnect({ ...tls, host, socket: createConnection({ host, port, ...local }) });
      socket.on("data", feed);
    }
    socket.setNoDelay(true);
    const connection: Connection = {
      kind,
      socket,
      names: linkCommandNames(this.#options.mapCommand),
      waiters: [],
      subscribing: new Map(),
      subscribed: new Set(),
      ready: Promise.resolve(),
      open: false,
      closed: false,
      error: undefined,
    };
    // Failures surface as a rejected connect() or a "closed" event, never as "error".
    socket.on("error", (error: Error) => {
      connection.error ??= error;
    });
    socket.once("close", () => {
      connection.closed = true;
      for (const waiter of connection.waiters.splice(0)) this.#settle(waiter, new LinkClosedError(this.#address));
      for (const waiters of connection.subscribing.values()) {
        for (const waiter of waiters) waiter.reject(new LinkClosedError(this.#address));
      }
      connection.subscribing.clear();
      if (this.#connections.lost(kind, connection)) {
        this.#listeners.emit({ type: "closed", connection: kind, error: connection.error });
      }
    });
    return connection;
  }

  async #establish(connection: Connection): Promise<void> {
    const { socket } = connection;
    await new Promise<void>((resolve, reject) => {
      socket.once(this.#options.tls === undefined ? "connect" : "secureConnect", resolve);
      socket.once("close", () => reject(connection.error ?? new Error("connection closed")));
    });
    const { authPass, authUser, sentinelId } = this.#options;
    const { auth, client } = connection.names;
    // Pipelined, as hiredis sends them: the replies come back in order.
    const handshake: Promise<unknown>[] = [];
    if (authPass !== undefined) {
      handshake.push(this.#send(connection, authUser === undefined ? [auth, authPass] : [auth, authUser, authPass], false));
    }
    if (sentinelId !== undefined) {
      // Redis discards this reply (sentinelDiscardReplyCallback): an instance without CLIENT
      // (`rename-command CLIENT ""`) is monitored all the same, its connections unnamed.
      const named = this.#send(connection, [client, "SETNAME", linkClientName(sentinelId, connection.kind)], false);
      handshake.push(named.catch((error: unknown) => {
        if (!(error instanceof LinkReplyError)) throw error;
      }));
    }
    await Promise.all(handshake);
    if (connection.kind === "pubsub") {
      await Promise.all([...this.#channels].map((channel) => this.#subscribeOn(connection, channel)));
    }
  }

  #onReply(connection: Connection, value: RespValue): void {
    if (connection.kind === "pubsub" && value.kind === "array") {
      const [type, channel, message] = value.value;
      if (type?.kind === "bulk" && channel?.kind === "bulk") {
        const name = type.value.toString();
        if (name === "message" && message?.kind === "bulk") {
          this.#listeners.emit({ type: "message", channel: channel.value.toString(), message: message.value.toString() });
          return;
        }
        if (name === "subscribe") {
          const subscribed = channel.value.toString();
          connection.subscribed.add(subscribed);
          this.#listeners.emit({ type: "subscribed", channel: subscribed });
          const waiters = connection.subscribing.get(subscribed) ?? [];
          connection.subscribing.delete(subscribed);
          for (const waiter of waiters) waiter.resolve();
          return;
        }
      }
    }
    const waiter = connection.waiters.shift();
    if (waiter === undefined && value.kind === "error" && this.#failSubscribe(connection, value.value)) return;
    const reply = linkReply(value);
    if (reply instanceof Error && !(reply instanceof LinkReplyError)) {
      // Not Redis speaking RESP2: nothing after this can be trusted.
      if (waiter !== undefined) this.#settle(waiter, new LinkClosedError(this.#address));
      connection.socket.destroy(reply);
      return;
    }
    if (waiter !== undefined) this.#settle(waiter, reply);
  }

  // An error no handshake command waits for answers the oldest SUBSCRIBE (a wrong name, a
  // missing permission): its waiter fails now rather than at the connect timeout.
  #failSubscribe(connection: Connection, reply: string): boolean {
    for (const [channel, waiters] of connection.subscribing) {
      const waiter = waiters.shift();
      if (waiters.length === 0) connection.subscribing.delete(channel);
      if (waiter === undefined) continue;
      waiter.reject(new LinkReplyError(reply));
      return true;
    }
    return false;
  }

  #settle(waiter: Waiter, reply: LinkReply | Error): void {
    if (waiter.counted) this.#pending -= 1;
    if (reply instanceof Error) waiter.reject(reply);
    else waiter.resolve(reply);
  }

  #send(connection: Connection, args: readonly string[], counted: boolean): Promise<LinkReply> {
    if (connection.closed) return Promise.reject(new LinkClosedError(this.#address));
    return new Promise<LinkReply>((resolve, reject) => {
      if (counted) this.#pending += 1;
      connection.waiters.push({ resolve, reject, counted });
      connection.socket.write(encodeCommand(args));
    });
  }

  #subscribeOn(connection: Connection, channel: string): Promise<void> {
    if (connection.closed) return Promise.reject(new LinkClosedError(this.#address));
    return new Promise<void>((resolve, reject) => {
      const waiters = connection.subscribing.get(channel);
      if (waiters === undefined) connection.subscribing.set(channel, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
      connection.socket.write(encodeCommand([connection.names.subscribe, channel]));
    });
  }

  /** {@inheritDoc InstanceLink.close} */
  close(kind: ConnectionKind): void {
    this.#connections.close(kind);
  }

  /** {@inheritDoc InstanceLink.command} */
  command(args: readonly string[]): Promise<LinkReply> {
    const connection = this.#connections.current("cmd");
    if (connection === undefined || args.length === 0) return Promise.reject(new LinkClosedError(this.#address));
    if (connection.open) return this.#send(connection, args, true);
    // Waiting for the connection counts as pending, as a command queued in hiredis does.
    this.#pending += 1;
    return connection.ready.then(
      () => {
        this.#pending -= 1;
        if (this.#connections.current("cmd") !== connection) throw new LinkClosedError(this.#address);
        return this.#send(connection, args, true);
      },
      () => {
        this.#pending -= 1;
        throw new LinkClosedError(this.#address);
      },
    );
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
    if (connection === undefined) return;
    if (!connection.open) {
      // The handshake may have listed the channels already, or not: look once it is done.
      const opened = await connection.ready.then(
        () => true,
        () => false,
      );
      if (!opened || this.#connections.current("pubsub") !== connection || connection.subscribed.has(channel)) return;
    }
    await this.#subscribeOn(connection, channel);
  }

  /** {@inheritDoc InstanceLink.localAddress} */
  localAddress(): string | undefined {
    const connection = this.#connections.current("cmd");
    return connection?.open === true ? connection.socket.localAddress : undefined;
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
