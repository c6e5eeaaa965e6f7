/**
 * CLIENT PAUSE as Redis 7.0.15 keeps it (networking.c `pauseClients`, server.c
 * `processCommand`): one pause for the whole server, the stricter mode and the later end of
 * every CLIENT PAUSE in force winning, held commands running again at the end or at CLIENT
 * UNPAUSE. In sentinel mode the only command that may replicate is PUBLISH, so WRITE holds
 * PUBLISH alone and ALL holds every command of every client (the one that paused included).
 * The sentinel's own work (links, timers, failover) is no client command and never waits.
 *
 * @module
 */
import { resp, type RespValue } from "@sentinel-kit/resp-protocol";
import { parseLongLong } from "./parse.js";

/** What a CLIENT PAUSE holds. */
export type PauseMode = "write" | "all";

/** The server's pause: `off`, or a mode until an absolute time in milliseconds. */
export interface PauseState {
  /** What is held; `off` when nothing is. */
  readonly mode: PauseMode | "off";
  /** When the pause ends, in the daemon clock's milliseconds. */
  readonly end: number;
}

/** No pause. */
export const NO_PAUSE: PauseState = { mode: "off", end: 0 };

/** The parsed `CLIENT PAUSE <timeout> [WRITE|ALL]`: the mode and the absolute end. */
export interface PauseRequest {
  /** The mode asked for (ALL by default). */
  readonly mode: PauseMode;
  /** `now + timeout`; negative when the sum overflows 64 bits, as it does in Redis (then it extends nothing). */
  readonly end: number;
}

const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses CLIENT PAUSE's arguments in Redis's order: the mode first, then the timeout
 * (`getTimeoutFromObjectOrReply`).
 *
 * @returns The request, or the error reply.
 */
export function parsePause(args: readonly string[], now: number): PauseRequest | RespValue {
  let mode: PauseMode = "all";
  if (args.length === 2) {
    const word = (args[1] ?? "").toLowerCase();
    if (word !== "write" && word !== "all") return resp.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    mode = word;
  }
  const text = args[0] ?? "";
  if (parseLongLong(text) === null) return resp.error("ERR timeout is not an integer or out of range");
  const timeout = BigInt(text);
  if (timeout < 0n) return resp.error("ERR timeout is negative");
  const sum = timeout + BigInt(now);
  // Redis adds without an overflow check: a sum past 2^63-1 wraps to a negative end.
  return { mode, end: Number(sum > INT64_MAX ? sum - 2n ** 64n : sum) };
}

/** `pauseClients`: the stricter mode, the later end. */
export function mergePause(state: PauseState, request: PauseRequest): PauseState {
  const mode = state.mode === "all" || request.mode === "all" ? "all" : "write";
  return { mode, end: Math.max(state.end, request.end) };
}

/** Whether the pause still holds anything at `now`. */
export function pauseActive(state: PauseState, now: number): boolean {
  return state.mode !== "off" && now < state.end;
}

/**
 * Whether `processCommand` would hold this command now: ALL holds everything, WRITE the
 * commands flagged write or may-replicate, of which a sentinel has only PUBLISH.
 *
 * @param name - The command name, lower case.
 */
export function pauseHolds(state: PauseState, name: string, now: number): boolean {
  if (!pauseActive(state, now)) return false;
  return state.mode === "all" || name === "publish";
}
