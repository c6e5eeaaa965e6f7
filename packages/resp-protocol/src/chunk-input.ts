import { Slab, copyInto } from "./buffer-view.js";
import type { RespProtocolError } from "./errors.js";

const CR = 13;

/**
 * The input side of a streaming decoder, shared by the reply and request decoders: the
 * chunk being parsed, a line that waits for its end over several chunks (joined once the
 * end can have arrived, not chunk by chunk), and a bulk payload that spans chunks, copied
 * once into a buffer of its announced size as they arrive.
 *
 * A base class rather than a member object so that the parsers' hot paths read `buf` and
 * `pos` straight off `this`, without one more indirection per element.
 * @internal
 */
export abstract class ChunkInput {
  /** Unparsed input; `pos` is where the next element starts. @internal */
  protected buf: Buffer | null = null;
  /** `buf.buffer` and `buf.byteOffset`, read once per chunk for bufferView. @internal */
  protected memory: ArrayBufferLike = new ArrayBuffer(0);
  /** See `memory`. @internal */
  protected memoryOffset = 0;
  /** Where the next element starts in `buf`. @internal */
  protected pos = 0;
  /** Stream offset of `buf[0]`, for error offsets. @internal */
  protected offsetBase = 0;
  /** While `buf[pos..]` is a line waiting for its end, what line it is (not 0). @internal */
  protected lineWait = 0;
  /** Chunks received while waiting for a line end, not yet joined to `buf`. @internal */
  protected waiting: Buffer[] = [];
  /** Total length of `waiting`. @internal */
  protected waitingBytes = 0;
  /** A bulk payload (plus CRLF) spanning chunks, filled as they arrive. @internal */
  protected target: Buffer | null = null;
  /** Bytes of `target` filled so far. @internal */
  protected targetFilled = 0;
  private readonly slab = new Slab();
  /** Longest a waiting line may grow, counted from `pos`, before {@link lineTooLong}. */
  private readonly lineLimit: number;

  /**
   * @param lineLimit - Longest a waiting line may grow, in bytes from its first one.
   * @internal
   */
  protected constructor(lineLimit: number) {
    this.lineLimit = lineLimit;
  }

  /** The error for a line of kind `wait` at `buf[start]` grown past the limit. @internal */
  protected abstract lineTooLong(wait: number, start: number): RespProtocolError;

  /** Takes a completed target (payload, then 2 bytes); `buf` holds the rest. @internal */
  protected abstract targetDone(target: Buffer): void;

  /** Bytes received and not parsed yet: rest of `buf`, waiting chunks, target. @internal */
  protected get inputBytes(): number {
    const rest = this.buf === null ? 0 : this.buf.length - this.pos;
    return rest + this.waitingBytes + (this.target === null ? 0 : this.targetFilled);
  }

  /** Forgets all input. @internal */
  protected resetInput(): void {
    this.buf = null;
    this.pos = 0;
    this.offsetBase = 0;
    this.lineWait = 0;
    this.waiting = [];
    this.waitingBytes = 0;
    this.target = null;
    this.targetFilled = 0;
  }

  /** Lets go of all input once the stream has failed. @internal */
  protected dropInput(): void {
    this.buf = null;
    this.waiting = [];
    this.waitingBytes = 0;
    this.target = null;
  }

  /** Makes `buf` the input to parse. @internal */
  protected use(buf: Buffer): void {
    this.buf = buf;
    this.memory = buf.buffer;
    this.memoryOffset = buf.byteOffset;
  }

  /**
   * Takes a non-empty chunk; true when `buf[pos..]` is ready to be parsed, false when the
   * chunk only went into the waiting line or the target.
   * @throws {@link RespProtocolError} from lineTooLong or targetDone.
   * @internal
   */
  protected take(chunk: Buffer): boolean {
    if (this.target !== null) {
      if (!this.fillTarget(chunk)) return false;
    } else if (this.buf === null) {
      this.use(chunk);
      this.pos = 0;
    } else if (this.lineWait !== 0 && !this.lineMayEnd(chunk)) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      if (this.buf.length - this.pos + this.waitingBytes > this.lineLimit) {
        throw this.lineTooLong(this.lineWait, this.pos);
      }
      return false;
    } else {
      const parts = [this.buf.subarray(this.pos), ...this.waiting, chunk];
      this.offsetBase += this.pos;
      this.use(Buffer.concat(parts));
      this.pos = 0;
      this.waiting = [];
      this.waitingBytes = 0;
    }
    this.lineWait = 0;
    return true;
  }

  /** Whether `chunk` can complete the waiting line: a line ends at its CR. @internal */
  protected lineMayEnd(chunk: Buffer): boolean {
    const last = this.waiting.length > 0 ? this.waiting[this.waiting.length - 1]! : this.buf!;
    return last[last.length - 1] === CR || chunk.indexOf(CR) !== -1;
  }

  /** Copies into the target; true when it completed and `buf` holds the rest of `chunk`. */
  private fillTarget(chunk: Buffer): boolean {
    const target = this.target!;
    const need = target.length - this.targetFilled;
    if (chunk.length < need) {
      copyInto(target, this.targetFilled, chunk.buffer, chunk.byteOffset, chunk.length);
      this.targetFilled += chunk.length;
      this.offsetBase += chunk.length;
      return false;
    }
    this.use(chunk);
    copyInto(target, this.targetFilled, this.memory, this.memoryOffset, need);
    this.target = null;
    this.targetFilled = 0;
    this.pos = need;
    this.targetDone(target);
    return true;
  }

  /**
   * Starts a target of `size` bytes (payload and CRLF) with `buf[body..]`, the rest of the
   * input, which it uses up.
   * @internal
   */
  protected startTarget(body: number, size: number): void {
    const end = this.buf!.length;
    const target = this.slab.allocate(size);
    copyInto(target, 0, this.memory, this.memoryOffset + body, end - body);
    this.target = target;
    this.targetFilled = end - body;
    this.pos = end;
  }

  /**
   * Keeps what is needed once the input ran out mid-element: `buf[pos..]` as a line of kind
   * `wait` waiting for its end, unless a target took the rest or nothing is left.
   * @internal
   */
  protected suspendInput(wait: number): void {
    if (this.target !== null || this.pos >= this.buf!.length) this.release();
    else this.lineWait = wait;
  }

  /** Lets go of `buf` once it is all parsed. @internal */
  protected release(): void {
    this.offsetBase += this.buf!.length;
    this.buf = null;
    this.pos = 0;
  }
}
