/**
 * The RESP value model: one lossless, tagged shape for every RESP2 and RESP3 type, so that a
 * decoded reply can be re-encoded byte for byte and a server can say exactly which type it
 * sends. Build values with the {@link resp} constructors.
 *
 * @module
 */

/** `+OK`: a RESP simple string. */
export interface RespSimpleString {
  /** Discriminant. */
  readonly kind: "simple";
  /** The text, without CR or LF. */
  readonly value: string;
}

/** `-ERR message`: a RESP simple error. The whole line, code included, is the value. */
export interface RespSimpleError {
  /** Discriminant. */
  readonly kind: "error";
  /** The error line without the leading `-`, e.g. `ERR unknown command`. */
  readonly value: string;
}

/** `:42`: a RESP integer (64-bit signed). */
export interface RespInteger {
  /** Discriminant. */
  readonly kind: "integer";
  /** A `number` when it is a safe integer, a `bigint` otherwise. */
  readonly value: number | bigint;
}

/** `$5\r\nhello`: a RESP bulk string, binary safe. */
export interface RespBulkString {
  /** Discriminant. */
  readonly kind: "bulk";
  /** The bytes. */
  readonly value: Buffer;
}

/** `$-1`: RESP2's null bulk string. */
export interface RespNullBulk {
  /** Discriminant. */
  readonly kind: "null-bulk";
}

/** `*-1`: RESP2's null array. */
export interface RespNullArray {
  /** Discriminant. */
  readonly kind: "null-array";
}

/** `*N`: a RESP array. */
export interface RespArray {
  /** Discriminant. */
  readonly kind: "array";
  /** The elements, in order. */
  readonly value: readonly RespValue[];
}

/** `_`: RESP3's null. */
export interface RespNull {
  /** Discriminant. */
  readonly kind: "null";
}

/** `#t` / `#f`: a RESP3 boolean. */
export interface RespBoolean {
  /** Discriminant. */
  readonly kind: "boolean";
  /** The truth value. */
  readonly value: boolean;
}

/** `,3.14`: a RESP3 double, including `inf`, `-inf` and `nan`. */
export interface RespDouble {
  /** Discriminant. */
  readonly kind: "double";
  /** The number; `Infinity`, `-Infinity` and `NaN` stand for `inf`, `-inf` and `nan`. */
  readonly value: number;
}

/** `(3492890328409238509324850943850943825024385`: a RESP3 big number. */
export interface RespBigNumber {
  /** Discriminant. */
  readonly kind: "big-number";
  /** The number. */
  readonly value: bigint;
}

/** `!21\r\nSYNTAX invalid syntax`: a RESP3 bulk error. */
export interface RespBulkError {
  /** Discriminant. */
  readonly kind: "bulk-error";
  /** The error text, code included. */
  readonly value: string;
}

/** `=15\r\ntxt:Some string`: a RESP3 verbatim string. */
export interface RespVerbatimString {
  /** Discriminant. */
  readonly kind: "verbatim";
  /** The three-letter format, e.g. `txt` or `mkd`. */
  readonly format: string;
  /** The text after `format:`. */
  readonly value: string;
}

/** `%N`: a RESP3 map, kept as ordered pairs because keys may be any value. */
export interface RespMap {
  /** Discriminant. */
  readonly kind: "map";
  /** Key-value pairs in wire order. */
  readonly value: ReadonlyArray<readonly [RespValue, RespValue]>;
}

/** `~N`: a RESP3 set, kept in wire order. */
export interface RespSet {
  /** Discriminant. */
  readonly kind: "set";
  /** The members, in wire order. */
  readonly value: readonly RespValue[];
}

/** `>N`: a RESP3 push (out-of-band data such as pub/sub messages). */
export interface RespPush {
  /** Discriminant. */
  readonly kind: "push";
  /** The elements; the first is the push kind, e.g. `message`. */
  readonly value: readonly RespValue[];
}

/** `|N`: RESP3 attributes, delivered together with the value they precede. */
export interface RespAttributed {
  /** Discriminant. */
  readonly kind: "attribute";
  /** The attribute pairs in wire order. */
  readonly attributes: ReadonlyArray<readonly [RespValue, RespValue]>;
  /** The value the attributes annotate. */
  readonly value: RespValue;
}

/** Any RESP2 or RESP3 value. */
export type RespValue =
  | RespSimpleString
  | RespSimpleError
  | RespInteger
  | RespBulkString
  | RespNullBulk
  | RespNullArray
  | RespArray
  | RespNull
  | RespBoolean
  | RespDouble
  | RespBigNumber
  | RespBulkError
  | RespVerbatimString
  | RespMap
  | RespSet
  | RespPush
  | RespAttributed;

/** The protocol version of a connection: RESP2 (the default) or RESP3 (after `HELLO 3`). */
export type RespVersion = 2 | 3;
