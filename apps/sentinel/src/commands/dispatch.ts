/**
 * The command dispatcher of the daemon's RESP server: every command Redis 7.0.15 answers in
 * sentinel mode except HELLO, AUTH and the SUBSCRIBE family, which resp-protocol's RespServer
 * answers itself, and ACL, which the daemon answers from its user table (src/acl). Before
 * running a command it checks, as `processCommand` does, that the command exists, that a
 * container's subcommand exists, and the arity from Redis's own command table, with Redis's
 * error texts word for word (SPEC §1.1, §1.2, §1.4).
 *
 * @module
 */
import { arityErrorReply, resp, unknownCommandReply, type RespValue } from "@sentinel-kit/resp-protocol";
import { clientSubcommand } from "./client-command.js";
import { commandSubcommand } from "./command-command.js";
import { arityAccepts, commandTable } from "./command-table.js";
import { currentHostFacts, infoText } from "./info.js";
import { recordCommand } from "./last-command.js";
import { SYNTAX_ERROR } from "./parse.js";
import { sentinelSubcommand } from "./sentinel-command.js";
import type { CommandContext, ShutdownOptions } from "./view.js";

/** The only channel a sentinel accepts PUBLISH on (`SENTINEL_HELLO_CHANNEL`). */
export const SENTINEL_HELLO_CHANNEL = "__sentinel__:hello";

// `%.128s` in processCommand's unknown-subcommand format counts bytes.
function cut128(arg: Buffer): string {
  return arg.subarray(0, 128).toString("utf8");
}

function shutdown(ctx: CommandContext, args: readonly string[]): RespValue | Promise<RespValue> {
  const options = { nosave: false, save: false, now: false, force: false };
  let abort = false;
  for (const arg of args) {
    const word = arg.toLowerCase();
    if (word === "nosave" || word === "save" || word === "now" || word === "force") options[word] = true;
    else if (word === "abort") abort = true;
    else return resp.error(SYNTAX_ERROR);
  }
  const anyFlag = options.nosave || options.save || options.now || options.force;
  if ((abort && anyFlag) || (options.nosave && options.save)) return resp.error(SYNTAX_ERROR);
  // A sentinel has no replicas to wait for, so a shutdown never stays in progress to abort.
  if (abort) return resp.error("ERR No shutdown in progress.");
  const request: ShutdownOptions = options;
  return ctx.actions.shutdown(request).then((result) => (result.ok ? resp.simple("OK") : resp.error(result.error)));
}

/** What {@link lookupCommand} found: the table entry that runs, or the error Redis answers. */
export type CommandLookup =
  | {
      /** The command (or `container|subcommand`) exists and its arity fits. */
      readonly ok: true;
      /** The full name, e.g. `sentinel|master`. */
      readonly fullName: string;
      /** The lower-case subcommand of a container command, else undefined. */
      readonly sub: string | undefined;
    }
  | {
      /** Refused before running. */
      readonly ok: false;
      /** Redis's error reply. */
      readonly reply: RespValue;
      /** The full name Redis records as the client's last command even so, if any. */
      readonly fullName: string | undefined;
    };

/**
 * The checks `processCommand` makes before anything else, authentication included: the
 * command exists, a container's subcommand exists, the arity fits (Redis 7.0.15's table).
 * A RESP server that authenticates clients should answer a refusal from here before its
 * NOAUTH check, as Redis does.
 *
 * @param rawName - The command name as sent (any case).
 * @param args - The arguments after the name.
 */
export function lookupCommand(rawName: Buffer | string, args: readonly Buffer[]): CommandLookup {
  const nameBuf = typeof rawName === "string" ? Buffer.from(rawName) : rawName;
  const name = nameBuf.toString("latin1").toLowerCase();
  const entry = commandTable().commands.get(name);
  if (entry === undefined) return { ok: false, reply: unknownCommandReply(nameBuf, args), fullName: undefined };
  const argc = args.length + 1;
  if (entry.subcommands.size > 0 && argc >= 2) {
    const subArg = args[0] ?? Buffer.alloc(0);
    const sub = subArg.toString("latin1").toLowerCase();
    const subEntry = entry.subcommands.get(sub);
    if (subEntry === undefined) {
      const reply = resp.error(`ERR unknown subcommand '${cut128(subArg)}'. Try ${name.toUpperCase()} HELP.`);
      return { ok: false, reply, fullName: undefined };
    }
    if (!arityAccepts(subEntry.arity, argc)) return { ok: false, reply: arityErrorReply(subEntry.fullName), fullName: subEntry.fullName };
    return { ok: true, fullName: subEntry.fullName, sub };
  }
  if (!arityAccepts(entry.arity, argc)) return { ok: false, reply: arityErrorReply(entry.fullName), fullName: entry.fullName };
  return { ok: true, fullName: entry.fullName, sub: undefined };
}

/**
 * Answers one command.
 *
 * @param rawName - The command name as sent (any case; echoed in the unknown-command error).
 * @param args - The arguments after the name.
 * @param ctx - The state, the mutations, the clock and the calling client.
 * @returns The reply, or a promise of it when the command waits for the core (a config
 *   flush, a vote on disk).
 */
export function dispatchCommand(rawName: Buffer | string, args: readonly Buffer[], ctx: CommandContext): RespValue | Promise<RespValue> {
  const found = lookupCommand(rawName, args);
  // Redis sets the client's last command before checking the arity.
  if (found.fullName !== undefined) recordCommand(ctx.client, found.fullName);
  if (!found.ok) return found.reply;
  const name = found.fullName.split("|")[0] ?? "";
  const sub = found.sub;
  const text = args.map((a) => a.toString("utf8"));
  const rest = sub === undefined ? text : text.slice(1);
  switch (name) {
    case "ping":
      if (text.length > 1) return arityErrorReply("ping");
      return text.length === 0 ? resp.simple("PONG") : resp.bulk(args[0] ?? "");
    case "info":
      return resp.bulk(infoText(ctx.view, text, ctx.now, ctx.host ?? currentHostFacts()));
    case "role":
      return resp.array([resp.bulk("sentinel"), resp.bulkStrings(ctx.view.masters.map((m) => m.name))]);
    case "publish":
      if (text[0] !== SENTINEL_HELLO_CHANNEL) return resp.error("ERR Only HELLO messages are accepted by Sentinel instances.");
      ctx.actions.receiveHello(text[1] ?? "");
      return resp.integer(1);
    case "shutdown":
      return shutdown(ctx, text);
    case "sentinel":
      return sentinelSubcommand(sub ?? "", rest, ctx);
    case "client":
      return clientSubcommand(sub ?? "", rest, ctx, text[0] ?? "");
    case "command":
      return commandSubcommand(sub, rest);
    default:
      // HELLO, AUTH and the (P)(UN)SUBSCRIBE family are answered by the RESP server itself,
      // ACL by the daemon's user table (src/acl).
      return resp.error(`ERR ${name.toUpperCase()} is answered by the RESP server or the ACL engine, not the command layer`);
  }
}
