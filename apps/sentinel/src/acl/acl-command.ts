/**
 * The ACL command's replies in sentinel mode, shaped and worded as Redis 7.0.15's
 * `aclCommand` sends them: CAT, DELUSER, DRYRUN, GENPASS, GETUSER, HELP, LIST, LOAD, LOG,
 * SAVE, SETUSER, USERS, WHOAMI (SPEC §1.1).
 *
 * @module
 */
import { arityErrorReply, resp, type RespValue } from "@sentinel-kit/resp-protocol";
import { commandTable } from "../commands/command-table.js";
import { helpReply } from "../commands/help.js";
import { NOT_AN_INTEGER_ERROR, parseLongLong } from "../commands/parse.js";
import { describeChannels, describeCommandRules, describeKeys, userFlags } from "./acl-describe.js";
import { aclLogReply, type AclLog } from "./acl-log.js";
import type { AclSelector } from "./acl-rules.js";
import { ACL_CATEGORIES, allCommands } from "./command-index.js";
import { AclRuleError } from "./errors.js";
import { checkPermission, resolveCommand, revokedSubscriptions, type AclSubscriptions } from "./permissions.js";
import { AclUserError, type AclUsers } from "./users.js";

/** The ACL file, when `aclfile` is configured: the daemon's I/O behind a narrow interface. */
export interface AclFileStore {
  /** The path as configured, for error texts. */
  readonly path: string;
  /** Reads the whole file; rejects with a Node error (its `code`, e.g. `ENOENT`, is reported). */
  read(): Promise<string>;
  /** Replaces the file's content (temp file and rename, as ACL SAVE does). */
  write(text: string): Promise<void>;
}

/** What the ACL command works on. */
export interface AclCommandContext {
  /** The user table. */
  readonly users: AclUsers;
  /** The security log. */
  readonly log: AclLog;
  /** The daemon's clock, in milliseconds (ACL LOG's `age-seconds`). */
  readonly now: number;
  /** The calling client's user name (ACL WHOAMI). */
  readonly user: string;
  /** Random bytes (ACL GENPASS). */
  readonly randomBytes: (size: number) => Buffer;
  /** The ACL file, if `aclfile` is configured; ACL LOAD and SAVE refuse without it. */
  readonly aclFile?: AclFileStore | undefined;
  /**
   * Called after DELUSER or LOAD removed users: clients authenticated as them must be
   * disconnected, as `ACLFreeUserAndKillClients` does.
   */
  readonly dropUsers?: ((names: readonly string[]) => void) | undefined;
  /**
   * Called after SETUSER narrowed a user's channels: disconnect each client authenticated as
   * `user` with subscriptions for which `mustDrop` is true (`ACLKillPubsubClientsIfNeeded`).
   */
  readonly dropSubscribers?: ((user: string, mustDrop: (subscriptions: AclSubscriptions) => boolean) => void) | undefined;
}

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

const NO_ACL_FILE_ERROR =
  "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.";

const SAVE_FAILED_ERROR = "ERR There was an error trying to save the ACLs. Please check the server logs for more information";

const GENPASS_MAX_BITS = 4096;

// strerror texts for the errors an ACL file read can meet.
const STRERROR: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EMFILE: "Too many open files",
  ELOOP: "Too many levels of symbolic links",
};

function strerror(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return STRERROR[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

function selectorMap(selector: AclSelector, users: AclUsers): Array<readonly [RespValue, RespValue]> {
  return [
    [resp.bulk("commands"), resp.bulk(describeCommandRules(selector, users.ctx))],
    [resp.bulk("keys"), resp.bulk(describeKeys(selector))],
    [resp.bulk("channels"), resp.bulk(describeChannels(selector))],
  ];
}

function getUser(name: string, users: AclUsers): RespValue {
  const user = users.get(name);
  // Redis 7.0.15 answers null for an unknown user (later versions answer an error).
  if (user === undefined) return resp.null();
  return resp.map([
    [resp.bulk("flags"), resp.set(userFlags(user).map((f) => resp.bulk(f)))],
    [resp.bulk("passwords"), resp.bulkStrings(user.passwords)],
    ...selectorMap(user.rootSelector, users),
    [resp.bulk("selectors"), resp.array(user.selectors.filter((s) => !s.root).map((s) => resp.map(selectorMap(s, users))))],
  ]);
}

function setUser(args: readonly string[], ctx: AclCommandContext): RespValue {
  const [name = "", ...rules] = args;
  try {
    const { before, after } = ctx.users.setUser(name, rules);
    const mustDrop = before === undefined ? undefined : revokedSubscriptions(after, before);
    if (mustDrop !== undefined) ctx.dropSubscribers?.(name, mustDrop);
    return resp.simple("OK");
  } catch (error) {
    if (error instanceof AclUserError) return resp.error(`ERR ${error.message}`);
    if (error instanceof AclRuleError) return resp.error(`ERR Error in ACL SETUSER modifier '${error.rule}': ${error.message}`);
    throw error;
  }
}

function deleteUsers(names: readonly string[], ctx: AclCommandContext): RespValue {
  try {
    const deleted = ctx.users.deleteUsers(names);
    if (deleted.length > 0) ctx.dropUsers?.(deleted);
    return resp.integer(deleted.length);
  } catch (error) {
    if (error instanceof AclUserError) return resp.error(`ERR ${error.message}`);
    throw error;
  }
}

function cat(category: string | undefined, users: AclUsers): RespValue {
  if (category === undefined) return resp.bulkStrings(ACL_CATEGORIES);
  const name = category.toLowerCase();
  if (!ACL_CATEGORIES.includes(name)) {
    return resp.error(`ERR Unknown category '${Buffer.from(category, "utf8").subarray(0, 128).toString("utf8")}'`);
  }
  return resp.bulkStrings(allCommands(users.ctx.index).filter((c) => c.categories.has(name)).map((c) => c.fullName));
}

function log(arg: string | undefined, ctx: AclCommandContext): RespValue {
  let count = 10;
  if (arg !== undefined) {
    if (arg.toLowerCase() === "reset") {
      ctx.log.reset();
      return resp.simple("OK");
    }
    const parsed = parseLongLong(arg);
    if (parsed === null) return resp.error(NOT_AN_INTEGER_ERROR);
    count = Math.max(0, parsed);
  }
  return aclLogReply(ctx.log.entries(count), ctx.now);
}

function genpass(arg: string | undefined, ctx: AclCommandContext): RespValue {
  let bits = 256;
  if (arg !== undefined) {
    const parsed = parseLongLong(arg);
    if (parsed === null) return resp.error(NOT_AN_INTEGER_ERROR);
    bits = parsed;
  }
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    return resp.error(
      `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`,
    );
  }
  const chars = Math.floor((bits + 3) / 4);
  return resp.bulk(ctx.randomBytes(Math.ceil(chars / 2)).toString("hex").slice(0, chars));
}

function dryrun(args: readonly string[], users: AclUsers): RespValue {
  const [name = "", ...argv] = args;
  const user = users.get(name);
  if (user === undefined) return resp.error(`ERR User '${name}' not found`);
  const command = resolveCommand(users.ctx.index, argv);
  const entry = command === undefined ? undefined : arityOf(command.fullName);
  if (command === undefined || entry === undefined) return resp.error(`ERR Command '${argv[0] ?? ""}' not found`);
  if ((entry > 0 && entry !== argv.length) || argv.length < -entry) return arityErrorReply(command.fullName);
  const denial = checkPermission(user, command, argv);
  if (denial === undefined) return resp.simple("OK");
  if (denial.reason === "command") return resp.bulk(`This user has no permissions to run the '${denial.object}' command`);
  return resp.bulk(`This user has no permissions to access the '${denial.object}' channel`);
}

function arityOf(fullName: string): number | undefined {
  const [base = "", sub] = fullName.split("|");
  const entry = commandTable().commands.get(base);
  return sub === undefined ? entry?.arity : entry?.subcommands.get(sub)?.arity;
}

async function load(ctx: AclCommandContext, file: AclFileStore): Promise<RespValue> {
  let text: string;
  try {
    text = await file.read();
  } catch (error) {
    return resp.error(`ERR Error loading ACLs, opening file '${file.path}': ${strerror(error)}`);
  }
  const result = ctx.users.loadAclFile(text, file.path);
  if (!result.ok) return resp.error(`ERR ${result.errors}`);
  if (result.droppedUsers.length > 0) ctx.dropUsers?.(result.droppedUsers);
  return resp.simple("OK");
}

async function save(ctx: AclCommandContext, file: AclFileStore): Promise<RespValue> {
  try {
    await file.write(ctx.users.aclFileText());
    return resp.simple("OK");
  } catch {
    return resp.error(SAVE_FAILED_ERROR);
  }
}

/**
 * Answers `ACL <args...>`.
 *
 * @param args - The arguments after `ACL`, subcommand first, as sent.
 * @param ctx - The users, the log, the clock, the caller and the ACL file.
 * @returns The reply; a promise for LOAD and SAVE, which touch the file.
 */
export function aclCommand(args: readonly string[], ctx: AclCommandContext): RespValue | Promise<RespValue> {
  const [rawSub = "", ...rest] = args;
  const sub = rawSub.toLowerCase();
  const subArity = commandTable().commands.get("acl")?.subcommands.get(sub)?.arity;
  if (subArity === undefined) {
    return resp.error(`ERR unknown subcommand '${Buffer.from(rawSub, "utf8").subarray(0, 128).toString("utf8")}'. Try ACL HELP.`);
  }
  const argc = args.length + 1;
  if ((subArity > 0 && argc !== subArity) || argc < -subArity) return arityErrorReply(`acl|${sub}`);
  const users = ctx.users;
  switch (sub) {
    case "setuser":
      return setUser(rest, ctx);
    case "deluser":
      return deleteUsers(rest, ctx);
    case "getuser":
      return getUser(rest[0] ?? "", users);
    case "list":
      return resp.bulkStrings(users.list());
    case "users":
      return resp.bulkStrings(users.names());
    case "whoami":
      return resp.bulk(ctx.user);
    case "load":
    case "save":
      if (ctx.aclFile === undefined) return resp.error(NO_ACL_FILE_ERROR);
      return sub === "load" ? load(ctx, ctx.aclFile) : save(ctx, ctx.aclFile);
    case "dryrun":
      return dryrun(rest, users);
    case "help":
      return helpReply("ACL", ACL_HELP);
    default:
      break;
  }
  // CAT, LOG and GENPASS take at most one argument; more is addReplySubcommandSyntaxError.
  if (rest.length > 1) {
    return resp.error(`ERR unknown subcommand or wrong number of arguments for '${rawSub}'. Try ACL HELP.`);
  }
  if (sub === "cat") return cat(rest[0], users);
  if (sub === "log") return log(rest[0], ctx);
  return genpass(rest[0], ctx);
}
