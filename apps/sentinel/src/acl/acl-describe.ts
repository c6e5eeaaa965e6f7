/**
 * Users back to rules: the canonical text `ACL LIST`, `ACL SAVE` and the config rewrite
 * print (`ACLDescribeUser`, `ACLDescribeSelector`, `ACLDescribeSelectorCommandRules`), and
 * the per-selector fields of `ACL GETUSER`.
 *
 * Command rules are rebuilt from the permission set as Redis does: start from `+@all` (if
 * the user may run future commands) or `-@all`, add or remove the best-fitting categories
 * one at a time, then fix single commands. Redis walks its command dictionary in hash order,
 * which changes from run to run, so the order of the single-command rules there varies;
 * here it is the command table's order, the same on every run.
 *
 * @module
 */
import { ACL_CATEGORIES, allCommands, type AclCommand } from "./command-index.js";
import { AclSelector, setCategory, setCommandPermission, type AclKeyPattern, type AclRuleContext, type AclUser } from "./acl-rules.js";

function countCategory(selector: AclSelector, category: string, commands: readonly AclCommand[]): { on: number; off: number } {
  let on = 0;
  let off = 0;
  for (const command of commands) {
    if (!command.categories.has(category)) continue;
    if (selector.allowed.has(command.fullName)) on++;
    else off++;
  }
  return { on, off };
}

function singleCommandRules(selector: AclSelector, fake: AclSelector, list: readonly AclCommand[], out: string[]): void {
  for (const command of list) {
    const userBit = selector.allowed.has(command.fullName);
    const fakeBit = fake.allowed.has(command.fullName);
    if (userBit !== fakeBit) {
      out.push(`${userBit ? "+" : "-"}${command.fullName}`);
      setCommandPermission(fake, command, userBit);
    }
    singleCommandRules(selector, fake, command.subcommands, out);
    const firstArgs = selector.firstArgs.get(command.fullName);
    if (!userBit && firstArgs !== undefined) {
      for (const arg of firstArgs) out.push(`+${command.fullName}|${arg}`);
    }
  }
}

/** The command rules of a selector, e.g. `-@all +@fast +command -role` (`ACLDescribeSelectorCommandRules`). */
export function describeCommandRules(selector: AclSelector, ctx: AclRuleContext): string {
  const commands = allCommands(ctx.index);
  const additive = !selector.future;
  const rules = [additive ? "-@all" : "+@all"];
  const fake = new AclSelector(false, false);
  fake.allowed = additive ? new Set() : new Set(commands.map((c) => c.fullName));
  const temp = new AclSelector(false, false);
  temp.allowed = new Set(selector.allowed);
  const applied = new Set<string>();
  for (;;) {
    let best: string | undefined;
    let minDiff = Number.MAX_SAFE_INTEGER;
    let maxSame = 0;
    for (const category of ACL_CATEGORIES) {
      if (applied.has(category)) continue;
      const { on, off } = countCategory(temp, category, commands);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = category;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === undefined) break;
    setCategory(fake, best, additive, ctx.index);
    setCategory(temp, best, !additive, ctx.index);
    rules.push(`${additive ? "+" : "-"}@${best}`);
    applied.add(best);
  }
  singleCommandRules(selector, fake, ctx.index.commands, rules);
  return rules.join(" ");
}

function keyPatternText(key: AclKeyPattern): string {
  if (key.read && key.write) return `~${key.pattern}`;
  return `${key.read ? "%R~" : "%W~"}${key.pattern}`;
}

/** A selector's key patterns as ACL GETUSER's `keys` field prints them (`~*`, or the patterns). */
export function describeKeys(selector: AclSelector): string {
  return selector.allKeys ? "~*" : selector.keys.map(keyPatternText).join(" ");
}

/** A selector's channel patterns as ACL GETUSER's `channels` field prints them (`&*`, or the patterns). */
export function describeChannels(selector: AclSelector): string {
  return selector.allChannels ? "&*" : selector.channels.map((c) => `&${c}`).join(" ");
}

/** One selector in rule form: keys, channels, then command rules (`ACLDescribeSelector`). */
export function describeSelector(selector: AclSelector, ctx: AclRuleContext): string {
  const parts: string[] = [];
  if (selector.allKeys) parts.push("~*");
  else parts.push(...selector.keys.map(keyPatternText));
  if (selector.allChannels) parts.push("&*");
  else parts.push("resetchannels", ...selector.channels.map((c) => `&${c}`));
  parts.push(describeCommandRules(selector, ctx));
  return parts.join(" ");
}

/** The flags of a user in Redis's order: `on`/`off`, `nopass`, the sanitize flag. */
export function userFlags(user: AclUser): string[] {
  const flags = [user.enabled ? "on" : "off"];
  if (user.nopass) flags.push("nopass");
  if (user.sanitize !== "none") flags.push(user.sanitize);
  return flags;
}

/**
 * A user in rule form, as `ACL LIST` prints it after `user <name> `: flags, `#hash` per
 * password, the root selector, then each other selector in parentheses (`ACLDescribeUser`).
 */
export function describeUser(user: AclUser, ctx: AclRuleContext): string {
  let text = [...userFlags(user), ...user.passwords.map((p) => `#${p}`)].map((p) => `${p} `).join("");
  for (const selector of user.selectors) {
    const described = describeSelector(selector, ctx);
    text += selector.root ? described : ` (${described})`;
  }
  return text;
}
