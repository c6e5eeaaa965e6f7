// Unit tests of the permission check before dispatch (`ACLCheckAllUserCommandPerm` in
// redis/redis src/acl.c, the NOPERM replies of `processCommand`), in sentinel mode where the
// channel checks of PUBLISH / SUBSCRIBE / PSUBSCRIBE are the only argument checks (SPEC §1.1),
// and the peer-sentinel requirements of SPEC §6 P16.
import { describe, expect, it } from "vitest";
import {
  AclUsers,
  checkPermission,
  missingSentinelPeerPermissions,
  noPermissionError,
  resolveCommand,
  revokedSubscriptions,
  type AclDenial,
} from "../src/acl/index.js";

function check(rules: string[], ...argv: string[]): AclDenial | undefined {
  const users = new AclUsers();
  users.setUser("u", rules);
  const user = users.get("u");
  const command = resolveCommand(users.ctx.index, argv);
  if (user === undefined || command === undefined) throw new Error(`bad test input: ${argv.join(" ")}`);
  return checkPermission(user, command, argv);
}

describe("resolveCommand", () => {
  const index = new AclUsers().ctx.index;
  it("resolves containers with an argument to their subcommand, any case", () => {
    expect(resolveCommand(index, ["SENTINEL", "MyId"])?.fullName).toBe("sentinel|myid");
    expect(resolveCommand(index, ["sentinel"])?.fullName).toBe("sentinel");
    expect(resolveCommand(index, ["ping", "x"])?.fullName).toBe("ping");
    expect(resolveCommand(index, ["sentinel", "nosuch"])).toBeUndefined();
    expect(resolveCommand(index, ["get", "k"])).toBeUndefined();
  });
});

describe("command permissions", () => {
  it("denies a command the user lacks, naming its full name", () => {
    const denial = check(["+ping"], "sentinel", "myid");
    expect(denial).toEqual({ reason: "command", object: "sentinel|myid" });
    expect(noPermissionError(denial ?? { reason: "command", object: "" })).toBe("NOPERM this user has no permissions to run the 'sentinel|myid' command");
    expect(check(["+ping"], "ping")).toBeUndefined();
  });

  it("never denies AUTH and HELLO (no_auth)", () => {
    expect(check(["-@all"], "auth", "u", "p")).toBeUndefined();
    expect(check(["-@all"], "hello", "3")).toBeUndefined();
  });

  it("allows a denied command with an allowed first argument, case-insensitively", () => {
    expect(check(["+ping|foo"], "ping", "FOO")).toBeUndefined();
    expect(check(["+ping|foo"], "ping", "bar")).toEqual({ reason: "command", object: "ping" });
    expect(check(["+ping|foo"], "ping")).toEqual({ reason: "command", object: "ping" });
  });

  it("any selector that allows the command lets it run", () => {
    expect(check(["-@all", "(+info)", "(+ping)"], "ping")).toBeUndefined();
    expect(check(["-@all", "(+info)"], "ping")).toEqual({ reason: "command", object: "ping" });
  });
});

describe("channel permissions", () => {
  it("PUBLISH and SUBSCRIBE match channels against the patterns", () => {
    expect(check(["+@all", "&allowed*"], "publish", "allowedx", "m")).toBeUndefined();
    const denial = check(["+@all", "&allowed*"], "publish", "foo", "m");
    expect(denial).toEqual({ reason: "channel", object: "foo", argIndex: 1 });
    expect(noPermissionError(denial ?? { reason: "command", object: "" })).toBe(
      "NOPERM this user has no permissions to access one of the channels used as arguments",
    );
    expect(check(["+@all", "&allowed*"], "subscribe", "allowed1", "bad")).toEqual({ reason: "channel", object: "bad", argIndex: 2 });
  });

  it("PSUBSCRIBE patterns must equal an allowed pattern literally", () => {
    expect(check(["+@all", "&allowed*"], "psubscribe", "allowed*")).toBeUndefined();
    expect(check(["+@all", "&allowed*"], "psubscribe", "allowed*x")).toEqual({ reason: "channel", object: "allowed*x", argIndex: 1 });
  });

  it("allchannels allows all; UNSUBSCRIBE has no channel check", () => {
    expect(check(["+@all", "allchannels"], "publish", "any", "m")).toBeUndefined();
    expect(check(["+@all"], "unsubscribe", "any")).toBeUndefined();
  });

  it("between selectors, a channel denial wins over a command denial", () => {
    expect(check(["-@all", "(+publish &a)"], "publish", "b", "m")).toEqual({ reason: "channel", object: "b", argIndex: 1 });
  });
});

describe("peer sentinel user (SPEC §6 P16)", () => {
  it("lists what a sentinel-user lacks for hellos and votes", () => {
    const users = new AclUsers();
    users.setUser("restricted", ["on", ">p", "-@all", "+ping", "+subscribe", "&*"]);
    expect(missingSentinelPeerPermissions(users.get("restricted") ?? users.defaultUser, users.ctx.index)).toEqual([
      "This user has no permissions to run the 'publish' command",
      "This user has no permissions to run the 'sentinel|is-master-down-by-addr' command",
    ]);
    users.setUser("narrow", ["on", ">p", "-@all", "+ping", "+publish", "+sentinel|is-master-down-by-addr", "&other"]);
    expect(missingSentinelPeerPermissions(users.get("narrow") ?? users.defaultUser, users.ctx.index)).toEqual([
      "This user has no permissions to access the '__sentinel__:hello' channel",
    ]);
    users.setUser("good", ["on", ">p", "-@all", "+ping", "+publish", "+sentinel|is-master-down-by-addr", "&__sentinel__:hello"]);
    expect(missingSentinelPeerPermissions(users.get("good") ?? users.defaultUser, users.ctx.index)).toEqual([]);
    users.setUser("good", ["off"]);
    expect(missingSentinelPeerPermissions(users.get("good") ?? users.defaultUser, users.ctx.index)).toEqual(["user 'good' is off"]);
  });
});

describe("subscribers after SETUSER (ACLKillPubsubClientsIfNeeded; cases recorded on redis-sentinel 7.0.15)", () => {
  function change(before: string[], after: string[]): ReturnType<typeof revokedSubscriptions> {
    const users = new AclUsers();
    users.setUser("u", ["on", "nopass", "+@all", ...before]);
    const { before: old, after: now } = users.setUser("u", after);
    if (old === undefined) throw new Error("user was new");
    return revokedSubscriptions(now, old);
  }

  it("nothing to check when the user keeps &* or every pattern it had", () => {
    expect(change(["&a"], ["allchannels"])).toBeUndefined();
    expect(change(["&a", "&b"], ["&c"])).toBeUndefined();
  });

  it("&* narrowed to &bar drops a subscriber of foo", () => {
    expect(change(["&*"], ["resetchannels", "&bar"])?.({ channels: ["foo"], patterns: [] })).toBe(true);
  });

  it("&foo &baz narrowed to &f* keeps a subscriber of foo, drops one of baz", () => {
    const mustDrop = change(["&foo", "&baz"], ["resetchannels", "&f*"]);
    expect(mustDrop?.({ channels: ["foo"], patterns: [] })).toBe(false);
    expect(mustDrop?.({ channels: ["foo", "baz"], patterns: [] })).toBe(true);
  });

  it("a PSUBSCRIBE pattern must stay allowed literally", () => {
    const mustDrop = change(["&f*"], ["resetchannels", "&f*x", "&fa"]);
    expect(mustDrop?.({ channels: [], patterns: ["f*"] })).toBe(true);
    expect(mustDrop?.({ channels: [], patterns: ["fa"] })).toBe(false);
  });
});
