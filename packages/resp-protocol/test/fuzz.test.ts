// Fuzzing: random bytes and mutated valid encodings, in random chunkings. A decoder may
// deliver values or throw RespProtocolError, nothing else; it returns from every feed (a hang
// fails the test by timeout), and what it buffers stays within its limits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  RespDecoder,
  RespProtocolError,
  RespRequestDecoder,
  encodeCommand,
  encodeReply,
  type RespLimits,
} from "../src/index.js";
import { cut, resp3Value } from "./arbitraries.js";

const limits: Partial<RespLimits> = {
  maxBulkLength: 256,
  maxMultibulkLength: 16,
  maxInlineLength: 64,
  maxNestingDepth: 8,
};
/** The most a decoder may hold: one unfinished bulk or one unfinished line, with CRLF. */
const replyBound = 256 + 2 + 64 + 2;
/** A request decoder also holds the arguments of the unfinished command. */
const requestBound = 16 * 256 + replyBound;

const mutation = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), byte: fc.constantFrom(13, 10, 36, 42, 45, 58, 48, 57, 37, 124) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), byte: fc.constant(0) }),
);

function mutate(input: Buffer, mutations: Array<{ op: "flip" | "insert" | "delete"; at: number; byte: number }>): Buffer {
  const bytes = [...input];
  for (const { op, at, byte } of mutations) {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (op === "flip") bytes[i] = byte;
    else if (op === "insert") bytes.splice(i, 0, byte);
    else bytes.splice(i, 1);
  }
  return Buffer.from(bytes);
}

const randomBytes = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
const mutatedReplies = fc
  .tuple(fc.array(resp3Value, { minLength: 1, maxLength: 3 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([values, ms]) => mutate(Buffer.concat(values.map((v) => encodeReply(v, 3))), ms));
const mutatedCommands = fc
  .tuple(
    fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
    fc.array(mutation, { minLength: 1, maxLength: 4 }),
  )
  .map(([commands, ms]) => mutate(Buffer.concat(commands.map(encodeCommand)), ms));

function feedAll(feed: (chunk: Buffer) => void, buffered: () => number, chunks: Buffer[], bound: number): void {
  for (const chunk of chunks) {
    try {
      feed(chunk);
    } catch (e) {
      expect(e).toBeInstanceOf(RespProtocolError);
      return;
    }
    expect(buffered()).toBeLessThanOrEqual(bound);
  }
}

describe("fuzzed input only yields values or RespProtocolError", () => {
  const splits = fc.array(fc.nat(), { maxLength: 8 });

  it("RespDecoder on random and mutated replies", () => {
    fc.assert(
      fc.property(fc.oneof(randomBytes, mutatedReplies), splits, (input, at) => {
        const decoder = new RespDecoder({
          onReply: (v) => expect(typeof v.kind).toBe("string"),
          limits,
        });
        feedAll((c) => decoder.feed(c), () => decoder.bufferedBytes, cut(input, at), replyBound);
      }),
      { numRuns: 1500 },
    );
  });

  it("RespRequestDecoder on random and mutated commands", () => {
    fc.assert(
      fc.property(fc.oneof(randomBytes, mutatedCommands), splits, fc.boolean(), (input, at, authenticated) => {
        const decoder = new RespRequestDecoder({
          onCommand: (args) => {
            expect(args.length).toBeGreaterThan(0);
            for (const a of args) expect(Buffer.isBuffer(a)).toBe(true);
          },
          limits,
          authenticated,
        });
        feedAll((c) => decoder.feed(c), () => decoder.bufferedBytes, cut(input, at), requestBound);
      }),
      { numRuns: 1500 },
    );
  });

  it("headers announcing more than the limits fail at once, whatever follows", () => {
    fc.assert(
      fc.property(fc.constantFrom("$", "*", "%", "~", ">", "|", "!", "="), fc.integer({ min: 257, max: 2 ** 31 }), (type, n) => {
        const decoder = new RespDecoder({ onReply: () => {}, limits });
        expect(() => decoder.feed(Buffer.from(`${type}${n}\r\n`))).toThrow(RespProtocolError);
        expect(decoder.bufferedBytes).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
