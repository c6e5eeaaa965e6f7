/**
 * Redis 7.0.15's command table in sentinel mode, decoded from the replies captured from the
 * real redis-sentinel (`command-table.generated.ts`): what COMMAND answers, and the arities
 * and subcommands `processCommand` checks before a command runs (SPEC §1.1).
 *
 * @module
 */
import { RespDecoder, type RespValue } from "@sentinel-kit/resp-protocol";
import {
  COMMAND_DOCS_REPLY_RESP3,
  COMMAND_LIST_REPLY_RESP3,
  COMMAND_REPLY_RESP3,
} from "./command-table.generated.js";

/** One command or subcommand of the table. */
export interface CommandTableEntry {
  /** The full lower-case name, e.g. `sentinel|master`. */
  readonly fullName: string;
  /** Redis's arity: N means exactly N arguments (name included), -N at least N. */
  readonly arity: number;
  /** ACL categories without the `@`, e.g. `slow`, `admin`. */
  readonly aclCategories: readonly string[];
  /** The entry's COMMAND INFO reply element. */
  readonly info: RespValue;
  /** Subcommands by lower-case subcommand name (the part after `|`). */
  readonly subcommands: ReadonlyMap<string, CommandTableEntry>;
}

/** The decoded table. */
export interface CommandTable {
  /** Top-level commands by lower-case name, in the captured COMMAND order. */
  readonly commands: ReadonlyMap<string, CommandTableEntry>;
  /** COMMAND DOCS's reply for every command: name -> docs value, in the captured order. */
  readonly docs: ReadonlyMap<string, RespValue>;
  /** COMMAND LIST's names, commands and subcommands, in the captured order. */
  readonly list: readonly string[];
}

function decodeOne(text: string): RespValue {
  const values: RespValue[] = [];
  const decoder = new RespDecoder({ onReply: (value) => values.push(value) });
  decoder.feed(Buffer.from(text, "utf8"));
  const [value] = values;
  if (value === undefined || values.length !== 1) throw new Error("command table: expected exactly one RESP value");
  return value;
}

function text(value: RespValue | undefined): string {
  if (value === undefined) throw new Error("command table: missing field");
  if (value.kind === "bulk") return value.value.toString("utf8");
  if (value.kind === "simple") return value.value;
  throw new Error(`command table: expected a string, got ${value.kind}`);
}

function elements(value: RespValue | undefined): readonly RespValue[] {
  if (value !== undefined && (value.kind === "array" || value.kind === "set")) return value.value;
  throw new Error("command table: expected an aggregate");
}

function entryOf(info: RespValue): CommandTableEntry {
  const fields = elements(info);
  const arity = fields[1];
  if (arity?.kind !== "integer") throw new Error("command table: arity is not an integer");
  const subcommands = new Map<string, CommandTableEntry>();
  const fullName = text(fields[0]);
  for (const sub of elements(fields[9])) {
    const entry = entryOf(sub);
    subcommands.set(entry.fullName.slice(entry.fullName.indexOf("|") + 1), entry);
  }
  return {
    fullName,
    arity: Number(arity.value),
    aclCategories: elements(fields[6]).map((c) => text(c).replace(/^@/, "")),
    info,
    subcommands,
  };
}

function decodeTable(): CommandTable {
  const commands = new Map<string, CommandTableEntry>();
  for (const info of elements(decodeOne(COMMAND_REPLY_RESP3))) {
    const entry = entryOf(info);
    commands.set(entry.fullName, entry);
  }
  const docsValue = decodeOne(COMMAND_DOCS_REPLY_RESP3);
  if (docsValue.kind !== "map") throw new Error("command table: COMMAND DOCS is not a map");
  const docs = new Map<string, RespValue>();
  for (const [name, doc] of docsValue.value) docs.set(text(name), doc);
  const list = elements(decodeOne(COMMAND_LIST_REPLY_RESP3)).map(text);
  return { commands, docs, list };
}

let table: CommandTable | undefined;

/** The table, decoded on first use. */
export function commandTable(): CommandTable {
  table ??= decodeTable();
  return table;
}

/**
 * Whether Redis 7.0.15 in sentinel mode has the command (the `isKnownCommand` hook of
 * resp-protocol's RespServer, so unknown commands are refused before the auth check, in
 * Redis's order).
 *
 * @param name - The command name, any case.
 */
export function isSentinelCommand(name: string): boolean {
  return commandTable().commands.has(name.toLowerCase());
}

/** Whether `argc` arguments (name included) satisfy Redis's `arity`. */
export function arityAccepts(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}
