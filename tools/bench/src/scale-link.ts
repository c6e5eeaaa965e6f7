// A lean InstanceLink for the scale suite: a plain socket, @sentinel-kit/resp-protocol's
// decoder and a FIFO of reply callbacks, with none of ioredis's per-command machinery. It
// exists to measure how much of our monitor's CPU the ioredis link costs
// (`--link lean`); the package's link stays IoredisLink. No TLS: the benchmark's masters
// are plain loopback instances.
import { connect as netConnect, type Socket } from "node:net";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  LinkClosedError,
  LinkConnectError,
  LinkReplyError,
  linkClientName,
  type ConnectionKind,
  type InstanceLink,
  type LinkEvent,
  type LinkOptions,
  type LinkReply,
} from "@sentinel-kit/health-monitor";
import { encodeCommand, RespDecoder, type RespValue } from "@sentinel-kit/resp-protocol";

/** One read buffer for every socket: reads run one at a time on the event loop. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

interface Waiter {
  readonly resolve: (reply: LinkReply) => void;
  readonly reject: (error: Error) => void;
  /** Whether it counts in {@link InstanceLink.pendingCommands} (handshake commands do not). */
  readonly counted: boolean;
}

interface Connection {
  readonly socket: Socket;
  readonly waiters: Waiter[];
  ready: Promise<void>;
  open: boolean;
}

/** The RESP2 reply as IoredisLink gives it: statuses and bulk strings as strings. */
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
        if (reply instanceof Error) return reply;
        items.push(reply);
      }
      return items;
    }
    default:
      return new Error(`unexpected RESP2 reply type ${value.kind}`);
  }
}

/** {@link InstanceLink} on a plain socket and a RESP decoder (see the file comment). */
export class LeanLink implements InstanceLink {
  readonly #options: LinkOptions;
  readonly #address: string;
  readonly #listeners = new Set<(event: LinkEvent) => void>();
  readonly #channels = new Set<string>();
  #cmd: Connection | undefined;
  #pubsub: Connection | undefined;
  #pending = 0;

  /** Creates a link; nothing connects until {@link LeanLink.connect}. */
  constructor(options: LinkOptions) {
    if (options.tls !== undefined) throw new Error("LeanLink does not do TLS");
    this.#options = options;
    this.#address = `${options.host}:${options.port}`;
  }

  /** {@inheritDoc InstanceLink.pendingCommands} */
  get pendingCommands(): number {
    return this.#pending;
  }

  #emit(event: LinkEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #current(kind: ConnectionKind): Connection | undefined {
    return kind === "cmd" ? this.#cmd : this.#pubsub;
  }

  #forget(kind: ConnectionKind): void {
    if (kind === "cmd") this.#cmd = undefined;
    else this.#pubsub = undefined;
  }

  /** {@inheritDoc InstanceLink.connect} */
  connect(kind: ConnectionKind): Promise<void> {
    this.close(kind);
    const { host, port, bindSourceAddr } = this.#options;
    let onReply: (value: RespValue) => void = () => undefined;
    const decoder = new RespDecoder({ onReply: (value) => onReply(value) });
    const socket = netConnect({
      host,
      port,
      ...(bindSourceAddr !== undefined ? { localAddress: bindSourceAddr } : {}),
      // Reads go straight to the decoder, past the Readable stream machinery. The buffer is
      // reused for every read and the decoder keeps views of unfinished replies: it gets a copy.
      onread: {
        buffer: READ_BUFFER,
        callback: (size: number, buffer: Uint8Array) => {
          try {
            decoder.feed(Buffer.from(buffer.subarray(0, size)));
          } catch {
            socket.destroy();
          }
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    const connection: Connection = { socket, waiters: [], ready: Promise.resolve(), open: false };
    onReply = (value) => this.#onReply(kind, connection, value);
    // Failures surface as a rejected connect() or a "closed" event.
    socket.on("error", () => undefined);
    socket.once("close", () => {
      for (const waiter of connection.waiters.splice(0)) this.#settle(waiter, new LinkClosedError(this.#address));
      if (!connection.open || this.#current(kind) !== connection) return;
      this.#forget(kind);
      this.#emit({ type: "closed", connection: kind, error: undefined });
    });
    if (kind === "cmd") this.#cmd = connection;
    else this.#pubsub = connection;
    connection.ready = this.#open(kind, connection);
    // Commands wait on `ready`; an unhandled rejection there would be reported twice.
    connection.ready.catch(() => undefined);
    return connection.ready;
  }

  async #open(kind: ConnectionKind, connection: Connection): Promise<void> {
    const { socket } = connection;
    const timeoutMs = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          socket.once("connect", resolve);
          socket.once("close", () => reject(new Error("connection closed")));
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      const { authPass, authUser, sentinelId } = this.#options;
      const handshake: Promise<LinkReply>[] = [];
      if (authPass !== undefined) {
        handshake.push(this.#send(connection, authUser === undefined ? ["AUTH", authPass] : ["AUTH", authUser, authPass], false));
      }
      if (sentinelId !== undefined) {
        handshake.push(this.#send(connection, ["CLIENT", "SETNAME", linkClientName(sentinelId, kind)], false));
      }
      await Promise.all(handshake);
    } catch (error) {
      socket.destroy();
      if (this.#current(kind) === connection) this.#forget(kind);
      throw new LinkConnectError(this.#address, kind, error);
    }
    if (this.#current(kind) !== connection) {
      socket.destroy();
      throw new LinkConnectError(this.#address, kind, new Error("closed while connecting"));
    }
    connection.open = true;
    if (kind === "pubsub") for (const channel of this.#channels) socket.write(encodeCommand(["SUBSCRIBE", channel]));
  }

  #onReply(kind: ConnectionKind, connection: Connection, value: RespValue): void {
    if (kind === "pubsub" && value.kind === "array") {
      const [type, channel, message] = value.value;
      if (type?.kind === "bulk" && channel?.kind === "bulk") {
        const name = type.value.toString();
        if (name === "message" && message?.kind === "bulk") {
          this.#emit({ type: "message", channel: channel.value.toString(), message: message.value.toString() });
          return;
        }
        if (name === "subscribe") {
          this.#emit({ type: "subscribed", channel: channel.value.toString() });
          return;
        }
      }
    }
    const waiter = connection.waiters.shift();
    if (waiter !== undefined) this.#settle(waiter, linkReply(value));
  }

  #settle(waiter: Waiter, reply: LinkReply | Error): void {
    if (waiter.counted) this.#pending -= 1;
    if (reply instanceof Error) waiter.reject(reply);
    else waiter.resolve(reply);
  }

  #send(connection: Connection, args: readonly string[], counted: boolean): Promise<LinkReply> {
    return new Promise<LinkReply>((resolve, reject) => {
      if (counted) this.#pending += 1;
      connection.waiters.push({ resolve, reject, counted });
      connection.socket.write(encodeCommand(args));
    });
  }

  /** {@inheritDoc InstanceLink.close} */
  close(kind: ConnectionKind): void {
    const connection = this.#current(kind);
    if (connection === undefined) return;
    this.#forget(kind);
    connection.socket.destroy();
  }

  /** {@inheritDoc InstanceLink.command} */
  command(args: readonly string[]): Promise<LinkReply> {
    const connection = this.#cmd;
    if (connection === undefined || args.length === 0) return Promise.reject(new LinkClosedError(this.#address));
    if (connection.open) return this.#send(connection, args, true);
    return connection.ready.then(
      () => {
        if (this.#cmd !== connection) throw new LinkClosedError(this.#address);
        return this.#send(connection, args, true);
      },
      () => {
        throw new LinkClosedError(this.#address);
      },
    );
  }

  /** {@inheritDoc InstanceLink.publish} */
  async publish(channel: string, message: string): Promise<number> {
    return Number(await this.command(["PUBLISH", channel, message]));
  }

  /** {@inheritDoc InstanceLink.subscribe} */
  subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    const connection = this.#pubsub;
    if (connection?.open === true) connection.socket.write(encodeCommand(["SUBSCRIBE", channel]));
    return Promise.resolve();
  }

  /** {@inheritDoc InstanceLink.localAddress} */
  localAddress(): string | undefined {
    const connection = this.#cmd;
    return connection?.open === true ? connection.socket.localAddress : undefined;
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
