// A raw TCP client for the server tests: sends exact bytes and looks at exact bytes back.
import { connect, type Socket } from "node:net";
import { RespServer } from "../src/server/server.js";
import type { RespServerOptions } from "../src/server/types.js";

/** A socket that records everything it receives. */
export class RawClient {
  private chunks: Buffer[] = [];
  private receivedBytes = 0;
  private ended = false;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.receivedBytes += chunk.length;
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => {
        socket.off("error", reject);
        resolve(new RawClient(socket));
      });
      socket.once("error", reject);
    });
  }

  /** True once the server closed the connection (or it broke). */
  get closed(): boolean {
    return this.ended;
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Bytes received and not taken yet. */
  get bytesReceived(): number {
    return this.receivedBytes;
  }

  // Concatenated lazily: a test that receives megabytes only looks at the count.
  private get received(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }

  /** Everything received so far, and forgets it. */
  take(): Buffer {
    const out = this.received;
    this.chunks = [];
    this.receivedBytes = 0;
    return out;
  }

  /** Waits until `check` holds on the bytes received so far (bounded). */
  async waitFor(check: (received: Buffer, closed: boolean) => boolean, timeoutMs = 3000): Promise<void> {
    await this.until(() => check(this.received, this.ended), timeoutMs);
  }

  /** Waits until at least `count` bytes have arrived, without looking at them (bounded). */
  async waitForBytes(count: number, timeoutMs = 3000): Promise<void> {
    await this.until(() => this.receivedBytes >= count, timeoutMs);
  }

  private async until(check: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const head = this.received.subarray(0, 300).toString("latin1");
        throw new Error(`timed out; received ${this.receivedBytes} bytes starting ${JSON.stringify(head)}, closed=${this.ended}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** Sends `data` and returns the bytes that arrive until `bytes` are in (or the connection closes). */
  async request(data: string | Buffer, expected: string | number): Promise<string> {
    const want = typeof expected === "number" ? expected : Buffer.byteLength(expected, "latin1");
    this.send(data);
    await this.waitFor((received, closed) => received.length >= want || closed);
    return this.take().toString("latin1");
  }

  /** Sends `data` and returns what arrives until the line stays quiet for `quietMs` (or closes). */
  async exchange(data: string | Buffer, quietMs = 60, maxMs = 3000): Promise<string> {
    this.send(data);
    const deadline = Date.now() + maxMs;
    let seen = -1;
    while (Date.now() < deadline && !this.ended) {
      if (this.receivedBytes === seen && seen > 0) break;
      seen = this.receivedBytes;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
    const out = this.take().toString("latin1");
    return this.ended ? `${out}<closed>` : out;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
    this.waiters.clear();
  }
}

/** Starts a RespServer on 127.0.0.1 and a free port. */
export async function startServer(options: RespServerOptions): Promise<{ server: RespServer; port: number }> {
  const server = new RespServer(options);
  const { port } = await server.listen();
  return { server, port };
}
