// Request decoding with Redis's semantics and messages: src/networking.c processInlineBuffer
// and processMultibulkBuffer (Redis 7.0), src/sds.c sdssplitargs, and the vectors of
// tests/unit/protocol.tcl ("Handle an empty query", "Negative multibulk length",
// "Out of range multibulk length", "Wrong multibulk payload header", ...).
import { describe, expect, it } from "vitest";
import { RespProtocolError, RespRequestDecoder, encodeCommand, type RespLimits } from "../src/index.js";
import { chunkings, decodeCommands } from "./helpers.js";

function errorOf(
  input: string | Buffer,
  options: { limits?: Partial<RespLimits>; authenticated?: boolean } = {},
): RespProtocolError {
  const bytes = typeof input === "string" ? Buffer.from(input, "latin1") : input;
  try {
    decodeCommands([bytes], options);
  } catch (e) {
    if (e instanceof RespProtocolError) return e;
    throw e;
  }
  throw new Error("no protocol error");
}

describe("RespRequestDecoder vectors", () => {
  const vectors: Array<[string, string, string[][]]> = [
    ["multibulk", "*2\r\n$4\r\nPING\r\n$2\r\nhi\r\n", [["PING", "hi"]]],
    ["pipelined multibulk", "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", [["PING"], ["PING"]]],
    ["binary argument", "*2\r\n$3\r\nGET\r\n$4\r\n\r\n\x00\xff\r\n", [["GET", "\r\n\x00\xff"]]],
    ["empty argument", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", [["ECHO", ""]]],
    ["empty query is ignored", "\r\n*1\r\n$4\r\nPING\r\n", [["PING"]]],
    ["negative multibulk length is ignored", "*-10\r\n*1\r\n$4\r\nPING\r\n", [["PING"]]],
    ["zero multibulk length is ignored", "*0\r\n*1\r\n$4\r\nPING\r\n", [["PING"]]],
    ["inline", "PING\r\n", [["PING"]]],
    ["inline with LF only", "SET a b\n", [["SET", "a", "b"]]],
    ["inline with extra blanks", "  SET   a\tb  \r\n", [["SET", "a", "b"]]],
    ["inline double quotes", 'SET "a b" "c\\x41\\n\\"d"\r\n', [["SET", "a b", "cA\n\"d"]]],
    ["inline single quotes", "SET 'it\\'s' '\\n'\r\n", [["SET", "it's", "\\n"]]],
    ["inline quote inside a word", 'SET a"b c"\r\n', [["SET", "ab c"]]],
    ["inline empty quoted argument", 'ECHO ""\r\n', [["ECHO", ""]]],
    ["inline bad hex escape", 'ECHO "\\xZZ"\r\n', [["ECHO", "xZZ"]]],
    ["empty inline lines", "\r\n\n  \r\nPING\r\n", [["PING"]]],
    ["inline then multibulk", "PING\r\n*1\r\n$4\r\nPING\r\n", [["PING"], ["PING"]]],
  ];
  for (const [name, input, expected] of vectors) {
    it(`${name}: whole, byte by byte and split at every position`, () => {
      for (const { name: how, chunks } of chunkings(Buffer.from(input, "latin1"))) {
        expect(decodeCommands(chunks), how).toEqual(expected);
      }
    });
  }

  it("assembles a large argument spanning many chunks", () => {
    const value = "v".repeat(100_000);
    const input = encodeCommand(["SET", "k", value]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < input.length; i += 4096) chunks.push(input.subarray(i, i + 4096));
    expect(decodeCommands(chunks)).toEqual([["SET", "k", value]]);
  });

  it("inside onCommand, bufferedBytes counts exactly the bytes after that command", () => {
    // A caller that pauses after a command can tell how much input the decoder holds.
    const input = Buffer.from("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING a\r\n*1\r\n$3\r\nG", "latin1");
    const ends = [6, 28, 36];
    for (const { name: how, chunks } of chunkings(input)) {
      const seen: number[] = [];
      let fed = 0;
      const decoder = new RespRequestDecoder({ onCommand: () => seen.push(fed - decoder.bufferedBytes) });
      for (const chunk of chunks) {
        fed += chunk.length;
        decoder.feed(chunk);
      }
      expect(seen, how).toEqual(ends);
    }
  });

  it("round-trips encodeCommand in any chunking", () => {
    const input = Buffer.concat([encodeCommand(["SET", "key", "va\r\nlue"]), encodeCommand(["GET", "key"])]);
    for (const { name: how, chunks } of chunkings(input)) {
      expect(decodeCommands(chunks), how).toEqual([["SET", "key", "va\r\nlue"], ["GET", "key"]]);
    }
  });
});

describe("RespRequestDecoder errors carry Redis's messages", () => {
  const cases: Array<[string, string, string]> = [
    ["out of range multibulk length", "*3000000000\r\n", "invalid multibulk length"],
    ["non-numeric multibulk length", "*abc\r\n", "invalid multibulk length"],
    ["multibulk length with a leading zero", "*01\r\n", "invalid multibulk length"],
    ["wrong multibulk payload header", "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "expected '$', got 'f'"],
    ["negative multibulk payload length", "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "invalid bulk length"],
    ["out of range bulk length", "*1\r\n$2000000000\r\n", "invalid bulk length"],
    ["non-numeric bulk length", "*1\r\n$blabla\r\n", "invalid bulk length"],
    ["unbalanced double quotes", 'SET "a b\r\n', "unbalanced quotes in request"],
    ["unbalanced single quotes", "SET 'a\r\n", "unbalanced quotes in request"],
    ["closing quote followed by a letter", 'SET "a"b\r\n', "unbalanced quotes in request"],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => {
      const error = errorOf(input);
      expect(error.message).toBe(message);
      expect(error.name).toBe("RespProtocolError");
    });
  }

  it("too big inline request: more than 64 KiB without a newline", () => {
    expect(errorOf("x".repeat(64 * 1024 + 1)).message).toBe("too big inline request");
    expect(decodeCommands([Buffer.from(`ECHO ${"x".repeat(70_000)}\r\n`)])).toHaveLength(1);
  });

  it("too big mbulk count string and too big bulk count string", () => {
    expect(errorOf(`*${"1".repeat(64 * 1024 + 1)}`).message).toBe("too big mbulk count string");
    expect(errorOf(`*1\r\n$${"1".repeat(64 * 1024 + 1)}`).message).toBe("too big bulk count string");
  });

  it("notices an over-long line across many small chunks, without joining them", () => {
    const decoder = new RespRequestDecoder({ onCommand: () => {} });
    const piece = Buffer.alloc(1024, "x");
    let error: unknown;
    for (let i = 0; i < 100 && error === undefined; i++) {
      try {
        decoder.feed(piece);
      } catch (e) {
        error = e;
      }
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(64 * 1024 + 1024);
    }
    expect((error as RespProtocolError).message).toBe("too big inline request");
  });

  it("errors at once on a huge header, before the payload arrives", () => {
    const big = errorOf("*1\r\n$2147483647\r\n", { limits: { maxBulkLength: 512 * 1024 * 1024 } });
    expect(big.reason).toBe("invalid-bulk-length");
    expect(errorOf("*99999999\r\n", { limits: { maxMultibulkLength: 1024 * 1024 } }).message).toBe(
      "invalid multibulk length",
    );
  });

  it("applies the unauthenticated limits only while authenticated is false", () => {
    expect(errorOf("*11\r\n", { authenticated: false }).message).toBe("unauthenticated multibulk length");
    expect(errorOf("*99999999\r\n", { authenticated: false }).message).toBe(
      "unauthenticated multibulk length",
    );
    expect(errorOf("*2\r\n$4\r\nAUTH\r\n$16385\r\n", { authenticated: false }).message).toBe(
      "unauthenticated bulk length",
    );
    const ten = Array.from({ length: 10 }, () => "x".repeat(16_384));
    expect(decodeCommands([encodeCommand(ten)], { authenticated: false })).toHaveLength(1);

    const commands: Buffer[][] = [];
    const decoder = new RespRequestDecoder({ onCommand: (a) => commands.push(a), authenticated: false });
    decoder.authenticated = true;
    decoder.feed(encodeCommand(Array.from({ length: 11 }, () => "x".repeat(20_000))));
    expect(commands).toHaveLength(1);
  });

  it("reports the stream offset and refuses input after an error", () => {
    const decoder = new RespRequestDecoder({ onCommand: () => {} });
    decoder.feed(Buffer.from("PING\r\n"));
    expect(() => decoder.feed(Buffer.from("*x\r\n"))).toThrow(RespProtocolError);
    expect(() => decoder.feed(Buffer.from("PING\r\n"))).toThrow("invalid multibulk length");
    try {
      decoder.feed(Buffer.from("PING\r\n"));
    } catch (e) {
      expect((e as RespProtocolError).offset).toBe(6);
    }
    decoder.reset();
    expect(() => decoder.feed(Buffer.from("PING\r\n"))).not.toThrow();
  });
});
