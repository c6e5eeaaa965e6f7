/**
 * The daemon's {@link ClientControl}: each connection's tracking state, the server-wide
 * CLIENT PAUSE with the commands it holds, and CLIENT REPLY through the RESP server. The
 * pause rules are the pure ones of `commands/client-pause.ts`; this adds the timer that ends
 * a pause and the held commands' release. A held command holds its connection's further
 * input too (RespServer's `beforeCommand`: the socket is not read meanwhile), so a pause
 * buffers nothing beyond what the kernel keeps. Only client commands pass through here: the
 * sentinel's links, timers and failovers never wait for a pause.
 *
 * @module
 */
import type { RespClientContext, RespCommand, RespReplyMode } from "@sentinel-kit/resp-protocol";
import { NO_PAUSE, mergePause, pauseActive, pauseHolds, type PauseRequest, type PauseState } from "../commands/client-pause.js";
import { afterCommand, trackingOff, type TrackingState } from "../commands/client-tracking.js";
import type { ClientControl } from "../commands/view.js";

/** What {@link DaemonClientControl} needs from the daemon. */
export interface ClientControlHost {
  /** The RESP server's CLIENT REPLY switch. */
  setReplyMode(client: RespClientContext, mode: RespReplyMode): void;
  /**
   * Whether the command passes every check `processCommand` makes before the pause check
   * (QUIT, unknown command or subcommand, arity, NOAUTH, ACL, RESP2 subscribed context):
   * a command refused by one of them is answered at once, paused or not.
   */
  reachesPauseCheck(command: RespCommand, client: RespClientContext): boolean;
  /** Whether the command is CLIENT with a subcommand Redis knows (the CACHING flag survives it). */
  isClientSubcommand(command: RespCommand): boolean;
  /** The daemon's clock, in milliseconds. */
  now(): number;
}

interface Held {
  readonly client: RespClientContext;
  readonly name: string;
  readonly release: () => void;
}

// setTimeout's longest delay; a longer pause re-arms when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Per-connection state and the pause, for the command layer and RespServer's `beforeCommand`. */
export class DaemonClientControl implements ClientControl {
  readonly #host: ClientControlHost;
  readonly #tracking = new WeakMap<RespClientContext, TrackingState>();
  #pause: PauseState = NO_PAUSE;
  #held: Held[] = [];
  #timer: NodeJS.Timeout | undefined;
  #drainScheduled = false;

  /** @param host - The RESP server's switch, the pre-pause checks and the clock. */
  constructor(host: ClientControlHost) {
    this.#host = host;
  }

  /** {@inheritDoc ClientControl.tracking} */
  tracking(client: RespClientContext): TrackingState {
    let state = this.#tracking.get(client);
    if (state === undefined) {
      state = trackingOff();
      this.#tracking.set(client, state);
    }
    return state;
  }

  /** {@inheritDoc ClientControl.pause} */
  pause(request: PauseRequest): void {
    // A pause past its end whose timer has not fired yet is over: it must not lend its mode.
    const current = pauseActive(this.#pause, this.#host.now()) ? this.#pause : NO_PAUSE;
    this.#pause = mergePause(current, request);
    this.#armTimer();
  }

  /** {@inheritDoc ClientControl.unpause} */
  unpause(): void {
    this.#pause = NO_PAUSE;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#drain();
  }

  /** {@inheritDoc ClientControl.setReplyMode} */
  setReplyMode(client: RespClientContext, mode: RespReplyMode): void {
    this.#host.setReplyMode(client, mode);
  }

  /** {@inheritDoc ClientControl.isHeld} */
  isHeld(client: RespClientContext): boolean {
    return this.#held.some((h) => h.client === client);
  }

  /** How many clients a pause holds now (INFO `blocked_clients`). */
  get heldCount(): number {
    return this.#held.length;
  }

  /** How many of `clients` have tracking on (INFO `tracking_clients`). */
  trackingCount(clients: readonly RespClientContext[]): number {
    return clients.filter((c) => this.#tracking.get(c)?.on === true).length;
  }

  /**
   * RespServer's `beforeCommand`: the CACHING flag's reset (Redis's resetClient), then the
   * pause check. A held command waits for the end of the pause or CLIENT UNPAUSE.
   */
  beforeCommand(command: RespCommand, client: RespClientContext): Promise<void> | undefined {
    const state = this.#tracking.get(client);
    if (state !== undefined) afterCommand(state, this.#host.isClientSubcommand(command));
    if (!pauseHolds(this.#pause, command.name, this.#host.now())) return undefined;
    if (!this.#host.reachesPauseCheck(command, client)) return undefined;
    return new Promise((release) => {
      this.#held.push({ client, name: command.name, release });
    });
  }

  /** A client left: its held command, if any, never runs (Redis frees it with the client). */
  forget(client: RespClientContext): void {
    this.#held = this.#held.filter((h) => h.client !== client);
  }

  /** The daemon stops: held commands run, so their connections can close. */
  stop(): void {
    this.unpause();
  }

  #armTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pause.mode === "off") return;
    const wait = Math.min(Math.max(0, this.#pause.end - this.#host.now()), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#host.now() >= this.#pause.end) this.unpause();
      else this.#armTimer();
    }, wait);
    this.#timer.unref();
  }

  // Redis reprocesses postponed clients one by one, each through the pause check again: the
  // first command no longer held is released, runs in the microtasks that follow (it may pause
  // again), and the next one is looked at in the next turn of the event loop.
  #drain(): void {
    if (this.#drainScheduled) return;
    const now = this.#host.now();
    const index = this.#held.findIndex((h) => !pauseHolds(this.#pause, h.name, now));
    if (index < 0) return;
    const [entry] = this.#held.splice(index, 1);
    entry?.release();
    this.#drainScheduled = true;
    setImmediate(() => {
      this.#drainScheduled = false;
      this.#drain();
    });
  }
}
