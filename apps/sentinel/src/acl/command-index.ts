/**
 * The commands ACL rules name, seen the way `acl.c` sees them: every command and subcommand
 * of Redis 7.0.15's sentinel-mode table with its ACL categories, and `ACLLookupCommand`'s
 * lookup by `name` or `container|subcommand`. Built from the command table the command layer
 * captured from the real redis-sentinel (`../commands/command-table.generated.ts`), so the
 * category membership is Redis's own (SPEC §1.1).
 *
 * @module
 */
import type { RespValue } from "@sentinel-kit/resp-protocol";
import { commandTable, type CommandTableEntry } from "../commands/command-table.js";

/**
 * Redis's ACL categories in `ACLCommandCategories` order: the order of `ACL CAT` and the
 * order `ACLDescribeSelectorCommandRules` tries categories in.
 */
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

/** One command or subcommand as ACL rules see it. */
export interface AclCommand {
  /** Lower-case full name, `ping` or `sentinel|myid`. */
  readonly fullName: string;
  /** The categories it belongs to, without `@`. */
  readonly categories: ReadonlySet<string>;
  /** Whether it has Redis's `no_auth` flag (AUTH, HELLO): ACLs never deny it. */
  readonly noAuth: boolean;
  /** The container, for a subcommand. */
  readonly parent: AclCommand | undefined;
  /** The subcommands, for a container. */
  readonly subcommands: readonly AclCommand[];
}

/** The whole set of commands rules can name. */
export interface AclCommandIndex {
  /** Top-level commands, in the index's iteration order. */
  readonly commands: readonly AclCommand[];
  /**
   * Finds a command as `ACLLookupCommand` does: `name` or `container|sub`, any case;
   * undefined for unknown names, more than one `|`, or `|` after a command without
   * subcommands.
   */
  lookup(name: string): AclCommand | undefined;
}

/** What {@link buildCommandIndex} needs of one command: the command table's fields. */
export interface AclCommandSource {
  /** Lower-case full name. */
  readonly fullName: string;
  /** Categories without `@`. */
  readonly aclCategories: readonly string[];
  /** Command flags as COMMAND INFO prints them, e.g. `no_auth`. */
  readonly flags: readonly string[];
  /** Subcommands. */
  readonly subcommands: readonly AclCommandSource[];
}

interface MutableCommand {
  fullName: string;
  categories: ReadonlySet<string>;
  noAuth: boolean;
  parent: AclCommand | undefined;
  subcommands: AclCommand[];
}

function build(source: AclCommandSource, parent: AclCommand | undefined): AclCommand {
  const command: MutableCommand = {
    fullName: source.fullName.toLowerCase(),
    categories: new Set(source.aclCategories.map((c) => c.toLowerCase())),
    noAuth: source.flags.includes("no_auth"),
    parent,
    subcommands: [],
  };
  for (const sub of source.subcommands) command.subcommands.push(build(sub, command));
  return command;
}

/**
 * Builds an index from command descriptions (tests use small made-up tables; the daemon
 * uses {@link sentinelCommandIndex}).
 */
export function buildCommandIndex(sources: readonly AclCommandSource[]): AclCommandIndex {
  const commands = sources.map((s) => build(s, undefined));
  const byName = new Map(commands.map((c) => [c.fullName, c]));
  return {
    commands,
    lookup(name: string): AclCommand | undefined {
      const parts = name.toLowerCase().split("|");
      if (parts.length > 2) return undefined;
      const base = byName.get(parts[0] ?? "");
      if (base === undefined || parts.length === 1) return base;
      if (base.subcommands.length === 0) return undefined;
      return base.subcommands.find((s) => s.fullName === `${base.fullName}|${parts[1] ?? ""}`);
    },
  };
}

function flagsOf(info: RespValue): string[] {
  if (info.kind !== "array") return [];
  const flags = info.value[2];
  if (flags === undefined || (flags.kind !== "set" && flags.kind !== "array")) return [];
  return flags.value.flatMap((f) => (f.kind === "simple" ? [f.value] : f.kind === "bulk" ? [f.value.toString("utf8")] : []));
}

function sourceOf(entry: CommandTableEntry): AclCommandSource {
  return {
    fullName: entry.fullName,
    aclCategories: entry.aclCategories,
    flags: flagsOf(entry.info),
    subcommands: [...entry.subcommands.values()].map(sourceOf),
  };
}

let sentinelIndex: AclCommandIndex | undefined;

/** Redis 7.0.15's sentinel-mode commands, from the captured command table; built on first use. */
export function sentinelCommandIndex(): AclCommandIndex {
  sentinelIndex ??= buildCommandIndex([...commandTable().commands.values()].map(sourceOf));
  return sentinelIndex;
}

/** Every command and subcommand of `index`, each container before its subcommands. */
export function allCommands(index: AclCommandIndex): AclCommand[] {
  const out: AclCommand[] = [];
  const walk = (list: readonly AclCommand[]): void => {
    for (const c of list) {
      out.push(c);
      walk(c.subcommands);
    }
  };
  walk(index.commands);
  return out;
}
