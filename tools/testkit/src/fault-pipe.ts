import type { Socket } from "node:net";
import { discards, type FaultDirection, type FaultMode } from "./fault-mode.js";

/** Queued bytes per direction above which the source is paused, so buffering is bounded. */
export const PIPE_HIGH_WATER = 1024 * 1024;
/** Queued bytes below which a paused source is resumed. */
const PIPE_LOW_WATER = 256 * 1024;

/** What a pipe reads from its proxy: the mode of the moment, and a random source for jitter. */
export interface PipeContext {
  /** The current mode. */
  mode(): FaultMode;
  /** Uniform in [0, 1). */
  random(): number;
}

interface Pending {
  data: Buffer;
  dueAt: number;
}

/** @internal One direction of a proxied connection: queue, delay, slice, discard, half-close. */
export class FaultPipe {
  readonly #queue: Pending[] = [];
  #queuedBytes = 0;
  #lastDueAt = 0;
  #timeout: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #waitingForDrain = false;
  #sourcePaused = false;
  #sourceEnded = false;
  #cut = false;

  constructor(
    readonly direction: FaultDirection,
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly context: PipeContext,
  ) {
    this.modeChanged();
  }

  /** Bytes waiting to be forwarded. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Takes a chunk read from the source. */
  push(chunk: Buffer): void {
    const mode = this.context.mode();
    if (this.#cut || discards(mode, this.direction)) return;
    let dueAt = performance.now();
    if (mode.kind === "delay") dueAt += mode.ms + this.context.random() * (mode.jitterMs ?? 0);
    // Jitter must not reorder bytes on a stream.
    dueAt = Math.max(dueAt, this.#lastDueAt);
    this.#lastDueAt = dueAt;
    this.#queue.push({ data: chunk, dueAt });
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > PIPE_HIGH_WATER && !this.#sourcePaused) {
      this.#sourcePaused = true;
      this.from.pause();
    }
    this.#pump();
  }

  /** The source sent FIN: pass it on once the queue is flushed. */
  sourceEnded(): void {
    this.#sourceEnded = true;
    this.#pump();
  }

  /** Re-reads the mode: drops what the new mode discards, half-closes on a cut. */
  modeChanged(): void {
    const mode = this.context.mode();
    if (discards(mode, this.direction)) {
      this.#queue.length = 0;
      this.#setQueued(0);
    }
    if (mode.kind === "cut" && mode.direction === this.direction && !this.#cut) {
      this.#cut = true;
      if (!this.to.destroyed) this.to.end();
    }
    this.#pump();
  }

  /** Stops its timers; the sockets are closed by the connection. */
  dispose(): void {
    this.#clearTimer();
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }

  #setQueued(bytes: number): void {
    this.#queuedBytes = bytes;
    if (this.#sourcePaused && bytes < PIPE_LOW_WATER) {
      this.#sourcePaused = false;
      this.from.resume();
    }
  }

  #clearTimer(): void {
    clearTimeout(this.#timeout);
    clearImmediate(this.#immediate);
    this.#timeout = undefined;
    this.#immediate = undefined;
  }

  #pump = (): void => {
    this.#clearTimer();
    if (this.#waitingForDrain || this.to.destroyed || this.to.writableEnded) return;
    for (;;) {
      const head = this.#queue[0];
      if (head === undefined) break;
      const wait = head.dueAt - performance.now();
      if (wait > 0) {
        this.#timeout = setTimeout(this.#pump, wait);
        return;
      }
      const mode = this.context.mode();
      const sliced = mode.kind === "slice";
      let piece = head.data;
      if (sliced && head.data.length > mode.bytes) {
        piece = head.data.subarray(0, mode.bytes);
        head.data = head.data.subarray(mode.bytes);
      } else {
        this.#queue.shift();
      }
      this.#setQueued(this.#queuedBytes - piece.length);
      const flushed = this.to.write(piece);
      if (!flushed) {
        this.#waitingForDrain = true;
        this.to.once("drain", () => {
          this.#waitingForDrain = false;
          this.#pump();
        });
        return;
      }
      if (sliced) {
        // One piece per turn, so each leaves in its own segment and is read on its own.
        if (mode.intervalMs !== undefined && mode.intervalMs > 0) {
          this.#timeout = setTimeout(this.#pump, mode.intervalMs);
        } else {
          this.#immediate = setImmediate(this.#pump);
        }
        return;
      }
    }
    if (this.#sourceEnded && !this.#cut) this.to.end();
  };
}
