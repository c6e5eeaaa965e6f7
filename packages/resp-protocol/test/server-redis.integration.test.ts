// RespServer next to a real redis-server 7.0: the same bytes go to both and the raw replies
// must be identical (pub/sub replies and deliveries from src/pubsub.c, the subscribed-context
// error and the arity errors from src/server.c processCommand, protocol errors from
// src/networking.c processInputBuffer, AUTH and HELLO from src/acl.c and networking.c).
// Then redis-cli and redis-benchmark against a RespServer.
import { execFile } from "node:child_process";
import { startRedis, redisCli, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resp } from "../src/constructors.js";
import { RespDecoder } from "../src/decoder.js";
import { helloFields } from "../src/server/hello.js";
import type { RespServer } from "../src/server/server.js";
import type { RespCommandHandler } from "../src/server/types.js";
import type { RespValue } from "../src/values.js";
import { GLOB_CASES } from "./server-glob-cases.js";
import { RawClient, startServer } from "./server-helpers.js";

let redis: RedisServer;
let redisWithPassword: RedisServer;
let ours: RespServer;
let oursWithPassword: RespServer;
const clients: RawClient[] = [];

// What the redis-server answers for the few data commands the scenarios use.
function handler(server: () => RespServer): RespCommandHandler {
  return (command) => {
    switch (command.name) {
      case "ping":
        return command.args[0] === undefined ? resp.simple("PONG") : resp.bulk(command.args[0]);
      case "get":
        return resp.nullBulk();
      case "publish":
        return resp.integer(server().publish(command.args[0] ?? "", command.args[1] ?? ""));
      default:
        return undefined;
    }
  };
}

const hello = { hello: (c: Parameters<typeof helloFields>[0]) => helloFields(c, { version: "7.0.15", mode: "standalone", role: "master" }) };

beforeAll(async () => {
  [redis, redisWithPassword] = await Promise.all([startRedis(), startRedis()]);
  // Set after start: the kit's readiness probe is a PING without a password.
  await redisWithPassword.cli("CONFIG", "SET", "requirepass", "sekret");
  ours = (await startServer({ handler: handler(() => ours), ...hello })).server;
  oursWithPassword = (
    await startServer({
      handler: handler(() => oursWithPassword),
      authenticate: (user, password) => user === "default" && password === "sekret",
      isKnownCommand: (name) => ["ping", "get", "publish"].includes(name),
      ...hello,
    })
  ).server;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all([ours?.close({ timeoutMs: 1000 }), oursWithPassword?.close({ timeoutMs: 1000 })]);
  await Promise.all([redis?.stop(), redisWithPassword?.stop()]);
});

async function open(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  clients.push(client);
  return client;
}

// Client ids differ between the two servers; everything else in HELLO must not.
const maskIds = (text: string) => text.replace(/\$2\r\nid\r\n:\d+\r\n/g, "$2\r\nid\r\n:<id>\r\n");

type Step = readonly [who: "sub" | "pub", bytes: string];

/** Runs the steps on two connections and records what each step brought to both of them. */
async function transcript(port: number, steps: readonly Step[]): Promise<string[]> {
  const sub = await open(port);
  const pub = await open(port);
  const out: string[] = [];
  for (const [who, bytes] of steps) {
    const sender = who === "sub" ? sub : pub;
    const other = who === "sub" ? pub : sub;
    const reply = await sender.exchange(Buffer.from(bytes, "latin1"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    out.push(`${who} ${JSON.stringify(bytes)} -> ${JSON.stringify(maskIds(reply))} | other: ${JSON.stringify(other.take().toString("latin1"))}`);
  }
  return out;
}

async function compare(steps: readonly Step[], password = false): Promise<void> {
  const [theirs, mine] = await Promise.all([
    transcript((password ? redisWithPassword : redis).port, steps),
    transcript((password ? oursWithPassword : ours).address().port, steps),
  ]);
  expect(mine).toEqual(theirs);
}

describe("byte for byte like redis-server 7.0", () => {
  test("RESP2 pub/sub: subscribe replies, message and pmessage, subscribed PING, the context error, unsubscribe", async () => {
    await compare([
      ["sub", "SUBSCRIBE a b\r\n"],
      ["sub", "PSUBSCRIBE h?llo n*\r\n"],
      ["sub", "SUBSCRIBE a\r\n"],
      ["pub", "PUBLISH a hi\r\n"],
      ["pub", "PUBLISH hello x\r\n"],
      ["pub", "*3\r\n$7\r\nPUBLISH\r\n$4\r\nnews\r\n$3\r\n\x00\xff\r\r\n"],
      ["pub", "PUBLISH nobody x\r\n"],
      ["sub", "PING\r\nPING x\r\nPING a b\r\n"],
      ["sub", "GET a\r\n"],
      ["sub", "UNSUBSCRIBE a nothere\r\n"],
      ["sub", "PUNSUBSCRIBE n*\r\n"],
      ["sub", "PUNSUBSCRIBE\r\n"],
      ["sub", "UNSUBSCRIBE\r\n"],
      ["sub", "UNSUBSCRIBE\r\n"],
      ["sub", "PUNSUBSCRIBE\r\n"],
      ["sub", "GET a\r\n"],
      ["sub", "SUBSCRIBE\r\nPSUBSCRIBE\r\n"],
    ]);
  });

  test("RESP3 pub/sub: HELLO 3, pushes, no subscribed-context restriction, null unsubscribe", async () => {
    await compare([
      ["sub", "HELLO 3\r\n"],
      ["sub", "SUBSCRIBE a\r\nPSUBSCRIBE x*\r\n"],
      ["pub", "PUBLISH a hi\r\n"],
      ["pub", "PUBLISH xy there\r\n"],
      ["sub", "GET a\r\nPING\r\nPING x\r\n"],
      ["sub", "UNSUBSCRIBE a\r\nPUNSUBSCRIBE\r\nUNSUBSCRIBE\r\n"],
      ["sub", "HELLO 2\r\n"],
      ["sub", "GET a\r\n"],
    ]);
  });

  test("errors: HELLO, AUTH without a password, unknown commands, protocol errors that close", async () => {
    await compare([
      ["sub", "HELLO 4\r\nHELLO abc\r\nHELLO 3 FOO\r\nHELLO 3 AUTH a\r\nHELLO 3 SETNAME\r\n"],
      ["sub", "AUTH x\r\nAUTH default x\r\nAUTH bob x\r\nAUTH a b c\r\n"],
      ["sub", `FOO a b c\r\n$-5\r\nFOO ${"a".repeat(100)} ${"b".repeat(50)}\r\n`],
      ["sub", "PING\r\n*abc\r\n"],
      ["pub", "*1\r\n$-5\r\n"],
    ]);
    await compare([
      ["sub", "*1\r\nfoo\r\n"],
      ["pub", "*2\r\n$3\r\nGET\r\n$99999999999\r\n"],
    ]);
  });

  test("with a password: NOAUTH, WRONGPASS, HELLO's NOAUTH, unknown before NOAUTH, unauthenticated limits", async () => {
    await compare(
      [
        ["sub", "PING\r\nFOO\r\nSUBSCRIBE x\r\nSUBSCRIBE\r\n"],
        ["sub", "HELLO 3\r\nAUTH wrong\r\nAUTH bob sekret\r\nHELLO 3 AUTH default wrong\r\n"],
        ["sub", "AUTH sekret\r\nPING\r\n"],
        ["pub", "HELLO 2 AUTH default sekret SETNAME x\r\n"],
        ["pub", "QUIT\r\n"],
      ],
      true,
    );
    await compare([["sub", "*20\r\n"], ["pub", "*2\r\n$4\r\nPING\r\n$20000\r\n"]], true);
  });

  test("glob matching: every pattern of the table against every subject, through PSUBSCRIBE and PUBLISH", async () => {
    const patterns = [...new Set(GLOB_CASES.map(([pattern]) => pattern))];
    const subjects = [...new Set(GLOB_CASES.map(([, subject]) => subject))];
    const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
    const matches = async (port: number): Promise<Set<string>> => {
      const sub = await open(port);
      const pub = await open(port);
      sub.send(`*${patterns.length + 1}\r\n${bulk("PSUBSCRIBE")}${patterns.map(bulk).join("")}`);
      await sub.waitFor((r) => r.toString().split("psubscribe").length > patterns.length);
      sub.take();
      const publishes = subjects.map((s) => `*3\r\n${bulk("PUBLISH")}${bulk(s)}${bulk("m")}`).join("");
      pub.send(publishes);
      await pub.waitFor((r) => r.toString().split("\r\n").length > subjects.length);
      const counts = pub.take().toString();
      const total = [...counts.matchAll(/:(\d+)\r\n/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      const found = new Set<string>();
      const decoder = new RespDecoder({
        onReply: (value: RespValue) => {
          if (value.kind !== "array" && value.kind !== "push") return;
          const [, pattern, channel] = value.value.map((v) => (v.kind === "bulk" ? v.value.toString() : ""));
          found.add(JSON.stringify([pattern, channel]));
        },
      });
      await sub.waitFor(() => {
        decoder.feed(sub.take());
        return found.size >= total;
      });
      return found;
    };
    const [theirs, mine] = await Promise.all([matches(redis.port), matches(ours.address().port)]);
    expect([...mine].sort()).toEqual([...theirs].sort());
    for (const [pattern, subject, expected] of GLOB_CASES) {
      expect(theirs.has(JSON.stringify([pattern, subject])), `${pattern} ~ ${subject}`).toBe(expected);
    }
  });
});

describe("real clients against a RespServer", () => {
  test("redis-cli PING gets PONG", async () => {
    expect(await redisCli(ours.address().port, "PING")).toBe("PONG");
  });

  test("redis-benchmark -t ping completes and reports a rate", async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        "redis-benchmark",
        ["-h", "127.0.0.1", "-p", String(ours.address().port), "-t", "ping", "-n", "20000", "-q"],
        { timeout: 15_000, encoding: "utf8" },
        (error, stdout, stderr) => (error === null ? resolve(stdout + stderr) : reject(error)),
      );
    });
    expect(output).toMatch(/PING_INLINE: [\d.]+ requests per second/);
    expect(output).toMatch(/PING_MBULK: [\d.]+ requests per second/);
  });
});
