import { createServer, type Server, type Socket } from "node:net";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FaultProxy, freePort, plainClient, type RedisServer, redisCli, startRedis, waitFor } from "../src/index.js";
import { RawClient } from "./raw-client.js";

let redis: RedisServer;
let proxy: FaultProxy;
const clients: RawClient[] = [];
const ioredis: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const client of ioredis.splice(0)) client.disconnect();
  await proxy.close();
});

async function setUp(): Promise<void> {
  proxy = await FaultProxy.start({ target: { host: redis.host, port: redis.port } });
}

async function client(): Promise<RawClient> {
  const c = await RawClient.connect(proxy.port);
  clients.push(c);
  return c;
}

function ioredisClient(): Redis {
  // RESP3, ioredis's default: its HELLO handshake goes through the proxy too.
  const c = plainClient({ port: proxy.port, protocol: 3 });
  ioredis.push(c);
  return c;
}

describe("FaultProxy", () => {
  it("pass: ioredis works through it", async () => {
    await setUp();
    const c = ioredisClient();
    expect(await c.ping()).toBe("PONG");
    await c.set("fp:pass", "through");
    expect(await redisCli(redis.port, "GET", "fp:pass")).toBe("through");
    expect(proxy.connectionCount).toBe(1);
  });

  it("delay: a round trip takes at least twice the delay, on an existing connection too", async () => {
    await setUp();
    const c = await client();
    const fast = await c.ping(1_000);
    expect(fast).toBeDefined();
    proxy.delay(100, 20);
    const slow = await c.ping(2_000);
    expect(slow).toBeGreaterThanOrEqual(200);
    expect(slow).toBeLessThan(1_000);
    proxy.pass();
    expect(await c.ping(1_000)).toBeLessThan(100);
  });

  it("delay with jitter keeps the byte order", async () => {
    await setUp();
    proxy.delay(5, 30);
    const c = ioredisClient();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => c.echo(`m${i}`)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it("slice: 1-byte writes arrive as separate reads and still make valid RESP", async () => {
    await setUp();
    proxy.slice(1);
    const c = await client();
    expect(await c.ping(2_000)).toBeDefined();
    expect(c.text).toBe("+PONG\r\n");
    // Without slicing a 7-byte reply arrives in one read.
    expect(c.chunks.length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...c.chunks.map((chunk) => chunk.length))).toBe(1);
    const io = ioredisClient();
    const value = "x".repeat(300);
    await io.set("fp:slice", value);
    expect(await io.get("fp:slice")).toBe(value);
  });

  it("blackhole: holds a new connection with no answer, then connects it when lifted", async () => {
    await setUp();
    proxy.blackhole();
    const c = await client();
    expect(await c.ping(300)).toBeUndefined();
    expect(c.closed).toBe(false);
    proxy.pass();
    expect(await c.ping(1_000)).toBeDefined();
  });

  it("blackhole: an existing connection gets nothing back", async () => {
    await setUp();
    const c = await client();
    expect(await c.ping(1_000)).toBeDefined();
    proxy.blackhole();
    expect(await c.ping(300)).toBeUndefined();
    expect(c.closed).toBe(false);
  });

  it("reset: existing and new connections see ECONNRESET", async () => {
    await setUp();
    const c = await client();
    expect(await c.ping(1_000)).toBeDefined();
    proxy.reset();
    expect(await c.until((x) => x.error !== undefined, 1_000)).toBe(true);
    expect(c.error?.code).toBe("ECONNRESET");
    // The RST can beat the connect callback: then connecting itself fails with it.
    const late = await RawClient.connect(proxy.port).then(
      async (x) => {
        clients.push(x);
        await x.until((y) => y.error !== undefined, 1_000);
        return x.error;
      },
      (error: unknown) => error,
    );
    expect(late).toMatchObject({ code: "ECONNRESET" });
    expect(proxy.connectionCount).toBe(0);
  });

  it("drop client-to-server: no answer, connection open, in sync again after pass", async () => {
    await setUp();
    const c = await client();
    proxy.drop("client-to-server");
    expect(await c.ping(300)).toBeUndefined();
    expect(c.closed).toBe(false);
    proxy.pass();
    expect(await c.ping(1_000)).toBeDefined();
  });

  it("drop server-to-client: commands reach the server, replies are lost", async () => {
    await setUp();
    const c = await client();
    proxy.drop("server-to-client");
    c.send("SET", "fp:drop", "arrived");
    await waitFor(async () => (await redisCli(redis.port, "GET", "fp:drop")) === "arrived", {
      timeoutMs: 2_000,
      what: "the SET to reach redis",
    });
    expect(await c.until((x) => x.chunks.length > 0, 200)).toBe(false);
  });

  it("drop both ways: nothing either way", async () => {
    await setUp();
    const c = await client();
    proxy.drop();
    c.send("SET", "fp:dropboth", "x");
    expect(await c.ping(300)).toBeUndefined();
    expect(await redisCli(redis.port, "EXISTS", "fp:dropboth")).toBe("0");
  });

  it("cut server-to-client: the client gets a FIN but can still write to the server", async () => {
    await setUp();
    const c = await client();
    expect(await c.ping(1_000)).toBeDefined();
    proxy.cut("server-to-client");
    expect(await c.until((x) => x.ended, 1_000)).toBe(true);
    c.send("SET", "fp:cut", "one-way");
    await waitFor(async () => (await redisCli(redis.port, "GET", "fp:cut")) === "one-way", {
      timeoutMs: 2_000,
      what: "the SET to reach redis after the cut",
    });
  });

  it("cut client-to-server: redis sees EOF and closes, so the client is closed too", async () => {
    await setUp();
    const c = await client();
    expect(await c.ping(1_000)).toBeDefined();
    proxy.cut("client-to-server");
    expect(await c.until((x) => x.ended, 2_000)).toBe(true);
  });

  it("a target that refuses the connection: the client sees ECONNRESET", async () => {
    proxy = await FaultProxy.start({ target: { host: "127.0.0.1", port: await freePort() } });
    const c = await client();
    expect(await c.until((x) => x.error !== undefined, 1_000)).toBe(true);
    expect(c.error?.code).toBe("ECONNRESET");
  });

  it("close(): refuses new connections afterwards", async () => {
    await setUp();
    const c = await client();
    const port = proxy.port;
    await proxy.close();
    expect(await c.until((x) => x.ended, 1_000)).toBe(true);
    await expect(RawClient.connect(port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await setUp(); // afterEach closes a proxy
  });

  it("rejects nonsense modes", async () => {
    await setUp();
    expect(() => proxy.slice(0)).toThrow(RangeError);
    expect(() => proxy.delay(-1)).toThrow(RangeError);
    expect(proxy.mode).toEqual({ kind: "pass" });
  });
});

describe("FaultProxy buffering", () => {
  let sink: Server;
  let held: Socket | undefined;

  afterEach(async () => {
    held?.destroy();
    await new Promise((resolve) => sink.close(resolve));
  });

  it("stays bounded when the receiver does not read", async () => {
    // A target that never reads: the proxy's writes to it back up.
    sink = createServer((socket) => {
      held = socket;
      socket.pause();
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const address = sink.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    proxy = await FaultProxy.start({ target: { host: "127.0.0.1", port: address.port } });
    const c = await client();
    const block = Buffer.alloc(64 * 1024, 1);
    let written = 0;
    // Write well past every buffer on the path; stop when the client itself backs up.
    while (written < 64 * 1024 * 1024 && c.socket.write(block)) written += block.length;
    for (let i = 0; i < 40 && written < 64 * 1024 * 1024; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (c.socket.writableLength === 0) {
        while (written < 64 * 1024 * 1024 && c.socket.write(block)) written += block.length;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proxy.queuedBytes).toBeGreaterThan(0);
    expect(proxy.queuedBytes).toBeLessThanOrEqual(1024 * 1024 + block.length);
  });
});
