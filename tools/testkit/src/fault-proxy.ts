import { connect, createServer, type Server, type Socket } from "node:net";
import { type FaultDirection, type FaultMode, validateMode } from "./fault-mode.js";
import { FaultPipe, type PipeContext } from "./fault-pipe.js";

/** Options of {@link FaultProxy.start}. */
export interface FaultProxyOptions {
  /** Where connections are forwarded. */
  target: { host: string; port: number };
  /** Port to listen on, on 127.0.0.1; a free one by default. */
  port?: number;
  /** Initial mode; `{ kind: "pass" }` by default. */
  mode?: FaultMode;
  /** Random source for delay jitter, uniform in [0, 1); `Math.random` by default. */
  random?: () => number;
}

/** One client connection and, unless held by a blackhole, its connection to the target. */
class ProxiedConnection {
  server: Socket | undefined;
  pipes: FaultPipe[] = [];

  constructor(
    readonly client: Socket,
    private readonly proxy: FaultProxy,
    private readonly context: PipeContext,
  ) {
    client.setNoDelay(true);
    client.on("data", (chunk: Buffer) => this.pipes[0]?.push(chunk));
    client.on("end", () => this.pipes[0]?.sourceEnded());
    // A reset on one side becomes a reset on the other; clean FINs travel through the pipes.
    client.on("error", () => this.server?.resetAndDestroy());
    client.on("close", () => this.#closed());
  }

  connectUpstream(target: { host: string; port: number }): void {
    if (this.server !== undefined || this.client.destroyed) return;
    const server = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    this.server = server;
    server.setNoDelay(true);
    this.pipes = [
      new FaultPipe("client-to-server", this.client, server, this.context),
      new FaultPipe("server-to-client", server, this.client, this.context),
    ];
    server.on("data", (chunk: Buffer) => this.pipes[1]?.push(chunk));
    server.on("end", () => this.pipes[1]?.sourceEnded());
    server.on("error", () => this.client.resetAndDestroy());
    server.on("close", () => this.#closed());
  }

  modeChanged(): void {
    for (const pipe of this.pipes) pipe.modeChanged();
  }

  reset(): void {
    this.client.resetAndDestroy();
    this.server?.resetAndDestroy();
  }

  destroy(): void {
    this.client.destroy();
    this.server?.destroy();
  }

  get queuedBytes(): number {
    return this.pipes.reduce((sum, pipe) => sum + pipe.queuedBytes, 0);
  }

  #closed(): void {
    if (!this.client.closed || (this.server !== undefined && !this.server.closed)) return;
    for (const pipe of this.pipes) pipe.dispose();
    this.proxy.forget(this);
  }
}

/**
 * A TCP proxy on 127.0.0.1 to put between any two parties (a client and redis, sentinel
 * and redis, two sentinels) and break the link in controlled ways from the test: see
 * {@link FaultMode}. Each direction of each connection buffers at most about 1 MiB; beyond
 * that it stops reading its source.
 */
export class FaultProxy {
  /** Where connections are forwarded. */
  readonly target: { host: string; port: number };
  /** Address clients connect to: 127.0.0.1. */
  readonly host = "127.0.0.1";
  readonly #server: Server;
  readonly #connections = new Set<ProxiedConnection>();
  readonly #context: PipeContext;
  #mode: FaultMode;

  private constructor(options: FaultProxyOptions, server: Server) {
    this.target = { ...options.target };
    this.#server = server;
    this.#mode = options.mode ?? { kind: "pass" };
    validateMode(this.#mode);
    this.#context = { mode: () => this.#mode, random: options.random ?? Math.random };
    server.on("connection", (client) => this.#accept(client));
  }

  /** Starts listening; resolves once connections are accepted. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const server = createServer({ allowHalfOpen: true });
    const proxy = new FaultProxy(options, server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return proxy;
  }

  /** Port clients connect to. */
  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("FaultProxy is not listening");
    return address.port;
  }

  /** The current mode. */
  get mode(): FaultMode {
    return this.#mode;
  }

  /** Open client connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Bytes queued in all connections, both directions (bounded per direction). */
  get queuedBytes(): number {
    let sum = 0;
    for (const connection of this.#connections) sum += connection.queuedBytes;
    return sum;
  }

  /** Switches mode; it applies at once to existing connections and to new ones. */
  setMode(mode: FaultMode): void {
    validateMode(mode);
    this.#mode = mode;
    for (const connection of [...this.#connections]) {
      if (mode.kind === "reset") connection.reset();
      else if (mode.kind !== "blackhole") connection.connectUpstream(this.target);
      connection.modeChanged();
    }
  }

  /** `setMode({ kind: "pass" })`. */
  pass(): void {
    this.setMode({ kind: "pass" });
  }

  /** `setMode({ kind: "delay", ms, jitterMs })`. */
  delay(ms: number, jitterMs = 0): void {
    this.setMode({ kind: "delay", ms, jitterMs });
  }

  /** `setMode({ kind: "drop", direction })`: both ways when `direction` is omitted. */
  drop(direction?: FaultDirection): void {
    this.setMode(direction === undefined ? { kind: "drop" } : { kind: "drop", direction });
  }

  /** `setMode({ kind: "cut", direction })`. */
  cut(direction: FaultDirection): void {
    this.setMode({ kind: "cut", direction });
  }

  /** `setMode({ kind: "blackhole" })`. */
  blackhole(): void {
    this.setMode({ kind: "blackhole" });
  }

  /** `setMode({ kind: "reset" })`. */
  reset(): void {
    this.setMode({ kind: "reset" });
  }

  /** `setMode({ kind: "slice", bytes, intervalMs })`. */
  slice(bytes: number, intervalMs?: number): void {
    this.setMode(intervalMs === undefined ? { kind: "slice", bytes } : { kind: "slice", bytes, intervalMs });
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const connection of [...this.#connections]) connection.destroy();
    this.#connections.clear();
    await closed;
  }

  /** @internal Called by a connection once its client socket closed. */
  forget(connection: ProxiedConnection): void {
    this.#connections.delete(connection);
  }

  #accept(client: Socket): void {
    if (this.#mode.kind === "reset") {
      client.on("error", () => undefined);
      client.resetAndDestroy();
      return;
    }
    const connection = new ProxiedConnection(client, this, this.#context);
    this.#connections.add(connection);
    if (this.#mode.kind !== "blackhole") connection.connectUpstream(this.target);
  }
}
