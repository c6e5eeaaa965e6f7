// RespServer over real TCP on 127.0.0.1. Expected bytes are Redis 7.0's (src/networking.c
// helloCommand and processInputBuffer, src/server.c processCommand, src/acl.c authCommand,
// src/pubsub.c); server-redis.integration.test.ts replays the pub/sub ones against a real
// redis-server.
import { connect, createServer } from "node:net";
import { Redis } from "ioredis";
import { afterEach, describe, expect, test } from "vitest";
import { resp } from "../src/constructors.js";
import type { RespValue } from "../src/values.js";
import { helloFields } from "../src/server/hello.js";
import { RespServer } from "../src/server/server.js";
import type { RespClientContext, RespCommandHandler, RespDisconnectReason, RespServerOptions } from "../src/server/types.js";
import { RawClient, startServer } from "./server-helpers.js";

const servers: RespServer[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close({ timeoutMs: 1000 })));
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A small command set: PING, ECHO, GET (always nil), PUBLISH, BOOM (throws).
function basicHandler(getServer: () => RespServer): RespCommandHandler {
  return (command) => {
    switch (command.name) {
      case "ping":
        return command.args[0] === undefined ? resp.simple("PONG") : resp.bulk(command.args[0]);
      case "echo":
        return resp.bulk(command.args[0] ?? "");
      case "get":
        return resp.nullBulk();
      case "publish":
        return resp.integer(getServer().publish(command.args[0] ?? "", command.args[1] ?? ""));
      case "boom":
        throw new Error("kaboom\r\nsecond line");
      case "sleep":
        return delay(Number(command.args[0])).then(() => resp.simple("SLEPT"));
      default:
        return undefined;
    }
  };
}

async function setup(options: Partial<RespServerOptions> = {}) {
  let server: RespServer | undefined;
  const started = await startServer({ handler: basicHandler(() => server as RespServer), ...options });
  server = started.server;
  servers.push(server);
  return { server, port: started.port, client: () => open(started.port) };
}

async function open(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  clients.push(client);
  return client;
}

describe("pipelining", () => {
  test("replies come back in request order even when async handlers finish out of order", async () => {
    // A fixed-seed LCG so a failure reproduces.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const { client } = await setup({
      handler: (command) => {
        const n = command.args[0]?.toString() ?? "";
        const wait = Math.floor(random() * 6);
        // A third answer at once, the rest after a random delay.
        if (wait < 2) return resp.bulk(n);
        return delay(wait).then(() => resp.bulk(n));
      },
    });
    const c = await client();
    const count = 300;
    let request = "";
    let expected = "";
    for (let i = 0; i < count; i++) {
      request += `*2\r\n$1\r\nN\r\n$${String(i).length}\r\n${i}\r\n`;
      expected += `$${String(i).length}\r\n${i}\r\n`;
    }
    expect(await c.request(request, expected)).toBe(expected);
  });

  test("inline and multibulk requests can be mixed in one write", async () => {
    const c = await (await setup()).client();
    const expected = "+PONG\r\n$2\r\nhi\r\n$5\r\nhello\r\n";
    expect(await c.request("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO hello\r\n", expected)).toBe(expected);
  });

  test("malformed input behind an async command is answered after it, in order, then the connection closes", async () => {
    // The decoder is paused while SLEEP runs; the error surfaces when decoding resumes.
    const c = await (await setup()).client();
    c.send("SLEEP 20\r\nPING\r\n*abc\r\nPING\r\n");
    await c.waitFor((_, closed) => closed);
    expect(c.take().toString()).toBe("+SLEPT\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
  });

  test("QUIT behind an async command: the commands after QUIT never run", async () => {
    let pings = 0;
    const { client } = await setup({
      handler: (command) => {
        if (command.name === "ping") pings++;
        return delay(10).then(() => resp.simple(command.name));
      },
    });
    const c = await client();
    c.send("PING\r\nSLOW\r\nQUIT\r\nPING\r\nPING\r\n");
    await c.waitFor((_, closed) => closed);
    expect(c.take().toString()).toBe("+ping\r\n+slow\r\n+OK\r\n");
    expect(pings).toBe(1);
  });
});

describe("HELLO", () => {
  const map3 = (id: number) =>
    `%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:${id}\r\n` +
    `$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n`;

  test("HELLO 3 switches to RESP3 and replies Redis's 7-field map; HELLO 2 switches back with a flat array", async () => {
    const { client } = await setup();
    const c = await client();
    expect(await c.request("HELLO 3\r\n", map3(1))).toBe(map3(1));
    expect(await c.request("GET x\r\n", "_\r\n")).toBe("_\r\n");
    const flat =
      `*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:1\r\n` +
      `$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n`;
    expect(await c.request("HELLO 2\r\n", flat)).toBe(flat);
    expect(await c.request("GET x\r\n", "$-1\r\n")).toBe("$-1\r\n");
  });

  test("a sentinel's HELLO has 6 fields and no role (SPEC §1.4)", async () => {
    const { client } = await setup({ hello: (c) => helloFields(c, { version: "7.0.15", mode: "sentinel" }) });
    const c = await client();
    const expected =
      `%6\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:1\r\n` +
      `$4\r\nmode\r\n$8\r\nsentinel\r\n$7\r\nmodules\r\n*0\r\n`;
    expect(await c.request("HELLO 3\r\n", expected)).toBe(expected);
  });

  test("errors are Redis's: NOPROTO, a non-integer version, bad options, SETNAME validation", async () => {
    const c = await (await setup()).client();
    const cases: Array<[string, string]> = [
      ["HELLO 4\r\n", "-NOPROTO unsupported protocol version\r\n"],
      ["HELLO 1\r\n", "-NOPROTO unsupported protocol version\r\n"],
      ["HELLO abc\r\n", "-ERR Protocol version is not an integer or out of range\r\n"],
      ["HELLO 03\r\n", "-ERR Protocol version is not an integer or out of range\r\n"],
      ["HELLO 3 FOO\r\n", "-ERR Syntax error in HELLO option 'FOO'\r\n"],
      ["HELLO 3 AUTH a\r\n", "-ERR Syntax error in HELLO option 'AUTH'\r\n"],
      ["HELLO 2 SETNAME\r\n", "-ERR Syntax error in HELLO option 'SETNAME'\r\n"],
      ['HELLO 3 SETNAME "a b"\r\n', "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"],
    ];
    for (const [request, reply] of cases) expect(await c.request(request, reply)).toBe(reply);
    // None of the failures switched the protocol.
    expect(await c.request("GET x\r\n", "$-1\r\n")).toBe("$-1\r\n");
  });

  test("HELLO without a version keeps the protocol; SETNAME names the client", async () => {
    const { server, client } = await setup({ hello: (c) => [["proto", resp.integer(c.protocol)]] });
    const c = await client();
    expect(await c.request("HELLO\r\n", "*2\r\n$5\r\nproto\r\n:2\r\n")).toBe("*2\r\n$5\r\nproto\r\n:2\r\n");
    expect(await c.request("HELLO 3 SETNAME app-1\r\n", "%1\r\n$5\r\nproto\r\n:3\r\n")).toBe("%1\r\n$5\r\nproto\r\n:3\r\n");
    expect(server.clients().map((x) => x.name)).toEqual(["app-1"]);
  });
});

describe("AUTH", () => {
  const users = new Map([
    ["default", "sekret"],
    ["bob", "pw"],
  ]);
  // Async on purpose: the command after AUTH must wait for the verdict.
  const authenticate = async (user: string, password: string) => {
    await delay(5);
    return users.get(user) === password;
  };

  test("requires authentication, with Redis's texts for NOAUTH, WRONGPASS and HELLO", async () => {
    const { client } = await setup({ authenticate });
    const c = await client();
    const cases: Array<[string, string]> = [
      ["PING\r\n", "-NOAUTH Authentication required.\r\n"],
      ["SUBSCRIBE x\r\n", "-NOAUTH Authentication required.\r\n"],
      ["SUBSCRIBE\r\n", "-ERR wrong number of arguments for 'subscribe' command\r\n"],
      [
        "HELLO 3\r\n",
        "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n",
      ],
      ["AUTH wrong\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"],
      ["AUTH bob sekret\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"],
      ["HELLO 3 AUTH default wrong\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"],
      ["AUTH a b c\r\n", "-ERR syntax error\r\n"],
      ["AUTH\r\n", "-ERR wrong number of arguments for 'auth' command\r\n"],
      ["PING\r\n", "-NOAUTH Authentication required.\r\n"],
    ];
    for (const [request, reply] of cases) expect(await c.request(request, reply)).toBe(reply);
    // AUTH <password> is user "default"; the pipelined PING waits for the async verdict.
    expect(await c.request("AUTH sekret\r\nPING\r\n", "+OK\r\n+PONG\r\n")).toBe("+OK\r\n+PONG\r\n");
  });

  test("HELLO AUTH authenticates, names the client and switches protocol in one command", async () => {
    let seen: RespClientContext | undefined;
    const { client } = await setup({
      authenticate,
      hello: (c) => {
        seen = c;
        return [["id", resp.integer(c.id)]];
      },
    });
    const c = await client();
    expect(await c.request("HELLO 3 AUTH bob pw SETNAME worker\r\n", "%1\r\n$2\r\nid\r\n:1\r\n")).toBe("%1\r\n$2\r\nid\r\n:1\r\n");
    expect(seen).toMatchObject({ user: "bob", name: "worker", protocol: 3, authenticated: true });
    expect(await c.request("GET x\r\n", "_\r\n")).toBe("_\r\n");
  });

  test("without an auth hook, AUTH behaves like Redis with no password set", async () => {
    const c = await (await setup()).client();
    const cases: Array<[string, string]> = [
      [
        "AUTH x\r\n",
        "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n",
      ],
      ["AUTH default x\r\n", "+OK\r\n"],
      ["AUTH bob x\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"],
    ];
    for (const [request, reply] of cases) expect(await c.request(request, reply)).toBe(reply);
  });

  test("authRequired is asked per connection; named users log in while the default user needs no password", async () => {
    // Redis's model: `ACL SETUSER default resetpass >x` changes authRequired for new connections only.
    let required = false;
    let passwordOnly = false;
    const { client } = await setup({ authenticate, authRequired: () => required, passwordOnlyAuth: () => passwordOnly });
    const open1 = await client();
    expect(await open1.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
    const noPassword = "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n";
    expect(await open1.request("AUTH x\r\n", noPassword)).toBe(noPassword);
    expect(await open1.request("AUTH bob pw\r\n", "+OK\r\n")).toBe("+OK\r\n");
    required = true;
    passwordOnly = true;
    const open2 = await client();
    expect(await open2.request("PING\r\n", "-NOAUTH Authentication required.\r\n")).toBe("-NOAUTH Authentication required.\r\n");
    expect(await open2.request("AUTH sekret\r\n", "+OK\r\n")).toBe("+OK\r\n");
    // The first connection keeps what it had.
    expect(await open1.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
  });

  test("the authenticate hook is told the command as typed (ACL LOG's object)", async () => {
    const commands: string[] = [];
    const { client } = await setup({
      authenticate: (_user, _password, _client, command) => {
        commands.push(command);
        return false;
      },
    });
    const c = await client();
    const wrong = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
    expect(await c.request("auth bob x\r\n", wrong)).toBe(wrong);
    expect(await c.request("HELLO 3 AUTH bob x\r\n", wrong)).toBe(wrong);
    expect(commands).toEqual(["auth", "HELLO"]);
  });

  test("canSubscribe refuses a whole SUBSCRIBE or PSUBSCRIBE before any channel is subscribed", async () => {
    const seen: string[] = [];
    const { client, server } = await setup({
      canSubscribe: (c, command, targets) => {
        seen.push(`${c.id} ${command} ${targets.map(String).join(",")}`);
        return targets.some((t) => t.toString() === "secret") ? resp.error("NOPERM this user has no permissions to access one of the channels used as arguments") : undefined;
      },
    });
    const c = await client();
    const refused = "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n";
    expect(await c.request("SUBSCRIBE open secret\r\n", refused)).toBe(refused);
    expect(server.publish("open", "m")).toBe(0);
    expect(await c.request("PSUBSCRIBE o*\r\n", "*3\r\n$10\r\npsubscribe\r\n$2\r\no*\r\n:1\r\n")).toBe("*3\r\n$10\r\npsubscribe\r\n$2\r\no*\r\n:1\r\n");
    expect(seen).toEqual(["1 subscribe open,secret", "1 psubscribe o*"]);
    const [context] = server.clients();
    expect(context).toBeDefined();
    const subscriptions = server.subscriptions(context as RespClientContext);
    expect({ channels: subscriptions.channels.map(String), patterns: subscriptions.patterns.map(String) }).toEqual({ channels: [], patterns: ["o*"] });
  });

  test("unauthenticated clients get Redis's tighter request limits until AUTH succeeds", async () => {
    const { client } = await setup({ authenticate });
    const big = `*11\r\n$4\r\nECHO\r\n${"$1\r\nx\r\n".repeat(10)}`;
    const before = await client();
    const refused = "-ERR Protocol error: unauthenticated multibulk length\r\n";
    expect(await before.request(big, refused)).toBe(refused);
    await before.waitFor((_, closed) => closed);
    const after = await client();
    expect(await after.request(`AUTH sekret\r\n${big}`, "+OK\r\n$1\r\nx\r\n")).toBe("+OK\r\n$1\r\nx\r\n");
  });

  test("with isKnownCommand, an unknown command is reported before NOAUTH, as Redis orders the checks", async () => {
    const { client } = await setup({ authenticate, isKnownCommand: (name) => name === "echo" });
    const c = await client();
    const unknown = "-ERR unknown command 'FOO', with args beginning with: 'a' \r\n";
    expect(await c.request("FOO a\r\n", unknown)).toBe(unknown);
    expect(await c.request("ECHO a\r\n", "-NOAUTH Authentication required.\r\n")).toBe("-NOAUTH Authentication required.\r\n");
  });
});

describe("pub/sub", () => {
  test("RESP2: subscribe replies, messages, pmessages, the subscribed-mode restriction and PING", async () => {
    const { server, client } = await setup();
    const sub = await client();
    const subscribed = "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:2\r\n";
    expect(await sub.request("SUBSCRIBE a\r\nPSUBSCRIBE n*\r\n", subscribed)).toBe(subscribed);
    expect(server.publish("a", "hi")).toBe(1);
    expect(server.publish("news", "x")).toBe(1);
    expect(server.publish("other", "x")).toBe(0);
    const messages = "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$1\r\nx\r\n";
    await sub.waitFor((r) => r.length >= messages.length);
    expect(sub.take().toString()).toBe(messages);
    const refused =
      "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n";
    expect(await sub.request("GET a\r\n", refused)).toBe(refused);
    const pongs = "*2\r\n$4\r\npong\r\n$0\r\n\r\n*2\r\n$4\r\npong\r\n$1\r\nx\r\n-ERR wrong number of arguments for 'ping' command\r\n";
    expect(await sub.request("PING\r\nPING x\r\nPING a b\r\n", pongs)).toBe(pongs);
    const unsubscribed =
      "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$12\r\npunsubscribe\r\n$2\r\nn*\r\n:0\r\n*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n";
    expect(await sub.request("UNSUBSCRIBE\r\nPUNSUBSCRIBE\r\nUNSUBSCRIBE\r\n", unsubscribed)).toBe(unsubscribed);
    // Out of subscribed mode, commands run again.
    expect(await sub.request("GET a\r\n", "$-1\r\n")).toBe("$-1\r\n");
  });

  test("RESP3: pushes, no restriction, PING answered by the handler", async () => {
    const { server, client } = await setup();
    const sub = await client();
    await sub.request("HELLO 3\r\n", 100);
    const subscribed = ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n";
    expect(await sub.request("SUBSCRIBE a\r\n", subscribed)).toBe(subscribed);
    expect(await sub.request("GET a\r\nPING\r\n", "_\r\n+PONG\r\n")).toBe("_\r\n+PONG\r\n");
    server.publish("a", "m");
    const push = ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n";
    await sub.waitFor((r) => r.length >= push.length);
    expect(sub.take().toString()).toBe(push);
    const none = ">3\r\n$12\r\npunsubscribe\r\n_\r\n:1\r\n";
    expect(await sub.request("PUNSUBSCRIBE\r\n", none)).toBe(none);
  });

  test("PUBLISH counts every delivery: a channel subscriber and two matching patterns of one client are 3", async () => {
    const { client } = await setup();
    const sub = await client();
    const pub = await client();
    await sub.request("SUBSCRIBE ch\r\nPSUBSCRIBE c* *h\r\n", 3 * 30);
    expect(await pub.request("PUBLISH ch m\r\n", ":3\r\n")).toBe(":3\r\n");
  });

  test("a client's subscriptions go away with it", async () => {
    const { server, client } = await setup();
    const sub = await client();
    await sub.request("SUBSCRIBE a\r\n", 30);
    sub.close();
    const deadline = Date.now() + 2000;
    while (server.publish("a", "x") !== 0 && Date.now() < deadline) await delay(10);
    expect(server.publish("a", "x")).toBe(0);
  });
});

describe("commands the server does not know, and handler failures", () => {
  test("a handler returning nothing gets Redis 7.0's unknown-command text", async () => {
    const c = await (await setup()).client();
    const cases: Array<[string, string]> = [
      ["FOO a b c\r\n", "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' 'c' \r\n"],
      ["FOO\r\n", "-ERR unknown command 'FOO', with args beginning with: \r\n"],
      [
        `FOO ${"a".repeat(100)} ${"b".repeat(50)} c\r\n`,
        `-ERR unknown command 'FOO', with args beginning with: '${"a".repeat(100)}' '${"b".repeat(25)}' \r\n`,
      ],
      ["*2\r\n$4\r\nf\r\no\r\n$1\r\nx\r\n", "-ERR unknown command 'f  o', with args beginning with: 'x' \r\n"],
    ];
    for (const [request, reply] of cases) expect(await c.request(request, reply)).toBe(reply);
  });

  test("a throwing handler answers -ERR <message> on one line and reports the error", async () => {
    const errors: unknown[] = [];
    const c = await (await setup({ onError: (error) => errors.push(error) })).client();
    const reply = "-ERR kaboom  second line\r\n";
    expect(await c.request("BOOM\r\nPING\r\n", `${reply}+PONG\r\n`)).toBe(`${reply}+PONG\r\n`);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toContain("kaboom");
  });

  test("a rejected promise and an unencodable value become -ERR too", async () => {
    const errors: unknown[] = [];
    const cyclic: RespValue[] = [];
    cyclic.push(resp.array(cyclic));
    const { client } = await setup({
      onError: (error) => errors.push(error),
      handler: (command) => (command.name === "reject" ? Promise.reject(new Error("nope")) : resp.array(cyclic)),
    });
    const c = await client();
    const first = await c.request("REJECT\r\n", "-ERR nope\r\n");
    expect(first).toBe("-ERR nope\r\n");
    const second = await c.exchange("BAD\r\n");
    expect(second.startsWith("-ERR ")).toBe(true);
    expect(errors).toHaveLength(2);
  });
});

describe("connections", () => {
  test("QUIT replies +OK and closes; commands after it are ignored", async () => {
    const c = await (await setup()).client();
    expect(await c.request("QUIT\r\nPING\r\n", "+OK\r\n")).toBe("+OK\r\n");
    await c.waitFor((_, closed) => closed);
    expect(c.take().toString()).toBe("");
  });

  test("a protocol error gets -ERR Protocol error and closes only that connection, after earlier replies", async () => {
    const disconnects: RespDisconnectReason[] = [];
    const { client } = await setup({ onDisconnect: (_, reason) => disconnects.push(reason) });
    const bad = await client();
    const good = await client();
    const cases: Array<[string, string]> = [
      ["PING\r\n*abc\r\n", "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n"],
      ["*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"],
      ["*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n"],
    ];
    for (const [request, reply] of cases) {
      const c = cases[0]?.[0] === request ? bad : await client();
      expect(await c.request(request, reply)).toBe(reply);
      await c.waitFor((_, closed) => closed);
    }
    expect(await good.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
    expect(disconnects.filter((r) => r === "protocol-error")).toHaveLength(3);
  });

  test("beyond maxClients a connection gets Redis's error and is closed; the others keep working", async () => {
    const { server, client } = await setup({ maxClients: 2 });
    const a = await client();
    const b = await client();
    const c = await client();
    await c.waitFor((_, closed) => closed);
    expect(c.take().toString()).toBe("-ERR max number of clients reached\r\n");
    expect(await a.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
    expect(await b.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
    expect(server.clients()).toHaveLength(2);
  });

  test("client context: ids, addresses, callbacks, out-of-band send and close from a handler", async () => {
    const connected: number[] = [];
    const disconnected: Array<[number, RespDisconnectReason]> = [];
    const { server, client } = await setup({
      onConnect: (c) => connected.push(c.id),
      onDisconnect: (c, reason) => disconnected.push([c.id, reason]),
      handler: (command, c) => {
        if (command.name === "whoami") return resp.bulk(`${c.id} ${c.address} ${c.localAddress}`);
        if (command.name === "notify") {
          c.send(resp.push([resp.bulk("note")]));
          return resp.simple("OK");
        }
        if (command.name === "bye") {
          c.close();
          return resp.simple("BYE");
        }
        return undefined;
      },
    });
    const a = await client();
    const reply = await a.exchange("WHOAMI\r\n");
    const { port } = server.address();
    expect(reply).toMatch(new RegExp(`^\\$\\d+\\r\\n1 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:${port}\\r\\n$`));
    await a.request("HELLO 3\r\n", 100);
    expect(await a.request("NOTIFY\r\n", ">1\r\n$4\r\nnote\r\n+OK\r\n")).toBe(">1\r\n$4\r\nnote\r\n+OK\r\n");
    expect(await a.request("BYE\r\nWHOAMI\r\n", "+BYE\r\n")).toBe("+BYE\r\n");
    await a.waitFor((_, closed) => closed);
    const b = await client();
    b.close();
    const deadline = Date.now() + 2000;
    while (disconnected.length < 2 && Date.now() < deadline) await delay(10);
    expect(connected).toEqual([1, 2]);
    expect(disconnected).toEqual([
      [1, "closed-by-server"],
      [2, "client-closed"],
    ]);
  });

  test("the context tracks what CLIENT LIST shows: last command, activity, channel and pattern counts", async () => {
    let now = 1000;
    const { server, client } = await setup({ clock: () => now });
    const c = await client();
    expect(server.clients()[0]).toMatchObject({ connectedAt: 1000, lastActiveAt: 1000, lastCommand: "" });
    now = 5000;
    await c.request("SUBSCRIBE a b\r\nPSUBSCRIBE p*\r\n", 3 * 30);
    expect(server.clients()[0]).toMatchObject({
      lastActiveAt: 5000,
      lastCommand: "psubscribe",
      channelCount: 2,
      patternCount: 1,
      subscriptionCount: 3,
    });
  });

  test("throwing user callbacks are reported and cost at most the connection, never the process", async () => {
    const errors: string[] = [];
    const reasons: RespDisconnectReason[] = [];
    const { client } = await setup({
      onConnect: () => {
        throw new Error("connect hook");
      },
      onDisconnect: (_, reason) => reasons.push(reason),
      onError: (error) => errors.push((error as Error).message),
      isKnownCommand: (name) => {
        if (name === "explode") throw new Error("lookup failed");
        return true;
      },
    });
    const a = await client();
    expect(await a.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
    a.send("EXPLODE\r\n");
    await a.waitFor((_, closed) => closed);
    const b = await client();
    expect(await b.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
    expect(errors).toEqual(["connect hook", "lookup failed", "connect hook"]);
    expect(reasons).toEqual(["internal-error"]);
  });

  test("close() answers commands already received, then closes everything and stops accepting", async () => {
    const { server, port, client } = await setup();
    const c = await client();
    c.send("SLEEP 150\r\nPING\r\n");
    await delay(30);
    const closing = server.close();
    await c.waitFor((_, closed) => closed);
    expect(c.take().toString()).toBe("+SLEPT\r\n+PONG\r\n");
    await closing;
    await expect(RawClient.connect(port)).rejects.toThrow();
  });

  test("close() is bounded: a client whose command never finishes is dropped after timeoutMs", async () => {
    const { server, client } = await setup({ handler: () => new Promise(() => undefined) });
    const c = await client();
    c.send("HANG\r\n");
    await delay(30);
    const started = Date.now();
    await server.close({ timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1500);
    await c.waitFor((_, closed) => closed);
  });
});

describe("listening and real clients", () => {
  test("listen() rejects on a port in use; a given net.Server is served as is", async () => {
    const { port } = await setup();
    const clash = new RespServer({ handler: () => undefined, port });
    await expect(clash.listen()).rejects.toThrow(/EADDRINUSE/);
    const net = createServer({ allowHalfOpen: true });
    const wrapped = new RespServer({ server: net, handler: () => resp.simple("PONG") });
    servers.push(wrapped);
    await new Promise<void>((resolve) => net.listen(0, "127.0.0.1", resolve));
    expect((await wrapped.listen()).port).toBe((net.address() as { port: number }).port);
    const c = await open(wrapped.address().port);
    expect(await c.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
  });

  test("ioredis 6 (RESP3, HELLO 3 AUTH) authenticates, runs commands and receives pub/sub pushes", async () => {
    let server: RespServer | undefined;
    const basic = basicHandler(() => server as RespServer);
    const started = await setup({
      authenticate: (user, password) => user === "default" && password === "pw",
      // ioredis's ready check reads INFO.
      handler: (command, client) => (command.name === "info" ? resp.bulk("# Server\r\n") : basic(command, client)),
    });
    server = started.server;
    const client = new Redis({ port: started.port, password: "pw", lazyConnect: true, maxRetriesPerRequest: 0 });
    const subscriber = new Redis({ port: started.port, password: "pw", lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await Promise.all([client.connect(), subscriber.connect()]);
      expect(await client.ping()).toBe("PONG");
      const received = new Promise((resolve) => subscriber.on("message", (channel, message) => resolve([channel, message])));
      await subscriber.subscribe("news");
      expect(await client.publish("news", "hello")).toBe(1);
      expect(await received).toEqual(["news", "hello"]);
      expect(server.clients().map((c) => [c.protocol, c.user])).toEqual([
        [3, "default"],
        [3, "default"],
      ]);
    } finally {
      client.disconnect();
      subscriber.disconnect();
    }
  });
});

describe("hostile input", () => {
  test("random and mutated bytes only ever produce replies, protocol errors and closes", async () => {
    const errors: unknown[] = [];
    const { client } = await setup({ onError: (error) => errors.push(error) });
    let seed = 99;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const valid = Buffer.from("*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\nPING\r\nSUBSCRIBE x\r\nHELLO 3\r\n*1\r\n$4\r\nQUIT\r\n");
    for (let round = 0; round < 40; round++) {
      const c = await client();
      const bytes = Buffer.from(valid);
      for (let i = 0; i < 6; i++) bytes[random(bytes.length)] = random(256);
      const noise = Buffer.from(Array.from({ length: random(64) }, () => random(256)));
      c.send(Buffer.concat([bytes, noise]));
      await c.exchange("", 5, 200);
      c.close();
    }
    const probe = await client();
    expect(await probe.request("PING\r\n", "+PONG\r\n")).toBe("+PONG\r\n");
    // Only the BOOM-style handler faults reach onError; input never does.
    expect(errors).toEqual([]);
  });

  test("a client that half-closes after its commands still gets the replies (printf ... | nc)", async () => {
    const { port } = await setup();
    const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.end("SLEEP 20\r\nPING\r\n");
    await closed;
    expect(Buffer.concat(chunks).toString()).toBe("+SLEPT\r\n+PONG\r\n");
  });
});

describe("back-pressure and output limits", () => {
  test("a client that does not read its replies is not read either; it gets everything once it reads", async () => {
    let calls = 0;
    const payload = resp.bulk(Buffer.alloc(64 * 1024, 0x61));
    const { client } = await setup({
      outputHighWaterMark: 256 * 1024,
      handler: () => {
        calls++;
        return payload;
      },
    });
    const c = await client();
    c.socket.pause();
    const total = 1000;
    c.send("BIG\r\n".repeat(total));
    await delay(300);
    // 1000 replies are 64 MB; the server stopped once its buffer and the kernel's were full.
    expect(calls).toBeLessThan(total / 2);
    const replyLength = `$${64 * 1024}\r\n`.length + 64 * 1024 + 2;
    c.socket.resume();
    await c.waitForBytes(total * replyLength, 10_000);
    expect(calls).toBe(total);
    expect(c.bytesReceived).toBe(total * replyLength);
  });

  test("a subscriber that never reads is disconnected at the hard limit and the server's buffer stays bounded", async () => {
    const hardBytes = 1024 * 1024;
    const reasons: RespDisconnectReason[] = [];
    const { server, client } = await setup({
      pubsubOutputLimit: { hardBytes, softBytes: 0, softSeconds: 0 },
      onDisconnect: (_, reason) => reasons.push(reason),
    });
    const sub = await client();
    await sub.request("SUBSCRIBE flood\r\n", 30);
    sub.socket.pause();
    const message = Buffer.alloc(16 * 1024, 0x62);
    let maxBuffered = 0;
    let published = 0;
    // 100k messages of 16 KiB would be 1.6 GB if nothing stopped them.
    for (let i = 0; i < 100_000; i++) {
      const delivered = server.publish("flood", message);
      for (const c of server.clients()) maxBuffered = Math.max(maxBuffered, c.outputBufferBytes);
      if (delivered === 0) break;
      published++;
      if (i % 64 === 0) await delay(0);
    }
    expect(published).toBeLessThan(100_000);
    expect(maxBuffered).toBeLessThan(hardBytes + message.length + 64);
    const deadline = Date.now() + 2000;
    while (reasons.length === 0 && Date.now() < deadline) await delay(10);
    expect(reasons).toEqual(["output-buffer-limit"]);
    expect(server.publish("flood", "x")).toBe(0);
  });

  test("the soft limit closes a subscriber only after it stays over the limit longer than softSeconds", async () => {
    let now = 0;
    const reasons: RespDisconnectReason[] = [];
    const { server, client } = await setup({
      clock: () => now,
      pubsubOutputLimit: { hardBytes: 0, softBytes: 64 * 1024, softSeconds: 10 },
      onDisconnect: (_, reason) => reasons.push(reason),
    });
    const sub = await client();
    await sub.request("SUBSCRIBE s\r\n", 30);
    sub.socket.pause();
    const message = Buffer.alloc(64 * 1024, 0x63);
    // Fill the kernel buffers until Node itself holds more than the soft limit.
    const fillDeadline = Date.now() + 5000;
    while ((server.clients()[0]?.outputBufferBytes ?? 0) < 64 * 1024 && Date.now() < fillDeadline) {
      server.publish("s", message);
      await delay(1);
    }
    now = 10_000;
    expect(server.publish("s", "x")).toBe(1);
    await delay(50);
    expect(reasons).toEqual([]);
    now = 10_001;
    server.publish("s", "x");
    const deadline = Date.now() + 2000;
    while (reasons.length === 0 && Date.now() < deadline) await delay(10);
    expect(reasons).toEqual(["output-buffer-limit"]);
  });
});
