/**
 * The shapes a {@link RespServer} user deals with: the command a handler receives, the client
 * it answers, and the server's options.
 *
 * @module
 */
import type { Server } from "node:net";
import type { RespLimits } from "../limits.js";
import type { RespValue, RespVersion } from "../values.js";
import type { OutputBufferLimit } from "./output-limit.js";

/** One command as the handler receives it. */
export interface RespCommand {
  /** The command name in lower case, e.g. `sentinel`. */
  readonly name: string;
  /** The arguments after the name, as sent (binary safe). */
  readonly args: readonly Buffer[];
  /** The name exactly as sent, case kept, for error texts that echo it. */
  readonly rawName: Buffer;
}

/** One connected client, as handlers and the connection callbacks see it. */
export interface RespClientContext {
  /** A number unique within the server, starting at 1 (`CLIENT ID`). */
  readonly id: number;
  /** The name set by `CLIENT SETNAME` or `HELLO ... SETNAME`; empty when none. */
  readonly name: string;
  /** The peer's address as `ip:port` (`CLIENT LIST addr=`). */
  readonly address: string;
  /** The local address the client connected to as `ip:port` (`CLIENT LIST laddr=`). */
  readonly localAddress: string;
  /** The wire protocol of this connection: 2 until `HELLO 3`. */
  readonly protocol: RespVersion;
  /** The user the client authenticated as; `default` when no authentication is required. */
  readonly user: string | undefined;
  /** Whether the client may run commands (authenticated, or no authentication required). */
  readonly authenticated: boolean;
  /** When the client connected, in the server clock's milliseconds. */
  readonly connectedAt: number;
  /** Channels plus patterns the client subscribes to. */
  readonly subscriptionCount: number;
  /** Channels the client subscribes to (`CLIENT LIST sub=`). */
  readonly channelCount: number;
  /** Patterns the client subscribes to (`CLIENT LIST psub=`). */
  readonly patternCount: number;
  /** The lower-case name of the last command the client sent; empty before the first (`CLIENT LIST cmd=`). */
  readonly lastCommand: string;
  /** When the client last sent a command (or connected), in the server clock's milliseconds (`CLIENT LIST idle=`). */
  readonly lastActiveAt: number;
  /** Bytes written to the client but not yet handed to the kernel (`CLIENT LIST omem`). */
  readonly outputBufferBytes: number;
  /**
   * Sets the client's name as `CLIENT SETNAME` does: an empty string clears it; a name with
   * bytes outside `!`..`~` is refused (reply {@link INVALID_CLIENT_NAME_ERROR} then).
   *
   * @returns false when the name was refused.
   */
  setName(name: string): boolean;
  /**
   * Sends an out-of-band value (a RESP3 push, an invalidation, ...) now, between replies. It is
   * subject to the pub/sub output limit like any message.
   */
  send(value: RespValue): void;
  /** Closes the connection once the reply being computed, if any, is written; queued commands are dropped. */
  close(): void;
}

/**
 * Answers one command. Return the reply, or a promise of it; return nothing (undefined) for a
 * command the handler does not know, and the server replies Redis's unknown-command error.
 * A thrown error or rejected promise becomes `-ERR <message>` and is reported to `onError`.
 */
export type RespCommandHandler = (
  command: RespCommand,
  client: RespClientContext,
) => RespValue | undefined | Promise<RespValue | undefined>;

/**
 * What a client hears back (Redis's CLIENT REPLY): `on` every reply; `off` no reply, the
 * current command's included, until `on`; `skip` no reply to the current command nor to the
 * next one (ignored while `off`). Pub/sub messages, SUBSCRIBE-family confirmations and
 * out-of-band pushes are sent whatever the mode, as Redis 7.0.15 sends them.
 */
export type RespReplyMode = "on" | "off" | "skip";

/** Why a connection ended, as reported to `onDisconnect`. */
export type RespDisconnectReason =
  | "client-closed"
  | "quit"
  | "closed-by-server"
  | "protocol-error"
  | "output-buffer-limit"
  | "max-clients"
  | "server-shutdown"
  | "socket-error"
  | "internal-error";

/** Options of a {@link RespServer}. */
export interface RespServerOptions {
  /** Answers every command the server does not handle itself (all but HELLO, AUTH, QUIT, (P)(UN)SUBSCRIBE, and PING in RESP2 subscribed mode). */
  handler: RespCommandHandler;
  /** Address {@link RespServer.listen} binds; 127.0.0.1 by default. */
  host?: string;
  /** Port {@link RespServer.listen} binds; 0 (any free port) by default. */
  port?: number;
  /**
   * Serve connections of this existing server instead of creating one; `close()` closes it
   * too. A `node:tls` server is served over TLS: each client once its handshake is done.
   */
  server?: Server;
  /**
   * Decides a password. When given, every client must authenticate (AUTH or HELLO AUTH) before
   * running other commands unless `authRequired` says otherwise, and `AUTH <password>` means
   * user `default`. `command` is the command as the client typed it (`AUTH`, `hello`...),
   * which Redis's ACL LOG records as the failed login's object. When absent, no
   * authentication is required and only user `default` exists, with any password.
   */
  authenticate?: (user: string, password: string, client: RespClientContext, command: string) => boolean | Promise<boolean>;
  /**
   * Whether a new connection must authenticate, asked once per connection when it is
   * accepted (Redis's `authRequired` at `createClient`: the default user has a password or
   * is off). By default: whether `authenticate` is given. A connection that need not
   * authenticate starts as user `default`, and AUTH still switches user through `authenticate`.
   */
  authRequired?: () => boolean;
  /**
   * Whether `AUTH <password>` (no user name) is accepted, asked at each such AUTH; when not,
   * it gets `-ERR AUTH <password> called without any password configured for the default
   * user...` (Redis: the default user is `nopass`). By default: whether `authenticate` is given.
   */
  passwordOnlyAuth?: () => boolean;
  /**
   * Checks SUBSCRIBE and PSUBSCRIBE, which the server answers itself, before any channel is
   * subscribed (Redis's ACL check in processCommand covers the whole command): an error reply
   * refuses the command, undefined allows it.
   */
  canSubscribe?: (client: RespClientContext, command: "subscribe" | "psubscribe", targets: readonly Buffer[]) => RespValue | undefined;
  /**
   * The fields of the HELLO reply, in order, computed after the protocol switch. Redis's
   * standalone shape (see {@link helloFields}) by default; a sentinel passes `mode: "sentinel"`.
   */
  hello?: (client: RespClientContext) => ReadonlyArray<readonly [string, RespValue]>;
  /**
   * Tells whether the handler knows a command. When given, an unknown command gets Redis's
   * unknown-command error before the authentication and subscribed-mode checks, in Redis's
   * order; without it those checks answer first.
   */
  isKnownCommand?: (name: string) => boolean;
  /**
   * Called for every command a client sends, before the server looks at it (QUIT and the
   * commands the server answers itself included). Return nothing to go on at once, or a
   * promise to hold the command until it settles: meanwhile the client's further input waits
   * (its socket is not read), other clients go on. A throw or a rejection answers
   * `-ERR <message>` and is reported to `onError`. Redis's CLIENT PAUSE is built on it.
   */
  beforeCommand?: (command: RespCommand, client: RespClientContext) => Promise<void> | undefined;
  /** Request decoder limits; Redis's defaults otherwise. */
  limits?: Partial<RespLimits>;
  /** Connections beyond this many get `-ERR max number of clients reached` and are closed; 10 000 by default, as Redis's `maxclients`. */
  maxClients?: number;
  /**
   * Stop running a client's commands, and reading from it, while more than this many reply
   * bytes wait to be sent to it; 1 MiB by default, and never below the socket's own
   * `writableHighWaterMark` (16 KiB).
   */
  outputHighWaterMark?: number;
  /** The limit for clients with subscriptions; Redis's `pubsub 32mb 8mb 60` by default. */
  pubsubOutputLimit?: OutputBufferLimit;
  /** The clock in milliseconds, for the soft output limit and `connectedAt`; `Date.now` by default. */
  clock?: () => number;
  /** Called when a client connects (after the max-clients check). */
  onConnect?: (client: RespClientContext) => void;
  /** Called once when a client's connection has ended. */
  onDisconnect?: (client: RespClientContext, reason: RespDisconnectReason) => void;
  /** Called with a handler's or hook's exception (already answered with `-ERR`), or a server error. */
  onError?: (error: unknown, client: RespClientContext | undefined) => void;
}
