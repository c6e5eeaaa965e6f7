import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ask, freePort, plainClient, type RedisServer, startRedis, waitFor } from "../src/index.js";

/** A server on 127.0.0.1 that records every command it receives, per connection, and answers as told. */
class RecordingServer {
  readonly connections: { commands: string[][]; closed: boolean }[] = [];
  readonly #sockets: Socket[] = [];

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  /** `answer` returns the raw reply to a command, or null to leave it unanswered. */
  static async start(answer: (command: string[]) => string | null): Promise<RecordingServer> {
    const server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
    });
    const recording = new RecordingServer(server, port);
    server.on("connection", (socket) => {
      recording.#sockets.push(socket);
      const connection = { commands: [] as string[][], closed: false };
      recording.connections.push(connection);
      let pending = "";
      socket.on("data", (chunk: Buffer) => {
        pending += chunk.toString("latin1");
        for (;;) {
          const parsed = parseCommand(pending);
          if (parsed === null) break;
          pending = pending.slice(parsed.length);
          connection.commands.push(parsed.command);
          const reply = answer(parsed.command);
          if (reply !== null) socket.write(reply);
        }
      });
      socket.on("error", () => undefined);
      socket.on("close", () => {
        connection.closed = true;
      });
    });
    return recording;
  }

  /** Stops listening and closes every connection; a second call does nothing. */
  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** One whole RESP array of bulk strings at the start of `text`, or null while incomplete. */
function parseCommand(text: string): { command: string[]; length: number } | null {
  const header = /^\*(\d+)\r\n/.exec(text);
  if (header === null) return null;
  let at = header[0].length;
  const command: string[] = [];
  for (let i = 0; i < Number(header[1]); i++) {
    const bulk = /^\$(\d+)\r\n/.exec(text.slice(at));
    if (bulk === null) return null;
    const start = at + bulk[0].length;
    const end = start + Number(bulk[1]);
    if (text.length < end + 2) return null;
    command.push(text.slice(start, end));
    at = end + 2;
  }
  return { command, length: at };
}

describe("plainClient and ask on the wire", () => {
  let recording: RecordingServer | undefined;
  afterEach(async () => {
    await recording?.close();
    recording = undefined;
  });
  const start = async (answer: (command: string[]) => string | null): Promise<RecordingServer> => {
    const server = await RecordingServer.start(answer);
    recording = server;
    return server;
  };

  it("ask sends AUTH and the one command, nothing else (no HELLO, INFO or CLIENT SETINFO), and closes", async () => {
    const server = await start((command) => (command[0] === "ECHO" ? `$${command[1]?.length}\r\n${command[1]}\r\n` : "+OK\r\n"));
    const reply = await ask({ port: server.port, username: "alice", password: "pw" }, "ECHO", "hello");
    expect(reply).toBe("hello");
    expect(server.connections.map((c) => c.commands)).toEqual([
      [
        ["auth", "alice", "pw"],
        ["ECHO", "hello"],
      ],
    ]);
    await waitFor(() => server.connections[0]?.closed, { timeoutMs: 2_000, what: "ask to close its connection" });
  });

  it("ask with no command sends PING, and a bare port means 127.0.0.1 without AUTH", async () => {
    const server = await start(() => "+PONG\r\n");
    expect(await ask(server.port)).toBe("PONG");
    expect(server.connections.map((c) => c.commands)).toEqual([[["PING"]]]);
  });

  it("ask rejects when no reply comes within timeoutMs, and closes the connection", async () => {
    const server = await start(() => null);
    const started = performance.now();
    const error = await ask({ port: server.port, timeoutMs: 200 }, "PING").catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect((error as Error).message).toMatch(/timed out/i);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    await waitFor(() => server.connections[0]?.closed, { timeoutMs: 2_000, what: "ask to close its connection" });
  });

  it("plainClient neither retries a command nor reconnects when the server closes the connection", async () => {
    const server = await start(() => null);
    const client = plainClient(server.port);
    try {
      expect(client.status).toBe("wait");
      await client.connect();
      const pending = client.call("PING").catch((e: unknown) => e);
      await waitFor(() => server.connections[0]?.commands.length === 1, { timeoutMs: 2_000, what: "the PING to arrive" });
      await server.close();
      expect(await pending).toBeInstanceOf(Error);
      await waitFor(() => client.status === "end", { timeoutMs: 2_000, what: "the client to end, not reconnect" });
      expect(server.connections).toHaveLength(1);
    } finally {
      client.disconnect();
    }
  });

  it("a refused connection rejects ask, with no unhandled error event", async () => {
    const port = await freePort();
    // ioredis reports the refusal as an `error` event (swallowed) and the command as closed.
    await expect(ask({ port, timeoutMs: 1_000 }, "PING")).rejects.toThrow("Connection is closed.");
  });
});

describe("plainClient and ask against redis-server", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis({ args: ["--requirepass", "s3cret"] });
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("authenticates with the password, and the server refuses the same command without it", async () => {
    expect(await ask({ port: redis.port, password: "s3cret" }, "SET", "pc:k", "v")).toBe("OK");
    expect(await ask({ port: redis.port, password: "s3cret" }, "GET", "pc:k")).toBe("v");
    await expect(ask(redis.port, "GET", "pc:k")).rejects.toThrow(/^NOAUTH/);
  });

  it("speaks RESP2 unless told 3 (CLIENT INFO resp=), on a client that stays open", async () => {
    for (const protocol of [undefined, 3] as const) {
      const client = plainClient({ host: redis.host, port: redis.port, password: "s3cret", ...(protocol !== undefined ? { protocol } : {}) });
      try {
        await client.connect();
        expect(String(await client.call("CLIENT", "INFO"))).toMatch(new RegExp(` resp=${protocol ?? 2}\\s*$`));
        expect(await client.call("PING")).toBe("PONG");
      } finally {
        client.disconnect();
      }
    }
  });
});
