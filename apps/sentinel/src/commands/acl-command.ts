/**
 * The part of ACL (Redis 7.0.15's `aclCommand`) that holds for a server with one user,
 * `default` (all commands, keys and channels; `requirepass` as its password, or `nopass`),
 * and no ACL file, which is what resp-protocol's RespServer offers: HELP, CAT, GENPASS,
 * WHOAMI, USERS, LIST, GETUSER, DRYRUN, DELUSER, LOAD and SAVE answer as Redis does there.
 * SETUSER and LOG need Redis's ACL engine and its log of refusals, and say so.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { resp, type RespValue } from "@sentinel-kit/resp-protocol";
import { arityAccepts, commandTable } from "./command-table.js";
import { helpReply } from "./help.js";
import { parseLongLong, subcommandSyntaxError } from "./parse.js";
import type { CommandContext } from "./view.js";

/** ACL HELP's lines in Redis 7.0.15. */
export const ACL_HELP: readonly string[] = [
  "CAT [<category>]",
  "    List all commands that belong to <category>, or all command categories",
  "    when no category is specified.",
  "DELUSER <username> [<username> ...]",
  "    Delete a list of users.",
  "DRYRUN <username> <command> [<arg> ...]",
  "    Returns whether the user can execute the given command without executing the command.",
  "GETUSER <username>",
  "    Get the user's details.",
  "GENPASS [<bits>]",
  "    Generate a secure 256-bit user password. The optional `bits` argument can",
  "    be used to specify a different size.",
  "LIST",
  "    Show users details in config file format.",
  "LOAD",
  "    Reload users from the ACL file.",
  "LOG [<count> | RESET]",
  "    Show the ACL log entries.",
  "SAVE",
  "    Save the current config to the ACL file.",
  "SETUSER <username> <attribute> [<attribute> ...]",
  "    Create or modify a user with the specified attributes.",
  "USERS",
  "    List all the registered usernames.",
  "WHOAMI",
  "    Return the current connection username.",
];

/** Redis 7.0's ACL categories, in `ACLCommandCategories` order. */
export const ACL_CATEGORIES: readonly string[] = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
];

const NO_ACL_FILE =
  "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.";

function catReply(typedSub: string, args: readonly string[]): RespValue {
  if (args.length === 0) return resp.bulkStrings(ACL_CATEGORIES);
  if (args.length > 1) return resp.error(subcommandSyntaxError(typedSub, "acl"));
  const category = (args[0] ?? "").toLowerCase();
  if (!ACL_CATEGORIES.includes(category)) return resp.error(`ERR Unknown category '${args[0] ?? ""}'`);
  const table = commandTable();
  const names: string[] = [];
  for (const entry of table.commands.values()) {
    for (const e of [entry, ...entry.subcommands.values()]) if (e.aclCategories.includes(category)) names.push(e.fullName);
  }
  return resp.bulkStrings(names);
}

function genpass(args: readonly string[]): RespValue {
  const bits = args.length === 0 ? 256 : parseLongLong(args[0] ?? "");
  if (bits === null) return resp.error("ERR value is not an integer or out of range");
  if (bits <= 0 || bits > 4096) {
    return resp.error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
  }
  // Redis prints ceil(bits / 4) hex characters of a random string.
  const chars = Math.ceil(bits / 4);
  return resp.bulk(randomBytes(Math.ceil(chars / 2)).toString("hex").slice(0, chars));
}

function passwordHash(ctx: CommandContext): string | null {
  const pass = ctx.view.config.requirepass;
  return pass === undefined || pass === "" ? null : createHash("sha256").update(pass).digest("hex");
}

function listReply(ctx: CommandContext): RespValue {
  const hash = passwordHash(ctx);
  return resp.bulkStrings([`user default on ${hash === null ? "nopass" : `#${hash}`} ~* &* +@all`]);
}

function getuserReply(ctx: CommandContext, user: string): RespValue {
  if (user !== "default") return resp.null();
  const hash = passwordHash(ctx);
  return resp.map([
    [resp.bulk("flags"), resp.set(hash === null ? [resp.bulk("on"), resp.bulk("nopass")] : [resp.bulk("on")])],
    [resp.bulk("passwords"), resp.bulkStrings(hash === null ? [] : [hash])],
    [resp.bulk("commands"), resp.bulk("+@all")],
    [resp.bulk("keys"), resp.bulk("~*")],
    [resp.bulk("channels"), resp.bulk("&*")],
    [resp.bulk("selectors"), resp.array([])],
  ]);
}

// `default` may run every command, so DRYRUN only looks the command up and checks its arity.
function dryrunReply(args: readonly string[]): RespValue {
  const [user = "", name = "", ...rest] = args;
  if (user !== "default") return resp.error(`ERR User '${user}' not found`);
  const entry = commandTable().commands.get(name.toLowerCase());
  if (entry === undefined) return resp.error(`ERR Command '${name}' not found`);
  // lookupCommand: a container with arguments resolves to its subcommand, or to nothing.
  const target = entry.subcommands.size > 0 && rest.length > 0 ? entry.subcommands.get((rest[0] ?? "").toLowerCase()) : entry;
  if (target === undefined) return resp.error(`ERR Command '${name}' not found`);
  if (!arityAccepts(target.arity, rest.length + 1)) return resp.error(`ERR wrong number of arguments for '${target.fullName}' command`);
  return resp.simple("OK");
}

/**
 * Runs `ACL <subcommand> <args...>` whose arity the dispatcher already checked.
 *
 * @param sub - The subcommand in lower case.
 * @param typedSub - The subcommand as the client typed it, for error texts that echo it.
 */
export function aclSubcommand(sub: string, args: readonly string[], ctx: CommandContext, typedSub: string): RespValue {
  switch (sub) {
    case "help":
      return helpReply("ACL", ACL_HELP);
    case "cat":
      return catReply(typedSub, args);
    case "genpass":
      return genpass(args);
    case "whoami":
      return resp.bulk(ctx.client.user ?? "default");
    case "users":
      return resp.bulkStrings(["default"]);
    case "list":
      return listReply(ctx);
    case "getuser":
      return getuserReply(ctx, args[0] ?? "");
    case "dryrun":
      return dryrunReply(args);
    case "deluser":
      if (args.some((u) => u === "default")) return resp.error("ERR The 'default' user cannot be removed");
      return resp.integer(0);
    case "load":
    case "save":
      return resp.error(NO_ACL_FILE);
    default:
      return resp.error(`ERR ACL ${sub.toUpperCase()} is not supported by sentinel-kit`);
  }
}
