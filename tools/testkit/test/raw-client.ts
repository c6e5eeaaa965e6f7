import { connect, type Socket } from "node:net";

/** A bare TCP client recording what it receives, for checking the proxy byte by byte. */
export class RawClient {
  readonly chunks: Buffer[] = [];
  error: NodeJS.ErrnoException | undefined;
  ended = false;
  closed = false;
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.#wake();
    });
    socket.on("end", () => {
      this.ended = true;
      this.#wake();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.error = error;
      this.#wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new RawClient(socket));
      });
      socket.once("error", reject);
    });
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString("latin1");
  }

  send(...args: string[]): void {
    this.socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`);
  }

  /** Resolves true once `condition` holds, false if it still does not after `timeoutMs`. */
  until(condition: (client: RawClient) => boolean, timeoutMs: number): Promise<boolean> {
    if (condition(this)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== check);
        resolve(false);
      }, timeoutMs);
      const check = (): void => {
        if (!condition(this)) return;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== check);
        resolve(true);
      };
      this.#waiters.push(check);
    });
  }

  /** Sends a PING and resolves with the round trip in ms, or undefined without a PONG in time. */
  async ping(timeoutMs: number): Promise<number | undefined> {
    const before = this.text.split("+PONG\r\n").length;
    const started = performance.now();
    this.send("PING");
    const answered = await this.until((c) => c.text.split("+PONG\r\n").length > before, timeoutMs);
    return answered ? performance.now() - started : undefined;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
