import { bufferView } from "./buffer-view.js";
import { ChunkInput } from "./chunk-input.js";
import { RespProtocolError, type RespProtocolErrorReason } from "./errors.js";
import { resolveLimits, type RespLimits } from "./limits.js";
import { splitArgs } from "./split-args.js";

/** Options of {@link RespRequestDecoder}. */
export interface RespRequestDecoderOptions {
  /**
   * Called once per complete command with its arguments (the command name first). It may
   * call {@link RespRequestDecoder.pause} to stop delivery right after this command.
   */
  readonly onCommand: (args: Buffer[]) => void;
  /** Overrides of {@link DEFAULT_RESP_LIMITS}. */
  readonly limits?: Partial<RespLimits>;
  /**
   * Whether the client counts as authenticated; `false` applies Redis's tighter limits for
   * clients that have not authenticated. Default `true` (no authentication required).
   */
  readonly authenticated?: boolean;
}

const CR = 13;
const LF = 10;
const NOT_A_NUMBER = Number.NaN;

// What a line waiting for its end is, to name the error if it grows past the limit.
const WAIT_INLINE = 1;
const WAIT_MBULK_COUNT = 2;
const WAIT_BULK_COUNT = 3;

/**
 * Redis's string2ll on `buf[start..end)`: an optional `-`, then digits without a leading
 * zero (except `0` itself), at most 20 characters, within a signed 64-bit integer. Values
 * beyond 2^53 lose precision, which no limit check can notice at that size.
 * @returns The number, or NaN if Redis would reject the text.
 */
function string2ll(buf: Buffer, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len > 20) return NOT_A_NUMBER;
  if (len === 1 && buf[start] === 48) return 0;
  let i = start;
  const negative = buf[i] === 45;
  if (negative) {
    i++;
    if (i === end) return NOT_A_NUMBER;
  }
  const first = buf[i]!;
  if (first < 49 || first > 57) return NOT_A_NUMBER;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return NOT_A_NUMBER;
    n = n * 10 + d;
  }
  if (n > 9_223_372_036_854_775_807) return NOT_A_NUMBER;
  return negative ? -n : n;
}

/**
 * Streaming decoder for client requests, with Redis's semantics and error messages
 * (src/networking.c, processInputBuffer): a request starting with `*` is a multibulk array
 * of bulk strings; anything else is an inline command, one line split like redis-cli and
 * telnet users expect (see {@link splitArgs}); empty lines and `*0`/`*-1` are ignored.
 *
 * Like Redis, it takes the two bytes after a CR or after a bulk payload to be CRLF without
 * checking them. Arguments are views of the fed chunks when they arrive whole.
 *
 * Flow control: {@link RespRequestDecoder.pause} stops delivery right after the current
 * command (a server that runs one command at a time pauses while one is in progress). The
 * rest of the chunk stays where it is, chunks fed meanwhile are queued uncopied, and
 * {@link RespRequestDecoder.resume} delivers from there.
 */
export class RespRequestDecoder extends ChunkInput {
  /**
   * Whether the client counts as authenticated. While `false`, a request may have at most
   * `unauthenticatedMaxMultibulkLength` arguments of at most `unauthenticatedMaxBulkLength`
   * bytes each, as Redis enforces where authentication is required.
   */
  authenticated: boolean;

  private readonly onCommand: (args: Buffer[]) => void;
  private readonly limits: RespLimits;

  /** Arguments still expected by the current multibulk request; 0 between requests. */
  private remaining = 0;
  private args: Buffer[] = [];

  private failure: RespProtocolError | null = null;

  private pausedFlag = false;
  /** Inside feed() or resume(): resume() then only clears the flag for the running loop. */
  private decoding = false;
  /** Chunks fed while paused, in order, not looked at yet. */
  private queued: Buffer[] = [];
  private queuedBytes = 0;

  /** @param options - Command callback, limit overrides, initial authentication state. */
  constructor(options: RespRequestDecoderOptions) {
    const limits = resolveLimits(options.limits);
    super(limits.maxInlineLength);
    this.onCommand = options.onCommand;
    this.limits = limits;
    this.authenticated = options.authenticated ?? true;
  }

  /** Bytes received and not yet delivered as part of a command. */
  get bufferedBytes(): number {
    let args = 0;
    for (const arg of this.args) args += arg.length;
    return this.inputBytes + args + this.queuedBytes;
  }

  /** Whether delivery is paused; see {@link RespRequestDecoder.pause}. */
  get paused(): boolean {
    return this.pausedFlag;
  }

  /**
   * Stops delivering commands: called from `onCommand`, right after that command; called
   * between feeds, before the next command. Until {@link RespRequestDecoder.resume}, `feed`
   * only queues its chunk. The caller is expected to stop reading meanwhile: the queue has no
   * limit.
   */
  pause(): void {
    this.pausedFlag = true;
  }

  /**
   * Delivers what was buffered while paused (the rest of the chunk being decoded when
   * {@link RespRequestDecoder.pause} was called, then the queued chunks) until `onCommand`
   * pauses again or the input runs out. Called from `onCommand`, it undoes a pause of that
   * same call.
   * @throws {@link RespProtocolError} on malformed input, and on every call after that.
   */
  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    if (this.decoding) return;
    if (this.failure !== null) throw this.failure;
    this.decoding = true;
    try {
      // A paused run() leaves `buf[pos..]` at the start of a command; a line still waiting
      // for its end needs the next chunk first.
      if (this.buf !== null && this.lineWait === 0) this.run();
      while (!this.pausedFlag && this.queued.length > 0) {
        const chunk = this.queued.shift()!;
        this.queuedBytes -= chunk.length;
        this.decode(chunk);
      }
    } finally {
      this.decoding = false;
    }
  }

  /** Forgets all buffered input, any earlier protocol error and a pause; keeps `authenticated`. */
  reset(): void {
    this.pausedFlag = false;
    this.queued = [];
    this.queuedBytes = 0;
    this.resetInput();
    this.remaining = 0;
    this.args = [];
    this.failure = null;
  }

  /**
   * Decodes `chunk`, calling `onCommand` for every command it completes; while paused, only
   * queues it.
   * @throws {@link RespProtocolError} on malformed input, and on every call after that.
   */
  feed(chunk: Buffer): void {
    if (this.failure !== null) throw this.failure;
    if (chunk.length === 0) return;
    if (this.pausedFlag) {
      this.queued.push(chunk);
      this.queuedBytes += chunk.length;
      return;
    }
    this.decoding = true;
    try {
      this.decode(chunk);
    } finally {
      this.decoding = false;
    }
  }

  private decode(chunk: Buffer): void {
    if (this.take(chunk)) this.run();
  }

  /** An inline request ends at its LF (a CR before it is optional). @internal */
  protected override lineMayEnd(chunk: Buffer): boolean {
    if (this.lineWait === WAIT_INLINE) return chunk.indexOf(LF) !== -1;
    return super.lineMayEnd(chunk);
  }

  /** @inheritDoc @internal */
  protected override targetDone(target: Buffer): void {
    // Like Redis, the two bytes after the payload are taken to be CRLF unchecked.
    this.args.push(bufferView(target.buffer, target.byteOffset, target.length - 2));
    if (--this.remaining === 0) this.emit();
  }

  private emit(): void {
    const args = this.args;
    this.args = [];
    this.onCommand(args);
  }

  private run(): void {
    const buf = this.buf!;
    const end = buf.length;
    const limits = this.limits;
    while (this.pos < end) {
      // Paused: `buf[pos..]` stays for resume().
      if (this.pausedFlag) return;
      const start = this.pos;
      if (this.remaining === 0) {
        if (buf[start] !== 42 /* * */) {
          if (!this.inline(buf, start)) return this.suspendInput(WAIT_INLINE);
          continue;
        }
        const cr = buf.indexOf(CR, start);
        if (cr === -1) {
          if (end - start > limits.maxInlineLength) throw this.lineTooLong(WAIT_MBULK_COUNT, start);
          return this.suspendInput(WAIT_MBULK_COUNT);
        }
        if (cr + 1 >= end) return this.suspendInput(WAIT_MBULK_COUNT);
        const count = string2ll(buf, start + 1, cr);
        if (!(count <= limits.maxMultibulkLength)) {
          throw this.fail("invalid-multibulk-length", "invalid multibulk length", start);
        }
        if (count > limits.unauthenticatedMaxMultibulkLength && !this.authenticated) {
          throw this.fail("unauthenticated-multibulk-length", "unauthenticated multibulk length", start);
        }
        this.pos = cr + 2;
        if (count <= 0) continue;
        this.remaining = count;
      }
      if (!this.bulks(buf)) return this.suspendInput(WAIT_BULK_COUNT);
      this.emit();
    }
    this.release();
  }

  /** Reads the current request's bulk arguments; false when the input runs out first. */
  private bulks(buf: Buffer): boolean {
    const end = buf.length;
    const limits = this.limits;
    while (this.remaining > 0) {
      const start = this.pos;
      if (start >= end) return false;
      const cr = buf.indexOf(CR, start);
      if (cr === -1) {
        if (end - start > limits.maxInlineLength) throw this.lineTooLong(WAIT_BULK_COUNT, start);
        return false;
      }
      if (cr + 1 >= end) return false;
      if (buf[start] !== 36 /* $ */) {
        throw this.fail(
          "expected-bulk",
          `expected '$', got '${String.fromCharCode(buf[start]!)}'`,
          start,
        );
      }
      const length = string2ll(buf, start + 1, cr);
      if (!(length >= 0 && length <= limits.maxBulkLength)) {
        throw this.fail("invalid-bulk-length", "invalid bulk length", start);
      }
      if (length > limits.unauthenticatedMaxBulkLength && !this.authenticated) {
        throw this.fail("unauthenticated-bulk-length", "unauthenticated bulk length", start);
      }
      const body = cr + 2;
      if (body + length + 2 <= end) {
        this.args.push(bufferView(this.memory, this.memoryOffset + body, length));
        this.pos = body + length + 2;
        this.remaining--;
        continue;
      }
      // The argument spans chunks: copy it once into its own buffer as the chunks arrive.
      this.startTarget(body, length + 2);
      return false;
    }
    return true;
  }

  /** One inline command; false when its line has not ended yet. */
  private inline(buf: Buffer, start: number): boolean {
    const end = buf.length;
    const lf = buf.indexOf(LF, start);
    if (lf === -1) {
      if (end - start > this.limits.maxInlineLength) throw this.lineTooLong(WAIT_INLINE, start);
      return false;
    }
    const lineEnd = lf > start && buf[lf - 1] === CR ? lf - 1 : lf;
    const args = splitArgs(buf, start, lineEnd);
    if (args === null) throw this.fail("unbalanced-quotes", "unbalanced quotes in request", start);
    this.pos = lf + 1;
    if (args.length > 0) this.onCommand(args);
    return true;
  }

  /** @inheritDoc @internal */
  protected override lineTooLong(wait: number, start: number): RespProtocolError {
    if (wait === WAIT_INLINE) {
      return this.fail("too-big-inline-request", "too big inline request", start);
    }
    if (wait === WAIT_MBULK_COUNT) {
      return this.fail("too-big-mbulk-count-string", "too big mbulk count string", start);
    }
    return this.fail("too-big-bulk-count-string", "too big bulk count string", start);
  }

  private fail(reason: RespProtocolErrorReason, message: string, start: number): RespProtocolError {
    this.failure = new RespProtocolError(reason, message, this.offsetBase + start);
    this.queued = [];
    this.queuedBytes = 0;
    this.dropInput();
    this.args = [];
    return this.failure;
  }
}
