// Unit tests of the ACL command's replies (`aclCommand` in redis/redis src/acl.c, as Redis
// 7.0.15 answers in sentinel mode, SPEC §1.1); the live comparison is in
// test/acl-differential.integration.test.ts.
import { encodeReply, type RespValue } from "@sentinel-kit/resp-protocol";
import { describe, expect, it } from "vitest";
import { ACL_CATEGORIES, AclLog, AclUsers, aclCommand, hashPassword, type AclCommandContext, type AclFileStore } from "../src/acl/index.js";

function context(overrides: Partial<AclCommandContext> = {}): AclCommandContext {
  return {
    users: new AclUsers(),
    log: new AclLog(),
    now: 0,
    user: "default",
    randomBytes: (n) => Buffer.alloc(n, 0xab),
    ...overrides,
  };
}

async function wire(args: string[], ctx: AclCommandContext, version: 2 | 3 = 2): Promise<string> {
  const reply: RespValue = await aclCommand(args, ctx);
  return encodeReply(reply, version).toString();
}

describe("ACL subcommand dispatch", () => {
  it("refuses unknown subcommands and wrong arities with Redis's texts", async () => {
    const ctx = context();
    expect(await wire(["FOO"], ctx)).toBe("-ERR unknown subcommand 'FOO'. Try ACL HELP.\r\n");
    expect(await wire(["getuser"], ctx)).toBe("-ERR wrong number of arguments for 'acl|getuser' command\r\n");
    expect(await wire(["LIST", "x"], ctx)).toBe("-ERR wrong number of arguments for 'acl|list' command\r\n");
    expect(await wire(["Cat", "a", "b"], ctx)).toBe("-ERR unknown subcommand or wrong number of arguments for 'Cat'. Try ACL HELP.\r\n");
  });

  it("HELP starts with Redis's header and ends with HELP", async () => {
    const text = await wire(["help"], context());
    expect(text.startsWith("*29\r\n+ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CAT [<category>]\r\n")).toBe(true);
    expect(text.endsWith("+HELP\r\n+    Prints this help.\r\n")).toBe(true);
  });
});

describe("users", () => {
  it("SETUSER, GETUSER, LIST, USERS, WHOAMI", async () => {
    const ctx = context({ user: "bob" });
    expect(await wire(["SETUSER", "bob", "on", ">pw", "~a", "&b", "+ping", "(+info %R~k)"], ctx)).toBe("+OK\r\n");
    expect(await wire(["GETUSER", "bob"], ctx, 3)).toBe(
      [
        "%6",
        "$5", "flags", "~1", "$2", "on",
        "$9", "passwords", "*1", "$64", hashPassword("pw"),
        "$8", "commands", "$11", "-@all +ping",
        "$4", "keys", "$2", "~a",
        "$8", "channels", "$2", "&b",
        "$9", "selectors", "*1", "%3", "$8", "commands", "$11", "-@all +info", "$4", "keys", "$4", "%R~k", "$8", "channels", "$0", "",
        "",
      ].join("\r\n"),
    );
    expect(await wire(["GETUSER", "nobody"], ctx, 2)).toBe("$-1\r\n");
    expect(await wire(["GETUSER", "nobody"], ctx, 3)).toBe("_\r\n");
    expect(await wire(["USERS"], ctx)).toBe("*2\r\n$3\r\nbob\r\n$7\r\ndefault\r\n");
    expect(await wire(["LIST"], ctx)).toContain(`$${"user default on nopass ~* &* +@all".length}\r\nuser default on nopass ~* &* +@all\r\n`);
    expect(await wire(["WHOAMI"], ctx)).toBe("$3\r\nbob\r\n");
  });

  it("SETUSER errors quote the modifier", async () => {
    const ctx = context();
    expect(await wire(["SETUSER", "x", "on", "+get"], ctx)).toBe(
      "-ERR Error in ACL SETUSER modifier '+get': Unknown command or category name in ACL\r\n",
    );
    expect(await wire(["SETUSER", "a b"], ctx)).toBe("-ERR Usernames can't contain spaces or null characters\r\n");
    expect(await wire(["SETUSER", "x", "(+ping"], ctx)).toBe("-ERR Unmatched parenthesis in acl selector starting at '(+ping'.\r\n");
  });

  it("SETUSER asks to drop the subscribers whose channels were revoked", async () => {
    const calls: Array<[string, boolean, boolean]> = [];
    const ctx = context({
      dropSubscribers: (user, mustDrop) => calls.push([user, mustDrop({ channels: ["foo"], patterns: [] }), mustDrop({ channels: ["bar"], patterns: [] })]),
    });
    await aclCommand(["SETUSER", "u", "on", "&*"], ctx);
    await aclCommand(["SETUSER", "u", "&*"], ctx);
    await aclCommand(["SETUSER", "u", "resetchannels", "&bar"], ctx);
    expect(calls).toEqual([["u", true, false]]);
  });

  it("DELUSER counts deletions, tells who to disconnect, and protects default", async () => {
    const dropped: string[][] = [];
    const ctx = context({ dropUsers: (names) => dropped.push([...names]) });
    await aclCommand(["SETUSER", "a"], ctx);
    expect(await wire(["DELUSER", "a", "b"], ctx)).toBe(":1\r\n");
    expect(await wire(["DELUSER", "b"], ctx)).toBe(":0\r\n");
    expect(await wire(["DELUSER", "default"], ctx)).toBe("-ERR The 'default' user cannot be removed\r\n");
    expect(dropped).toEqual([["a"]]);
  });
});

describe("CAT, GENPASS, LOG, DRYRUN", () => {
  it("CAT lists categories, or a category's commands", async () => {
    const ctx = context();
    const all = await aclCommand(["CAT"], ctx);
    expect(all.kind === "array" ? all.value.length : 0).toBe(ACL_CATEGORIES.length);
    expect(await wire(["CAT", "PubSub"], ctx)).toBe(
      "*5\r\n$11\r\nunsubscribe\r\n$12\r\npunsubscribe\r\n$9\r\nsubscribe\r\n$10\r\npsubscribe\r\n$7\r\npublish\r\n",
    );
    expect(await wire(["CAT", "read"], ctx)).toBe("*0\r\n");
    expect(await wire(["CAT", "nosuch"], ctx)).toBe("-ERR Unknown category 'nosuch'\r\n");
  });

  it("GENPASS: 256 bits by default, rounded up to hex characters, bounded", async () => {
    const ctx = context();
    expect(await wire(["GENPASS"], ctx)).toBe(`$64\r\n${"ab".repeat(32)}\r\n`);
    expect(await wire(["GENPASS", "5"], ctx)).toBe("$2\r\nab\r\n");
    expect(await wire(["GENPASS", "4097"], ctx)).toBe(
      "-ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096\r\n",
    );
    expect(await wire(["GENPASS", "x"], ctx)).toBe("-ERR value is not an integer or out of range\r\n");
  });

  it("LOG shows 10 entries by default, a count, or resets", async () => {
    const ctx = context({ now: 5000 });
    for (let i = 0; i < 12; i++) ctx.log.add({ reason: "command", object: `c${i}`, username: "u", clientInfo: "" }, i * 100_000);
    const ten = await aclCommand(["LOG"], ctx);
    expect(ten.kind === "array" ? ten.value.length : -1).toBe(10);
    expect(await wire(["LOG", "-5"], ctx)).toBe("*0\r\n");
    expect(await wire(["LOG", "x"], ctx)).toBe("-ERR value is not an integer or out of range\r\n");
    expect(await wire(["LOG", "reset"], ctx)).toBe("+OK\r\n");
    expect(ctx.log.length).toBe(0);
  });

  it("DRYRUN answers OK or the reason, and checks the command and its arity", async () => {
    const ctx = context();
    await aclCommand(["SETUSER", "u", "+ping", "&a*", "+publish"], ctx);
    expect(await wire(["DRYRUN", "u", "ping"], ctx)).toBe("+OK\r\n");
    expect(await wire(["DRYRUN", "u", "info"], ctx)).toBe("$54\r\nThis user has no permissions to run the 'info' command\r\n");
    expect(await wire(["DRYRUN", "u", "publish", "b", "m"], ctx)).toBe("$54\r\nThis user has no permissions to access the 'b' channel\r\n");
    expect(await wire(["DRYRUN", "nobody", "ping"], ctx)).toBe("-ERR User 'nobody' not found\r\n");
    expect(await wire(["DRYRUN", "u", "get", "k"], ctx)).toBe("-ERR Command 'get' not found\r\n");
    expect(await wire(["DRYRUN", "u", "sentinel"], ctx)).toBe("-ERR wrong number of arguments for 'sentinel' command\r\n");
  });
});

describe("LOAD and SAVE", () => {
  const memoryFile = (initial: string | undefined): AclFileStore & { text: string | undefined } => {
    const file = {
      path: "/etc/users.acl",
      text: initial,
      read: async (): Promise<string> => {
        if (file.text === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
        return file.text;
      },
      write: async (t: string): Promise<void> => {
        file.text = t;
      },
    };
    return file;
  };

  it("refuse without an aclfile", async () => {
    expect(await wire(["LOAD"], context())).toMatch(/^-ERR This Redis instance is not configured to use an ACL file\./);
    expect(await wire(["SAVE"], context())).toMatch(/^-ERR This Redis instance is not configured to use an ACL file\./);
  });

  it("save the users and load them back, disconnecting the old users' clients", async () => {
    const file = memoryFile(undefined);
    const dropped: string[] = [];
    const ctx = context({ aclFile: file, dropUsers: (names) => dropped.push(...names) });
    await aclCommand(["SETUSER", "bob", "on", ">pw"], ctx);
    expect(await wire(["SAVE"], ctx)).toBe("+OK\r\n");
    expect(file.text).toBe(`user bob on #${hashPassword("pw")} resetchannels -@all\nuser default on nopass ~* &* +@all\n`);
    file.text = "user carol on nopass\n";
    expect(await wire(["LOAD"], ctx)).toBe("+OK\r\n");
    expect(ctx.users.names()).toEqual(["carol", "default"]);
    expect(dropped).toEqual(["bob"]);
  });

  it("report an unreadable file, a bad file and a failed write", async () => {
    const missing = memoryFile(undefined);
    expect(await wire(["LOAD"], context({ aclFile: missing }))).toBe(
      "-ERR Error loading ACLs, opening file '/etc/users.acl': No such file or directory\r\n",
    );
    expect(await wire(["LOAD"], context({ aclFile: memoryFile("nope\n") }))).toBe(
      "-ERR /etc/users.acl:1 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n",
    );
    const failing = { ...memoryFile(""), write: async (): Promise<void> => Promise.reject(new Error("disk full")) };
    expect(await wire(["SAVE"], context({ aclFile: failing }))).toBe(
      "-ERR There was an error trying to save the ACLs. Please check the server logs for more information\r\n",
    );
  });
});
