// Reply decoding, vector by vector: every RESP2 and RESP3 type from the RESP3 specification
// (https://github.com/redis/redis-specifications/blob/master/protocol/RESP3.md), fed whole,
// byte by byte, and in two chunks split at every position.
import { describe, expect, it } from "vitest";
import { RespDecoder, RespProtocolError, resp, type RespValue } from "../src/index.js";
import { chunkings, decodeChunks } from "./helpers.js";

const vectors: Array<[string, string, RespValue[]]> = [
  ["simple string", "+OK\r\n", [resp.simple("OK")]],
  ["other simple string", "+PONG\r\n", [resp.simple("PONG")]],
  ["empty simple string", "+\r\n", [resp.simple("")]],
  [
    "UTF-8 simple string",
    Buffer.from("+h\u00e9llo w\u00f6rld, this is longer\r\n", "utf8").toString("latin1"),
    [resp.simple("h\u00e9llo w\u00f6rld, this is longer")]],
  ["error", "-ERR unknown command 'foo'\r\n", [resp.error("ERR unknown command 'foo'")]],
  ["integer", ":1000\r\n", [resp.integer(1000)]],
  ["small integer", ":1\r\n", [resp.integer(1)]],
  ["negative integer", ":-42\r\n", [resp.integer(-42)]],
  ["zero", ":0\r\n", [resp.integer(0)]],
  ["int64 max", ":9223372036854775807\r\n", [resp.integer(9223372036854775807n)]],
  ["int64 min", ":-9223372036854775808\r\n", [resp.integer(-9223372036854775808n)]],
  ["largest safe integer", ":9007199254740991\r\n", [resp.integer(Number.MAX_SAFE_INTEGER)]],
  ["smallest safe integer", ":-9007199254740991\r\n", [resp.integer(-Number.MAX_SAFE_INTEGER)]],
  ["2^53, past the safe range", ":9007199254740992\r\n", [resp.integer(9007199254740992n)]],
  ["-2^53", ":-9007199254740992\r\n", [resp.integer(-9007199254740992n)]],
  ["16 digits past 2^53", ":9999999999999999\r\n", [resp.integer(9999999999999999n)]],
  ["negative multi-digit integer", ":-1234567\r\n", [resp.integer(-1234567)]],
  ["bulk string", "$5\r\nhello\r\n", [resp.bulk("hello")]],
  ["empty bulk string", "$0\r\n\r\n", [resp.bulk("")]],
  ["binary bulk string", "$4\r\n\r\n\x00\xff\r\n", [resp.bulk(Buffer.from([13, 10, 0, 255]))]],
  ["null bulk", "$-1\r\n", [resp.nullBulk()]],
  ["null array", "*-1\r\n", [resp.nullArray()]],
  ["empty array", "*0\r\n", [resp.array([])]],
  [
    "array",
    "*3\r\n:1\r\n$3\r\nfoo\r\n+bar\r\n",
    [resp.array([resp.integer(1), resp.bulk("foo"), resp.simple("bar")])],
  ],
  [
    "nested array",
    "*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n-ERR x\r\n",
    [resp.array([resp.array([resp.integer(1), resp.integer(2)]), resp.array([resp.error("ERR x")])])],
  ],
  ["array with null", "*2\r\n$-1\r\n*-1\r\n", [resp.array([resp.nullBulk(), resp.nullArray()])]],
  ["null", "_\r\n", [resp.null()]],
  ["true", "#t\r\n", [resp.boolean(true)]],
  ["false", "#f\r\n", [resp.boolean(false)]],
  ["double", ",1.23\r\n", [resp.double(1.23)]],
  ["integral double", ",10\r\n", [resp.double(10)]],
  ["double with exponent", ",1.5e+300\r\n", [resp.double(1.5e300)]],
  ["inf", ",inf\r\n", [resp.double(Infinity)]],
  ["-inf", ",-inf\r\n", [resp.double(-Infinity)]],
  ["nan", ",nan\r\n", [resp.double(NaN)]],
  [
    "big number",
    "(3492890328409238509324850943850943825024385\r\n",
    [resp.bigNumber(3492890328409238509324850943850943825024385n)],
  ],
  ["negative big number", "(-12\r\n", [resp.bigNumber(-12n)]],
  ["bulk error", "!21\r\nSYNTAX invalid syntax\r\n", [resp.bulkError("SYNTAX invalid syntax")]],
  ["verbatim", "=15\r\ntxt:Some string\r\n", [resp.verbatim("txt", "Some string")]],
  ["empty verbatim", "=4\r\nmkd:\r\n", [resp.verbatim("mkd", "")]],
  [
    "map",
    "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
    [
      resp.map([
        [resp.simple("first"), resp.integer(1)],
        [resp.simple("second"), resp.integer(2)],
      ]),
    ],
  ],
  ["empty map", "%0\r\n", [resp.map([])]],
  [
    "set",
    "~3\r\n+orange\r\n+apple\r\n#t\r\n",
    [resp.set([resp.simple("orange"), resp.simple("apple"), resp.boolean(true)])],
  ],
  [
    "push",
    ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n",
    [resp.push([resp.bulk("message"), resp.bulk("ch"), resp.bulk("hello")])],
  ],
  [
    "attribute before a reply",
    "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
    [
      resp.attributed(
        [
          [
            resp.simple("key-popularity"),
            resp.map([
              [resp.bulk("a"), resp.double(0.1923)],
              [resp.bulk("b"), resp.double(0.0012)],
            ]),
          ],
        ],
        resp.array([resp.integer(2039123), resp.integer(9543892)]),
      ),
    ],
  ],
  [
    "attribute inside an array",
    "*2\r\n|1\r\n+ttl\r\n:3600\r\n+a\r\n+b\r\n",
    [
      resp.array([
        resp.attributed([[resp.simple("ttl"), resp.integer(3600)]], resp.simple("a")),
        resp.simple("b"),
      ]),
    ],
  ],
  ["empty attribute", "|0\r\n:7\r\n", [resp.attributed([], resp.integer(7))]],
  [
    "pipelined replies",
    "+OK\r\n:1\r\n$3\r\nabc\r\n*1\r\n$-1\r\n_\r\n",
    [resp.simple("OK"), resp.integer(1), resp.bulk("abc"), resp.array([resp.nullBulk()]), resp.null()],
  ],
];

describe("RespDecoder vectors", () => {
  for (const [name, wire, expected] of vectors) {
    it(`${name}: whole, byte by byte and split at every position`, () => {
      const input = Buffer.from(wire, "latin1");
      for (const { name: how, chunks } of chunkings(input)) {
        expect(decodeChunks(chunks), how).toEqual(expected);
      }
    });
  }

  it("delivers a bulk string spanning many chunks once, with its bytes intact", () => {
    const payload = Buffer.alloc(70_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const wire = Buffer.concat([Buffer.from(`*2\r\n$${payload.length}\r\n`), payload, Buffer.from("\r\n:5\r\n")]);
    for (const size of [1000, 4096, 16_384, 65_536]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.subarray(i, i + size));
      expect(decodeChunks(chunks)).toEqual([resp.array([resp.bulk(payload), resp.integer(5)])]);
    }
  });

  it("keeps every payload intact when many of them span chunks (slab reuse)", () => {
    const payloads = Array.from({ length: 200 }, (_, i) => Buffer.alloc(1000 + i, i));
    const wire = Buffer.concat(payloads.map((p) => Buffer.from(`$${p.length}\r\n${p.toString("latin1")}\r\n`, "latin1")));
    const chunks: Buffer[] = [];
    for (let i = 0; i < wire.length; i += 777) chunks.push(Buffer.from(wire.subarray(i, i + 777)));
    const replies = decodeChunks(chunks);
    // Every payload is longer than a chunk, so each was copied out: the chunks may be reused.
    for (const chunk of chunks) chunk.fill(0);
    expect(replies).toEqual(payloads.map((p) => resp.bulk(p)));
  });

  it("counts the unfinished element in bufferedBytes and nothing once a reply completes", () => {
    const replies: RespValue[] = [];
    const decoder = new RespDecoder({ onReply: (v) => replies.push(v) });
    decoder.feed(Buffer.from("*2\r\n$10\r\nabc"));
    expect(decoder.bufferedBytes).toBe(3);
    decoder.feed(Buffer.from("defghij\r\n+O"));
    expect(decoder.bufferedBytes).toBe(2);
    decoder.feed(Buffer.from("K\r\n"));
    expect(decoder.bufferedBytes).toBe(0);
    expect(replies).toEqual([resp.array([resp.bulk("abcdefghij"), resp.simple("OK")])]);
  });

  it("keeps going after onReply throws, from the next reply", () => {
    const replies: RespValue[] = [];
    let thrown = false;
    const decoder = new RespDecoder({
      onReply: (v) => {
        if (!thrown) {
          thrown = true;
          throw new Error("boom");
        }
        replies.push(v);
      },
    });
    expect(() => decoder.feed(Buffer.from(":1\r\n:2\r\n:"))).toThrow("boom");
    decoder.feed(Buffer.from("3\r\n"));
    expect(replies).toEqual([resp.integer(2), resp.integer(3)]);
  });

  it("reset() forgets a partial reply", () => {
    const replies: RespValue[] = [];
    const decoder = new RespDecoder({ onReply: (v) => replies.push(v) });
    decoder.feed(Buffer.from("*3\r\n:1\r\n$5\r\nab"));
    decoder.reset();
    expect(decoder.bufferedBytes).toBe(0);
    decoder.feed(Buffer.from("+OK\r\n"));
    expect(replies).toEqual([resp.simple("OK")]);
  });
});

describe("RespDecoder integers of every length", () => {
  it("decodes 1 to 19 digits of either sign to a number while safe and a bigint past 2^53 - 1, in any chunking", () => {
    const values: bigint[] = [0n];
    for (let digits = 1; digits <= 19; digits++) {
      const smallest = 10n ** BigInt(digits - 1);
      values.push(smallest, smallest * 10n - 1n, smallest + 1234567890123456789n % smallest);
    }
    const inputs = values.flatMap((v) => [v, -v]);
    const wire = Buffer.from(inputs.map((v) => `:${v}\r\n`).join(""), "latin1");
    const safe = (v: bigint) => v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
    const expected = inputs.map((v) => resp.integer(safe(v) ? Number(v) : v));
    for (const { name: how, chunks } of chunkings(wire)) {
      expect(decodeChunks(chunks), how).toEqual(expected);
    }
  });

  it("decodes :-0 to 0, not -0", () => {
    const values = decodeChunks([Buffer.from(":-0\r\n:-00\r\n")]);
    expect(values).toHaveLength(2);
    for (const value of values) expect(Object.is((value as { value: number }).value, 0)).toBe(true);
  });
});

describe("RespDecoder protocol errors", () => {
  const bad: Array<[string, string, string]> = [
    ["unknown type byte", "?x\r\n", "invalid-type-byte"],
    ["letters in an integer", ":12a\r\n", "invalid-integer"],
    ["empty integer", ":\r\n", "invalid-integer"],
    ["sign only", ":-\r\n", "invalid-integer"],
    ["two signs", ":--1\r\n", "invalid-integer"],
    ["sign after the digits", ":12-\r\n", "invalid-integer"],
    ["letters in a negative integer", ":-12a\r\n", "invalid-integer"],
    ["bad bulk length", "$abc\r\n", "invalid-bulk-length"],
    ["negative bulk length", "$-2\r\n", "invalid-bulk-length"],
    ["bad array length", "*x\r\n", "invalid-multibulk-length"],
    ["null map", "%-1\r\n", "invalid-multibulk-length"],
    ["bulk without CRLF", "$3\r\nfooXY", "missing-crlf"],
    ["CR without LF", "+OK\rX", "missing-crlf"],
    ["bad boolean", "#x\r\n", "invalid-boolean"],
    ["bad null", "_x\r\n", "invalid-null"],
    ["bad double", ",1.2.3\r\n", "invalid-double"],
    ["double in words", ",Infinity\r\n", "invalid-double"],
    ["bad big number", "(12x\r\n", "invalid-big-number"],
    ["verbatim without format", "=3\r\ntxt\r\n", "invalid-verbatim"],
    ["verbatim without colon", "=5\r\ntxt_a\r\n", "invalid-verbatim"],
  ];
  for (const [name, wire, reason] of bad) {
    it(`${name} is a RespProtocolError (${reason}) in any chunking`, () => {
      for (const { name: how, chunks } of chunkings(Buffer.from(wire, "latin1"))) {
        let error: unknown;
        try {
          decodeChunks(chunks);
        } catch (e) {
          error = e;
        }
        expect(error, how).toBeInstanceOf(RespProtocolError);
        expect((error as RespProtocolError).reason, how).toBe(reason);
        expect((error as RespProtocolError).name).toBe("RespProtocolError");
      }
    });
  }

  it("reports the stream offset of the bad element and refuses later input until reset()", () => {
    const decoder = new RespDecoder({ onReply: () => {} });
    decoder.feed(Buffer.from("+OK\r\n:1\r\n"));
    let error: RespProtocolError | undefined;
    try {
      decoder.feed(Buffer.from(":2\r\n?"));
    } catch (e) {
      error = e as RespProtocolError;
    }
    expect(error?.offset).toBe(13);
    expect(error?.message).toBe('got "?" as reply type byte');
    expect(() => decoder.feed(Buffer.from("+OK\r\n"))).toThrow(error);
    decoder.reset();
    const replies: RespValue[] = [];
    const fresh = new RespDecoder({ onReply: (v) => replies.push(v) });
    fresh.feed(Buffer.from("+OK\r\n"));
    expect(replies).toEqual([resp.simple("OK")]);
    expect(() => decoder.feed(Buffer.from("+OK\r\n"))).not.toThrow();
  });
});
