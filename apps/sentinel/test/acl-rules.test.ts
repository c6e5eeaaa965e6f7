// Unit tests of ACL rules (`ACLSetUser` / `ACLSetSelector` in redis/redis src/acl.c) and of
// their canonical description (`ACLDescribeUser`). Expected texts were recorded from Debian's
// redis-sentinel 7.0.15 (SPEC §0); test/acl-differential.integration.test.ts replays them live.
import { describe, expect, it } from "vitest";
import {
  AclRuleError,
  AclUser,
  applyRule,
  buildCommandIndex,
  createDefaultUser,
  describeCommandRules,
  describeUser,
  hashPassword,
  mergeSelectorArguments,
  sentinelCommandIndex,
  type AclRuleContext,
} from "../src/acl/index.js";

const ctx: AclRuleContext = { index: sentinelCommandIndex(), allChannelsByDefault: false };

function userWith(...rules: string[]): AclUser {
  const user = new AclUser("u", false);
  for (const rule of rules) applyRule(user, rule, ctx);
  return user;
}

/** Redis emits single-command rules in hash order: compare them as a sorted run. */
function sortedSingles(text: string): string {
  const tokens = text.split(" ");
  const head = tokens.filter((t) => !/^[+-][^@]/.test(t));
  const singles = tokens.filter((t) => /^[+-][^@]/.test(t)).sort();
  return [...head, ...singles].join(" ");
}

function refusal(rules: string[]): { reason: string; rule: string; message: string } {
  try {
    userWith(...rules);
  } catch (error) {
    if (error instanceof AclRuleError) return { reason: error.reason, rule: error.rule, message: error.message };
    throw error;
  }
  throw new Error(`rules were accepted: ${rules.join(" ")}`);
}

describe("user flags and passwords", () => {
  it("a new user is off with no permissions and resetchannels (acl-pubsub-default)", () => {
    expect(describeUser(new AclUser("x", false), ctx)).toBe("off resetchannels -@all");
    expect(describeUser(new AclUser("x", true), ctx)).toBe("off &* -@all");
  });

  it("the default user is on nopass ~* &* +@all (ACLCreateDefaultUser)", () => {
    expect(describeUser(createDefaultUser(ctx), ctx)).toBe("on nopass ~* &* +@all");
  });

  it("on/off, nopass, resetpass, sanitize flags; keywords in any case", () => {
    expect(describeUser(userWith("ON", "nopass", "skip-sanitize-payload"), ctx)).toBe("on nopass skip-sanitize-payload resetchannels -@all");
    expect(describeUser(userWith("on", "off", "nopass", "resetpass", "Sanitize-Payload"), ctx)).toBe("off sanitize-payload resetchannels -@all");
  });

  it(">pass stores the SHA-256 hex, once; #hash adds a hash; both clear nopass", () => {
    const user = userWith("nopass", ">secret", ">secret", `#${hashPassword("other")}`);
    expect(user.nopass).toBe(false);
    // Recorded from redis-sentinel: `user alice on >secret` lists #2bb80d53...
    expect(user.passwords).toEqual(["2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", hashPassword("other")]);
  });

  it("<pass and !hash remove; a missing one is refused", () => {
    expect(userWith(">a", ">b", "<a", `!${hashPassword("b")}`).passwords).toEqual([]);
    expect(refusal(["<nope"])).toEqual({
      reason: "no-such-password",
      rule: "<nope",
      message: "The password you are trying to remove from the user does not exist",
    });
    expect(refusal([`!${hashPassword("nope")}`]).reason).toBe("no-such-password");
  });

  it("#hash and !hash must be 64 lower-case hex characters", () => {
    const bad = "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters";
    expect(refusal(["#abc"]).message).toBe(bad);
    expect(refusal([`#${hashPassword("x").toUpperCase()}`]).message).toBe(bad);
    expect(refusal([`!${"g".repeat(64)}`]).message).toBe(bad);
  });

  it("reset: resetpass, resetkeys, resetchannels, off, sanitize-payload, clearselectors, -@all", () => {
    const user = userWith("on", ">p", "~*", "&*", "+@all", "(+ping)");
    applyRule(user, "reset", ctx);
    expect(describeUser(user, ctx)).toBe("off sanitize-payload resetchannels -@all");
  });

  it("an empty rule changes nothing", () => {
    expect(describeUser(userWith(""), ctx)).toBe("off resetchannels -@all");
  });
});

describe("key and channel patterns", () => {
  it("~, %R~, %W~ and %RW~ patterns; a repeated pattern merges its permissions", () => {
    expect(describeUser(userWith("~k*", "%R~r*", "%W~w*", "%RW~rw*", "%R~a", "%W~a", "%WR~c"), ctx)).toBe(
      "off ~k* %R~r* %W~w* ~rw* ~a ~c resetchannels -@all",
    );
  });

  it("%R without ~ is an empty read pattern, as in 7.0.15", () => {
    expect(describeUser(userWith("%R"), ctx)).toBe("off %R~ resetchannels -@all");
  });

  it("bad % forms and patterns with spaces are syntax errors", () => {
    for (const rule of ["%X~a", "%~a", "%RR~a", "~a b", "&a\tb", "~a\0"]) {
      expect(refusal([rule])).toEqual({ reason: "syntax", rule, message: "Syntax error" });
    }
  });

  it("allkeys / ~* and allchannels / &*; a pattern after them is refused", () => {
    expect(describeUser(userWith("~a", "allkeys", "&b", "allchannels"), ctx)).toBe("off ~* &* -@all");
    expect(refusal(["~*", "~a"]).message).toBe(
      "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
    );
    expect(refusal(["&*", "&a"]).message).toBe(
      "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
    );
    expect(describeUser(userWith("~*", "resetkeys", "~a", "&*", "resetchannels", "&b", "&b"), ctx)).toBe("off ~a resetchannels &b -@all");
  });
});

describe("command rules", () => {
  it("unknown commands and categories are refused with ENOENT's text", () => {
    for (const rule of ["+get", "-get", "+@foo", "-@foo", "+", "+select|0", "+acl|nosuch", "-ping|foo", "+ping|foo|bar"]) {
      expect(refusal([rule])).toEqual({ reason: "unknown-command-or-category", rule, message: "Unknown command or category name in ACL" });
    }
  });

  it("first args of subcommands and empty subcommands are refused", () => {
    expect(refusal(["+acl|whoami|x"])).toEqual({
      reason: "first-arg-of-subcommand",
      rule: "+acl|whoami|x",
      message: "Allowing first-arg of a subcommand is not supported",
    });
    expect(refusal(["+acl|"]).reason).toBe("syntax");
    expect(refusal(["blah"]).reason).toBe("syntax");
  });

  it("+container allows every subcommand; -container|sub removes one", () => {
    const user = userWith("+client", "-client|kill");
    expect(user.rootSelector.allowed.has("client|id")).toBe(true);
    expect(user.rootSelector.allowed.has("client|kill")).toBe(false);
    // Recorded from redis-sentinel 7.0.15: the best fit goes through @connection.
    expect(sortedSingles(describeCommandRules(user.rootSelector, ctx))).toBe(
      sortedSingles("-@all +@connection -ping -hello -command +client -client|kill -auth"),
    );
  });

  it("+cmd|arg allows one first argument of a command without subcommands, case-insensitively once", () => {
    const user = userWith("+ping|foo", "+ping|FOO", "+ping|bar");
    expect(user.rootSelector.firstArgs.get("ping")).toEqual(["foo", "bar"]);
    expect(describeCommandRules(user.rootSelector, ctx)).toBe("-@all +ping|foo +ping|bar");
    applyRule(user, "+ping", ctx);
    expect(describeCommandRules(user.rootSelector, ctx)).toBe("-@all +ping");
  });

  it("+@all keeps the future-commands bit through later removals; -@all clears it", () => {
    expect(describeCommandRules(userWith("+@all", "-ping").rootSelector, ctx)).toBe("+@all -ping");
    expect(describeCommandRules(userWith("allcommands", "nocommands", "+ping").rootSelector, ctx)).toBe("-@all +ping");
  });

  it("categories are described by best fit (recorded from redis-sentinel 7.0.15)", () => {
    const bob = userWith("-@all", "+@connection", "+sentinel|myid", "+ping", "+client|id", "-client");
    expect(sortedSingles(describeCommandRules(bob.rootSelector, ctx))).toBe(
      sortedSingles("-@all +@fast +command +sentinel|myid -role -publish"),
    );
    expect(describeCommandRules(userWith("+@all", "-@dangerous").rootSelector, ctx)).toBe("+@all -@dangerous");
    // In sentinel mode every @admin command is also @dangerous.
    expect(describeCommandRules(userWith("+@admin", "-@dangerous").rootSelector, ctx)).toBe("-@all");
  });

  it("a container in a category brings all its subcommands (ACLChangeSelectorPerm)", () => {
    const user = userWith("+@admin");
    expect(user.rootSelector.allowed.has("sentinel|help")).toBe(true);
    expect(user.rootSelector.allowed.has("acl|whoami")).toBe(false);
  });

  it("works on any command index", () => {
    const index = buildCommandIndex([
      { fullName: "get", aclCategories: ["read", "fast"], flags: [], subcommands: [] },
      { fullName: "set", aclCategories: ["write"], flags: [], subcommands: [] },
    ]);
    const user = new AclUser("u", false);
    for (const rule of ["+@read", "+set"]) applyRule(user, rule, { index, allChannelsByDefault: false });
    expect(describeCommandRules(user.rootSelector, { index, allChannelsByDefault: false })).toBe("-@all +@read +@write");
  });
});

describe("selectors", () => {
  it("(...) adds a selector; clearselectors removes all but the root", () => {
    const user = userWith("+ping|foo", "(+ping ~a)");
    expect(describeUser(user, ctx)).toBe("off resetchannels -@all +ping|foo (~a resetchannels -@all +ping)");
    applyRule(user, "clearselectors", ctx);
    expect(user.selectors).toHaveLength(1);
  });

  it("a refused rule inside a selector names the whole selector", () => {
    expect(refusal(["(+get)"])).toEqual({ reason: "unknown-command-or-category", rule: "(+get)", message: "Unknown command or category name in ACL" });
    expect(refusal(["(+ping ~a b)"]).reason).toBe("syntax");
  });

  it("selector arguments spread over several arguments are merged (ACLMergeSelectorArguments)", () => {
    expect(mergeSelectorArguments(["on", "(", "+ping", "~a)", "(x)"])).toEqual({ rules: ["on", "( +ping ~a)", "(x)"] });
    expect(mergeSelectorArguments(["on", "(+ping", "~a"])).toEqual({ unmatchedAt: 1 });
    // A new opening restarts the selector, as in Redis.
    expect(mergeSelectorArguments(["(a", "(b", "c)"])).toEqual({ rules: ["(b c)"] });
  });

  it("a copy is independent of the original", () => {
    const user = userWith("on", ">p", "~a", "(+ping)");
    const copy = user.clone("v");
    applyRule(copy, "reset", ctx);
    expect(describeUser(user, ctx)).toBe(`on #${hashPassword("p")} ~a resetchannels -@all (resetchannels -@all +ping)`);
    expect(copy.name).toBe("v");
  });
});
