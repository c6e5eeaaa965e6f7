/**
 * ACL users and the rules that change them, as `acl.c`'s `ACLSetUser` and `ACLSetSelector`
 * apply them (Redis 7.0.15): flags, passwords (SHA-256 hex), key and channel patterns,
 * command permissions by command, subcommand, first argument and category, and selectors.
 * Pure: no I/O; the command index is an input.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { splitArgs } from "@sentinel-kit/resp-protocol";
import { ACL_CATEGORIES, allCommands, type AclCommand, type AclCommandIndex } from "./command-index.js";
import { AclRuleError } from "./errors.js";

/** What rules need besides the user: the commands they may name, and `acl-pubsub-default`. */
export interface AclRuleContext {
  /** The commands `+cmd`, `-cmd` and `+@category` resolve against. */
  readonly index: AclCommandIndex;
  /**
   * `acl-pubsub-default allchannels`: new users and `reset` get `&*`. Redis 7's default
   * (`resetchannels`) is false.
   */
  readonly allChannelsByDefault: boolean;
}

/** A key pattern with its `%R~` / `%W~` permissions (`~` is both). */
export interface AclKeyPattern {
  /** The glob pattern. */
  readonly pattern: string;
  /** Whether reads of matching keys are allowed. */
  readonly read: boolean;
  /** Whether writes of matching keys are allowed. */
  readonly write: boolean;
}

/** One selector: the root one (rules outside parentheses) or a `(...)` one. */
export class AclSelector {
  /** Whether this is the user's root selector. */
  readonly root: boolean;
  /** `~*` / `allkeys`. */
  allKeys = false;
  /** `&*` / `allchannels`. */
  allChannels = false;
  /** Key patterns in the order added (empty when {@link allKeys}). */
  keys: AclKeyPattern[] = [];
  /** Channel patterns in the order added (empty when {@link allChannels}). */
  channels: string[] = [];
  /** Full names of the commands and subcommands allowed (the command bitmap). */
  allowed = new Set<string>();
  /**
   * The reserved bit `+@all` sets: commands added later are allowed too. Only `+@all` /
   * `allcommands` set it and only `-@all` / `nocommands` clear it.
   */
  future = false;
  /** Allowed first arguments of otherwise denied commands (`+select|0`), by full name. */
  firstArgs = new Map<string, string[]>();

  /**
   * @param root - Whether it is the root selector.
   * @param allChannels - The initial `allchannels` state (`acl-pubsub-default`).
   */
  constructor(root: boolean, allChannels: boolean) {
    this.root = root;
    this.allChannels = allChannels;
  }

  /** A deep copy. */
  clone(): AclSelector {
    const copy = new AclSelector(this.root, this.allChannels);
    copy.allKeys = this.allKeys;
    copy.keys = [...this.keys];
    copy.channels = [...this.channels];
    copy.allowed = new Set(this.allowed);
    copy.future = this.future;
    copy.firstArgs = new Map([...this.firstArgs].map(([k, v]) => [k, [...v]]));
    return copy;
  }
}

/** `skip-sanitize-payload` / `sanitize-payload`, or neither (a user never `reset`). */
export type AclSanitizeFlag = "none" | "skip-sanitize-payload" | "sanitize-payload";

/** One ACL user. Mutable: tables apply rules to a copy and swap it in. */
export class AclUser {
  /** The user name. */
  readonly name: string;
  /** `on` (true) or `off` (false); new users are off. */
  enabled = false;
  /** `nopass`: any password authenticates. */
  nopass = false;
  /** The payload sanitization flag. */
  sanitize: AclSanitizeFlag = "none";
  /** SHA-256 hex hashes of the passwords, in the order added. */
  passwords: string[] = [];
  /** The selectors; the first is the root selector. */
  selectors: AclSelector[];

  /**
   * A new user as `ACLCreateUser` makes it: off, no passwords, no permissions.
   *
   * @param name - The user name.
   * @param allChannelsByDefault - `acl-pubsub-default allchannels`.
   */
  constructor(name: string, allChannelsByDefault: boolean) {
    this.name = name;
    this.selectors = [new AclSelector(true, allChannelsByDefault)];
  }

  /** The root selector. */
  get rootSelector(): AclSelector {
    const root = this.selectors[0];
    if (root === undefined || !root.root) throw new Error("ACL user without a root selector");
    return root;
  }

  /** A deep copy, possibly under another name (`ACLCopyUser`). */
  clone(name: string = this.name): AclUser {
    const copy = new AclUser(name, false);
    copy.enabled = this.enabled;
    copy.nopass = this.nopass;
    copy.sanitize = this.sanitize;
    copy.passwords = [...this.passwords];
    copy.selectors = this.selectors.map((s) => s.clone());
    return copy;
  }
}

/** SHA-256 of a password as lower-case hex: the form ACLs store and `#` takes (`ACLHashPassword`). */
export function hashPassword(password: string | Buffer): string {
  return createHash("sha256").update(password).digest("hex");
}

const HASH = /^[0-9a-f]{64}$/;

/** Whether a user name or pattern is refused for spaces or NUL bytes (`ACLStringHasSpaces`: C-locale `isspace`, or NUL). */
export function hasSpacesOrNul(text: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(text);
}

/**
 * Allows or denies one command (`ACLChangeSelectorPerm`): a container's subcommands follow
 * it, and its allowed first arguments are dropped.
 */
export function setCommandPermission(selector: AclSelector, command: AclCommand, allow: boolean): void {
  const set = (c: AclCommand): void => {
    if (allow) selector.allowed.add(c.fullName);
    else selector.allowed.delete(c.fullName);
  };
  set(command);
  selector.firstArgs.delete(command.fullName);
  for (const sub of command.subcommands) set(sub);
}

/**
 * `+@category` / `-@category` on a selector (`ACLSetSelectorCommandBitsForCategory`): every
 * command in the category, and a container's subcommands with it.
 *
 * @returns false for an unknown category.
 */
export function setCategory(selector: AclSelector, category: string, allow: boolean, index: AclCommandIndex): boolean {
  const name = category.toLowerCase();
  if (!ACL_CATEGORIES.includes(name)) return false;
  for (const command of allCommands(index)) {
    if (command.categories.has(name)) setCommandPermission(selector, command, allow);
  }
  return true;
}

function setAll(selector: AclSelector, allow: boolean, index: AclCommandIndex): void {
  selector.allowed = allow ? new Set(allCommands(index).map((c) => c.fullName)) : new Set();
  selector.future = allow;
  selector.firstArgs = new Map();
}

function addKeyPattern(selector: AclSelector, op: string): void {
  if (selector.allKeys) throw new AclRuleError("key-pattern-after-all", op);
  let read = false;
  let write = false;
  let offset = 1;
  if (op.startsWith("%")) {
    for (; offset < op.length; offset++) {
      const c = op[offset] ?? "";
      if (c.toUpperCase() === "R" && !read) read = true;
      else if (c.toUpperCase() === "W" && !write) write = true;
      else if (c === "~") {
        offset++;
        break;
      } else throw new AclRuleError("syntax", op);
    }
    if (!read && !write) throw new AclRuleError("syntax", op);
  } else {
    read = true;
    write = true;
  }
  const pattern = op.slice(offset);
  if (hasSpacesOrNul(pattern)) throw new AclRuleError("syntax", op);
  const at = selector.keys.findIndex((k) => k.pattern === pattern);
  if (at === -1) selector.keys.push({ pattern, read, write });
  else {
    const old = selector.keys[at];
    if (old !== undefined) selector.keys[at] = { pattern, read: old.read || read, write: old.write || write };
  }
}

function addChannelPattern(selector: AclSelector, op: string): void {
  if (selector.allChannels) throw new AclRuleError("channel-pattern-after-all", op);
  const pattern = op.slice(1);
  if (hasSpacesOrNul(pattern)) throw new AclRuleError("syntax", op);
  if (!selector.channels.includes(pattern)) selector.channels.push(pattern);
}

function allowCommand(selector: AclSelector, op: string, index: AclCommandIndex): void {
  const name = op.slice(1);
  const bar = name.lastIndexOf("|");
  if (bar === -1) {
    const command = index.lookup(name);
    if (command === undefined) throw new AclRuleError("unknown-command-or-category", op);
    setCommandPermission(selector, command, true);
    return;
  }
  const command = index.lookup(name.slice(0, bar));
  const sub = name.slice(bar + 1);
  if (command === undefined) throw new AclRuleError("unknown-command-or-category", op);
  if (command.parent !== undefined) throw new AclRuleError("first-arg-of-subcommand", op);
  if (sub.length === 0) throw new AclRuleError("syntax", op);
  if (command.subcommands.length > 0) {
    const subcommand = index.lookup(name);
    if (subcommand === undefined) throw new AclRuleError("unknown-command-or-category", op);
    setCommandPermission(selector, subcommand, true);
    return;
  }
  // `+select|0`: a first argument of an otherwise denied command (deprecated in Redis).
  const list = selector.firstArgs.get(command.fullName) ?? [];
  if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
  selector.firstArgs.set(command.fullName, list);
}

/**
 * Applies one selector rule (`ACLSetSelector`): key, channel and command rules.
 *
 * @throws {@link AclRuleError} when the rule is refused; the selector may then be partly
 *   changed, so callers apply rules to a copy.
 */
export function applySelectorRule(selector: AclSelector, op: string, ctx: AclRuleContext): void {
  const lower = op.toLowerCase();
  if (lower === "allkeys" || op === "~*") {
    selector.allKeys = true;
    selector.keys = [];
  } else if (lower === "resetkeys") {
    selector.allKeys = false;
    selector.keys = [];
  } else if (lower === "allchannels" || op === "&*") {
    selector.allChannels = true;
    selector.channels = [];
  } else if (lower === "resetchannels") {
    selector.allChannels = false;
    selector.channels = [];
  } else if (lower === "allcommands" || lower === "+@all") {
    setAll(selector, true, ctx.index);
  } else if (lower === "nocommands" || lower === "-@all") {
    setAll(selector, false, ctx.index);
  } else if (op.startsWith("~") || op.startsWith("%")) {
    addKeyPattern(selector, op);
  } else if (op.startsWith("&")) {
    addChannelPattern(selector, op);
  } else if (op.startsWith("+") && op[1] !== "@") {
    allowCommand(selector, op, ctx.index);
  } else if (op.startsWith("-") && op[1] !== "@") {
    const command = ctx.index.lookup(op.slice(1));
    if (command === undefined) throw new AclRuleError("unknown-command-or-category", op);
    setCommandPermission(selector, command, false);
  } else if ((op.startsWith("+") || op.startsWith("-")) && op[1] === "@") {
    if (!setCategory(selector, op.slice(2), op.startsWith("+"), ctx.index)) {
      throw new AclRuleError("unknown-command-or-category", op);
    }
  } else {
    throw new AclRuleError("syntax", op);
  }
}

function selectorFromOpSet(op: string, ctx: AclRuleContext): AclSelector {
  const selector = new AclSelector(false, ctx.allChannelsByDefault);
  const inner = Buffer.from(op.slice(1, -1), "utf8");
  // sdssplitargs: quotes allowed; unbalanced quotes make the whole selector a syntax error.
  const args = splitArgs(inner, 0, inner.length);
  if (args === null) throw new AclRuleError("syntax", op);
  try {
    for (const arg of args) applySelectorRule(selector, arg.toString("utf8"), ctx);
  } catch (error) {
    // SETUSER's error names the whole `(...)` modifier, not the rule inside it.
    if (error instanceof AclRuleError) throw new AclRuleError(error.reason, op);
    throw error;
  }
  return selector;
}

function removePassword(user: AclUser, op: string, hash: string): void {
  const at = user.passwords.indexOf(hash);
  if (at === -1) throw new AclRuleError("no-such-password", op);
  user.passwords.splice(at, 1);
}

/**
 * Applies one rule to a user (`ACLSetUser`): `on`, `off`, `nopass`, `resetpass`, `>pass`,
 * `<pass`, `#hash`, `!hash`, `(selector rules)`, `clearselectors`, `reset`,
 * `[skip-]sanitize-payload`, or any selector rule, which changes the root selector.
 * Keywords are case-insensitive; an empty rule does nothing.
 *
 * @throws {@link AclRuleError} when the rule is refused.
 */
export function applyRule(user: AclUser, op: string, ctx: AclRuleContext): void {
  if (op.length === 0) return;
  const lower = op.toLowerCase();
  switch (lower) {
    case "on":
      user.enabled = true;
      return;
    case "off":
      user.enabled = false;
      return;
    case "skip-sanitize-payload":
    case "sanitize-payload":
      user.sanitize = lower;
      return;
    case "nopass":
      user.nopass = true;
      user.passwords = [];
      return;
    case "resetpass":
      user.nopass = false;
      user.passwords = [];
      return;
    case "clearselectors":
      user.selectors = [user.rootSelector];
      return;
    case "reset":
      user.nopass = false;
      user.passwords = [];
      applySelectorRule(user.rootSelector, "resetkeys", ctx);
      applySelectorRule(user.rootSelector, ctx.allChannelsByDefault ? "allchannels" : "resetchannels", ctx);
      user.enabled = false;
      user.sanitize = "sanitize-payload";
      user.selectors = [user.rootSelector];
      applySelectorRule(user.rootSelector, "-@all", ctx);
      return;
    default:
      break;
  }
  const first = op[0];
  if (first === ">" || first === "#") {
    const hash = first === ">" ? hashPassword(op.slice(1)) : op.slice(1);
    if (first === "#" && !HASH.test(hash)) throw new AclRuleError("bad-hash", op);
    if (!user.passwords.includes(hash)) user.passwords.push(hash);
    user.nopass = false;
  } else if (first === "<" || first === "!") {
    const hash = first === "<" ? hashPassword(op.slice(1)) : op.slice(1);
    if (first === "!" && !HASH.test(hash)) throw new AclRuleError("bad-hash", op);
    removePassword(user, op, hash);
  } else if (first === "(" && op.endsWith(")")) {
    user.selectors.push(selectorFromOpSet(op, ctx));
  } else {
    applySelectorRule(user.rootSelector, op, ctx);
  }
}

/**
 * Joins a selector spread over several arguments, `(` ... `)`, into one rule, as
 * `ACLMergeSelectorArguments` does for `ACL SETUSER` and `user` lines.
 *
 * @returns The merged rules, or the index of the argument that opens an unclosed selector.
 */
export function mergeSelectorArguments(ops: readonly string[]): { readonly rules: string[] } | { readonly unmatchedAt: number } {
  const rules: string[] = [];
  let openAt = -1;
  let selector = "";
  ops.forEach((op, j) => {
    if (op.startsWith("(") && !op.endsWith(")")) {
      selector = op;
      openAt = j;
      return;
    }
    if (openAt !== -1) {
      selector += ` ${op}`;
      if (op.endsWith(")")) {
        openAt = -1;
        rules.push(selector);
      }
      return;
    }
    rules.push(op);
  });
  return openAt === -1 ? { rules } : { unmatchedAt: openAt };
}

/** The `default` user as Redis creates it: `on nopass ~* &* +@all` (`ACLCreateDefaultUser`). */
export function createDefaultUser(ctx: AclRuleContext): AclUser {
  const user = new AclUser("default", ctx.allChannelsByDefault);
  for (const op of ["+@all", "~*", "&*", "on", "nopass"]) applyRule(user, op, ctx);
  return user;
}
