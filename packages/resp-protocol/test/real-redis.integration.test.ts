// Real replies from a real redis-server 7.0 over a raw socket: decoded by RespDecoder, and
// re-encoded byte for byte by encodeReply (the value model loses nothing, and the encoder
// writes what Redis writes: %.17g doubles, RESP2 downgrades of addReplyDouble/addReplyNull).
import { connect, type Socket } from "node:net";
import { startRedis, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RespDecoder,
  RespProtocolError,
  RespRequestDecoder,
  encodeCommand,
  encodeReply,
  resp,
  splitArgs,
  type RespValue,
  type RespVersion,
} from "../src/index.js";

/** A raw connection: one decoder, replies queued, each with the exact bytes it came in. */
class RawConnection {
  private readonly socket: Socket;
  private readonly decoder: RespDecoder;
  private readonly replies: Array<{ value: RespValue; raw: Buffer }> = [];
  private pending: Buffer[] = [];
  private waiter: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.decoder = new RespDecoder({
      onReply: (value) => {
        // Replies are read one command at a time, so the bytes since the last reply are this one's.
        this.replies.push({ value, raw: Buffer.concat(this.pending) });
        this.pending = [];
      },
    });
    socket.on("data", (chunk: Buffer) => {
      this.pending.push(chunk);
      this.decoder.feed(chunk);
      this.waiter?.();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port }, () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** The next reply, waiting at most 10 s. */
  async next(): Promise<{ value: RespValue; raw: Buffer }> {
    const deadline = Date.now() + 10_000;
    while (this.replies.length === 0) {
      if (Date.now() > deadline) throw new Error("no reply within 10 s");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.replies.shift()!;
  }

  async send(bytes: string | Buffer): Promise<{ value: RespValue; raw: Buffer }> {
    this.socket.write(bytes);
    return this.next();
  }

  async call(...args: Array<string | number>): Promise<{ value: RespValue; raw: Buffer }> {
    this.socket.write(encodeCommand(args));
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}

let redis: RedisServer;
let redisWithPassword: RedisServer;
const connections: RawConnection[] = [];

async function open(version: RespVersion): Promise<RawConnection> {
  const c = await RawConnection.open(redis.port);
  connections.push(c);
  if (version === 3) {
    const hello = await c.call("HELLO", 3);
    expect(hello.value.kind).toBe("map");
  }
  return c;
}

/** Calls and checks that re-encoding the decoded reply gives Redis's bytes back. */
async function roundTrip(c: RawConnection, version: RespVersion, ...args: Array<string | number>): Promise<RespValue> {
  const { value, raw } = await c.call(...args);
  expect(encodeReply(value, version).equals(raw), `${args.join(" ")} re-encoded`).toBe(true);
  return value;
}

const text = (v: RespValue): string => {
  if (v.kind === "bulk") return v.value.toString();
  if (v.kind === "verbatim" || v.kind === "simple") return v.value;
  throw new Error(`not text: ${v.kind}`);
};

beforeAll(async () => {
  redis = await startRedis();
  // Set after start: the kit's readiness check is an unauthenticated PING.
  redisWithPassword = await startRedis();
  const admin = await RawConnection.open(redisWithPassword.port);
  expect((await admin.call("CONFIG", "SET", "requirepass", "pw")).value).toEqual(resp.simple("OK"));
  admin.close();
});

afterAll(async () => {
  for (const c of connections) c.close();
  await redis?.stop();
  await redisWithPassword?.stop();
});

describe("replies of a real redis-server", () => {
  it("HELLO 3: a map with server, version and proto", async () => {
    const c = await RawConnection.open(redis.port);
    connections.push(c);
    const hello = await roundTrip(c, 3, "HELLO", 3);
    expect(hello.kind).toBe("map");
    const fields = new Map(hello.kind === "map" ? hello.value.map(([k, v]) => [text(k), v]) : []);
    expect(fields.get("server")).toEqual(resp.bulk("redis"));
    expect(fields.get("proto")).toEqual(resp.integer(3));
    expect(text(fields.get("version")!)).toMatch(/^\d+\.\d+\.\d+$/);
  });

  for (const version of [2, 3] as const) {
    it(`INFO and CLIENT LIST in RESP${version}`, async () => {
      const c = await open(version);
      const info = await roundTrip(c, version, "INFO");
      // RESP3 sends INFO as a verbatim string (addReplyVerbatim), RESP2 as a bulk string.
      expect(info.kind).toBe(version === 3 ? "verbatim" : "bulk");
      if (info.kind === "verbatim") expect(info.format).toBe("txt");
      expect(text(info)).toContain("redis_version:");
      expect(text(info)).toContain(`tcp_port:${redis.port}`);
      const list = await roundTrip(c, version, "CLIENT", "LIST");
      expect(text(list)).toMatch(/^id=\d+ addr=127\.0\.0\.1:\d+/);
    });

    it(`a 10 000-element LRANGE in RESP${version}`, async () => {
      const c = await open(version);
      const key = `list${version}`;
      const elements = Array.from({ length: 10_000 }, (_, i) => `element-${i}-${"x".repeat(i % 50)}`);
      expect(await roundTrip(c, version, "RPUSH", key, ...elements)).toEqual(resp.integer(10_000));
      const range = await roundTrip(c, version, "LRANGE", key, 0, -1);
      expect(range).toEqual(resp.array(elements.map((e) => resp.bulk(e))));
    });

    it(`nulls, maps, sets and doubles in RESP${version}`, async () => {
      const c = await open(version);
      expect(await roundTrip(c, version, "GET", "missing")).toEqual(version === 3 ? resp.null() : resp.nullBulk());
      await roundTrip(c, version, "HSET", `h${version}`, "f", "v");
      const all = await roundTrip(c, version, "HGETALL", `h${version}`);
      expect(all).toEqual(
        version === 3 ? resp.map([[resp.bulk("f"), resp.bulk("v")]]) : resp.array([resp.bulk("f"), resp.bulk("v")]),
      );
      await roundTrip(c, version, "SADD", `s${version}`, "m");
      expect(await roundTrip(c, version, "SMEMBERS", `s${version}`)).toEqual(
        version === 3 ? resp.set([resp.bulk("m")]) : resp.array([resp.bulk("m")]),
      );
      // ZSCORE goes through addReplyDouble: the encoder must produce the same bytes.
      await roundTrip(c, version, "ZADD", `z${version}`, 3.14, "a", "inf", "b", "-inf", "c", 1e300, "d");
      for (const [member, score] of [["a", 3.14], ["b", Infinity], ["c", -Infinity], ["d", 1e300]] as const) {
        const { raw } = await c.call("ZSCORE", `z${version}`, member);
        expect(raw.toString("latin1")).toBe(encodeReply(resp.double(score), version).toString("latin1"));
      }
      const error = await roundTrip(c, version, "NOSUCHCOMMAND");
      expect(error.kind).toBe("error");
    });
  }

  it("pub/sub: RESP3 push messages and RESP2 message arrays", async () => {
    const subscriber3 = await open(3);
    const subscriber2 = await open(2);
    const publisher = await open(2);
    expect((await subscriber3.call("SUBSCRIBE", "news")).value).toEqual(
      resp.push([resp.bulk("subscribe"), resp.bulk("news"), resp.integer(1)]),
    );
    expect((await subscriber2.call("SUBSCRIBE", "news")).value).toEqual(
      resp.array([resp.bulk("subscribe"), resp.bulk("news"), resp.integer(1)]),
    );
    expect((await publisher.call("PUBLISH", "news", "hello")).value).toEqual(resp.integer(2));
    const push = await subscriber3.next();
    expect(push.value).toEqual(resp.push([resp.bulk("message"), resp.bulk("news"), resp.bulk("hello")]));
    expect(encodeReply(push.value, 3).equals(push.raw)).toBe(true);
    const message = await subscriber2.next();
    expect(message.value).toEqual(resp.array([resp.bulk("message"), resp.bulk("news"), resp.bulk("hello")]));
    // The RESP2 form of a push is exactly what Redis sends a RESP2 subscriber.
    expect(encodeReply(push.value, 2).equals(message.raw)).toBe(true);
  });
});

describe("requests: RespRequestDecoder agrees with redis-server", () => {
  /** Our error for `input`, as the line Redis would send. */
  function ourError(input: string, authenticated = true): string {
    const decoder = new RespRequestDecoder({ onCommand: () => {}, authenticated });
    try {
      decoder.feed(Buffer.from(input, "latin1"));
    } catch (e) {
      if (e instanceof RespProtocolError) return `ERR Protocol error: ${e.message}`;
      throw e;
    }
    return "no error";
  }

  const bad = [
    "*3000000000\r\n",
    "*abc\r\n",
    "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n",
    "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n",
    "*1\r\n$600000000\r\n",
    'SET "a b\r\n',
    "SET 'a\r\n",
    'SET "a"b\r\n',
    "x".repeat(70 * 1024),
    `*${"1".repeat(70 * 1024)}`,
    `*1\r\n$${"1".repeat(70 * 1024)}`,
  ];
  for (const input of bad) {
    it(`the same protocol error for ${JSON.stringify(input.slice(0, 30))}`, async () => {
      const c = await RawConnection.open(redis.port);
      connections.push(c);
      const { value } = await c.send(input);
      expect(value).toEqual(resp.error(ourError(input)));
    });
  }

  it("the same unauthenticated limits", async () => {
    for (const input of ["*11\r\n", "*2\r\n$4\r\nAUTH\r\n$16385\r\n"]) {
      const c = await RawConnection.open(redisWithPassword.port);
      connections.push(c);
      const { value } = await c.send(input);
      expect(value).toEqual(resp.error(ourError(input, false)));
    }
  });

  it("inline arguments split as sdssplitargs splits them (ECHO gives them back)", async () => {
    const c = await RawConnection.open(redis.port);
    connections.push(c);
    const lines = [
      'ECHO "a\\x41\\n\\"b"',
      "ECHO 'it\\'s'",
      'ECHO a"b c"',
      "ECHO   spaced\t",
      'ECHO "\\xZZ"',
      "ECHO '\\n'",
      'ECHO ""',
      "ECHO \u00e9t\u00e9",
    ];
    for (const line of lines) {
      const bytes = Buffer.from(line, "utf8");
      const args = splitArgs(bytes, 0, bytes.length)!;
      const { value } = await c.send(Buffer.concat([bytes, Buffer.from("\r\n")]));
      expect(value, line).toEqual(resp.bulk(args[1]!));
    }
  });
});
