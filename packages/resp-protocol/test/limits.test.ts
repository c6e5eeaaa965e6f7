// Limits of the reply decoder: Redis's defaults (proto-max-bulk-len 512 MiB, INT_MAX
// multibulk length in Redis 7.0's processMultibulkBuffer, PROTO_INLINE_MAX_SIZE 64 KiB),
// checked when the header is read, before anything is allocated.
import { describe, expect, it } from "vitest";
import { DEFAULT_RESP_LIMITS, RespDecoder, RespProtocolError, resp, type RespLimits, type RespValue } from "../src/index.js";
import { chunkings, decodeChunks } from "./helpers.js";

function reasonOf(input: string, limits: Partial<RespLimits> = {}): string {
  try {
    decodeChunks([Buffer.from(input, "latin1")], limits);
  } catch (e) {
    if (e instanceof RespProtocolError) return e.reason;
    throw e;
  }
  return "none";
}

describe("RespDecoder limits", () => {
  it("has Redis's defaults", () => {
    expect(DEFAULT_RESP_LIMITS).toEqual({
      maxBulkLength: 512 * 1024 * 1024,
      maxMultibulkLength: 2 ** 31 - 1,
      maxInlineLength: 64 * 1024,
      maxNestingDepth: 128,
      unauthenticatedMaxMultibulkLength: 10,
      unauthenticatedMaxBulkLength: 16_384,
    });
  });

  it("rejects $2147483647 as soon as the header is read, holding nothing", () => {
    const decoder = new RespDecoder({ onReply: () => {} });
    expect(() => decoder.feed(Buffer.from("$2147483647\r\n"))).toThrow("invalid bulk length");
    expect(decoder.bufferedBytes).toBe(0);
  });

  it("accepts a header just at the bulk limit and waits for the payload", () => {
    const decoder = new RespDecoder({ onReply: () => {}, limits: { maxBulkLength: 1000 } });
    decoder.feed(Buffer.from("$1000\r\nab"));
    expect(decoder.bufferedBytes).toBe(2);
    expect(reasonOf("$1001\r\n", { maxBulkLength: 1000 })).toBe("invalid-bulk-length");
  });

  it("accepts *99999999 under the default limit without allocating for it, and rejects it under a lower one", () => {
    const before = process.memoryUsage().heapUsed;
    const decoder = new RespDecoder({ onReply: () => {} });
    decoder.feed(Buffer.from("*99999999\r\n:1\r\n"));
    expect(decoder.bufferedBytes).toBe(0);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
    expect(reasonOf("*99999999\r\n", { maxMultibulkLength: 1024 * 1024 })).toBe("invalid-multibulk-length");
    expect(reasonOf("*3000000000\r\n")).toBe("invalid-multibulk-length");
    expect(reasonOf("%20\r\n", { maxMultibulkLength: 10 })).toBe("invalid-multibulk-length");
  });

  it("allows maxNestingDepth levels of aggregates and not one more", () => {
    const nested = (depth: number) => `${"*1\r\n".repeat(depth)}:1\r\n`;
    let expected: RespValue = resp.integer(1);
    for (let i = 0; i < 128; i++) expected = resp.array([expected]);
    expect(decodeChunks([Buffer.from(nested(128))])).toEqual([expected]);
    expect(reasonOf(nested(129))).toBe("too-deep");
    expect(reasonOf(nested(4), { maxNestingDepth: 3 })).toBe("too-deep");
    // Resuming across chunks counts the levels already on the stack.
    for (const { name, chunks } of chunkings(Buffer.from(nested(4))).slice(0, 6)) {
      expect(() => decodeChunks(chunks, { maxNestingDepth: 3 }), name).toThrow("nesting deeper than 3 levels");
    }
  });

  it("rejects a reply line longer than maxInlineLength whether it arrives whole or in pieces", () => {
    const line = `+${"x".repeat(101)}\r\n`;
    for (const { name, chunks } of [
      { name: "whole", chunks: [Buffer.from(line)] },
      ...chunkings(Buffer.from(line)).slice(1, 2),
    ]) {
      expect(() => decodeChunks(chunks, { maxInlineLength: 100 }), name).toThrow("too big reply line");
    }
    expect(decodeChunks([Buffer.from(`+${"x".repeat(100)}\r\n`)], { maxInlineLength: 100 })).toHaveLength(1);
  });

  it("keeps bufferedBytes within the line limit while a line trickles in", () => {
    const decoder = new RespDecoder({ onReply: () => {}, limits: { maxInlineLength: 100 } });
    decoder.feed(Buffer.from("+"));
    let error: unknown;
    for (let i = 0; i < 200 && error === undefined; i++) {
      try {
        decoder.feed(Buffer.from("y"));
      } catch (e) {
        error = e;
      }
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(102);
    }
    expect(error).toBeInstanceOf(RespProtocolError);
  });
});
