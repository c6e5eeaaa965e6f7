// Several connections to one server whose sends and replies go into one log, in the order
// they happen: what the CLIENT PAUSE and CLIENT REPLY tests look at (which reply came after
// which send), with no clock involved. Unlike RawClient, a send does not wait for a reply:
// a silenced or held command simply has none in the log yet.
import { connect, type Socket } from "node:net";
import { RespDecoder, encodeCommand, type RespValue } from "@sentinel-kit/resp-protocol";
import { waitFor } from "@sentinel-kit/testkit";

/** One entry: a command sent, or a reply (or push) received, by connection name. */
export type LogEntry = { readonly who: string; readonly sent: readonly string[] } | { readonly who: string; readonly reply: RespValue };

/** Connections sharing one ordered log. */
export class ReplyLog {
  readonly entries: LogEntry[] = [];
  readonly #sockets = new Map<string, Socket>();

  constructor(private readonly port: number) {}

  /** Opens a connection named `who`. */
  open(who: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, "127.0.0.1");
      const decoder = new RespDecoder({ onReply: (reply) => this.entries.push({ who, reply }) });
      socket.on("data", (chunk) => decoder.feed(chunk));
      socket.once("error", reject);
      socket.once("connect", () => {
        this.#sockets.set(who, socket);
        resolve();
      });
    });
  }

  /** Sends commands on `who`'s connection in one write, without waiting for anything. */
  send(who: string, ...commands: ReadonlyArray<readonly string[]>): void {
    const socket = this.#sockets.get(who);
    if (socket === undefined) throw new Error(`no connection ${who}`);
    for (const argv of commands) this.entries.push({ who, sent: argv });
    socket.write(Buffer.concat(commands.map((argv) => encodeCommand([...argv]))));
  }

  /** The replies `who` received so far, in order. */
  replies(who: string): RespValue[] {
    return this.entries.flatMap((e) => (e.who === who && "reply" in e ? [e.reply] : []));
  }

  /** Waits (bounded) until `who` has received `count` replies in all. */
  async waitForReplies(who: string, count: number, timeoutMs = 5000): Promise<RespValue[]> {
    await waitFor(() => this.replies(who).length >= count, { timeoutMs, intervalMs: 5, what: `${count} replies on ${who}` });
    return this.replies(who);
  }

  /** Sends one command on `who` and resolves with its reply (bounded). */
  async call(who: string, ...argv: string[]): Promise<RespValue> {
    const before = this.replies(who).length;
    this.send(who, argv);
    const replies = await this.waitForReplies(who, before + 1);
    return replies[before] as RespValue;
  }

  /** Where in the log an entry matching `test` is, -1 when none. */
  indexOf(test: (entry: LogEntry) => boolean): number {
    return this.entries.findIndex(test);
  }

  /** Closes every connection. */
  close(): void {
    for (const socket of this.#sockets.values()) socket.destroy();
    this.#sockets.clear();
  }
}
