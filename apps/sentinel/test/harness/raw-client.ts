// RESP on the wire without a client library in between, for the differential tests: what a
// server sends is decoded as it is, and what our dispatcher returns goes through the same
// encoder and decoder, so both sides are compared in one form.
import { connect, type Socket } from "node:net";
import { RespDecoder, encodeCommand, encodeReply, type RespValue, type RespVersion } from "@sentinel-kit/resp-protocol";

/** A connection that sends commands and decodes their replies in order. */
export class RawClient {
  readonly #socket: Socket;
  readonly #replies: RespValue[] = [];
  readonly #waiters: Array<(v: RespValue) => void> = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    const decoder = new RespDecoder({
      onReply: (value) => {
        const waiter = this.#waiters.shift();
        if (waiter !== undefined) waiter(value);
        else this.#replies.push(value);
      },
    });
    socket.on("data", (chunk) => decoder.feed(chunk));
  }

  /** Connects to 127.0.0.1:`port`. */
  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("error", reject);
      socket.once("connect", () => resolve(new RawClient(socket)));
    });
  }

  /** Sends one command and resolves with its reply; rejects when none comes within 5 s. */
  call(argv: readonly string[]): Promise<RespValue> {
    this.#socket.write(encodeCommand([...argv]));
    const ready = this.#replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${argv.join(" ")}`)), 5000);
      this.#waiters.push((v) => {
        clearTimeout(timer);
        resolve(v);
      });
    });
  }

  /** Closes the connection. */
  close(): void {
    this.#socket.destroy();
  }
}

/** What a reply of our own looks like once sent in `version` and decoded by the same decoder. */
export function throughWire(value: RespValue, version: RespVersion): RespValue {
  const out: RespValue[] = [];
  new RespDecoder({ onReply: (v) => out.push(v) }).feed(encodeReply(value, version));
  const [decoded] = out;
  if (decoded === undefined) throw new Error("nothing decoded");
  return decoded;
}
