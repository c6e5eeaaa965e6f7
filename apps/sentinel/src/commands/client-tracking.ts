/**
 * Client-side caching state of one connection (CLIENT TRACKING, CACHING, TRACKINGINFO,
 * GETREDIR) as Redis 7.0.15 keeps it in the client's flags (networking.c `clientCommand`,
 * tracking.c `enableTracking`, `disableTracking`, `checkPrefixCollisionsOrReply`). A sentinel
 * has no keys, so no invalidation message is ever sent: the state is what clients set up and
 * read back, and what CLIENT LIST and INFO show.
 *
 * @module
 */
import { resp, type RespValue } from "@sentinel-kit/resp-protocol";
import { NOT_AN_INTEGER_ERROR, SYNTAX_ERROR, parseLongLong } from "./parse.js";

/** One connection's tracking flags, redirect and broadcast prefixes. */
export interface TrackingState {
  /** CLIENT_TRACKING. */
  on: boolean;
  /** CLIENT_TRACKING_BCAST. */
  bcast: boolean;
  /** CLIENT_TRACKING_OPTIN. */
  optin: boolean;
  /** CLIENT_TRACKING_OPTOUT. */
  optout: boolean;
  /** CLIENT_TRACKING_NOLOOP. */
  noloop: boolean;
  /** CLIENT_TRACKING_CACHING: set by CLIENT CACHING, cleared after the next command that is not CLIENT. */
  caching: boolean;
  /** The client invalidations are redirected to; 0 for none. */
  redirect: number;
  /** BCAST prefixes, as bytes; Redis keeps them in a radix tree, so they list in byte order. */
  prefixes: Buffer[];
}

/** A connection's state before any CLIENT TRACKING. */
export function trackingOff(): TrackingState {
  return { on: false, bcast: false, optin: false, optout: false, noloop: false, caching: false, redirect: 0, prefixes: [] };
}

const OK = resp.simple("OK");
const NO_OVERLAP = "Prefixes for a single client must not overlap.";

// stringCheckPrefix: one is a prefix of the other (the empty prefix overlaps everything).
function overlaps(a: Buffer, b: Buffer): boolean {
  const n = Math.min(a.length, b.length);
  return a.subarray(0, n).equals(b.subarray(0, n));
}

/**
 * `CLIENT TRACKING <on|off> [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN] [OPTOUT] [NOLOOP]`,
 * changing `state` as Redis does.
 *
 * @param args - The arguments after TRACKING.
 * @param clientExists - Whether a connected client has this id (`lookupClientByID`).
 * @returns The replies, in order: one, or two when two given prefixes after the first overlap
 *   (Redis then answers the error and OK and enables tracking anyway: its
 *   `checkPrefixCollisionsOrReply` returns the prefix's index as its success flag).
 */
export function trackingCommand(state: TrackingState, args: readonly string[], clientExists: (id: number) => boolean): readonly RespValue[] {
  let redirect = 0;
  let bcast = false;
  let optin = false;
  let optout = false;
  let noloop = false;
  const prefixes: Buffer[] = [];
  for (let j = 1; j < args.length; j++) {
    const option = (args[j] ?? "").toLowerCase();
    const more = j + 1 < args.length;
    if (option === "redirect" && more) {
      j++;
      if (redirect !== 0) return [resp.error("ERR A client can only redirect to a single other client")];
      const id = parseLongLong(args[j] ?? "");
      if (id === null) return [resp.error(NOT_AN_INTEGER_ERROR)];
      if (id <= 0 || !clientExists(id)) return [resp.error("ERR The client ID you want redirect to does not exist")];
      redirect = id;
    } else if (option === "bcast") bcast = true;
    else if (option === "optin") optin = true;
    else if (option === "optout") optout = true;
    else if (option === "noloop") noloop = true;
    else if (option === "prefix" && more) prefixes.push(Buffer.from(args[++j] ?? "", "utf8"));
    else return [resp.error(SYNTAX_ERROR)];
  }
  const mode = (args[0] ?? "").toLowerCase();
  if (mode === "off") {
    Object.assign(state, trackingOff());
    return [OK];
  }
  if (mode !== "on") return [resp.error(SYNTAX_ERROR)];
  if (!bcast && prefixes.length > 0) return [resp.error("ERR PREFIX option requires BCAST mode to be enabled")];
  if (state.on && state.bcast !== bcast) {
    return [
      resp.error(
        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
      ),
    ];
  }
  if (bcast && (optin || optout)) return [resp.error("ERR OPTIN and OPTOUT are not compatible with BCAST")];
  if (optin && optout) return [resp.error("ERR You can't specify both OPTIN mode and OPTOUT mode")];
  if ((optin && state.optout) || (optout && state.optin)) {
    return [
      resp.error(
        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
      ),
    ];
  }
  const replies: RespValue[] = [];
  if (bcast) {
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i] as Buffer;
      const existing = state.prefixes.find((p) => overlaps(p, prefix));
      if (existing !== undefined) {
        return [resp.error(`ERR Prefix '${prefix.toString()}' overlaps with an existing prefix '${existing.toString()}'. ${NO_OVERLAP}`)];
      }
      const other = prefixes.slice(i + 1).find((p) => overlaps(prefix, p));
      if (other !== undefined) {
        replies.push(resp.error(`ERR Prefix '${prefix.toString()}' overlaps with another provided prefix '${other.toString()}'. ${NO_OVERLAP}`));
        // Redis returns the index as the "ok" flag: only an overlap at the first prefix stops it.
        if (i === 0) return replies;
        break;
      }
    }
  }
  state.on = true;
  state.bcast = bcast;
  state.optin = optin;
  state.optout = optout;
  state.noloop = noloop;
  state.redirect = redirect;
  if (bcast) {
    for (const prefix of prefixes.length === 0 ? [Buffer.alloc(0)] : prefixes) {
      if (!state.prefixes.some((p) => p.equals(prefix))) state.prefixes.push(prefix);
    }
    state.prefixes.sort(Buffer.compare);
  }
  replies.push(OK);
  return replies;
}

/** `CLIENT CACHING <yes|no>`. */
export function cachingCommand(state: TrackingState, arg: string): RespValue {
  if (!state.on) {
    return resp.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
  }
  const opt = arg.toLowerCase();
  if (opt === "yes") {
    if (!state.optin) return resp.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
  } else if (opt === "no") {
    if (!state.optout) return resp.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
  } else {
    return resp.error(SYNTAX_ERROR);
  }
  state.caching = true;
  return OK;
}

/** The redirect CLIENT GETREDIR and CLIENT LIST's `redir=` show: -1 while tracking is off. */
export function trackingRedirect(state: TrackingState): number {
  return state.on ? state.redirect : -1;
}

/** `CLIENT TRACKINGINFO`: flags (a set), redirect, prefixes, in Redis's order. */
export function trackingInfo(state: TrackingState): RespValue {
  const flags = [state.on ? "on" : "off"];
  if (state.bcast) flags.push("bcast");
  if (state.optin) flags.push("optin", ...(state.caching ? ["caching-yes"] : []));
  if (state.optout) flags.push("optout", ...(state.caching ? ["caching-no"] : []));
  if (state.noloop) flags.push("noloop");
  return resp.map([
    [resp.bulk("flags"), resp.set(flags.map((f) => resp.bulk(f)))],
    [resp.bulk("redirect"), resp.integer(trackingRedirect(state))],
    [resp.bulk("prefixes"), resp.array(state.prefixes.map((p) => resp.bulk(p)))],
  ]);
}

/**
 * Redis's resetClient, applied as each command starts (the flag is only ever read by CLIENT
 * commands, so before or after the command is the same): the CACHING flag lives through
 * CLIENT commands (any known CLIENT subcommand, even one refused for its arity) and is
 * cleared by any other command, unknown ones included.
 *
 * @param keptByClientCommand - The command was CLIENT with a subcommand Redis knows.
 */
export function afterCommand(state: TrackingState, keptByClientCommand: boolean): void {
  if (!keptByClientCommand) state.caching = false;
}
