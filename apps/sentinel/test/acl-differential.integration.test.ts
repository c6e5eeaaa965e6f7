// Differential test of the ACL module against Debian's redis-sentinel 7.0.15 (SPEC §0: "ask
// the real thing"; §1.1: ACL in sentinel mode). The same sequence of commands, on two
// connections, goes to a real redis-sentinel and to the ACL module driven in-process the
// way the daemon wires it (AUTH through AclUsers.authenticate, a permission check before
// every command, ACL LOG entries for denials), in RESP2 and RESP3. Replies are compared
// field by field, except what differs by nature: ACL LOG's age and client info, GENPASS's
// random hex, the order of ACL CAT <category> (Redis walks a hash table seeded at random on
// every start) and the order of single-command rules in ACL LIST / GETUSER (same reason).
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resp, type RespValue } from "@sentinel-kit/resp-protocol";
import { startRedisSentinel, type RedisSentinel } from "@sentinel-kit/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_WITHOUT_PASSWORD_ERROR, AclGate, AclLog, AclUsers, WRONGPASS_ERROR, aclCommand, resolveCommand } from "../src/acl/index.js";
import { RawClient, throughWire } from "./harness/raw-client.js";

/** The module driven as the daemon drives it: one user per connection, the gate before dispatch. */
class OurSentinel {
  readonly users = new AclUsers();
  readonly log = new AclLog();
  readonly gate = new AclGate(this.users, this.log);
  readonly #sessions = new Map<string, string>();

  call(conn: string, argv: readonly string[]): RespValue | Promise<RespValue> {
    const user = this.#sessions.get(conn) ?? "default";
    const name = (argv[0] ?? "").toLowerCase();
    const clientInfo = (): string => `id=1 addr=127.0.0.1:1 cmd=${name} user=${user}`;
    if (name === "auth") {
      if (argv.length === 2 && !this.gate.passwordOnlyAuthAllowed()) return resp.error(AUTH_WITHOUT_PASSWORD_ERROR);
      const [who, password] = argv.length === 3 ? [argv[1] ?? "", argv[2] ?? ""] : ["default", argv[1] ?? ""];
      if (!this.gate.login(argv[0] ?? "", who, password, Date.now(), clientInfo)) return resp.error(WRONGPASS_ERROR);
      this.#sessions.set(conn, who);
      return resp.simple("OK");
    }
    // Unknown commands never reach the gate; an unknown ACL subcommand is answered by aclCommand.
    if (resolveCommand(this.users.ctx.index, argv) === undefined && name !== "acl") {
      throw new Error(`the sequence sends an unknown command: ${argv.join(" ")}`);
    }
    const denied = this.gate.authorize(user, argv, Date.now(), clientInfo);
    if (denied !== undefined) return denied;
    if (name === "ping") return resp.simple("PONG");
    if (name === "publish") return resp.error("ERR Only HELLO messages are accepted by Sentinel instances.");
    if (name !== "acl") throw new Error(`the sequence sends ${name}, which this stand-in does not answer`);
    return aclCommand(argv.slice(1), { users: this.users, log: this.log, now: Date.now(), user, randomBytes });
  }
}

type Compare = "exact" | "unordered" | "genpass" | "log";

interface Step {
  readonly conn: "a" | "b";
  readonly argv: readonly string[];
  readonly compare?: Compare;
}

const A = (...argv: string[]): Step => ({ conn: "a", argv });
const B = (...argv: string[]): Step => ({ conn: "b", argv });

const CATEGORIES = ["keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting"];

const HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

const SEQUENCE: readonly Step[] = [
  A("ACL", "WHOAMI"),
  A("ACL", "USERS"),
  A("ACL", "LIST"),
  A("ACL", "GETUSER", "default"),
  A("ACL", "GETUSER", "nobody"),
  A("ACL", "CAT"),
  ...CATEGORIES.map((c): Step => ({ conn: "a", argv: ["ACL", "CAT", c], compare: "unordered" })),
  { conn: "a", argv: ["ACL", "CAT", "ADMIN"], compare: "unordered" },
  A("ACL", "CAT", "nosuch"),
  A("ACL", "CAT", "a", "b"),
  // Every rule kind, in users ACL LIST and GETUSER then print.
  A("ACL", "SETUSER", "bob", "on", ">p1", ">p2", "~k*", "%R~r*", "%W~w*", "%RW~rw*", "&ch*", "-@all", "+@connection", "+sentinel|myid", "+ping", "+client|id", "-client"),
  A("ACL", "SETUSER", "carol", "on", "nopass", "+@all", "-@dangerous", "allkeys", "allchannels"),
  A("ACL", "SETUSER", "dave", "reset"),
  A("ACL", "SETUSER", "erin", "skip-sanitize-payload", "nopass", "resetpass", `#${HASH}`, ">x", ">x", "<x"),
  A("ACL", "SETUSER", "frank", "%RW~a", "%R~a", "%W~b", "%WR~c", "%R", "&a", "&a", "~x", "~x"),
  A("ACL", "SETUSER", "gina", "+ping|foo", "+ping|FOO", "+ping|bar", "(+ping ~a)", "(", "+acl|whoami", "&z", ")"),
  A("ACL", "SETUSER", "hank", "allcommands", "-sentinel", "+sentinel|myid", "-acl|setuser", "nocommands", "+@admin", "-@dangerous", "+@pubsub", "-publish"),
  A("ACL", "SETUSER", "ivan", "+@all", "-@slow", "+acl", "-acl|log"),
  A("ACL", "SETUSER", "judy", "+@slow", "+@fast", "-@connection", "+auth", "+hello", "+client|setname", "+command|count"),
  A("ACL", "SETUSER", "kim", "on", "clearselectors", "(+ping)", "(+info)", "clearselectors", "(&x +publish)", "~y"),
  A("ACL", "SETUSER", "bob", "<p1", "-client|id", "ON"),
  A("ACL", "LIST"),
  ...["bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "judy", "kim"].map((u) => A("ACL", "GETUSER", u)),
  A("ACL", "USERS"),
  // Errors, word for word.
  A("ACL", "SETUSER", "x", "+get"),
  A("ACL", "SETUSER", "x", "+@foo"),
  A("ACL", "SETUSER", "x", "blah"),
  A("ACL", "SETUSER", "x", "~*", "~a"),
  A("ACL", "SETUSER", "x", "&*", "&a"),
  A("ACL", "SETUSER", "x", "<nope"),
  A("ACL", "SETUSER", "x", "!nope"),
  A("ACL", "SETUSER", "x", "#abc"),
  A("ACL", "SETUSER", "x", `#${HASH.toUpperCase()}`),
  A("ACL", "SETUSER", "x", "+select|0"),
  A("ACL", "SETUSER", "x", "+acl|whoami|x"),
  A("ACL", "SETUSER", "x", "+acl|"),
  A("ACL", "SETUSER", "x", "+acl|nosuch"),
  A("ACL", "SETUSER", "x", "-ping|foo"),
  A("ACL", "SETUSER", "x", "+"),
  A("ACL", "SETUSER", "x", "%X~a"),
  A("ACL", "SETUSER", "x", "%~a"),
  A("ACL", "SETUSER", "x", "%RR~a"),
  A("ACL", "SETUSER", "x", "~a b"),
  A("ACL", "SETUSER", "x", "(+ping"),
  A("ACL", "SETUSER", "x", "on", "(+ping", "~a"),
  A("ACL", "SETUSER", "x", "(+get)"),
  A("ACL", "SETUSER", "a b"),
  A("ACL", "SETUSER", "bob", "off", "+nosuch"),
  A("ACL", "GETUSER", "bob"),
  A("ACL", "GETUSER", "x"),
  A("ACL", "SETUSER"),
  A("ACL", "GETUSER"),
  A("ACL", "GETUSER", "a", "b"),
  A("ACL", "DELUSER"),
  A("ACL", "LIST", "x"),
  A("ACL", "WHOAMI", "x"),
  A("ACL", "FOO"),
  A("ACL", "LOAD"),
  A("ACL", "SAVE"),
  A("ACL", "HELP"),
  A("ACL", "LOG", "x"),
  A("ACL", "LOG", "1", "2"),
  A("ACL", "GENPASS", "0"),
  A("ACL", "GENPASS", "4097"),
  A("ACL", "GENPASS", "x"),
  { conn: "a", argv: ["ACL", "GENPASS"], compare: "genpass" },
  { conn: "a", argv: ["ACL", "GENPASS", "5"], compare: "genpass" },
  { conn: "a", argv: ["ACL", "GENPASS", "4096"], compare: "genpass" },
  A("ACL", "DRYRUN", "carol", "info"),
  A("ACL", "DRYRUN", "carol", "ping", "x"),
  A("ACL", "DRYRUN", "bob", "sentinel", "myid"),
  A("ACL", "DRYRUN", "bob", "sentinel", "masters"),
  A("ACL", "DRYRUN", "gina", "ping", "Foo"),
  A("ACL", "DRYRUN", "gina", "ping", "baz"),
  A("ACL", "DRYRUN", "kim", "publish", "x", "m"),
  A("ACL", "DRYRUN", "kim", "publish", "y", "m"),
  A("ACL", "DRYRUN", "nobody", "ping"),
  A("ACL", "DRYRUN", "bob", "get", "x"),
  A("ACL", "DRYRUN", "bob", "sentinel", "foo"),
  A("ACL", "DRYRUN", "bob", "sentinel"),
  A("ACL", "DRYRUN", "bob", "publish", "a", "b", "c"),
  A("ACL", "DELUSER", "default"),
  A("ACL", "DELUSER", "dave", "erin", "nobody", "dave"),
  // Permissions on a second connection, and the log they leave.
  A("ACL", "SETUSER", "u1", "on", ">pw", "&allowed*", "-@all", "+ping", "+publish", "+acl|whoami"),
  A("ACL", "LOG"),
  B("AUTH", "u1", "wrong"),
  B("AUTH", "nobody", "x"),
  B("auth", "u1", "wrong"),
  B("AUTH", "u1", "pw"),
  B("ACL", "WHOAMI"),
  B("ACL", "LIST"),
  B("SENTINEL", "MYID"),
  B("SENTINEL", "MYID"),
  B("PUBLISH", "foo", "x"),
  B("PUBLISH", "allowedx", "y"),
  B("PING"),
  A("ACL", "SETUSER", "u1", "+acl|log"),
  { conn: "b", argv: ["ACL", "LOG"], compare: "log" },
  { conn: "a", argv: ["ACL", "LOG", "2"], compare: "log" },
  { conn: "a", argv: ["ACL", "LOG", "-1"], compare: "log" },
  A("ACL", "LOG", "RESET"),
  A("ACL", "LOG"),
  A("ACL", "SETUSER", "u1", "off"),
  B("PING"),
  A("AUTH", "u1", "pw"),
  A("AUTH", "default", "anything"),
  A("AUTH", "anything"),
  A("ACL", "WHOAMI"),
  A("ACL", "SETUSER", "default", ">pw"),
  A("AUTH", "nope"),
  A("AUTH", "pw"),
  { conn: "a", argv: ["ACL", "LOG", "1"], compare: "log" },
];

/** Sorts each run of single-command rules (`+cmd`, `-cmd|sub`): Redis emits them in hash order. */
function normaliseRules(text: string): string {
  const tokens = text.replace(/\(/g, "( ").replace(/\)/g, " )").split(" ");
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    out.push(...run.sort());
    run = [];
  };
  for (const token of tokens) {
    if (/^[+-][^@]/.test(token)) run.push(token);
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out.join(" ");
}

type Plain = string | number | null | boolean | Plain[] | { kind: string; value: Plain };

function plain(value: RespValue, compare: Compare, path: string[] = []): Plain {
  switch (value.kind) {
    case "simple":
    case "error":
      return { kind: value.kind, value: value.value };
    case "bulk": {
      const text = value.value.toString("utf8");
      const field = path[path.length - 1];
      if (compare === "log" && (field === "client-info" || field === "age-seconds")) return { kind: "bulk", value: "<varies>" };
      if (compare === "genpass") return { kind: "bulk", value: `${text.length} hex chars: ${/^[0-9a-f]*$/.test(text)}` };
      return { kind: "bulk", value: text.startsWith("user ") || field === "commands" ? normaliseRules(text) : text };
    }
    case "integer":
      return { kind: "integer", value: Number(value.value) };
    case "double":
      return { kind: "double", value: compare === "log" ? "<varies>" : value.value };
    case "array":
    case "set": {
      const items: Plain[] = [];
      let key: string[] = path;
      value.value.forEach((v, i) => {
        // RESP2 maps arrive as flat arrays: remember the field name for the value after it.
        const prev = value.value[i - 1];
        key = prev?.kind === "bulk" && i % 2 === 1 ? [...path, prev.value.toString("utf8")] : path;
        items.push(plain(v, compare, key));
      });
      if (compare === "unordered") items.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
      return { kind: value.kind, value: items };
    }
    case "map":
      return { kind: "map", value: value.value.map(([k, v]) => [plain(k, compare, path), plain(v, compare, [...path, k.kind === "bulk" ? k.value.toString("utf8") : ""])]) };
    case "null":
    case "null-bulk":
    case "null-array":
      return { kind: value.kind, value: null };
    default:
      return { kind: value.kind, value: JSON.stringify(value) };
  }
}

describe.each([2, 3] as const)("ACL against redis-sentinel 7.0.15, RESP%i", (version) => {
  let sentinel: RedisSentinel | undefined;
  const clients = new Map<string, RawClient>();

  beforeAll(async () => {
    sentinel = await startRedisSentinel({ config: "" });
    for (const conn of ["a", "b"]) {
      const client = await RawClient.open(sentinel.port);
      if (version === 3) await client.call(["HELLO", "3"]);
      clients.set(conn, client);
    }
  }, 30_000);

  afterAll(async () => {
    for (const client of clients.values()) client.close();
    await sentinel?.stop();
  });

  it("answers the whole sequence as redis-sentinel does", async () => {
    const ours = new OurSentinel();
    for (const step of SEQUENCE) {
      const client = clients.get(step.conn);
      if (client === undefined) throw new Error("no client");
      const compare = step.compare ?? "exact";
      const real = plain(await client.call(step.argv), compare);
      const mine = plain(throughWire(await ours.call(step.conn, step.argv), version), compare);
      expect({ step: step.argv.join(" "), reply: mine }).toEqual({ step: step.argv.join(" "), reply: real });
    }
  }, 60_000);
});

/** Sends commands on one fresh connection, authenticating first when `password` is given. */
async function ask(port: number, password: string | undefined, ...commands: string[][]): Promise<RespValue[]> {
  const client = await RawClient.open(port);
  try {
    if (password !== undefined) await client.call(["AUTH", password]);
    const replies: RespValue[] = [];
    for (const argv of commands) replies.push(await client.call(argv));
    return replies;
  } finally {
    client.close();
  }
}

function lines(value: RespValue | undefined): string[] {
  if (value?.kind !== "array") throw new Error(`expected an array, got ${JSON.stringify(value)}`);
  return value.value.map((v) => (v.kind === "bulk" ? normaliseRules(v.value.toString("utf8")) : JSON.stringify(v)));
}

function text(value: RespValue | undefined): string {
  if (value?.kind === "error" || value?.kind === "simple") return value.value;
  throw new Error(`expected a status or error, got ${JSON.stringify(value)}`);
}

describe("start-up users against redis-sentinel 7.0.15 (SPEC §2.1: requirepass, user, aclfile)", () => {
  const started: RedisSentinel[] = [];
  afterAll(async () => {
    for (const s of started) await s.stop();
  });
  const start = async (config: string): Promise<RedisSentinel> => {
    const s = await startRedisSentinel({ config });
    started.push(s);
    return s;
  };

  it("requirepass becomes the default user's password; user directives add users", async () => {
    const s = await start("requirepass foo\nuser bob on >x ~a &b -@all +@admin (+ping ~k)\nuser carol\n");
    const [list] = await ask(s.port, "foo", ["ACL", "LIST"]);
    const ours = AclUsers.fromConfig({
      requirepass: "foo",
      userDirectives: [["bob", "on", ">x", "~a", "&b", "-@all", "+@admin", "(+ping", "~k)"], ["carol"]],
    });
    expect(ours.list().map(normaliseRules)).toEqual(lines(list));
    expect(ours.authRequired()).toBe(true);
  }, 30_000);

  it("a `user default` line wins over requirepass, wherever it is", async () => {
    const s = await start("user default on nopass resetchannels +@all\nrequirepass foo\n");
    const [list, auth] = await ask(s.port, undefined, ["ACL", "LIST"], ["AUTH", "foo"]);
    const ours = AclUsers.fromConfig({ requirepass: "foo", userDirectives: [["default", "on", "nopass", "resetchannels", "+@all"]] });
    expect(ours.list().map(normaliseRules)).toEqual(lines(list));
    expect(ours.authRequired()).toBe(false);
    expect(text(auth)).toBe("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
  }, 30_000);

  it("acl-pubsub-default allchannels gives new users &*", async () => {
    const s = await start("acl-pubsub-default allchannels\nuser bob on >x +@all\n");
    const [, list] = await ask(s.port, undefined, ["ACL", "SETUSER", "carol", "reset", "+ping"], ["ACL", "LIST"]);
    const ours = AclUsers.fromConfig({ userDirectives: [["bob", "on", ">x", "+@all"]] }, { allChannelsByDefault: true });
    ours.setUser("carol", ["reset", "+ping"]);
    expect(ours.list().map(normaliseRules)).toEqual(lines(list));
  }, 30_000);

  it("aclfile: start-up load, ACL LOAD errors and success, ACL SAVE", async () => {
    const dir = mkdtempSync(join(tmpdir(), "acl-diff-"));
    const path = join(dir, "users.acl");
    writeFileSync(path, `user zed on >z -@all +ping\n\n  user amy on nopass &x* +@pubsub  \n`);
    const s = await start(`aclfile ${path}\n`);
    let fileText = readFileSync(path, "utf8");
    const store = { path, read: async () => fileText, write: async (t: string) => void (fileText = t) };
    const ours = AclUsers.fromConfig({ aclFile: { path, text: fileText } });
    const run = async (...argv: string[]): Promise<[RespValue, RespValue]> => {
      const [real] = await ask(s.port, undefined, argv);
      fileText = existsSync(path) ? readFileSync(path, "utf8") : fileText;
      const mine = await aclCommand(argv.slice(1), { users: ours, log: new AclLog(), now: 0, user: "default", randomBytes, aclFile: store });
      if (real === undefined) throw new Error("no reply");
      return [real, mine];
    };

    const [realList, ourList] = await run("ACL", "LIST");
    expect(lines(ourList)).toEqual(lines(realList));

    writeFileSync(path, "user a on +nosuch blah >secret\nfoo bar\nuser a\nuser b (+ping\nuser c\tx\n");
    const [realError, ourError] = await run("ACL", "LOAD");
    expect(text(ourError)).toBe(text(realError));

    writeFileSync(path, "user default on >pw ~* &* +@all\nuser new on nopass +@fast -ping\n");
    const [realOk, ourOk] = await run("ACL", "LOAD");
    expect(text(ourOk)).toBe(text(realOk));
    const [realAfter] = await ask(s.port, "pw", ["ACL", "LIST"]);
    expect(ours.list().map(normaliseRules)).toEqual(lines(realAfter));

    const [realSet] = await ask(s.port, "pw", ["ACL", "SETUSER", "zoe", "on", ">q", "+@connection"], ["ACL", "SAVE"]);
    expect(text(realSet)).toBe("OK");
    ours.setUser("zoe", ["on", ">q", "+@connection"]);
    await aclCommand(["SAVE"], { users: ours, log: new AclLog(), now: 0, user: "default", randomBytes, aclFile: store });
    const saved = readFileSync(path, "utf8");
    expect(fileText.split("\n").map(normaliseRules)).toEqual(saved.split("\n").map(normaliseRules));
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});

describe("random SETUSER rule lists against redis-sentinel 7.0.15", () => {
  let sentinel: RedisSentinel | undefined;
  let client: RawClient | undefined;
  beforeAll(async () => {
    sentinel = await startRedisSentinel({ config: "" });
    client = await RawClient.open(sentinel.port);
  }, 30_000);
  afterAll(async () => {
    client?.close();
    await sentinel?.stop();
  });

  const RULE = fc.oneof(
    fc.constantFrom("on", "off", "nopass", "resetpass", "reset", "allkeys", "resetkeys", "allchannels", "resetchannels", "allcommands", "nocommands", "clearselectors", "skip-sanitize-payload", "sanitize-payload", "~*", "&*", "+@all", "-@all"),
    fc.constantFrom(">a", ">b", "<a", `#${HASH}`, `!${HASH}`, "~k1", "~k2", "%R~r", "%W~w", "%RW~k1", "&c1", "&c*"),
    fc.constantFrom(...CATEGORIES.filter((c) => ["pubsub", "admin", "fast", "slow", "dangerous", "connection"].includes(c)).flatMap((c) => [`+@${c}`, `-@${c}`])),
    fc.constantFrom("+ping", "-ping", "+publish", "-publish", "+sentinel", "-sentinel", "+sentinel|myid", "-sentinel|reset", "+client|id", "-client", "+acl", "-acl|log", "+info", "-role", "+ping|x", "+auth", "-hello"),
    fc.constantFrom("(+ping ~a)", "(&c1 +publish)", "(-@all +@admin)", "+get", "blah", "+acl|whoami|x"),
  );

  it("gives the same reply and the same user", async () => {
    const ours = new AclUsers();
    const samples = fc.sample(fc.array(RULE, { minLength: 1, maxLength: 8 }), { numRuns: 300, seed: 42 });
    for (const [i, rules] of samples.entries()) {
      const name = `r${i % 10}`;
      const setuser = ["ACL", "SETUSER", name, ...rules];
      const getuser = ["ACL", "GETUSER", name];
      if (client === undefined) throw new Error("no client");
      const real = [plain(await client.call(setuser), "exact"), plain(await client.call(getuser), "exact")];
      const ctx = { users: ours, log: new AclLog(), now: 0, user: "default", randomBytes };
      const mine = [plain(throughWire(await aclCommand(setuser.slice(1), ctx), 2), "exact"), plain(throughWire(await aclCommand(getuser.slice(1), ctx), 2), "exact")];
      expect({ rules: rules.join(" "), reply: mine }).toEqual({ rules: rules.join(" "), reply: real });
    }
    const [list] = await ask(sentinel?.port ?? 0, undefined, ["ACL", "LIST"]);
    expect(ours.list().map(normaliseRules)).toEqual(lines(list));
  }, 60_000);
});
