import type { ConnectionOptions } from "node:tls";
import type { ConnectionKind } from "./health-state.js";

/** The reply to a command: whatever RESP2 decodes to (a status line is a string). */
export type LinkReply = string | number | Buffer | null | readonly LinkReply[];

/** What a link reports on its own, outside command replies. */
export type LinkEvent =
  | {
      /**
       * An open connection was lost: the peer closed it or the network failed. A failed
       * open is reported by the rejection of {@link InstanceLink.connect} instead, and a
       * connection closed by {@link InstanceLink.close} reports nothing.
       */
      readonly type: "closed";
      /** Which connection. */
      readonly connection: ConnectionKind;
      /** The cause, when there was one. */
      readonly error: Error | undefined;
    }
  | {
      /** A message arrived on a subscribed channel (pub/sub connection). */
      readonly type: "message";
      /** The channel. */
      readonly channel: string;
      /** The payload. */
      readonly message: string;
    }
  | {
      /** The server confirmed a subscription on the pub/sub connection. */
      readonly type: "subscribed";
      /** The channel. */
      readonly channel: string;
    };

/**
 * A link to one Redis instance (SPEC §4.2): a command connection and a pub/sub
 * connection, each opened on request with AUTH and `CLIENT SETNAME` done before it counts
 * as open. It never reconnects on its own: when to reconnect is the health state's call.
 */
export interface InstanceLink {
  /**
   * Opens a connection (closing an older one of the same kind first). Resolves once it is
   * ready; rejects with {@link LinkConnectError} on failure or after the connect timeout.
   * A pub/sub connection subscribes again to every channel given to
   * {@link InstanceLink.subscribe}.
   */
  connect(connection: ConnectionKind): Promise<void>;
  /** Closes a connection now; no `closed` event follows. Pending commands reject. */
  close(connection: ConnectionKind): void;
  /**
   * Sends a command on the command connection; while that connection is being opened the
   * command waits for it. Rejects with {@link LinkReplyError} on an error reply and with
   * {@link LinkClosedError} when the connection is not open or closes first.
   */
  command(args: readonly string[]): Promise<LinkReply>;
  /** `PUBLISH channel message` on the command connection; resolves with the receiver count. */
  publish(channel: string, message: string): Promise<number>;
  /**
   * Subscribes the pub/sub connection to `channel`, now if it is open and again after every
   * reconnect. Messages arrive as `message` events.
   */
  subscribe(channel: string): Promise<void>;
  /** Commands sent on the command connection and not answered yet (SPEC §4.3 cap). */
  readonly pendingCommands: number;
  /**
   * The local address of the command connection's socket, or `undefined` when closed. A
   * hello announces it when no announce-ip is set (SPEC §4.5).
   */
  localAddress(): string | undefined;
  /** Registers a listener for {@link LinkEvent}s; returns a function that removes it. */
  onEvent(listener: (event: LinkEvent) => void): () => void;
  /** Closes both connections for good. */
  destroy(): void;
}

/** How to reach and authenticate to an instance; shared by the link implementations. */
export interface LinkOptions {
  /** Host or IP literal. */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /** `auth-pass`: sent with AUTH on every connection when set. */
  readonly authPass?: string;
  /** `auth-user`: with `authPass`, AUTH uses the ACL form `AUTH user pass`. */
  readonly authUser?: string;
  /** Node TLS options; TLS is used when set (Redis's tls-replication). */
  readonly tls?: ConnectionOptions;
  /**
   * This sentinel's id; connections are named `sentinel-<first 8 chars>-cmd|pubsub` with
   * `CLIENT SETNAME` (SPEC §4.2). No name is set when omitted.
   */
  readonly sentinelId?: string;
  /** Bound on opening a connection, handshake included, ms; 1000 by default. */
  readonly connectTimeoutMs?: number;
  /** `bind-source-addr`: the local address to connect from. */
  readonly bindSourceAddr?: string;
  /**
   * `sentinel rename-command` for what the link sends on its own: given a command name as
   * Redis Sentinel spells it (`AUTH`, `CLIENT`, `SUBSCRIBE`, `PUBLISH`), returns the name
   * the instance knows it by, as `sentinelInstanceMapCommand` does (a master's table, also
   * used for its replicas). The names are looked up once per connection, when it is opened,
   * never per command: a table changed later (`SENTINEL SET ... rename-command`) applies from
   * the next connection, as in Redis. Commands given to {@link InstanceLink.command} are sent
   * as they are: renaming them is the caller's job. Unset: every name as is. Build one from a
   * table with {@link commandRenamer}.
   */
  readonly mapCommand?: (command: string) => string;
}

/**
 * A {@link LinkOptions.mapCommand} for a fixed `rename-command` table: original names
 * (compared case-insensitively, like Redis's table) to the names to send.
 */
export function commandRenamer(renamed: Readonly<Record<string, string>>): (command: string) => string {
  const byName = new Map(Object.entries(renamed).map(([original, name]) => [original.toLowerCase(), name]));
  return (command) => byName.get(command.toLowerCase()) ?? command;
}

/** The names one connection sends its own commands under, resolved when it is opened. */
export interface LinkCommandNames {
  /** `AUTH`, or its new name. */
  readonly auth: string;
  /** `CLIENT` (for `CLIENT SETNAME`), or its new name. */
  readonly client: string;
  /** `SUBSCRIBE`, or its new name. */
  readonly subscribe: string;
  /** `PUBLISH`, or its new name. */
  readonly publish: string;
}

/** Resolves a link's own command names through {@link LinkOptions.mapCommand}. */
export function linkCommandNames(mapCommand: ((command: string) => string) | undefined): LinkCommandNames {
  const map = mapCommand ?? ((command: string) => command);
  return { auth: map("AUTH"), client: map("CLIENT"), subscribe: map("SUBSCRIBE"), publish: map("PUBLISH") };
}

/** The default {@link LinkOptions.connectTimeoutMs}. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;

/** `sentinel-<first 8 chars of the id>-<cmd|pubsub>`, as `sentinelSetClientName` names it. */
export function linkClientName(sentinelId: string, connection: ConnectionKind): string {
  return `sentinel-${sentinelId.slice(0, 8)}-${connection}`;
}

/** Opening a connection failed or timed out. */
export class LinkConnectError extends Error {
  /** Always `LinkConnectError`. */
  override readonly name = "LinkConnectError";
  /** `host:port` of the instance. */
  readonly address: string;
  /** Which connection. */
  readonly connection: ConnectionKind;

  /** Builds the error; `cause` is the underlying socket or handshake error. */
  constructor(address: string, connection: ConnectionKind, cause: unknown) {
    super(`cannot open the ${connection} connection to ${address}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.address = address;
    this.connection = connection;
  }
}

/**
 * `IoredisLink` was asked to send `SUBSCRIBE` under another name: ioredis only enters
 * its subscriber mode (where messages are told apart from replies) for the command named
 * `SUBSCRIBE`. The pub/sub connection fails with this as its cause; `RespLink` sends
 * renamed commands of every kind.
 */
export class LinkRenameError extends Error {
  /** Always `LinkRenameError`. */
  override readonly name = "LinkRenameError";
  /** The command as Redis Sentinel spells it (`SUBSCRIBE`). */
  readonly command: string;
  /** The name it was renamed to. */
  readonly renamed: string;

  /** Builds the error. */
  constructor(command: string, renamed: string) {
    super(`IoredisLink cannot send ${command} renamed to ${renamed}: ioredis enters subscriber mode only on ${command}; use RespLink`);
    this.command = command;
    this.renamed = renamed;
  }
}

/** A command could not get a reply because its connection is closed or closed first. */
export class LinkClosedError extends Error {
  /** Always `LinkClosedError`. */
  override readonly name = "LinkClosedError";
  /** `host:port` of the instance. */
  readonly address: string;

  /** Builds the error. */
  constructor(address: string) {
    super(`the command connection to ${address} is closed`);
    this.address = address;
  }
}

/** The instance answered a command with an error reply (`-ERR ...`, `-LOADING ...`). */
export class LinkReplyError extends Error {
  /** Always `LinkReplyError`. */
  override readonly name = "LinkReplyError";
  /** The error text without the leading `-`, e.g. `LOADING Redis is loading ...`. */
  readonly reply: string;

  /** Builds the error from the reply text. */
  constructor(reply: string) {
    super(reply);
    this.reply = reply;
  }
}
