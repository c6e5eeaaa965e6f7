/**
 * The COMMAND command over Redis 7.0.15's sentinel-mode command table (`commandCommand`,
 * `commandInfoCommand`, `commandDocsCommand`, `commandListCommand` in server.c).
 *
 * @module
 */
import { globMatch, resp, type RespValue } from "@sentinel-kit/resp-protocol";
import { commandTable, type CommandTableEntry } from "./command-table.js";
import { COMMAND_HELP, helpReply } from "./help.js";
import { SYNTAX_ERROR } from "./parse.js";

/** Finds a command or `container|sub` by name, any case (`lookupCommandBySds`). */
function lookup(name: string): CommandTableEntry | undefined {
  const [top = "", sub, ...rest] = name.toLowerCase().split("|");
  if (rest.length > 0) return undefined;
  const entry = commandTable().commands.get(top);
  if (sub === undefined) return entry;
  return entry?.subcommands.get(sub);
}

function allEntries(): CommandTableEntry[] {
  const out: CommandTableEntry[] = [];
  for (const entry of commandTable().commands.values()) out.push(entry, ...entry.subcommands.values());
  return out;
}

function listReply(args: readonly string[]): RespValue {
  const { list } = commandTable();
  if (args.length === 0) return resp.array(list.map((n) => resp.bulk(n)));
  if (args.length !== 3 || (args[0] ?? "").toLowerCase() !== "filterby") return resp.error(SYNTAX_ERROR);
  const kind = (args[1] ?? "").toLowerCase();
  const arg = args[2] ?? "";
  const entries = new Map(allEntries().map((e) => [e.fullName, e]));
  let keep: (entry: CommandTableEntry) => boolean;
  if (kind === "module") keep = () => false;
  else if (kind === "aclcat") keep = (e) => e.aclCategories.includes(arg.toLowerCase());
  else if (kind === "pattern") keep = (e) => globMatch(arg, e.fullName, true);
  else return resp.error(SYNTAX_ERROR);
  return resp.array(list.filter((n) => {
    const e = entries.get(n);
    return e !== undefined && keep(e);
  }).map((n) => resp.bulk(n)));
}

function docsReply(names: readonly string[]): RespValue {
  const { docs } = commandTable();
  if (names.length === 0) return resp.map([...docs].map(([name, doc]) => [resp.bulk(name), doc] as const));
  const pairs: Array<readonly [RespValue, RespValue]> = [];
  for (const name of names) {
    const entry = lookup(name);
    if (entry === undefined) continue;
    const doc = docs.get(entry.fullName) ?? findSubDoc(entry.fullName);
    if (doc !== undefined) pairs.push([resp.bulk(entry.fullName), doc]);
  }
  return resp.map(pairs);
}

// Subcommand docs live inside their container's doc, under `subcommands`.
function findSubDoc(fullName: string): RespValue | undefined {
  const container = commandTable().docs.get(fullName.split("|")[0] ?? "");
  if (container?.kind !== "map") return undefined;
  for (const [key, value] of container.value) {
    if (key.kind === "bulk" && key.value.toString() === "subcommands" && value.kind === "map") {
      for (const [sub, doc] of value.value) if (sub.kind === "bulk" && sub.value.toString() === fullName) return doc;
    }
  }
  return undefined;
}

/**
 * Runs `COMMAND [<subcommand> <args...>]` whose arity the dispatcher already checked.
 *
 * @param sub - The subcommand in lower case, or undefined for plain `COMMAND`.
 */
export function commandSubcommand(sub: string | undefined, args: readonly string[]): RespValue {
  const table = commandTable();
  switch (sub) {
    case undefined:
      return resp.array([...table.commands.values()].map((e) => e.info));
    case "help":
      return helpReply("COMMAND", COMMAND_HELP);
    case "count":
      return resp.integer(table.commands.size);
    case "list":
      return listReply(args);
    case "info":
      if (args.length === 0) return resp.array([...table.commands.values()].map((e) => e.info));
      return resp.array(args.map((name) => lookup(name)?.info ?? resp.null()));
    case "docs":
      return docsReply(args);
    case "getkeys":
    case "getkeysandflags": {
      // No command of a sentinel's table has key arguments (`getKeysFromCommandWithSpecs`).
      const base = table.commands.get((args[0] ?? "").toLowerCase());
      const entry = base !== undefined && base.subcommands.size > 0 && args.length > 1 ? base.subcommands.get((args[1] ?? "").toLowerCase()) : base;
      if (entry === undefined) return resp.error("ERR Invalid command specified");
      return resp.error("ERR The command has no key arguments");
    }
    default:
      return resp.error(`ERR unknown subcommand '${sub}'. Try COMMAND HELP.`);
  }
}
