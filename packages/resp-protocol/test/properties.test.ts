// Properties: decoding what the encoder wrote gives back the value, for every type, in
// RESP2 and RESP3, however the bytes are chunked; commands survive encodeCommand ->
// RespRequestDecoder.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RespRequestDecoder, encodeCommand, encodeReply } from "../src/index.js";
import { cut, resp2Value, resp3Value } from "./arbitraries.js";
import { decodeChunks } from "./helpers.js";

const splits = fc.array(fc.nat(), { maxLength: 6 });

describe("decode(encodeReply(v)) is v", () => {
  it("for every RESP3 value, in any chunking", () => {
    fc.assert(
      fc.property(fc.array(resp3Value, { minLength: 1, maxLength: 3 }), splits, (values, at) => {
        const wire = Buffer.concat(values.map((v) => encodeReply(v, 3)));
        expect(decodeChunks(cut(wire, at))).toEqual(values);
      }),
      { numRuns: 400 },
    );
  });

  it("for every RESP2 value with version 2, in any chunking", () => {
    fc.assert(
      fc.property(fc.array(resp2Value, { minLength: 1, maxLength: 3 }), splits, (values, at) => {
        const wire = Buffer.concat(values.map((v) => encodeReply(v, 2)));
        expect(decodeChunks(cut(wire, at))).toEqual(values);
      }),
      { numRuns: 400 },
    );
  });

  it("RESP2 encoding of any RESP3 value decodes to RESP2 kinds only", () => {
    const resp2Kinds = new Set(["simple", "error", "integer", "bulk", "null-bulk", "null-array", "array"]);
    const kinds = (v: ReturnType<typeof decodeChunks>[number]): string[] =>
      v.kind === "array" ? [v.kind, ...v.value.flatMap(kinds)] : [v.kind];
    fc.assert(
      fc.property(resp3Value, (value) => {
        for (const decoded of decodeChunks([encodeReply(value, 2)])) {
          for (const kind of kinds(decoded)) expect(resp2Kinds.has(kind), kind).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("encodeCommand round trip through RespRequestDecoder", () => {
  const arg = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b)),
    fc.integer(),
  );
  it("gives back the arguments as bytes, in any chunking", () => {
    fc.assert(
      fc.property(fc.array(fc.array(arg, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }), splits, (commands, at) => {
        const got: Buffer[][] = [];
        const decoder = new RespRequestDecoder({ onCommand: (args) => got.push(args) });
        for (const chunk of cut(Buffer.concat(commands.map(encodeCommand)), at)) decoder.feed(chunk);
        const expected = commands.map((c) => c.map((a) => (Buffer.isBuffer(a) ? a : Buffer.from(String(a)))));
        expect(got).toEqual(expected);
        expect(decoder.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
