import type { ConnectionKind } from "./health-state.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, LinkConnectError } from "./link.js";

/** What {@link LinkConnections} needs of a connection. */
export interface LinkConnection {
  /** Settles when the handshake is done; commands sent while connecting wait on it. */
  ready: Promise<void>;
  /** Set once the handshake is done and the connection is still the current one. */
  open: boolean;
}

/**
 * Bounds one step of a handshake by the connect timeout: when the time is up the
 * connection is disposed of and the step fails. The timer runs until the whole handshake
 * ends, so what follows the step is bounded as well (disposing of the connection fails it).
 */
export type TimedStep = <T>(step: Promise<T>) => Promise<T>;

/**
 * The current command and pub/sub connection of a socket link, with the rules RespLink and
 * IoredisLink share: connecting replaces the connection of that kind; the handshake is
 * bounded by the connect timeout; a connection replaced or closed while connecting fails
 * its connect; only an open, current connection reports being lost.
 */
export class LinkConnections<C extends LinkConnection> {
  readonly #address: string;
  readonly #timeoutMs: number;
  readonly #dispose: (connection: C) => void;
  #cmd: C | undefined;
  #pubsub: C | undefined;

  /**
   * `address` is `host:port` for errors; `connectTimeoutMs` is the link option (the default
   * when undefined); `dispose` closes a connection's socket or client, maybe more than once.
   */
  constructor(address: string, connectTimeoutMs: number | undefined, dispose: (connection: C) => void) {
    this.#address = address;
    this.#timeoutMs = connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#dispose = dispose;
  }

  /** The connection of `kind`, open or still connecting, if any. */
  current(kind: ConnectionKind): C | undefined {
    return kind === "cmd" ? this.#cmd : this.#pubsub;
  }

  /**
   * Closes the connection of `kind`, makes the one `create` returns current and runs
   * `handshake` on it. Resolves once it is open; rejects with {@link LinkConnectError} when
   * the handshake fails or times out, or when another connect or a close came first.
   */
  open(kind: ConnectionKind, create: () => C, handshake: (connection: C, timed: TimedStep) => Promise<void>): Promise<void> {
    this.close(kind);
    const connection = create();
    this.#set(kind, connection);
    connection.ready = this.#open(kind, connection, handshake);
    // Commands wait on `ready`; an unhandled rejection there would be reported twice.
    connection.ready.catch(() => undefined);
    return connection.ready;
  }

  async #open(kind: ConnectionKind, connection: C, handshake: (connection: C, timed: TimedStep) => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timed: TimedStep = (step) =>
      Promise.race([
        step,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            this.#dispose(connection);
            reject(new Error(`timed out after ${this.#timeoutMs} ms`));
          }, this.#timeoutMs);
        }),
      ]);
    try {
      await handshake(connection, timed);
    } catch (error) {
      this.#dispose(connection);
      if (this.current(kind) === connection) this.#set(kind, undefined);
      throw new LinkConnectError(this.#address, kind, error);
    } finally {
      clearTimeout(timer);
    }
    if (this.current(kind) !== connection) {
      this.#dispose(connection);
      throw new LinkConnectError(this.#address, kind, new Error("closed while connecting"));
    }
    connection.open = true;
  }

  /**
   * Called when `connection` went away on its own: true, and it is forgotten, when it was
   * the open, current one, whose loss the link reports as a `closed` event.
   */
  lost(kind: ConnectionKind, connection: C): boolean {
    if (!connection.open || this.current(kind) !== connection) return false;
    this.#set(kind, undefined);
    return true;
  }

  /** Forgets the connection of `kind` and disposes of it; it reports no loss. */
  close(kind: ConnectionKind): void {
    const connection = this.current(kind);
    if (connection === undefined) return;
    this.#set(kind, undefined);
    this.#dispose(connection);
  }

  #set(kind: ConnectionKind, connection: C | undefined): void {
    if (kind === "cmd") this.#cmd = connection;
    else this.#pubsub = connection;
  }
}
