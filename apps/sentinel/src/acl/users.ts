/**
 * The ACL user table of one daemon: the `default` user, `requirepass`, `user` directives,
 * the ACL file (load and save text), SETUSER / DELUSER, and password checks. Pure: file
 * reads and writes are the caller's; this takes and returns text.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import { describeUser } from "./acl-describe.js";
import { AclUser, applyRule, createDefaultUser, hashPassword, hasSpacesOrNul, mergeSelectorArguments, type AclRuleContext } from "./acl-rules.js";
import { sentinelCommandIndex, type AclCommandIndex } from "./command-index.js";
import { AclRuleError } from "./errors.js";

/** Why a user-level operation was refused; {@link AclUserError.message} is Redis's text. */
export type AclUserErrorReason =
  /** The user name has spaces or NUL bytes. */
  | "invalid-username"
  /** A `(` selector is never closed; {@link AclUserError.detail} is the argument opening it. */
  | "unmatched-parenthesis"
  /** DELUSER named `default`. */
  | "default-user-undeletable";

const USER_ERROR_TEXT: Record<AclUserErrorReason, (detail: string) => string> = {
  "invalid-username": () => "Usernames can't contain spaces or null characters",
  "unmatched-parenthesis": (detail) => `Unmatched parenthesis in acl selector starting at '${detail}'.`,
  "default-user-undeletable": () => "The 'default' user cannot be removed",
};

/** A SETUSER or DELUSER refused before any rule ran. */
export class AclUserError extends Error {
  override readonly name = "AclUserError";
  /** Why. */
  readonly reason: AclUserErrorReason;
  /** The offending argument, if any. */
  readonly detail: string;

  /**
   * @param reason - Why.
   * @param detail - The offending argument, if any.
   */
  constructor(reason: AclUserErrorReason, detail = "") {
    super(USER_ERROR_TEXT[reason](detail));
    this.reason = reason;
    this.detail = detail;
  }
}

/** The configuration is unusable: Redis logs this text and exits at start-up. */
export class AclConfigError extends Error {
  override readonly name = "AclConfigError";
}

/** Options of {@link AclUsers}. */
export interface AclUsersOptions {
  /** The commands rules may name; Redis 7.0.15's sentinel-mode table by default. */
  readonly index?: AclCommandIndex;
  /** `acl-pubsub-default allchannels`; false (`resetchannels`, Redis 7's default) by default. */
  readonly allChannelsByDefault?: boolean;
}

/** Where start-up users come from (sentinel.conf). */
export interface AclStartupConfig {
  /** `requirepass`, if set: the `default` user's password. */
  readonly requirepass?: string | undefined;
  /** The `user` directives in file order, each as its arguments after `user` (name first). */
  readonly userDirectives?: readonly (readonly string[])[];
  /** `aclfile`: its path (for messages) and its text. */
  readonly aclFile?: { readonly path: string; readonly text: string } | undefined;
}

/** The outcome of loading an ACL file. */
export type AclLoadResult =
  /** Loaded; clients authenticated as the listed users must be disconnected (Redis frees every old user but `default`). */
  | { readonly ok: true; readonly droppedUsers: readonly string[] }
  /** Nothing changed; `errors` is Redis's one-line error text. */
  | { readonly ok: false; readonly errors: string };

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The users of one daemon. */
export class AclUsers {
  /** The rule context every user of this table is changed with. */
  readonly ctx: AclRuleContext;
  #users = new Map<string, AclUser>();

  /**
   * Starts with the `default` user only, as `ACLInit` does.
   *
   * @param options - The command index and `acl-pubsub-default`.
   */
  constructor(options: AclUsersOptions = {}) {
    this.ctx = { index: options.index ?? sentinelCommandIndex(), allChannelsByDefault: options.allChannelsByDefault ?? false };
    this.#users.set("default", createDefaultUser(this.ctx));
  }

  /**
   * Builds the start-up table as Redis does: `requirepass` first, then the `user`
   * directives (a `user default` line resets the default user, so it wins over
   * `requirepass`), then the ACL file.
   *
   * @throws {@link AclConfigError} with the text Redis logs before exiting.
   */
  static fromConfig(config: AclStartupConfig, options: AclUsersOptions = {}): AclUsers {
    const users = new AclUsers(options);
    const directives = config.userDirectives ?? [];
    if (config.requirepass !== undefined) users.setRequirePass(config.requirepass);
    if (config.aclFile !== undefined && directives.length > 0) {
      throw new AclConfigError(
        "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.",
      );
    }
    users.loadUserDirectives(directives);
    if (config.aclFile !== undefined) {
      const result = users.loadAclFile(config.aclFile.text, config.aclFile.path);
      if (!result.ok) throw new AclConfigError(`Aborting Redis startup because of ACL errors: ${result.errors}`);
    }
    return users;
  }

  /** The `default` user. */
  get defaultUser(): AclUser {
    const user = this.#users.get("default");
    if (user === undefined) throw new Error("ACL table without a default user");
    return user;
  }

  /** A user by exact (case-sensitive) name. */
  get(name: string): AclUser | undefined {
    return this.#users.get(name);
  }

  /** User names in Redis's order (byte order, as its radix tree iterates). */
  names(): string[] {
    return [...this.#users.keys()].sort(byteOrder);
  }

  /** The users as `user <name> <rules>` lines, in {@link names} order: ACL LIST and the ACL file. */
  list(): string[] {
    return this.names().map((name) => `user ${name} ${describeUser(this.get(name) ?? this.defaultUser, this.ctx)}`);
  }

  /** The ACL file text ACL SAVE writes: {@link list}, one line each, each ending in `\n`. */
  aclFileText(): string {
    return this.list()
      .map((line) => `${line}\n`)
      .join("");
  }

  /**
   * Whether a new connection must authenticate: the default user has a password or is off
   * (`authRequired`). When false, a connection starts authenticated as `default`.
   */
  authRequired(): boolean {
    const user = this.defaultUser;
    return !user.nopass || !user.enabled;
  }

  /**
   * Checks a user name and password (`ACLCheckUserCredentials`): the user must exist and be
   * on, and be `nopass` or have the password's hash. Hashes are compared in constant time.
   */
  authenticate(name: string, password: string | Buffer): boolean {
    const user = this.#users.get(name);
    if (user === undefined || !user.enabled) return false;
    if (user.nopass) return true;
    const hash = Buffer.from(hashPassword(password), "latin1");
    let match = false;
    for (const stored of user.passwords) {
      if (timingSafeEqual(hash, Buffer.from(stored, "latin1"))) match = true;
    }
    return match;
  }

  /** `requirepass`: the default user gets exactly this password, or `nopass` when undefined (`ACLUpdateDefaultUserPassword`). */
  setRequirePass(password: string | undefined): void {
    const user = this.defaultUser;
    applyRule(user, "resetpass", this.ctx);
    applyRule(user, password === undefined ? "nopass" : `>${password}`, this.ctx);
  }

  /**
   * ACL SETUSER: creates the user if needed and applies the rules all or nothing.
   *
   * @returns The user before (undefined if new) and after, for
   *   `revokedSubscriptions`.
   * @throws {@link AclUserError} for a bad name or an unclosed selector, {@link AclRuleError}
   *   for the first refused rule (then nothing changed).
   */
  setUser(name: string, rules: readonly string[]): { readonly before: AclUser | undefined; readonly after: AclUser } {
    if (hasSpacesOrNul(name)) throw new AclUserError("invalid-username");
    const merged = mergeSelectorArguments(rules);
    if ("unmatchedAt" in merged) throw new AclUserError("unmatched-parenthesis", rules[merged.unmatchedAt] ?? "");
    const existing = this.#users.get(name);
    const draft = existing?.clone() ?? new AclUser(name, this.ctx.allChannelsByDefault);
    for (const rule of merged.rules) applyRule(draft, rule, this.ctx);
    this.#users.set(name, draft);
    return { before: existing, after: draft };
  }

  /**
   * ACL DELUSER.
   *
   * @returns The names actually deleted (their clients must be disconnected).
   * @throws {@link AclUserError} if `default` is among the names (then nothing is deleted).
   */
  deleteUsers(names: readonly string[]): string[] {
    if (names.includes("default")) throw new AclUserError("default-user-undeletable");
    const deleted: string[] = [];
    for (const name of names) if (this.#users.delete(name)) deleted.push(name);
    return deleted;
  }

  /**
   * Loads `user` directives from the configuration in Redis's two passes. First each line
   * is checked on a scratch user while the file is read (`ACLAppendUserForLoading`:
   * duplicates and bad rules, unknown commands excepted, are fatal config errors); then
   * each creates its user (`default` is reset first) and applies its rules in order
   * (`ACLLoadConfiguredUsers`), where an unknown command is fatal.
   *
   * @param directives - Each directive's arguments after `user`, name first.
   * @throws {@link AclConfigError} with the text Redis prints: `Error in user declaration
   *   '...': ...` for the first pass (quoting the argument at the failing rule's index, as
   *   Redis does), `Error loading ACL rule '...' for the user named '...': ...` for the second.
   */
  loadUserDirectives(directives: readonly (readonly string[])[]): void {
    const seen = new Set<string>();
    const pending: Array<{ name: string; rules: string[] }> = [];
    for (const [name, ...rest] of directives) {
      if (name === undefined) continue;
      const argv = ["user", name, ...rest];
      if (seen.has(name)) throw new AclConfigError(`Error in user declaration '${name}': ${new AclRuleError("duplicate-user", name).message}`);
      seen.add(name);
      const merged = mergeSelectorArguments(rest);
      // Redis quotes argv[0] and a stale errno here; 7.0.15 prints exactly this.
      if ("unmatchedAt" in merged) throw new AclConfigError("Error in user declaration 'user': Unknown command or category name in ACL");
      const scratch = new AclUser(name, this.ctx.allChannelsByDefault);
      merged.rules.forEach((rule, j) => {
        try {
          applyRule(scratch, rule, this.ctx);
        } catch (error) {
          if (!(error instanceof AclRuleError)) throw error;
          if (error.reason !== "unknown-command-or-category") {
            throw new AclConfigError(`Error in user declaration '${argv[j] ?? ""}': ${error.message}`);
          }
        }
      });
      pending.push({ name, rules: merged.rules });
    }
    for (const { name, rules } of pending) {
      if (hasSpacesOrNul(name)) throw new AclConfigError("Spaces not allowed in ACL usernames");
      const user = name === "default" ? this.defaultUser : new AclUser(name, this.ctx.allChannelsByDefault);
      if (name === "default") applyRule(user, "reset", this.ctx);
      for (const rule of rules) {
        try {
          applyRule(user, rule, this.ctx);
        } catch (error) {
          if (!(error instanceof AclRuleError)) throw error;
          throw new AclConfigError(`Error loading ACL rule '${rule}' for the user named '${name}': ${error.message}`);
        }
      }
      this.#users.set(name, user);
    }
  }

  /**
   * ACL LOAD / `aclfile` (`ACLLoadFromFile`): replaces every user with the file's, or
   * changes nothing if any line is wrong. A file without `default` gets a fresh default user.
   *
   * @param text - The file's content.
   * @param path - The file's path as configured, for error texts.
   */
  loadAclFile(text: string, path: string): AclLoadResult {
    let errors = "";
    const loaded = new Map<string, AclUser>();
    text.split("\n").forEach((raw, i) => {
      const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
      if (line.length === 0) return;
      const lineNumber = i + 1;
      // sdssplitlen on single spaces: no quoting, and runs of spaces give empty rules.
      const argv = line.split(" ");
      const [keyword, name, ...rest] = argv;
      if (keyword !== "user" || name === undefined) {
        errors += `${path}:${lineNumber} should start with user keyword followed by the username. `;
        return;
      }
      if (hasSpacesOrNul(name)) {
        errors += `'${path}:${lineNumber}: username '${name}' contains invalid characters. `;
        return;
      }
      if (loaded.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${lineNumber}. `;
        return;
      }
      const user = new AclUser(name, this.ctx.allChannelsByDefault);
      loaded.set(name, user);
      const merged = mergeSelectorArguments(rest);
      if ("unmatchedAt" in merged) {
        errors += `${path}:${lineNumber}: Unmatched parenthesis in selector definition.`;
        return;
      }
      for (const rule of merged.rules) {
        try {
          applyRule(user, rule.replace(/^[\t\r\n]+|[\t\r\n]+$/g, ""), this.ctx);
        } catch (error) {
          if (!(error instanceof AclRuleError)) throw error;
          // Only unknown commands are named: other rules may hold secrets (Redis 7.0.15).
          errors +=
            error.reason === "unknown-command-or-category"
              ? `${path}:${lineNumber}: Error in applying operation '${error.rule}': ${error.message}. `
              : `${path}:${lineNumber}: ${error.message}. `;
        }
      }
    });
    if (errors.length > 0) {
      return { ok: false, errors: `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed` };
    }
    const droppedUsers = this.names().filter((n) => n !== "default");
    if (!loaded.has("default")) loaded.set("default", createDefaultUser(this.ctx));
    this.#users = loaded;
    return { ok: true, droppedUsers };
  }
}
