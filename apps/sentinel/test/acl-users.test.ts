// Unit tests of the user table: SETUSER / DELUSER all-or-nothing, authentication
// (`ACLCheckUserCredentials`), requirepass (`ACLUpdateDefaultUserPassword`), `user`
// directives and the ACL file (`ACLLoadFromFile`, `ACLSaveToFile`) in redis/redis src/acl.c,
// with 7.0.15's texts (SPEC §2.1: requirepass, user, aclfile in sentinel mode).
import { describe, expect, it } from "vitest";
import { AclConfigError, AclRuleError, AclUserError, AclUsers, hashPassword } from "../src/acl/index.js";

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error("nothing thrown");
}

describe("SETUSER and DELUSER", () => {
  it("creates a user and applies all rules, or changes nothing", () => {
    const users = new AclUsers();
    users.setUser("bob", ["on", ">pw", "+ping"]);
    const error = thrown(() => users.setUser("bob", ["off", "+nosuch"]));
    expect(error).toBeInstanceOf(AclRuleError);
    expect(users.get("bob")?.enabled).toBe(true);
    expect(() => users.setUser("carol", ["+nosuch"])).toThrow(AclRuleError);
    expect(users.get("carol")).toBeUndefined();
  });

  it("refuses names with spaces and unclosed selectors", () => {
    const users = new AclUsers();
    expect(thrown(() => users.setUser("a b", []))).toMatchObject({ reason: "invalid-username", message: "Usernames can't contain spaces or null characters" });
    expect(thrown(() => users.setUser("x", ["on", "(+ping", "~a"]))).toMatchObject({
      reason: "unmatched-parenthesis",
      message: "Unmatched parenthesis in acl selector starting at '(+ping'.",
    });
  });

  it("deletes users but never default, and reports only those that existed", () => {
    const users = new AclUsers();
    users.setUser("a", []);
    users.setUser("b", []);
    expect(thrown(() => users.deleteUsers(["a", "default"]))).toBeInstanceOf(AclUserError);
    expect(users.get("a")).toBeDefined();
    expect(users.deleteUsers(["a", "nobody", "a"])).toEqual(["a"]);
    expect(users.names()).toEqual(["b", "default"]);
  });

  it("lists users in byte order, as Redis's radix tree does", () => {
    const users = new AclUsers();
    for (const name of ["r9", "r10", "Z", "a", "é"]) users.setUser(name, []);
    expect(users.names()).toEqual(["Z", "a", "default", "r10", "r9", "é"]);
    expect(users.list()[1]).toBe("user a off resetchannels -@all");
  });
});

describe("authentication", () => {
  it("needs an existing user that is on, with nopass or a matching password", () => {
    const users = new AclUsers();
    users.setUser("bob", ["on", ">pw", ">pw2"]);
    users.setUser("off", ["off", "nopass"]);
    users.setUser("open", ["on", "nopass"]);
    expect(users.authenticate("bob", "pw2")).toBe(true);
    expect(users.authenticate("bob", "nope")).toBe(false);
    expect(users.authenticate("nobody", "pw")).toBe(false);
    expect(users.authenticate("off", "x")).toBe(false);
    expect(users.authenticate("open", "anything")).toBe(true);
    expect(users.authenticate("default", "anything")).toBe(true);
  });

  it("requirepass sets the default user's only password and makes auth required", () => {
    const users = new AclUsers();
    expect(users.authRequired()).toBe(false);
    users.setRequirePass("foo");
    expect(users.defaultUser.passwords).toEqual([hashPassword("foo")]);
    expect(users.authRequired()).toBe(true);
    expect(users.authenticate("default", "foo")).toBe(true);
    users.setRequirePass(undefined);
    expect(users.authRequired()).toBe(false);
    users.setUser("default", ["off"]);
    expect(users.authRequired()).toBe(true);
  });
});

describe("start-up configuration", () => {
  it("user directives come after requirepass, and `user default` resets the default user", () => {
    const users = AclUsers.fromConfig({ requirepass: "foo", userDirectives: [["default", "on", "nopass", "+@all"], ["bob", "on", "(+ping", "~a)"]] });
    expect(users.list()).toEqual(["user bob on resetchannels -@all (~a resetchannels -@all +ping)", "user default on nopass sanitize-payload resetchannels +@all"]);
  });

  it("reports directive errors with 7.0.15's texts (recorded from redis-sentinel)", () => {
    const fail = (directives: string[][]): string => thrown(() => AclUsers.fromConfig({ userDirectives: directives })).message;
    expect(fail([["bob", "on", "blah"]])).toBe("Error in user declaration 'bob': Syntax error");
    expect(fail([["bob", "on", "#abc"]])).toBe(
      "Error in user declaration 'bob': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
    );
    expect(fail([["bob", "on"], ["bob", "off"]])).toBe("Error in user declaration 'bob': Duplicate user found. A user can only be defined once in config files");
    expect(fail([["bob", "(+ping"]])).toBe("Error in user declaration 'user': Unknown command or category name in ACL");
    expect(fail([["bob", "on", "+nosuch"]])).toBe("Error loading ACL rule '+nosuch' for the user named 'bob': Unknown command or category name in ACL");
    // The first pass checks every line before any unknown command is reported; Redis quotes
    // argv[j] for the j-th rule, so a bad first rule names the `user` keyword.
    expect(fail([["bob", "+nosuch"], ["carol", "blah"]])).toBe("Error in user declaration 'user': Syntax error");
  });

  it("refuses user directives together with an aclfile", () => {
    const error = thrown(() => AclUsers.fromConfig({ userDirectives: [["bob"]], aclFile: { path: "/x.acl", text: "" } }));
    expect(error).toBeInstanceOf(AclConfigError);
    expect(error.message).toMatch(/^Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid/);
  });

  it("an ACL file with errors stops the start", () => {
    const error = thrown(() => AclUsers.fromConfig({ aclFile: { path: "/x.acl", text: "foo\n" } }));
    expect(error.message).toBe(
      "Aborting Redis startup because of ACL errors: /x.acl:1 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    );
  });
});

describe("ACL file", () => {
  it("loads all users or none, and gives a file without default a fresh default user", () => {
    const users = new AclUsers();
    users.setUser("old", ["on", "nopass"]);
    users.setUser("default", ["off"]);
    const bad = users.loadAclFile("user a on\nuser b +nosuch\n", "/f.acl");
    expect(bad).toEqual({
      ok: false,
      errors:
        "/f.acl:2: Error in applying operation '+nosuch': Unknown command or category name in ACL. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    });
    expect(users.names()).toEqual(["default", "old"]);
    const good = users.loadAclFile("  user a on nopass  \r\n\nuser b  +ping\n", "/f.acl");
    expect(good).toEqual({ ok: true, droppedUsers: ["old"] });
    expect(users.list()).toEqual(["user a on nopass resetchannels -@all", "user b off resetchannels -@all +ping", "user default on nopass ~* &* +@all"]);
  });

  it("collects every error of the file in Redis's words", () => {
    const users = new AclUsers();
    const result = users.loadAclFile("user a on blah >secret\nuser a\nuser b (+ping\nuser c\tx\nUSER d\n", "/f.acl");
    expect(result).toEqual({
      ok: false,
      errors:
        "/f.acl:1: Syntax error. WARNING: Duplicate user 'a' found on line 2. /f.acl:3: Unmatched parenthesis in selector definition.'/f.acl:4: username 'c\tx' contains invalid characters. /f.acl:5 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    });
  });

  it("saves what it loads", () => {
    const users = new AclUsers();
    users.setUser("bob", ["on", ">pw", "~a", "&b", "+@pubsub", "(+ping)"]);
    const text = users.aclFileText();
    const again = new AclUsers();
    expect(again.loadAclFile(text, "/f.acl").ok).toBe(true);
    expect(again.aclFileText()).toBe(text);
    expect(text.endsWith("\n")).toBe(true);
  });
});
