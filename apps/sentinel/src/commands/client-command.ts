/**
 * The CLIENT command (`clientCommand` in Redis 7.0.15's networking.c) over the clients the
 * RESP server knows. The fields of a CLIENT LIST line that describe Redis's own memory
 * management (`qbuf`, `argv-mem`, `rbs`, `tot-mem`, ...) are printed with the value a client
 * with nothing buffered has, and `fd=-1` since Node does not expose the descriptor; pending
 * output is split into `obl` and `omem` as Redis's buffers would hold it. `cmd` is the full
 * name of the last command (see `last-command.ts`).
 *
 * @module
 */
import { INVALID_CLIENT_NAME_ERROR, resp, type RespClientContext, type RespValue } from "@sentinel-kit/resp-protocol";
import { CLIENT_HELP, helpReply } from "./help.js";
import { lastFullCommand } from "./last-command.js";
import { NOT_AN_INTEGER_ERROR, SYNTAX_ERROR, parseLongLong, parseYesNo, subcommandSyntaxError } from "./parse.js";
import type { CommandContext } from "./view.js";

const OK = resp.simple("OK");

// PROTO_REPLY_CHUNK_BYTES, the size of a client's static reply buffer (server.h).
const REPLY_BUFFER_BYTES = 16 * 1024;

/**
 * One CLIENT LIST / CLIENT INFO line (without its newline), field for field as Redis 7.0's
 * `catClientInfoString`.
 */
export function clientInfoLine(client: RespClientContext, now: number): string {
  const flags = client.subscriptionCount > 0 ? "P" : "N";
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
    "redir=-1",
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
  const text = clients.map((c) => `${clientInfoLine(c, ctx.now)}\n`).join("");
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

// CLIENT PAUSE's checks (`getTimeoutFromObjectOrReply`, then the mode); pausing itself would
// need the RESP server to hold clients back, which it does not offer.
function pauseCommand(args: readonly string[]): RespValue {
  const timeout = parseLongLong(args[0] ?? "");
  if (timeout === null) return resp.error("ERR timeout is not an integer or out of range");
  if (timeout < 0) return resp.error("ERR timeout is negative");
  if (args.length > 2) return resp.error(SYNTAX_ERROR);
  const mode = args[1]?.toLowerCase();
  if (mode !== undefined && mode !== "write" && mode !== "all") return resp.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
  return resp.error("ERR CLIENT PAUSE is not supported by sentinel-kit");
}

// CLIENT TRACKING's option walk, then ON or OFF: tracking is always off here, so OFF is
// already true and ON is refused (there are no keys to track on a sentinel).
function trackingCommand(args: readonly string[], clients: readonly RespClientContext[]): RespValue {
  let redirect = 0;
  for (let j = 1; j < args.length; j++) {
    const option = (args[j] ?? "").toLowerCase();
    const more = j + 1 < args.length;
    if (option === "redirect" && more) {
      if (redirect !== 0) return resp.error("ERR A client can only redirect to a single other client");
      const id = parseLongLong(args[++j] ?? "");
      if (id === null) return resp.error(NOT_AN_INTEGER_ERROR);
      if (!clients.some((c) => c.id === id)) return resp.error("ERR The client ID you want redirect to does not exist");
      redirect = id;
    } else if (option === "prefix" && more) j++;
    else if (option !== "bcast" && option !== "optin" && option !== "optout" && option !== "noloop") return resp.error(SYNTAX_ERROR);
  }
  const mode = (args[0] ?? "").toLowerCase();
  if (mode === "off") return OK;
  if (mode === "on") return resp.error("ERR CLIENT TRACKING ON is not supported by sentinel-kit");
  return resp.error(SYNTAX_ERROR);
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
      return resp.verbatim("txt", `${clientInfoLine(client, ctx.now)}\n`);
    case "list":
      return listCommand(ctx, args);
    case "kill":
      return killCommand(ctx, args);
    case "getredir":
      return resp.integer(-1);
    case "trackinginfo":
      return resp.map([
        [resp.bulk("flags"), resp.set([resp.bulk("off")])],
        [resp.bulk("redirect"), resp.integer(-1)],
        [resp.bulk("prefixes"), resp.array([])],
      ]);
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
    case "reply": {
      const mode = (args[0] ?? "").toLowerCase();
      if (mode === "on") return OK;
      if (mode === "off" || mode === "skip") return resp.error(`ERR CLIENT REPLY ${mode.toUpperCase()} is not supported by sentinel-kit`);
      return resp.error(SYNTAX_ERROR);
    }
    case "pause":
      return pauseCommand(args);
    case "unpause":
      // Nothing is ever paused here (PAUSE is refused), so there is nothing to resume.
      return OK;
    case "caching":
      // Tracking is never on, so Redis's precondition never holds.
      return resp.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
    case "tracking":
      return trackingCommand(args, ctx.view.clients());
    default:
      return resp.error(`ERR unknown subcommand '${sub}'. Try CLIENT HELP.`);
  }
}
