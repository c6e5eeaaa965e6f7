/**
 * `bufferView(buf.buffer, buf.byteOffset + start, end - start)` is `buf.subarray(start, end)`,
 * three to four times faster.
 *
 * Buffer#subarray and Buffer#slice go through argument normalisation (and subarray through
 * TypedArray species lookup), which costs more than the rest of decoding a small bulk
 * string. A Uint8Array subclass whose prototype chain runs through Buffer.prototype, with
 * `constructor` set to Buffer, is what Node's own internal FastBuffer is: every Buffer
 * method works on it, `Buffer.isBuffer` and `instanceof Buffer` are true.
 */
class BufferView extends Uint8Array {}
Object.setPrototypeOf(BufferView.prototype, Buffer.prototype);
Object.defineProperty(BufferView.prototype, "constructor", {
  value: Buffer,
  writable: true,
  configurable: true,
});

/**
 * A Buffer over `length` bytes of `memory` from `offset`; the caller guarantees the bounds.
 * Callers cache `buf.buffer` and `buf.byteOffset` once per chunk: those getters cost as much
 * as Buffer#slice itself.
 */
export function bufferView(memory: ArrayBufferLike, offset: number, length: number): Buffer {
  return new BufferView(memory as ArrayBuffer, offset, length) as unknown as Buffer;
}

/** Copies `length` bytes of `memory` from `offset` into `target` at `at` (one memcpy). */
export function copyInto(
  target: Buffer,
  at: number,
  memory: ArrayBufferLike,
  offset: number,
  length: number,
): void {
  target.set(new Uint8Array(memory as ArrayBuffer, offset, length), at);
}

/** Targets up to this size come from a shared slab; larger ones get their own buffer. */
const SLAB_SIZE = 64 * 1024;
const SLAB_MAX_PART = 16 * 1024;

/**
 * Hands out small buffers carved from 64 KiB slabs. Buffer.allocUnsafe does the same with
 * 8 KiB pools but pays for Buffer#slice on every call. A carved buffer keeps its slab alive,
 * as a view keeps its chunk alive.
 */
export class Slab {
  private memory: ArrayBuffer | null = null;
  private used = 0;

  /** An uninitialised buffer of `size` bytes. */
  allocate(size: number): Buffer {
    if (size > SLAB_MAX_PART) return Buffer.allocUnsafe(size);
    if (this.memory === null || this.used + size > SLAB_SIZE) {
      this.memory = new ArrayBuffer(SLAB_SIZE);
      this.used = 0;
    }
    const part = bufferView(this.memory, this.used, size);
    this.used += size;
    return part;
  }
}
