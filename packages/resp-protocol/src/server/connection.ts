/**
 * One client connection of a {@link RespServer}: decodes its requests, runs them one at a
 * time in arrival order (replies never overtake each other, and AUTH or HELLO take effect
 * for the very next command), writes the replies, and applies back-pressure and the pub/sub
 * output limit.
 *
 * @module
 */
import type { Socket } from "node:net";
import { encodeReply } from "../encoder.js";
import { RespProtocolError } from "../errors.js";
import type { RespLimits } from "../limits.js";
import { RespRequestDecoder } from "../request-decoder.js";
import type { RespValue, RespVersion } from "../values.js";
import { executeCommand, type CommandClient, type CommandHost, type Replies } from "./commands.js";
import { OutputLimitTracker, type OutputBufferLimit } from "./output-limit.js";
import { errorReply, protocolErrorReply } from "./replies.js";
import type { RespDisconnectReason, RespReplyMode } from "./types.js";

// Their confirmations are pushes in Redis (CLIENT_PUSHING): CLIENT REPLY does not silence them.
const SUBSCRIPTION_COMMANDS = new Set(["subscribe", "psubscribe", "unsubscribe", "punsubscribe"]);

/** What a connection needs from its server. */
export interface ConnectionHost extends CommandHost {
  readonly limits: Partial<RespLimits>;
  readonly authRequired: () => boolean;
  readonly outputHighWaterMark: number;
  readonly pubsubOutputLimit: OutputBufferLimit;
  readonly lingerMs: number;
  now(): number;
  closed(connection: RespConnection, reason: RespDisconnectReason): void;
}

const formatAddress = (address: string | undefined, port: number | undefined): string =>
  address === undefined ? "?" : `${address.includes(":") ? `[${address}]` : address}:${port ?? 0}`;

/**
 * A client connection; the server creates it for every accepted socket. Commands run one at
 * a time, as in Redis: while an async command runs, or while too many reply bytes wait to be
 * sent, the decoder is paused right after the current command (keeping the rest of the input)
 * and so is the socket, so input and output buffers stay bounded whatever the client sends.
 */
export class RespConnection implements CommandClient {
  readonly id: number;
  readonly address: string;
  readonly localAddress: string;
  readonly connectedAt: number;
  private lastCommandName = "";
  private lastActive: number;
  private lingerTimer: NodeJS.Timeout | undefined;
  private clientName = "";
  private version: RespVersion = 2;
  private userName: string | undefined;
  private readonly decoder: RespRequestDecoder;
  private readonly outputLimit: OutputLimitTracker;
  private readonly highWaterMark: number;
  private running = false;
  private processing = false;
  // The socket will give no more input (peer's FIN, server shutdown); pending input still runs.
  private readClosed = false;
  // QUIT, close() or a protocol error: whatever else the client sent is dropped.
  private discarding = false;
  private paused = false;
  // CLIENT REPLY: Redis's CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP and CLIENT_REPLY_SKIP_NEXT.
  private replyOff = false;
  private replySkip = false;
  private replySkipNext = false;
  private ending = false;
  private reason: RespDisconnectReason | undefined;
  private readonly closed: Promise<void>;
  private markClosed: () => void = () => undefined;

  constructor(
    private readonly socket: Socket,
    private readonly host: ConnectionHost,
    id: number,
  ) {
    this.id = id;
    this.address = formatAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.connectedAt = host.now();
    this.lastActive = this.connectedAt;
    const authRequired = host.authRequired();
    this.userName = authRequired ? undefined : "default";
    this.outputLimit = new OutputLimitTracker(host.pubsubOutputLimit);
    // Below Node's own mark a full buffer would never emit 'drain' to resume us.
    this.highWaterMark = Math.max(host.outputHighWaterMark, socket.writableHighWaterMark);
    this.decoder = new RespRequestDecoder({
      onCommand: (argv) => this.onCommand(argv),
      limits: host.limits,
      authenticated: !authRequired,
    });
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => {
      this.readClosed = true;
      this.processInput();
    });
    socket.on("drain", () => this.processInput());
    socket.on("error", () => {
      this.reason ??= "socket-error";
      socket.destroy();
    });
    socket.on("close", () => this.onClose());
  }

  /** The name set by CLIENT SETNAME or HELLO SETNAME. */
  get name(): string {
    return this.clientName;
  }

  /** The protocol the replies are encoded in. */
  get protocol(): RespVersion {
    return this.version;
  }

  /** The authenticated user, if any. */
  get user(): string | undefined {
    return this.userName;
  }

  /** Whether commands other than AUTH and HELLO may run. */
  get authenticated(): boolean {
    return this.userName !== undefined;
  }

  /** Channels plus patterns. */
  get subscriptionCount(): number {
    return this.host.registry.count(this);
  }

  /** Channels only. */
  get channelCount(): number {
    return this.host.registry.channelCount(this);
  }

  /** Patterns only. */
  get patternCount(): number {
    return this.host.registry.patternCountOf(this);
  }

  /** The last command's lower-case name. */
  get lastCommand(): string {
    return this.lastCommandName;
  }

  /** When the last command arrived. */
  get lastActiveAt(): number {
    return this.lastActive;
  }

  /** Bytes Node holds for this socket that the kernel has not taken yet. */
  get outputBufferBytes(): number {
    return this.socket.writableLength;
  }

  /** Sets the name as CLIENT SETNAME would. */
  setName(name: string): boolean {
    // Redis accepts only bytes '!' to '~' (clientSetName), so names never break CLIENT LIST.
    if (!/^[!-~]*$/.test(name)) return false;
    this.clientName = name;
    return true;
  }

  /** Switches the protocol. */
  setProtocol(version: RespVersion): void {
    this.version = version;
  }

  /** CLIENT REPLY ON, OFF or SKIP, for the command being answered and those after it. */
  setReplyMode(mode: RespReplyMode): void {
    if (mode === "on") {
      this.replyOff = false;
      this.replySkip = false;
    } else if (mode === "off") {
      this.replyOff = true;
    } else if (!this.replyOff) {
      // CLIENT REPLY SKIP itself gets no reply, and the next command neither.
      this.replySkip = true;
      this.replySkipNext = true;
    }
  }

  /** Records a successful authentication and lifts the decoder's unauthenticated limits. */
  markAuthenticated(user: string): void {
    this.userName = user;
    this.decoder.authenticated = true;
  }

  /** Drops further input; the socket ends once the current command's replies are written. */
  requestClose(reason: RespDisconnectReason): void {
    this.reason ??= reason;
    this.discarding = true;
    // Inside a command the caller finishes up once the replies are written.
    if (!this.processing && !this.running) this.finishIfDone();
  }

  /** Closes the connection after the reply being computed, if any. */
  close(): void {
    this.requestClose("closed-by-server");
  }

  /** Server shutdown: read nothing more, answer what was already read, then end. */
  shutdown(): void {
    this.reason ??= "server-shutdown";
    this.readClosed = true;
    this.processInput();
  }

  /** Drops the connection at once, unsent output included. */
  destroy(reason: RespDisconnectReason): void {
    this.reason ??= reason;
    this.socket.destroy();
  }

  /** Resolves once the socket has closed. */
  closedPromise(): Promise<void> {
    return this.closed;
  }

  /** Writes an out-of-band value now. */
  send(value: RespValue): void {
    this.write([value]);
  }

  /** Writes a message already encoded for this connection's protocol (a publish fan-out). */
  deliver(encoded: Buffer): void {
    if (!this.socket.writable || this.ending) return;
    this.socket.write(encoded);
    this.afterWrite();
  }

  private onData(chunk: Buffer): void {
    if (this.discarding || this.readClosed) return;
    this.processInput(chunk);
  }

  // May the next command run now?
  private get ready(): boolean {
    return (
      !this.running &&
      !this.discarding &&
      !this.ending &&
      !this.socket.destroyed &&
      this.socket.writableLength <= this.highWaterMark
    );
  }

  /** Decodes `chunk`, or else what the decoder holds, as far as the next command may run. */
  private processInput(chunk?: Buffer): void {
    if (this.processing) return;
    this.processing = true;
    // One write for all the replies a chunk of pipelined commands produces at once.
    this.socket.cork();
    try {
      // Input held by the decoder goes first; a paused decoder keeps the chunk for later.
      if (this.ready) this.decoder.resume();
      else this.decoder.pause();
      if (chunk !== undefined) this.decoder.feed(chunk);
    } catch (error) {
      this.decodeFailed(error);
    } finally {
      this.processing = false;
      this.socket.uncork();
    }
    this.finishIfDone();
  }

  private decodeFailed(error: unknown): void {
    if (!(error instanceof RespProtocolError)) {
      // A fault of ours (or of a user callback) must cost this connection, not the process.
      this.host.reportError(error, this);
      this.destroy("internal-error");
      return;
    }
    // Redis answers the error (unless CLIENT REPLY silences it), then closes once it is written.
    if (!this.replyOff && !this.replySkip) this.write([protocolErrorReply(error.message)]);
    this.requestClose("protocol-error");
  }

  private onCommand(argv: Buffer[]): void {
    this.lastActive = this.host.now();
    this.lastCommandName = argv[0]?.toString("latin1").toLowerCase() ?? "";
    const name = this.lastCommandName;
    const result = executeCommand(this.host, this, argv);
    if (result instanceof Promise) {
      this.running = true;
      void result.then((replies) => this.completed(name, replies));
    } else {
      this.answer(name, result);
    }
    if (!this.ready) this.decoder.pause();
  }

  private completed(name: string, replies: Replies): void {
    this.running = false;
    if (this.ending) return;
    this.socket.cork();
    this.answer(name, replies);
    this.socket.uncork();
    this.processInput();
  }

  // A command's replies, minus those CLIENT REPLY silences; then, as Redis's resetClient, a
  // pending SKIP moves on to the next command.
  private answer(name: string, replies: Replies): void {
    if (this.replyOff || this.replySkip) {
      const pushed = SUBSCRIPTION_COMMANDS.has(name) ? replies.filter((r) => r.kind !== "error") : [];
      if (pushed.length > 0) this.write(pushed);
    } else {
      this.write(replies);
    }
    this.replySkip = this.replySkipNext;
    this.replySkipNext = false;
  }

  private write(replies: Replies): void {
    if (!this.socket.writable || this.ending) return;
    for (const reply of replies) {
      let bytes: Buffer;
      try {
        bytes = encodeReply(reply, this.version);
      } catch (error) {
        // A handler built a value that cannot be encoded (a cyclic array, say).
        this.host.reportError(error, this);
        bytes = encodeReply(errorReply(`ERR ${error instanceof Error ? error.message : String(error)}`), this.version);
      }
      this.socket.write(bytes);
    }
    this.afterWrite();
  }

  private afterWrite(): void {
    if (this.subscriptionCount > 0 && this.outputLimit.exceeded(this.socket.writableLength, this.host.now())) {
      this.destroy("output-buffer-limit");
    }
  }

  private finishIfDone(): void {
    if (this.ending) return;
    // An unpaused decoder has delivered every complete command it was given.
    const inputDone = this.discarding || (this.readClosed && !this.decoder.paused);
    if (inputDone && !this.running) {
      this.end();
      return;
    }
    const read = !this.readClosed && !this.discarding && !this.decoder.paused && this.ready;
    if (read === !this.paused) return;
    this.paused = !read;
    if (read) this.socket.resume();
    else this.socket.pause();
  }

  private end(): void {
    this.ending = true;
    this.socket.end();
    // A peer that never reads would keep an ended socket open forever.
    this.lingerTimer = setTimeout(() => this.socket.destroy(), this.host.lingerMs);
    this.lingerTimer.unref();
  }

  private onClose(): void {
    clearTimeout(this.lingerTimer);
    this.ending = true;
    this.decoder.reset();
    this.host.registry.removeAll(this);
    this.host.closed(this, this.reason ?? "client-closed");
    this.markClosed();
  }
}
