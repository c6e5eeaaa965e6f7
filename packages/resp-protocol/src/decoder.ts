import { bufferView } from "./buffer-view.js";
import { ChunkInput } from "./chunk-input.js";
import { RespProtocolError, type RespProtocolErrorReason } from "./errors.js";
import { resolveLimits, type RespLimits } from "./limits.js";
import type { RespValue } from "./values.js";

/** Options of {@link RespDecoder}. */
export interface RespDecoderOptions {
  /** Called once per complete top-level reply, in stream order. */
  readonly onReply: (value: RespValue) => void;
  /** Overrides of {@link DEFAULT_RESP_LIMITS}. */
  readonly limits?: Partial<RespLimits>;
}

// Aggregate kinds of a frame under construction.
const ARRAY = 0;
const MAP = 1;
const SET = 2;
const PUSH = 3;
const ATTRIBUTE = 4;

/** An aggregate whose elements are still arriving. */
interface Frame {
  readonly kind: number;
  /** Elements expected: N for arrays, sets and pushes, 2N for maps, 2N + 1 for attributes. */
  readonly n: number;
  readonly items: RespValue[];
}

const CR = 13;
const LF = 10;
/** readLength's answer when the header line is not complete yet. */
const NEED_MORE = -2;
/** The only kind of line {@link RespDecoder} waits for: every reply line ends at its CR. */
const LINE = 1;

// Replies are immutable, so the most frequent ones are shared rather than allocated.
const OK: RespValue = { kind: "simple", value: "OK" };
const NULL_BULK: RespValue = { kind: "null-bulk" };
const NULL_ARRAY: RespValue = { kind: "null-array" };
const NULL: RespValue = { kind: "null" };
const TRUE: RespValue = { kind: "boolean", value: true };
const FALSE: RespValue = { kind: "boolean", value: false };
const SMALL_INTEGERS: RespValue[] = Array.from({ length: 1024 }, (_, i) => ({
  kind: "integer",
  value: i,
}));
const DOUBLE_SYNTAX = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_SYNTAX = /^-?\d+$/;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Short ASCII text is cheaper to build in JS than through a native call; anything else goes
 * to the UTF-8 decoder.
 */
function text(buf: Buffer, start: number, end: number): string {
  if (end - start > 16) return buf.toString("utf8", start, end);
  let s = "";
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c > 127) return buf.toString("utf8", start, end);
    s += String.fromCharCode(c);
  }
  return s;
}

function build(frame: Frame): RespValue {
  const items = frame.items;
  switch (frame.kind) {
    case ARRAY:
      return { kind: "array", value: items };
    case SET:
      return { kind: "set", value: items };
    case PUSH:
      return { kind: "push", value: items };
    case MAP:
      return { kind: "map", value: pairs(items, items.length) };
    default:
      return {
        kind: "attribute",
        attributes: pairs(items, items.length - 1),
        value: items[items.length - 1]!,
      };
  }
}

function pairs(items: RespValue[], end: number): Array<readonly [RespValue, RespValue]> {
  const out = new Array<readonly [RespValue, RespValue]>(end / 2);
  for (let i = 0; i < end; i += 2) out[i / 2] = [items[i]!, items[i + 1]!];
  return out;
}

/**
 * Streaming decoder for RESP2 and RESP3 replies. Feed it bytes as they arrive, in any
 * chunking; it calls `onReply` once per complete top-level reply. Error replies (`-ERR`,
 * `!`) are values; malformed input throws {@link RespProtocolError}.
 *
 * It never re-parses what it has already decoded: completed elements of an unfinished
 * aggregate are kept on a frame stack, and a bulk string whose payload spans chunks is
 * copied once into a buffer of its announced size. Bulk strings that arrive within one
 * chunk are views of that chunk (no copy), so a fed chunk must not be modified afterwards.
 */
export class RespDecoder extends ChunkInput {
  private readonly onReply: (value: RespValue) => void;
  private readonly maxBulk: number;
  private readonly maxCount: number;
  private readonly maxLine: number;
  private readonly maxDepth: number;

  /** Unfinished aggregates, outermost first. */
  private stack: Frame[] = [];
  /** Unfinished aggregates collected innermost first while unwinding. */
  private unwound: Frame[] = [];
  /** Aggregates opened by the current recursive descent (not yet on the stack). */
  private nesting = 0;

  /** Type byte and stream offset of the bulk element the target is filling. */
  private targetType = 0;
  private targetOffset = 0;

  private failure: RespProtocolError | null = null;

  /** @param options - Reply callback and limit overrides. */
  constructor(options: RespDecoderOptions) {
    const limits = resolveLimits(options.limits);
    // The type byte does not count towards the line length.
    super(limits.maxInlineLength + 1);
    this.onReply = options.onReply;
    this.maxBulk = limits.maxBulkLength;
    this.maxCount = limits.maxMultibulkLength;
    this.maxLine = limits.maxInlineLength;
    this.maxDepth = limits.maxNestingDepth;
  }

  /** Bytes received and not yet delivered as part of a reply: the unfinished element. */
  get bufferedBytes(): number {
    return this.inputBytes;
  }

  /** Forgets all buffered input and any earlier protocol error. */
  reset(): void {
    this.resetInput();
    this.stack = [];
    this.unwound = [];
    this.nesting = 0;
    this.failure = null;
  }

  /**
   * Decodes `chunk`, calling `onReply` for every reply it completes.
   * @throws {@link RespProtocolError} on malformed input, and on every call after that.
   */
  feed(chunk: Buffer): void {
    if (this.failure !== null) throw this.failure;
    if (chunk.length === 0) return;
    if (this.take(chunk)) this.run();
  }

  /** @inheritDoc @internal */
  protected override lineTooLong(_wait: number, start: number): RespProtocolError {
    return this.fail("too-long-line", "too big reply line", this.offsetBase + start);
  }

  /** @inheritDoc @internal */
  protected override targetDone(target: Buffer): void {
    const end = target.length - 2;
    if (target[end] !== CR || target[end + 1] !== LF) {
      throw this.fail("missing-crlf", "expected CRLF after bulk payload", this.targetOffset);
    }
    const value = this.blob(this.targetType, target, 0, end, this.targetOffset);
    if (this.stack.length === 0) this.onReply(value);
    else this.stack[this.stack.length - 1]!.items.push(value);
  }

  /** Parses `buf` from `pos`: first the unfinished aggregates, then new replies. */
  private run(): void {
    const stack = this.stack;
    while (stack.length > 0) {
      const value = this.fill(stack[stack.length - 1]!);
      if (value === undefined) return this.suspend();
      stack.pop();
      if (stack.length === 0) this.onReply(value);
      else stack[stack.length - 1]!.items.push(value);
    }
    this.drain();
  }

  /** Parses whole replies from `pos` until `buf` runs out. Kept apart from run() for the optimiser. */
  private drain(): void {
    const buf = this.buf!;
    const end = buf.length;
    while (this.pos < end) {
      const value = this.parse();
      if (value === undefined) return this.suspend();
      this.onReply(value);
    }
    this.release();
  }

  /** Keeps the unfinished state once the input ran out in the middle of a reply. */
  private suspend(): void {
    const unwound = this.unwound;
    for (let i = unwound.length - 1; i >= 0; i--) this.stack.push(unwound[i]!);
    this.unwound = [];
    this.nesting = 0;
    this.suspendInput(LINE);
  }

  /** Adds elements to `frame` until it is complete (returns it) or the input runs out. */
  private fill(frame: Frame): RespValue | undefined {
    const items = frame.items;
    const n = frame.n;
    while (items.length < n) {
      const value = this.parse();
      if (value === undefined) return undefined;
      items.push(value);
    }
    return build(frame);
  }

  /** Parses one element at `pos`; `undefined` when the input ends first. */
  private parse(): RespValue | undefined {
    const buf = this.buf!;
    const start = this.pos;
    const end = buf.length;
    if (start >= end) return undefined;
    // RESP2's four common types first: a sparse switch over all types costs measurably more.
    const type = buf[start]!;
    if (type === 36 /* $ */) return this.parseBlob(buf, start, 36);
    if (type === 58 /* : */) return this.parseInteger(buf, start);
    if (type === 43 /* + */) return this.parseSimple(buf, start, 43);
    if (type === 42 /* * */) return this.parseAggregate(buf, start, ARRAY);
    return this.parseOther(buf, start, type);
  }

  private parseOther(buf: Buffer, start: number, type: number): RespValue | undefined {
    switch (type) {
      case 45: // -
        return this.parseSimple(buf, start, 45);
      case 37: // %
        return this.parseAggregate(buf, start, MAP);
      case 126: // ~
        return this.parseAggregate(buf, start, SET);
      case 62: // >
        return this.parseAggregate(buf, start, PUSH);
      case 124: // |
        return this.parseAggregate(buf, start, ATTRIBUTE);
      case 33: // !
        return this.parseBlob(buf, start, 33);
      case 61: // =
        return this.parseBlob(buf, start, 61);
      case 95: // _
      case 35: // #
      case 44: // ,
      case 40: // (
        return this.parseLine(buf, start, type);
      default:
        throw this.badType(buf, start);
    }
  }

  private badType(buf: Buffer, start: number): RespProtocolError {
    const type = JSON.stringify(String.fromCharCode(buf[start]!));
    return this.fail("invalid-type-byte", `got ${type} as reply type byte`, this.offsetBase + start);
  }

  /**
   * Index of the CR ending the line that starts at `start`, once its LF has arrived too;
   * -1 when the line is not complete yet.
   */
  private lineEnd(buf: Buffer, start: number): number {
    const end = buf.length;
    let i = start + 1;
    while (i < end && buf[i] !== CR) i++;
    if (i - start - 1 > this.maxLine) throw this.lineTooLong(LINE, start);
    if (i + 1 >= end) return -1;
    if (buf[i + 1] !== LF) {
      throw this.fail("missing-crlf", "expected LF after CR", this.offsetBase + start);
    }
    return i;
  }

  /** Simple string, error, null, boolean, double, big number. */
  private parseLine(buf: Buffer, start: number, type: number): RespValue | undefined {
    const cr = this.lineEnd(buf, start);
    if (cr < 0) return undefined;
    this.pos = cr + 2;
    switch (type) {
      case 43:
        return { kind: "simple", value: text(buf, start + 1, cr) };
      case 45:
        return { kind: "error", value: text(buf, start + 1, cr) };
      case 95:
        if (cr !== start + 1) throw this.bad("invalid-null", "Bad nil value", start);
        return NULL;
      case 35:
        if (cr === start + 2 && buf[start + 1] === 116) return TRUE;
        if (cr === start + 2 && buf[start + 1] === 102) return FALSE;
        throw this.bad("invalid-boolean", "Bad bool value", start);
      case 44:
        return { kind: "double", value: this.double(buf.toString("latin1", start + 1, cr), start) };
      default: {
        const digits = buf.toString("latin1", start + 1, cr);
        if (!INTEGER_SYNTAX.test(digits)) {
          throw this.bad("invalid-big-number", "Bad big number value", start);
        }
        return { kind: "big-number", value: BigInt(digits) };
      }
    }
  }

  private double(s: string, start: number): number {
    switch (s) {
      case "inf":
      case "+inf":
        return Infinity;
      case "-inf":
        return -Infinity;
      case "nan":
      case "-nan":
        return NaN;
    }
    if (!DOUBLE_SYNTAX.test(s)) throw this.bad("invalid-double", "Bad double value", start);
    return Number(s);
  }

  /** `+` and `-` lines: the common complete case without the general line checks. */
  private parseSimple(buf: Buffer, start: number, type: number): RespValue | undefined {
    const end = buf.length;
    let i = start + 1;
    while (i < end && buf[i] !== CR) i++;
    if (i + 1 >= end || buf[i + 1] !== LF || i - start - 1 > this.maxLine) {
      return this.parseLine(buf, start, type);
    }
    this.pos = i + 2;
    if (type === 45) return { kind: "error", value: text(buf, start + 1, i) };
    if (i === start + 3 && buf[start + 1] === 79 && buf[start + 2] === 75) return OK;
    return { kind: "simple", value: text(buf, start + 1, i) };
  }

  /** `:` replies: the hot path takes non-negative integers of up to 15 digits. */
  private parseInteger(buf: Buffer, start: number): RespValue | undefined {
    // `:0` and `:1` answer most commands that return integers; one digit skips the loop.
    if (start + 3 < buf.length) {
      const d = buf[start + 1]! - 48;
      if (d >>> 0 <= 9 && buf[start + 2] === CR && buf[start + 3] === LF) {
        this.pos = start + 4;
        return SMALL_INTEGERS[d]!;
      }
    }
    const n = this.shortNumber(buf, start);
    if (n >= 0) return n < 1024 ? SMALL_INTEGERS[n]! : { kind: "integer", value: n };
    return this.integerSigned(buf, start);
  }

  /**
   * The common case of an integer or length line: 1 to 16 digits and CRLF after the type
   * byte at `start`, with `pos` moved past it. -1 for anything else (a sign, more digits, an
   * incomplete or malformed line), which the callers' slower paths sort out.
   */
  private shortNumber(buf: Buffer, start: number): number {
    // Stopping one byte short of the end leaves room for the LF after a CR.
    const last = Math.min(buf.length - 1, start + 17);
    let i = start + 1;
    let n = 0;
    for (; i < last; i++) {
      const d = buf[i]! - 48;
      if (d >>> 0 > 9) break;
      n = n * 10 + d;
    }
    if (i < last && buf[i] === CR && buf[i + 1] === LF && i > start + 1) {
      this.pos = i + 2;
      return n;
    }
    return -1;
  }

  /**
   * Negative integers and 16-digit ones, still read straight from the bytes; kept out of
   * parseInteger so that its hot path stays small enough to be inlined. Only a value past
   * 2^53 - 1 in magnitude, an incomplete line or malformed input goes to integerSlow.
   */
  private integerSigned(buf: Buffer, start: number): RespValue | undefined {
    const negative = buf[start + 1] === 45;
    const first = negative ? start + 2 : start + 1;
    // 16 digits at most (2^53 has 16).
    const last = Math.min(buf.length - 1, first + 17);
    let i = first;
    let n = 0;
    for (; i < last; i++) {
      const d = buf[i]! - 48;
      if (d >>> 0 > 9) break;
      n = n * 10 + d;
    }
    // While the exact value is at most 2^53 - 1 every partial sum is exact; past it the
    // rounded sum is at least 2^53, so this check cannot pass a rounded value.
    if (i < last && buf[i] === CR && buf[i + 1] === LF && i > first && n <= Number.MAX_SAFE_INTEGER) {
      this.pos = i + 2;
      // `0 - n` rather than `-n`: `:-0` is 0, not -0.
      return { kind: "integer", value: negative ? 0 - n : n };
    }
    return this.integerSlow(buf, start);
  }

  /** Integers beyond 2^53 - 1 in magnitude, incomplete lines and malformed input. */
  private integerSlow(buf: Buffer, start: number): RespValue | undefined {
    const cr = this.lineEnd(buf, start);
    if (cr < 0) {
      // Reject garbage early rather than waiting for a line end that may never come.
      for (let i = start + 1; i < buf.length; i++) {
        const c = buf[i]!;
        if ((c < 48 || c > 57) && !(c === 45 && i === start + 1) && c !== CR) {
          throw this.bad("invalid-integer", "Bad integer value", start);
        }
      }
      return undefined;
    }
    const digits = buf.toString("latin1", start + 1, cr);
    if (!INTEGER_SYNTAX.test(digits)) throw this.bad("invalid-integer", "Bad integer value", start);
    this.pos = cr + 2;
    const big = BigInt(digits);
    const safe = big >= MIN_SAFE && big <= MAX_SAFE;
    return { kind: "integer", value: safe ? Number(big) : big };
  }

  /**
   * The N of a `*N`/`$N`-style header (-1 allowed), with `pos` moved past its CRLF;
   * {@link NEED_MORE} when the line is incomplete.
   */
  private readLength(buf: Buffer, start: number, reason: RespProtocolErrorReason): number {
    const n = this.shortNumber(buf, start);
    if (n >= 0) return n;
    const cr = this.lineEnd(buf, start);
    if (cr < 0) return NEED_MORE;
    // Only -1 (null) is a meaningful negative length.
    if (cr === start + 3 && buf[start + 1] === 45 && buf[start + 2] === 49) {
      this.pos = cr + 2;
      return -1;
    }
    throw this.badLength(reason, start);
  }

  private parseAggregate(buf: Buffer, start: number, kind: number): RespValue | undefined {
    const count = this.readLength(buf, start, "invalid-multibulk-length");
    if (count === NEED_MORE) return undefined;
    if (count === -1) {
      if (kind === ARRAY) return NULL_ARRAY;
      throw this.badLength("invalid-multibulk-length", start);
    }
    if (count > this.maxCount) throw this.badLength("invalid-multibulk-length", start);
    if (count === 0 && kind !== ATTRIBUTE) return build({ kind, n: 0, items: [] });
    if (this.stack.length + this.nesting >= this.maxDepth) {
      throw this.fail(
        "too-deep",
        `nesting deeper than ${this.maxDepth} levels`,
        this.offsetBase + start,
      );
    }
    const frame: Frame = {
      kind,
      n: kind === MAP ? count * 2 : kind === ATTRIBUTE ? count * 2 + 1 : count,
      items: [],
    };
    this.nesting++;
    const value = this.fill(frame);
    this.nesting--;
    if (value === undefined) this.unwound.push(frame);
    return value;
  }

  /** Bulk string, bulk error, verbatim string. */
  private parseBlob(buf: Buffer, start: number, type: number): RespValue | undefined {
    const length = this.readLength(buf, start, "invalid-bulk-length");
    if (length === NEED_MORE) return undefined;
    if (length === -1) {
      if (type === 36) return NULL_BULK;
      throw this.badLength("invalid-bulk-length", start);
    }
    if (length > this.maxBulk) throw this.badLength("invalid-bulk-length", start);
    const body = this.pos;
    const end = buf.length;
    const stop = body + length;
    if (stop + 2 <= end) {
      if (buf[stop] !== CR || buf[stop + 1] !== LF) {
        throw this.fail("missing-crlf", "expected CRLF after bulk payload", this.offsetBase + start);
      }
      this.pos = stop + 2;
      return this.blob(type, buf, body, stop, this.offsetBase + start);
    }
    // The payload spans chunks: copy it once into its own buffer as the chunks arrive.
    this.startTarget(body, length + 2);
    this.targetType = type;
    this.targetOffset = this.offsetBase + start;
    return undefined;
  }

  private blob(type: number, buf: Buffer, start: number, end: number, offset: number): RespValue {
    if (type === 36) {
      const value =
        buf === this.buf
          ? bufferView(this.memory, this.memoryOffset + start, end - start)
          : bufferView(buf.buffer, buf.byteOffset + start, end - start);
      return { kind: "bulk", value };
    }
    if (type === 33) return { kind: "bulk-error", value: buf.toString("utf8", start, end) };
    if (end - start < 4 || buf[start + 3] !== 58) {
      throw this.fail("invalid-verbatim", "Bad verbatim string", offset);
    }
    return {
      kind: "verbatim",
      format: buf.toString("latin1", start, start + 3),
      value: buf.toString("utf8", start + 4, end),
    };
  }

  private badLength(reason: RespProtocolErrorReason, start: number): RespProtocolError {
    const message = reason === "invalid-bulk-length" ? "invalid bulk length" : "invalid multibulk length";
    return this.fail(reason, message, this.offsetBase + start);
  }

  private bad(reason: RespProtocolErrorReason, message: string, start: number): RespProtocolError {
    return this.fail(reason, message, this.offsetBase + start);
  }

  /** Records the error so that later input is refused, and returns it for throwing. */
  private fail(reason: RespProtocolErrorReason, message: string, offset: number): RespProtocolError {
    this.failure = new RespProtocolError(reason, message, offset);
    this.dropInput();
    this.stack = [];
    this.unwound = [];
    return this.failure;
  }
}
