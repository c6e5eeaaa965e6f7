/**
 * The error an ACL rule raises, with `ACLSetUserStringError`'s texts word for word.
 *
 * @module
 */

/**
 * Why a rule was refused; each maps to the errno `ACLSetUser` sets and so to one text of
 * `ACLSetUserStringError`.
 */
export type AclRuleErrorReason =
  /** ENOENT: a `+`/`-` rule names an unknown command or category. */
  | "unknown-command-or-category"
  /** EINVAL: the rule is not understood, or a pattern has spaces. */
  | "syntax"
  /** EEXIST: a key pattern after `~*` / `allkeys`. */
  | "key-pattern-after-all"
  /** EISDIR: a channel pattern after `&*` / `allchannels`. */
  | "channel-pattern-after-all"
  /** ENODEV: `<pass` or `!hash` names a password the user does not have. */
  | "no-such-password"
  /** EBADMSG: `#hash` or `!hash` is not 64 lower-case hex characters. */
  | "bad-hash"
  /** ECHILD: `+container|sub|arg`. */
  | "first-arg-of-subcommand"
  /** EALREADY: a user defined twice in the configuration. */
  | "duplicate-user";

const MESSAGES: Record<AclRuleErrorReason, string> = {
  "unknown-command-or-category": "Unknown command or category name in ACL",
  syntax: "Syntax error",
  "key-pattern-after-all":
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  "channel-pattern-after-all":
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  "no-such-password": "The password you are trying to remove from the user does not exist",
  "bad-hash": "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
  "first-arg-of-subcommand": "Allowing first-arg of a subcommand is not supported",
  "duplicate-user": "Duplicate user found. A user can only be defined once in config files",
};

/** A rule `ACL SETUSER`, a `user` directive or an ACL file line could not apply. */
export class AclRuleError extends Error {
  override readonly name = "AclRuleError";
  /** Why. */
  readonly reason: AclRuleErrorReason;
  /** The rule as given, e.g. `+get`. */
  readonly rule: string;

  /**
   * @param reason - Why the rule was refused.
   * @param rule - The rule as given.
   */
  constructor(reason: AclRuleErrorReason, rule: string) {
    super(MESSAGES[reason]);
    this.reason = reason;
    this.rule = rule;
  }
}
