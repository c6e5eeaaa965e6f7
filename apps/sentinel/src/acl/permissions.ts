/**
 * May this user run this command? The check `processCommand` makes after the
 * authentication check (`ACLCheckAllPerm`): any selector that allows the command and its
 * channels lets it run. In sentinel mode no command names keys, so the checks that matter
 * are the command bit and the channels of PUBLISH, SUBSCRIBE and PSUBSCRIBE (SPEC §1.1).
 *
 * @module
 */
import { globMatch } from "@sentinel-kit/resp-protocol";
import type { AclSelector, AclUser } from "./acl-rules.js";
import type { AclCommand, AclCommandIndex } from "./command-index.js";

/** Why a command was refused: the ACL LOG `reason` and the object it names. */
export type AclDenial =
  /** The user may not run the command; `object` is its full name, e.g. `sentinel|myid`. */
  | { readonly reason: "command"; readonly object: string }
  /** A channel argument is not allowed; `object` is it, `argIndex` its position in argv. */
  | { readonly reason: "channel"; readonly object: string; readonly argIndex: number };

// ACL_DENIED_CMD and ACL_DENIED_CHANNEL: the higher code wins when selectors disagree.
const CODE = { command: 1, channel: 4 } as const;

/**
 * Resolves argv to the command or subcommand ACLs judge (`lookupCommand`): a container
 * with at least one argument resolves to its subcommand.
 *
 * @returns undefined for an unknown command or subcommand (the dispatcher refuses those
 *   before any ACL check).
 */
export function resolveCommand(index: AclCommandIndex, argv: readonly string[]): AclCommand | undefined {
  const base = index.lookup(argv[0] ?? "");
  if (base === undefined || base.subcommands.length === 0 || argv.length < 2) return base;
  const sub = argv[1] ?? "";
  if (sub.includes("|")) return undefined;
  return index.lookup(`${base.fullName}|${sub}`);
}

function channelDenied(selector: AclSelector, channel: string, literal: boolean): boolean {
  return !selector.channels.some((pattern) => (literal ? pattern === channel : globMatch(pattern, channel)));
}

function checkSelector(selector: AclSelector, command: AclCommand, argv: readonly string[]): { code: 0 | 1 | 4; index: number } {
  if (!command.noAuth && !selector.allowed.has(command.fullName)) {
    const firstArgs = selector.firstArgs.get(command.fullName);
    const arg = argv[command.parent === undefined ? 1 : 2];
    if (argv.length < 2 || firstArgs === undefined || arg === undefined) return { code: CODE.command, index: 0 };
    if (!firstArgs.some((a) => a.toLowerCase() === arg.toLowerCase())) return { code: CODE.command, index: 0 };
  }
  if (selector.allChannels) return { code: 0, index: 0 };
  const name = command.fullName;
  if (name === "publish" || name === "subscribe" || name === "psubscribe") {
    const last = name === "publish" ? Math.min(2, argv.length) : argv.length;
    for (let j = 1; j < last; j++) {
      if (channelDenied(selector, argv[j] ?? "", name === "psubscribe")) return { code: CODE.channel, index: j };
    }
  }
  return { code: 0, index: 0 };
}

/**
 * Checks one command against a user's selectors (`ACLCheckAllUserCommandPerm`).
 *
 * @param argv - The whole command, name first.
 * @returns undefined if it may run, else why not (the error Redis would log).
 */
export function checkPermission(user: AclUser, command: AclCommand, argv: readonly string[]): AclDenial | undefined {
  let relevant: number = CODE.command;
  let lastIndex = 0;
  for (const selector of user.selectors) {
    const result = checkSelector(selector, command, argv);
    if (result.code === 0) return undefined;
    if (result.code > relevant || (result.code === relevant && result.index > lastIndex)) {
      relevant = result.code;
      lastIndex = result.index;
    }
  }
  if (relevant === CODE.channel) return { reason: "channel", object: argv[lastIndex] ?? "", argIndex: lastIndex };
  return { reason: "command", object: command.fullName };
}

/** The `-NOPERM` text `processCommand` replies for a denial. */
export function noPermissionError(denial: AclDenial): string {
  if (denial.reason === "command") return `NOPERM this user has no permissions to run the '${denial.object}' command`;
  return "NOPERM this user has no permissions to access one of the channels used as arguments";
}

/**
 * What a peer sentinel sends to this one with its `sentinel-user` (SPEC §6 P16): hellos on
 * `__sentinel__:hello`, the vote request, and PINGs. A user missing any of them makes
 * failovers fail quietly.
 */
export const SENTINEL_PEER_COMMANDS: readonly (readonly string[])[] = [
  ["ping"],
  ["publish", "__sentinel__:hello", "hello"],
  ["sentinel", "is-master-down-by-addr", "127.0.0.1", "6379", "0", "*"],
];

/**
 * The peer-sentinel commands ({@link SENTINEL_PEER_COMMANDS}) a user may not run, as
 * `ACL DRYRUN`-style texts; empty when the user can serve as `sentinel-user`.
 */
export function missingSentinelPeerPermissions(user: AclUser, index: AclCommandIndex): string[] {
  const missing: string[] = [];
  if (!user.enabled) missing.push(`user '${user.name}' is off`);
  for (const argv of SENTINEL_PEER_COMMANDS) {
    const command = resolveCommand(index, argv);
    if (command === undefined) continue;
    const denial = checkPermission(user, command, argv);
    if (denial?.reason === "command") missing.push(`This user has no permissions to run the '${denial.object}' command`);
    else if (denial?.reason === "channel") missing.push(`This user has no permissions to access the '${denial.object}' channel`);
  }
  return missing;
}

/** What one subscribed client listens to. */
export interface AclSubscriptions {
  /** Channels from SUBSCRIBE. */
  readonly channels: readonly string[];
  /** Patterns from PSUBSCRIBE. */
  readonly patterns: readonly string[];
}

/**
 * After `ACL SETUSER` changed `before` into `after`, which of the user's subscribed clients
 * lost access and must be disconnected (`ACLKillPubsubClientsIfNeeded`).
 *
 * @returns undefined when none can have (the new user has `&*`, or keeps every channel
 *   pattern it had); else a test telling, for one client's subscriptions, whether to
 *   disconnect it: a channel no new pattern matches, or a pattern no new pattern equals.
 */
export function revokedSubscriptions(after: AclUser, before: AclUser): ((subscriptions: AclSubscriptions) => boolean) | undefined {
  if (after.selectors.some((s) => s.allChannels)) return undefined;
  const upcoming = after.selectors.flatMap((s) => s.channels);
  const kept = before.selectors.every((s) => !s.allChannels && s.channels.every((c) => upcoming.includes(c)));
  if (kept) return undefined;
  return (subscriptions) =>
    subscriptions.patterns.some((p) => !upcoming.includes(p)) || subscriptions.channels.some((c) => !upcoming.some((u) => globMatch(u, c)));
}
