import type {
  RespArray,
  RespAttributed,
  RespBigNumber,
  RespBoolean,
  RespBulkError,
  RespBulkString,
  RespDouble,
  RespInteger,
  RespMap,
  RespNull,
  RespNullArray,
  RespNullBulk,
  RespPush,
  RespSet,
  RespSimpleError,
  RespSimpleString,
  RespValue,
  RespVerbatimString,
} from "./values.js";

// Values are immutable, so the payload-free ones can be shared instead of allocated.
const NULL_BULK: RespNullBulk = { kind: "null-bulk" };
const NULL_ARRAY: RespNullArray = { kind: "null-array" };
const NULL: RespNull = { kind: "null" };
const TRUE: RespBoolean = { kind: "boolean", value: true };
const FALSE: RespBoolean = { kind: "boolean", value: false };
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Normalises an integer so that one number has one representation: a `number` when it is a
 * safe integer, a `bigint` otherwise.
 */
function normaliseInteger(n: number | bigint): number | bigint {
  if (typeof n === "bigint") return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n;
  if (!Number.isInteger(n)) throw new RangeError(`resp.integer: ${n} is not an integer`);
  return Number.isSafeInteger(n) ? n : BigInt(n);
}

/** Constructors for every {@link RespValue} kind. */
export const resp = {
  /** `+s`: a simple string. */
  simple: (s: string): RespSimpleString => ({ kind: "simple", value: s }),
  /** `-s`: a simple error; `s` includes the code, e.g. `ERR unknown command`. */
  error: (s: string): RespSimpleError => ({ kind: "error", value: s }),
  /** `:n`: an integer; safe integers are kept as `number`, others as `bigint`. */
  integer: (n: number | bigint): RespInteger => ({ kind: "integer", value: normaliseInteger(n) }),
  /** `$len`: a bulk string; a string is encoded as UTF-8. */
  bulk: (s: string | Buffer): RespBulkString => ({
    kind: "bulk",
    value: typeof s === "string" ? Buffer.from(s, "utf8") : s,
  }),
  /** `$-1`: RESP2's null bulk string. */
  nullBulk: (): RespNullBulk => NULL_BULK,
  /** `*-1`: RESP2's null array. */
  nullArray: (): RespNullArray => NULL_ARRAY,
  /** `*N`: an array. */
  array: (values: readonly RespValue[]): RespArray => ({ kind: "array", value: values }),
  /** `_`: RESP3's null. */
  null: (): RespNull => NULL,
  /** `#t` / `#f`: a RESP3 boolean. */
  boolean: (b: boolean): RespBoolean => (b ? TRUE : FALSE),
  /** `,n`: a RESP3 double; `Infinity`, `-Infinity` and `NaN` are allowed. */
  double: (n: number): RespDouble => ({ kind: "double", value: n }),
  /** `(n`: a RESP3 big number. */
  bigNumber: (b: bigint): RespBigNumber => ({ kind: "big-number", value: b }),
  /** `!len`: a RESP3 bulk error; `s` includes the code. */
  bulkError: (s: string): RespBulkError => ({ kind: "bulk-error", value: s }),
  /**
   * `=len`: a RESP3 verbatim string.
   * @param format - Exactly three characters, e.g. `txt` or `mkd`.
   */
  verbatim: (format: string, text: string): RespVerbatimString => {
    if (Buffer.byteLength(format) !== 3) {
      throw new RangeError(`resp.verbatim: format must be 3 bytes, got ${JSON.stringify(format)}`);
    }
    return { kind: "verbatim", format, value: text };
  },
  /** `%N`: a RESP3 map as ordered key-value pairs. */
  map: (pairs: ReadonlyArray<readonly [RespValue, RespValue]>): RespMap => ({
    kind: "map",
    value: pairs,
  }),
  /** `~N`: a RESP3 set, in the given order. */
  set: (values: readonly RespValue[]): RespSet => ({ kind: "set", value: values }),
  /** `>N`: a RESP3 push, e.g. `message`, channel, payload. */
  push: (values: readonly RespValue[]): RespPush => ({ kind: "push", value: values }),
  /** `|N`: attributes annotating `value`. */
  attributed: (
    attributes: ReadonlyArray<readonly [RespValue, RespValue]>,
    value: RespValue,
  ): RespAttributed => ({ kind: "attribute", attributes, value }),
  /** An array of bulk strings, the shape of a command and of most multi-value replies. */
  bulkStrings: (values: ReadonlyArray<string | Buffer>): RespArray => ({
    kind: "array",
    value: values.map((v) => resp.bulk(v)),
  }),
} as const;
