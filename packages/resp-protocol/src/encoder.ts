import { Slab, copyInto } from "./buffer-view.js";
import { formatDouble } from "./format-double.js";
import type { RespValue, RespVersion } from "./values.js";

const CR = 13;
const LF = 10;
/** Strings up to this many UTF-16 units are measured and copied in JS, longer ones natively. */
const SHORT_STRING = 64;
/**
 * Called through `.call`: once any code subclasses String (ioredis does, for its
 * VerbatimString), V8 stops inlining `s.charCodeAt(i)` and it becomes eight times slower;
 * the cached builtin keeps its fast path.
 */
const charCodeAt = String.prototype.charCodeAt;

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/** Writes the non-negative integer `n` at `offset`; returns the offset after it. */
function writeDecimal(out: Buffer, offset: number, n: number): number {
  const end = offset + decimalDigits(n);
  let i = end;
  do {
    out[--i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  return end;
}

// Per-call scratch space of encodeCommand (it never re-enters itself).
let lengths: number[] = [];
let texts: string[] = [];

/**
 * Encodes a command as a RESP array of bulk strings: `*N\r\n` then `$len\r\narg\r\n` per
 * argument. Strings are UTF-8, numbers their decimal text. Measures everything first and
 * writes into one buffer of the exact size.
 */
export function encodeCommand(args: ReadonlyArray<string | Buffer | number>): Buffer {
  const n = args.length;
  if (lengths.length < n) {
    lengths = new Array<number>(n);
    texts = new Array<string>(n);
  }
  let size = decimalDigits(n) + 3;
  for (let i = 0; i < n; i++) {
    const arg = args[i]!;
    let length: number;
    if (typeof arg === "string") {
      texts[i] = arg;
      length = byteLength(arg);
    } else if (typeof arg === "number") {
      const s = String(arg);
      texts[i] = s;
      length = s.length;
    } else {
      texts[i] = "";
      length = arg.length;
    }
    lengths[i] = length;
    size += decimalDigits(length) + length + 5;
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = 42; // *
  let offset = writeDecimal(out, 1, n);
  out[offset++] = CR;
  out[offset++] = LF;
  for (let i = 0; i < n; i++) {
    const arg = args[i]!;
    const length = lengths[i]!;
    out[offset++] = 36; // $
    offset = writeDecimal(out, offset, length);
    out[offset++] = CR;
    out[offset++] = LF;
    if (typeof arg === "object") {
      arg.copy(out, offset);
    } else {
      const s = texts[i]!;
      if (length === s.length && length <= SHORT_STRING) {
        for (let j = 0; j < length; j++) out[offset + j] = charCodeAt.call(s, j);
      } else {
        out.write(s, offset, length, "utf8");
      }
      texts[i] = "";
    }
    offset += length;
    out[offset++] = CR;
    out[offset++] = LF;
  }
  return out;
}

/** UTF-8 length of `s`, counted in JS for short ASCII strings. */
function byteLength(s: string): number {
  const n = s.length;
  if (n > SHORT_STRING) return Buffer.byteLength(s, "utf8");
  for (let i = 0; i < n; i++) {
    if (charCodeAt.call(s, i) > 127) return Buffer.byteLength(s, "utf8");
  }
  return n;
}

/**
 * The scratch buffer replies are written into before being copied out at their exact size.
 * One per process: encodeReply never re-enters itself.
 */
class Writer {
  buf = Buffer.allocUnsafeSlow(16 * 1024);
  /** `buf.buffer`, read once: the getter costs as much as a small copy. */
  memory: ArrayBufferLike = this.buf.buffer;
  length = 0;

  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
    this.memory = grown.buffer;
  }

  /** Writes `text` as UTF-8; short ASCII strings are copied in JS, cheaper than a native call. */
  text(text: string, bytes: number): void {
    const buf = this.buf;
    let at = this.length;
    if (bytes === text.length && bytes <= SHORT_STRING) {
      for (let i = 0; i < bytes; i++) buf[at++] = charCodeAt.call(text, i);
    } else {
      at += buf.write(text, at, bytes, "utf8");
    }
    this.length = at;
  }

  /** `type` + `text` + CRLF, where `text` is one line without CR or LF. */
  line(type: number, text: string): void {
    const bytes = byteLength(text);
    this.ensure(bytes + 3);
    this.buf[this.length++] = type;
    this.text(text, bytes);
    this.buf[this.length++] = CR;
    this.buf[this.length++] = LF;
  }

  /** `type` + decimal `n` + CRLF. */
  header(type: number, n: number): void {
    this.ensure(24);
    this.buf[this.length++] = type;
    if (n < 0) {
      this.buf[this.length++] = 45; // -
      n = -n;
    }
    this.length = writeDecimal(this.buf, this.length, n);
    this.buf[this.length++] = CR;
    this.buf[this.length++] = LF;
  }

  /** `type` + length + CRLF + payload + CRLF. */
  blob(type: number, payload: Buffer | string): void {
    const bytes = typeof payload === "string" ? byteLength(payload) : payload.length;
    this.header(type, bytes);
    this.ensure(bytes + 2);
    if (typeof payload === "string") {
      this.text(payload, bytes);
    } else if (bytes <= SHORT_STRING) {
      // Buffer#copy and the `buffer` getter cost more than copying a few bytes in JS.
      const buf = this.buf;
      const at = this.length;
      for (let i = 0; i < bytes; i++) buf[at + i] = payload[i]!;
      this.length += bytes;
    } else {
      this.length += payload.copy(this.buf, this.length);
    }
    this.buf[this.length++] = CR;
    this.buf[this.length++] = LF;
  }

  /** The bytes written, in a buffer of their own; the scratch buffer is then reused. */
  take(): Buffer {
    const out = replySlab.allocate(this.length);
    // allocUnsafeSlow buffers start at offset 0 of their own memory.
    copyInto(out, 0, this.memory, 0, this.length);
    this.length = 0;
    // Let one huge reply's scratch space go rather than keep it for the life of the process.
    if (this.buf.length > 1024 * 1024) {
      this.buf = Buffer.allocUnsafeSlow(16 * 1024);
      this.memory = this.buf.buffer;
    }
    return out;
  }
}

const writer = new Writer();
const replySlab = new Slab();

/**
 * Redis's addReplyStatusFormat/addReplyErrorFormat turn CR and LF into spaces so that one
 * bad string cannot break the protocol stream; simple strings and errors do the same here.
 */
function oneLine(s: string): string {
  return s.includes("\r") || s.includes("\n") ? s.replace(/[\r\n]/g, " ") : s;
}

function writeValue(w: Writer, value: RespValue, v3: boolean): void {
  switch (value.kind) {
    case "simple":
      return w.line(43, oneLine(value.value));
    case "error":
      return w.line(45, oneLine(value.value));
    case "integer":
      return w.line(58, String(value.value));
    case "bulk":
      return w.blob(36, value.value);
    case "null-bulk":
      return v3 ? w.line(95, "") : w.header(36, -1);
    case "null-array":
      return v3 ? w.line(95, "") : w.header(42, -1);
    case "array":
      w.header(42, value.value.length);
      for (const item of value.value) writeValue(w, item, v3);
      return;
    case "null":
      return v3 ? w.line(95, "") : w.header(36, -1);
    case "boolean":
      return v3 ? w.line(35, value.value ? "t" : "f") : w.line(58, value.value ? "1" : "0");
    case "double":
      return v3 ? w.line(44, formatDouble(value.value)) : w.blob(36, formatDouble(value.value));
    case "big-number":
      return v3 ? w.line(40, value.value.toString()) : w.blob(36, value.value.toString());
    case "bulk-error":
      return v3 ? w.blob(33, value.value) : w.line(45, oneLine(value.value));
    case "verbatim":
      return v3 ? w.blob(61, `${value.format}:${value.value}`) : w.blob(36, value.value);
    case "map":
      w.header(v3 ? 37 : 42, v3 ? value.value.length : value.value.length * 2);
      for (const [k, v] of value.value) {
        writeValue(w, k, v3);
        writeValue(w, v, v3);
      }
      return;
    case "set":
      w.header(v3 ? 126 : 42, value.value.length);
      for (const item of value.value) writeValue(w, item, v3);
      return;
    case "push":
      w.header(v3 ? 62 : 42, value.value.length);
      for (const item of value.value) writeValue(w, item, v3);
      return;
    case "attribute":
      if (v3) {
        w.header(124, value.attributes.length);
        for (const [k, v] of value.attributes) {
          writeValue(w, k, v3);
          writeValue(w, v, v3);
        }
      }
      return writeValue(w, value.value, v3);
  }
}

/**
 * Encodes a reply for a connection speaking `version`. RESP3 types are downgraded for
 * RESP2 as Redis 7 does: null -> `$-1`, boolean -> `:1`/`:0`, double -> bulk string
 * (`%.17g`, `inf`, `-inf`, `nan`), big number -> bulk string, verbatim -> bulk string of
 * the text, bulk error -> `-` line, map -> flat array of 2N, set and push -> array,
 * attributes -> dropped (only the value is sent). RESP2's `$-1` and `*-1` become `_` in
 * RESP3, as Redis's addReplyNull and addReplyNullArray send.
 */
export function encodeReply(value: RespValue, version: RespVersion): Buffer {
  writer.length = 0;
  writeValue(writer, value, version === 3);
  return writer.take();
}
