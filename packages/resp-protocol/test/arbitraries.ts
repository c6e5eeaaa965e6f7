import fc from "fast-check";
import { resp, type RespValue } from "../src/index.js";

/** Text that a simple string or error can carry: no CR or LF (the encoder would replace them). */
const lineText = fc.string({ unit: "grapheme", maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, "_"));
const anyText = fc.string({ unit: "grapheme", maxLength: 30 });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => resp.integer(n));
const smallInt = fc.integer({ min: -2000, max: 2000 }).map((n) => resp.integer(n));
const bulk = fc.uint8Array({ maxLength: 40 }).map((b) => resp.bulk(Buffer.from(b)));

const resp2Scalar: fc.Arbitrary<RespValue> = fc.oneof(
  lineText.map((s) => resp.simple(s)),
  lineText.map((s) => resp.error(s)),
  int64,
  smallInt,
  bulk,
  fc.constant(resp.nullBulk()),
  fc.constant(resp.nullArray()),
);

/** Values RESP2 can carry: the decoder must give back exactly these after encodeReply(v, 2). */
export const resp2Value: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    resp2Scalar,
    fc.array(tie("value"), { maxLength: 4 }).map((items) => resp.array(items)),
  ),
})).value;

const resp3Scalar: fc.Arbitrary<RespValue> = fc.oneof(
  lineText.map((s) => resp.simple(s)),
  lineText.map((s) => resp.error(s)),
  int64,
  smallInt,
  bulk,
  fc.constant(resp.null()),
  fc.boolean().map((b) => resp.boolean(b)),
  fc.double().map((d) => resp.double(d)),
  fc.constantFrom(NaN, Infinity, -Infinity, -0).map((d) => resp.double(d)),
  fc.bigInt().map((b) => resp.bigNumber(b)),
  anyText.map((s) => resp.bulkError(s)),
  fc
    .tuple(fc.string({ unit: "grapheme-ascii", minLength: 3, maxLength: 3 }), anyText)
    .map(([format, text]) => resp.verbatim(format, text)),
);

/**
 * Values RESP3 carries: every kind except RESP2's `$-1` and `*-1`, which a RESP3 connection
 * receives as `_` (Redis's addReplyNull).
 */
export const resp3Value: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => {
  const pairs = fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 });
  return {
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      resp3Scalar,
      fc.array(tie("value"), { maxLength: 4 }).map((items) => resp.array(items)),
      pairs.map((p) => resp.map(p)),
      fc.array(tie("value"), { maxLength: 4 }).map((items) => resp.set(items)),
      fc.array(tie("value"), { maxLength: 4 }).map((items) => resp.push(items)),
      fc.tuple(pairs, tie("value")).map(([p, v]) => resp.attributed(p, v)),
    ),
  };
}).value;

/** Cuts `input` at the given (sorted, deduplicated) positions. */
export function cut(input: Buffer, positions: number[]): Buffer[] {
  const points = [...new Set(positions.map((p) => p % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(input.subarray(from, p));
    from = p;
  }
  chunks.push(input.subarray(from));
  return chunks;
}
