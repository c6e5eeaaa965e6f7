// Unit tests of AclGate: the login and pre-dispatch checks with the ACL LOG entries Redis
// writes (`ACLAuthenticateUser`, `processCommand`'s ACL check in redis/redis src/server.c).
import { describe, expect, it } from "vitest";
import { AUTH_WITHOUT_PASSWORD_ERROR, AclGate, AclLog, AclUsers, WRONGPASS_ERROR } from "../src/acl/index.js";

function gate(): AclGate {
  const users = new AclUsers();
  users.setUser("u", ["on", ">pw", "+ping", "+publish", "&ok"]);
  return new AclGate(users, new AclLog());
}

describe("AclGate", () => {
  it("logs failed logins with the command as sent and the user tried", () => {
    const g = gate();
    let infos = 0;
    const info = (): string => `id=${++infos}`;
    expect(g.login("AUTH", "u", "pw", 10, info)).toBe(true);
    expect(g.login("hello", "nobody", "x", 20, info)).toBe(false);
    expect(infos).toBe(1);
    expect(g.log.entries()).toEqual([{ count: 1, reason: "auth", context: "toplevel", object: "hello", username: "nobody", updatedAt: 20, clientInfo: "id=1" }]);
    expect(WRONGPASS_ERROR).toBe("WRONGPASS invalid username-password pair or user is disabled.");
  });

  it("refuses AUTH <password> while the default user is nopass", () => {
    const g = gate();
    expect(g.passwordOnlyAuthAllowed()).toBe(false);
    expect(AUTH_WITHOUT_PASSWORD_ERROR).toMatch(/^ERR AUTH <password> called without any password configured/);
    g.users.setRequirePass("foo");
    expect(g.passwordOnlyAuthAllowed()).toBe(true);
  });

  it("answers NOPERM and logs denied commands and channels; lets allowed ones through", () => {
    const g = gate();
    expect(g.authorize("u", ["PING"], 0, () => "c")).toBeUndefined();
    expect(g.authorize("u", ["publish", "ok", "m"], 0, () => "c")).toBeUndefined();
    expect(g.authorize("u", ["SENTINEL", "myid"], 5, () => "c")).toEqual({ kind: "error", value: "NOPERM this user has no permissions to run the 'sentinel|myid' command" });
    expect(g.authorize("u", ["publish", "no", "m"], 6, () => "c")).toEqual({
      kind: "error",
      value: "NOPERM this user has no permissions to access one of the channels used as arguments",
    });
    expect(g.log.entries().map((e) => [e.reason, e.object, e.username])).toEqual([
      ["channel", "no", "u"],
      ["command", "sentinel|myid", "u"],
    ]);
  });

  it("judges a client whose user was deleted as default", () => {
    const g = gate();
    g.users.deleteUsers(["u"]);
    expect(g.authorize("u", ["sentinel", "myid"], 0, () => "c")).toBeUndefined();
  });
});
