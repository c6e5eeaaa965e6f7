// The ACL in the running daemon as Redis 7.0.15's sentinel mode has it (src/acl.c,
// src/config.c rewriteConfigUserOption, src/networking.c createClient): named users log in
// while the default user needs no password; `ACL SETUSER default >pw` makes new connections
// (only) authenticate; SUBSCRIBE and PSUBSCRIBE are checked against the user's channels;
// and the next config flush writes every user as a `user` line, byte for byte the lines
// Debian's redis-sentinel writes for the same commands, which a restart loads back.
import { readFileSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { freePort, plainClient, startRedisSentinel, waitFor, type RedisSentinel } from "@sentinel-kit/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readConf, restartDaemon, startDaemon, type Daemon } from "./harness/processes.js";

let daemon: Daemon;
let redisSentinel: RedisSentinel;
const opened: Redis[] = [];

beforeAll(async () => {
  const config = `sentinel monitor mymaster 127.0.0.1 ${await freePort()} 2\n`;
  daemon = await startDaemon(config);
  redisSentinel = await startRedisSentinel({ config });
}, 30_000);

afterAll(async () => {
  for (const c of opened) c.disconnect();
  await daemon.process.stop();
  await redisSentinel.stop();
});

async function connect(port: number, options: { username?: string; password?: string } = {}): Promise<Redis> {
  const client = plainClient({ port, ...options });
  opened.push(client);
  await client.connect();
  return client;
}

// Inline commands over a raw socket, and what comes back once `replies` lines arrived (a
// refused SUBSCRIBE is an error line, an accepted one a 3-element array: 7 lines).
function exchange(port: number, commands: string, lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, "127.0.0.1", () => socket.write(commands));
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete reply: ${JSON.stringify(text)}`));
    }, 5000);
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.split("\r\n").length - 1 >= lines) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      }
    });
  });
}

const userLines = (text: string): string[] => text.split("\n").filter((line) => line.startsWith("user "));

it("named users log in while the default user is nopass; channels are checked on SUBSCRIBE and PSUBSCRIBE", async () => {
  const admin = await connect(daemon.port);
  expect(await admin.call("ACL", "SETUSER", "alice", "on", ">pw", "~*", "resetchannels", "&__sentinel__:*", "+@all")).toBe("OK");
  const alice = await connect(daemon.port, { username: "alice", password: "pw" });
  expect(await alice.call("ACL", "WHOAMI")).toBe("alice");
  const noperm = "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n";
  const login = "AUTH alice pw\r\n";
  expect(await exchange(daemon.port, `${login}SUBSCRIBE __sentinel__:hello +switch-master\r\n`, 2)).toBe(`+OK\r\n${noperm}`);
  expect(await exchange(daemon.port, `${login}PSUBSCRIBE *\r\n`, 2)).toBe(`+OK\r\n${noperm}`);
  expect(await exchange(daemon.port, `${login}SUBSCRIBE __sentinel__:hello\r\n`, 7)).toBe("+OK\r\n*3\r\n$9\r\nsubscribe\r\n$18\r\n__sentinel__:hello\r\n:1\r\n");
  const log = (await admin.call("ACL", "LOG")) as unknown[][];
  expect(log[0]).toEqual(expect.arrayContaining(["reason", "channel", "username", "alice"]));
});

it("ACL SETUSER taking a channel away disconnects the user's subscribers to it (ACLKillPubsubClientsIfNeeded)", async () => {
  const admin = await connect(daemon.port);
  expect(await admin.call("ACL", "SETUSER", "carol", "on", ">pw", "+@all", "resetchannels", "&news", "&__sentinel__:hello")).toBe("OK");
  const subscriber = await connect(daemon.port, { username: "carol", password: "pw" });
  let closed = false;
  subscriber.once("close", () => (closed = true));
  await subscriber.subscribe("news");
  const other = await connect(daemon.port, { username: "carol", password: "pw" });
  await other.subscribe("__sentinel__:hello");
  // Still allowed: nobody is dropped.
  expect(await admin.call("ACL", "SETUSER", "carol", "&more")).toBe("OK");
  expect(await admin.call("ACL", "SETUSER", "carol", "resetchannels", "&__sentinel__:hello")).toBe("OK");
  await waitFor(() => closed, { timeoutMs: 10_000, what: "carol's subscriber to news to be disconnected" });
  expect(other.status).toBe("ready");
  expect(await admin.call("ACL", "DELUSER", "carol")).toBe(1);
});

it("a failed login is logged with the command as typed, as redis-sentinel 7.0.15 logs it", async () => {
  const wrong = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
  expect(await exchange(daemon.port, "auth bob x\r\n", 1)).toBe(wrong);
  expect(await exchange(daemon.port, "HELLO 3 AUTH bob x\r\n", 1)).toBe(wrong);
  const admin = await connect(daemon.port);
  const entries = (await admin.call("ACL", "LOG", "2")) as unknown[][];
  expect(entries.map((e) => e[e.indexOf("object") + 1])).toEqual(["HELLO", "auth"]);
});

it("ACL SETUSER default >pw: new connections must authenticate, open ones keep going", async () => {
  const before = await connect(daemon.port);
  expect(await before.call("ACL", "SETUSER", "default", "resetpass", ">dpw")).toBe("OK");
  const after = await connect(daemon.port);
  await expect(after.call("PING")).rejects.toThrow(/^NOAUTH Authentication required\./);
  expect(await after.call("AUTH", "dpw")).toBe("OK");
  expect(await before.call("PING")).toBe("PONG");
});

it("a flush writes the users as redis-sentinel 7.0.15 does, and a restart loads them", async () => {
  const theirs = await connect(redisSentinel.port);
  expect(await theirs.call("ACL", "SETUSER", "alice", "on", ">pw", "~*", "resetchannels", "&__sentinel__:*", "+@all")).toBe("OK");
  expect(await theirs.call("ACL", "SETUSER", "default", "resetpass", ">dpw")).toBe("OK");
  expect(await theirs.call("SENTINEL", "FLUSHCONFIG")).toBe("OK");
  const ours = await connect(daemon.port, { password: "dpw" });
  expect(await ours.call("SENTINEL", "FLUSHCONFIG")).toBe("OK");
  const expected = userLines(readFileSync(redisSentinel.configPath, "utf8"));
  expect(expected).toHaveLength(2);
  expect(userLines(readConf(daemon))).toEqual(expected);

  await daemon.process.stop();
  await restartDaemon(daemon);
  const alice = await connect(daemon.port, { username: "alice", password: "pw" });
  expect(await alice.call("ACL", "WHOAMI")).toBe("alice");
  const anonymous = await connect(daemon.port);
  await expect(anonymous.call("PING")).rejects.toThrow(/^NOAUTH/);
}, 30_000);
