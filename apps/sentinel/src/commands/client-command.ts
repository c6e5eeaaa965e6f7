/**
 * The CLIENT command (`clientCommand` in Redis 7.0.15's networking.c) over the clients the
 * RESP server knows. The fields of a CLIENT LIST line that describe Redis's own memory
 * management (`qbuf`, `argv-mem`, `rbs`, `tot-mem`, ...) are printed with the value a client
 * with nothing buffered has, and `fd=-1` since Node does not expose the descriptor; pending
 * output is split into `obl` and `omem` as Redis's buffers would hold it. `cmd` is the full
 * name of the last command (see `last-command.ts`). TRACKING, CACHING, PAUSE and REPLY work
 * through the context's {@link ClientControl} (see `client-tracking.ts`, `client-pause.ts`).
 *
 * @module
 */
import { INVALID_CLIENT_NAME_ERROR, resp, type RespClientContext, type RespValue } from "@sentinel-kit/resp-protocol";
import { parsePause } from "./client-pause.js";
import { cachingCommand, trackingCommand, trackingInfo, trackingOff, trackingRedirect } from "./client-tracking.js";
import { CLIENT_HELP, helpReply } from "./help.js";
import { lastFullCommand } from "./last-command.js";
import { NOT_AN_INTEGER_ERROR, SYNTAX_ERROR, parseLongLong, parseYesNo, subcommandSyntaxError } from "./parse.js";
import type { ClientControl, CommandContext } from "./view.js";

const OK = resp.simple("OK");

// PROTO_REPLY_CHUNK_BYTES, the size of a client's static reply buffer (server.h).
const REPLY_BUFFER_BYTES = 16 * 1024;

/**
 * One CLIENT LIST / CLIENT INFO line (without its newline), field for field as Redis 7.0's
 * `catClientInfoString`.
 *
 * @param control - Where the client's tracking state and pause hold are read; without it,
 *   tracking is off and nothing is held.
 */
export function clientInfoLine(client: RespClientContext, now: number, control?: ClientControl): string {
  const tracking = control?.tracking(client) ?? trackingOff();
  // Redis's flag order: P (pub/sub), b (blocked, a paused command), t (tracking), B (broadcast).
  let flags = client.subscriptionCount > 0 ? "P" : "";
  if (control?.isHeld(client) === true) flags += "b";
  if (tracking.on) flags += "t";
  if (tracking.bcast) flags += "B";
  if (flags === "") flags = "N";
  const age = Math.max(0, Math.floor((now - client.connectedAt) / 1000));
  const idle = Math.max(0, Math.floor((now - client.lastActiveAt) / 1000));
  const cmd = lastFullCommand(client);
  // Redis fills a 16 KiB reply buffer first (obl), then a list of blocks (oll, omem); a
  // client whose replies overflow it is one the socket is not keeping up with (events=rw).
  const obl = Math.min(client.outputBufferBytes, REPLY_BUFFER_BYTES);
  const omem = client.outputBufferBytes - obl;
  return [
    `id=${client.id}`,
    `addr=${client.address}`,
    `laddr=${client.localAddress}`,
    "fd=-1",
    `name=${client.name}`,
    `age=${age}`,
    `idle=${idle}`,
    `flags=${flags}`,
    "db=0",
    `sub=${client.channelCount}`,
    `psub=${client.patternCount}`,
    "ssub=0",
    "multi=-1",
    "qbuf=0",
    "qbuf-free=0",
    "argv-mem=0",
    "multi-mem=0",
    "rbs=0",
    "rbp=0",
    `obl=${obl}`,
    `oll=${omem > 0 ? 1 : 0}`,
    `omem=${omem}`,
    "tot-mem=0",
    `events=${omem > 0 ? "rw" : "r"}`,
    `cmd=${cmd}`,
    `user=${client.user ?? "default"}`,
    `redir=${trackingRedirect(tracking)}`,
    `resp=${client.protocol}`,
  ].join(" ");
}

// Redis's client types (`getClientTypeByName`): a sentinel has neither masters nor replicas
// as clients, so only normal and pubsub ever match.
const CLIENT_TYPES = new Set(["normal", "slave", "replica", "master", "pubsub"]);

function typeMatches(client: RespClientContext, type: string): boolean {
  if (type === "pubsub") return client.subscriptionCount > 0;
  if (type === "normal") return client.subscriptionCount === 0;
  return false;
}

function listCommand(ctx: CommandContext, args: readonly string[]): RespValue {
  let clients = ctx.view.clients();
  if (args.length === 2 && (args[0] ?? "").toLowerCase() === "type") {
    const type = (args[1] ?? "").toLowerCase();
    if (!CLIENT_TYPES.has(type)) return resp.error(`ERR Unknown client type '${args[1] ?? ""}'`);
    clients = clients.filter((c) => typeMatches(c, type));
  } else if (args.length > 1 && (args[0] ?? "").toLowerCase() === "id") {
    const ids = new Set<number>();
    for (const raw of args.slice(1)) {
      const id = parseLongLong(raw);
      if (id === null || id <= 0) return resp.error("ERR Invalid client ID");
      ids.add(id);
    }
    clients = clients.filter((c) => ids.has(c.id));
  } else if (args.length !== 0) {
    return resp.error(SYNTAX_ERROR);
  }
  const text = clients.map((c) => `${clientInfoLine(c, ctx.now, ctx.clientControl)}\n`).join("");
  return resp.verbatim("txt", text);
}

interface KillFilter {
  addr?: string;
  laddr?: string;
  id?: number;
  type?: string;
  user?: string;
  skipMe: boolean;
}

// Redis walks the option/value pairs in order, so the first bad one decides the error.
function parseKillFilter(args: readonly string[]): KillFilter | RespValue {
  const filter: KillFilter = { skipMe: true };
  for (let i = 0; i < args.length; i += 2) {
    const option = (args[i] ?? "").toLowerCase();
    const value = args[i + 1];
    if (value === undefined) return resp.error(SYNTAX_ERROR);
    if (option === "id") {
      const id = parseLongLong(value);
      if (id === null || id <= 0) return resp.error("ERR client-id should be greater than 0");
      filter.id = id;
    } else if (option === "type") {
      const type = value.toLowerCase();
      if (!CLIENT_TYPES.has(type)) return resp.error(`ERR Unknown client type '${value}'`);
      filter.type = type;
    } else if (option === "addr") filter.addr = value;
    else if (option === "laddr") filter.laddr = value;
    else if (option === "user") {
      // The RESP server has one user.
      if (value !== "default") return resp.error(`ERR No such user '${value}'`);
      filter.user = value;
    } else if (option === "skipme") {
      const yes = parseYesNo(value);
      if (yes === null) return resp.error(SYNTAX_ERROR);
      filter.skipMe = yes;
    } else return resp.error(SYNTAX_ERROR);
  }
  return filter;
}

function killCommand(ctx: CommandContext, args: readonly string[]): RespValue {
  const clients = ctx.view.clients();
  if (args.length === 1) {
    // Old form: CLIENT KILL <ip:port>, the caller included, "No such client" when none.
    const target = clients.find((c) => c.address === args[0]);
    if (target === undefined) return resp.error("ERR No such client");
    ctx.actions.killClient(target);
    return OK;
  }
  const filter = parseKillFilter(args);
  if (!("skipMe" in filter)) return filter;
  let killed = 0;
  for (const c of clients) {
    if (filter.addr !== undefined && c.address !== filter.addr) continue;
    if (filter.laddr !== undefined && c.localAddress !== filter.laddr) continue;
    if (filter.id !== undefined && c.id !== filter.id) continue;
    if (filter.type !== undefined && !typeMatches(c, filter.type)) continue;
    if (filter.user !== undefined && (c.user ?? "default") !== filter.user) continue;
    if (filter.skipMe && c.id === ctx.client.id) continue;
    ctx.actions.killClient(c);
    killed++;
  }
  return resp.integer(killed);
}

// What a host without a ClientControl answers: the checks Redis makes, then a refusal.
function unsupported(what: string): RespValue {
  return resp.error(`ERR ${what} is not supported by sentinel-kit`);
}

function trackingSubcommand(ctx: CommandContext, args: readonly string[]): RespValue {
  const exists = (id: number): boolean => ctx.view.clients().some((c) => c.id === id);
  const control = ctx.clientControl;
  // Without per-connection state tracking stays off: OFF is already true, ON is refused.
  const state = control?.tracking(ctx.client) ?? trackingOff();
  const replies = trackingCommand(state, args, exists);
  if (control === undefined && state.on) return unsupported("CLIENT TRACKING ON");
  // Redis's prefix-overlap quirk answers twice; the first goes out now, before the reply.
  for (const early of replies.slice(0, -1)) ctx.client.send(early);
  return replies[replies.length - 1] ?? OK;
}

function replySubcommand(ctx: CommandContext, arg: string): RespValue {
  const mode = arg.toLowerCase();
  if (mode !== "on" && mode !== "off" && mode !== "skip") return resp.error(SYNTAX_ERROR);
  if (ctx.clientControl === undefined) return mode === "on" ? OK : unsupported(`CLIENT REPLY ${mode.toUpperCase()}`);
  // OFF and SKIP silence this very reply: Redis sends none to them.
  ctx.clientControl.setReplyMode(ctx.client, mode);
  return OK;
}

function pauseSubcommand(ctx: CommandContext, args: readonly string[], typedSub: string): RespValue {
  if (args.length > 2) return resp.error(subcommandSyntaxError(typedSub, "client"));
  const request = parsePause(args, ctx.now);
  if ("kind" in request) return request;
  if (ctx.clientControl === undefined) return unsupported("CLIENT PAUSE");
  ctx.clientControl.pause(request);
  return OK;
}

/**
 * Runs `CLIENT <subcommand> <args...>` whose arity the dispatcher already checked.
 *
 * @param sub - The subcommand in lower case.
 * @param typedSub - The subcommand as the client typed it, for error texts that echo it.
 */
export function clientSubcommand(sub: string, args: readonly string[], ctx: CommandContext, typedSub: string): RespValue {
  const { client } = ctx;
  switch (sub) {
    case "help":
      return helpReply("CLIENT", CLIENT_HELP);
    case "id":
      return resp.integer(client.id);
    case "getname":
      return client.name === "" ? resp.nullBulk() : resp.bulk(client.name);
    case "setname":
      return client.setName(args[0] ?? "") ? OK : resp.error(INVALID_CLIENT_NAME_ERROR);
    case "info":
      return resp.verbatim("txt", `${clientInfoLine(client, ctx.now, ctx.clientControl)}\n`);
    case "list":
      return listCommand(ctx, args);
    case "kill":
      return killCommand(ctx, args);
    case "getredir":
      return resp.integer(trackingRedirect(ctx.clientControl?.tracking(client) ?? trackingOff()));
    case "trackinginfo":
      return trackingInfo(ctx.clientControl?.tracking(client) ?? trackingOff());
    case "no-evict": {
      const on = (args[0] ?? "").toLowerCase();
      return on === "on" || on === "off" ? OK : resp.error(SYNTAX_ERROR);
    }
    case "unblock": {
      if (args.length > 2) return resp.error(subcommandSyntaxError(typedSub, "client"));
      const reason = args[1]?.toLowerCase();
      if (reason !== undefined && reason !== "timeout" && reason !== "error") {
        return resp.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      }
      // No command blocks on a sentinel, so no client is ever unblocked.
      return parseLongLong(args[0] ?? "") === null ? resp.error(NOT_AN_INTEGER_ERROR) : resp.integer(0);
    }
    case "reply":
      return replySubcommand(ctx, args[0] ?? "");
    case "pause":
      return pauseSubcommand(ctx, args, typedSub);
    case "unpause":
      ctx.clientControl?.unpause();
      return OK;
    case "caching":
      return cachingCommand(ctx.clientControl?.tracking(client) ?? trackingOff(), args[0] ?? "");
    case "tracking":
      return trackingSubcommand(ctx, args);
    default:
      return resp.error(`ERR unknown subcommand '${sub}'. Try CLIENT HELP.`);
  }
}
