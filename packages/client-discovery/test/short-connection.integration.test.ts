import { connect, type Socket } from "node:net";
import { freePort, startRedis, type RedisServer } from "@sentinel-kit/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openShortConnection, type Address } from "../src/index.js";

const PASSWORD = "short-connection-secret";

let plain: RedisServer;
let secured: RedisServer;
beforeAll(async () => {
  [plain, secured] = await Promise.all([startRedis(), startRedis({ args: ["--requirepass", PASSWORD] })]);
}, 20_000);
afterAll(async () => {
  await Promise.all([plain?.stop(), secured?.stop()]);
});

const addressOf = (server: RedisServer): Address => ({ host: server.host, port: server.port });

/** Opens `redis`, keeping every "error" event (as the callers of the factory do). */
async function open(redis: Redis): Promise<{ errors: Error[]; connected: Promise<void> }> {
  const errors: Error[] = [];
  redis.on("error", (error: Error) => errors.push(error));
  return { errors, connected: redis.connect() };
}

/** Milliseconds `promise` takes to settle, and whether it rejected. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; rejected: unknown }> {
  const start = performance.now();
  let rejected: unknown;
  await promise.catch((error: unknown) => {
    rejected = error;
  });
  return { ms: performance.now() - start, rejected };
}

/** Resolves true once `socket` connects, false if it has not within `ms`. */
function connectsWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

describe("openShortConnection", () => {
  it("bounds the TCP connect by connectTimeoutMs: a listener whose accept queue is full drops the SYN", async () => {
    // A paused redis-server with `tcp-backlog 1` accepts nothing: once the kernel's accept
    // queue is full, further SYNs are dropped and a connect stays pending, as with a
    // blackholed address.
    const stuck = await startRedis({ args: ["--tcp-backlog", "1"] });
    const fillers: Socket[] = [];
    try {
      await stuck.pause();
      let queueFull = false;
      for (let i = 0; i < 16 && !queueFull; i++) {
        const socket = connect({ host: stuck.host, port: stuck.port });
        socket.on("error", () => undefined);
        fillers.push(socket);
        // Loopback connects in well under a second unless the SYN was dropped.
        queueFull = !(await connectsWithin(socket, 1_000));
      }
      expect(queueFull).toBe(true);

      const redis = openShortConnection(addressOf(stuck), { connectTimeoutMs: 400 });
      const { errors, connected } = await open(redis);
      const { ms, rejected } = await timed(connected);
      expect(rejected).toBeInstanceOf(Error);
      expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toContain("ETIMEDOUT");
      // Not before the timeout, and nowhere near ioredis's 10 s default.
      expect(ms).toBeGreaterThanOrEqual(350);
      expect(ms).toBeLessThan(3_000);
      // No reconnection: the connection has ended for good.
      expect(redis.status).toBe("end");
      redis.disconnect();
    } finally {
      for (const socket of fillers) socket.destroy();
      await stuck.stop();
    }
  });

  it("puts no deadline on a reply when commandTimeoutMs is absent (a blocking BLPOP outlasts connectTimeoutMs)", async () => {
    const redis = openShortConnection(addressOf(plain), { connectTimeoutMs: 200 });
    const { connected } = await open(redis);
    try {
      await connected;
      // BLPOP with a 0.8 s timeout replies nil after 0.8 s, four times connectTimeoutMs.
      const { ms, rejected } = await timed(
        redis.call("BLPOP", "short-connection:empty", "0.8").then((reply) => expect(reply).toBeNull()),
      );
      expect(rejected).toBeUndefined();
      expect(ms).toBeGreaterThanOrEqual(700);
    } finally {
      redis.disconnect();
    }
  });

  it("rejects a command without a reply after commandTimeoutMs when it is given", async () => {
    const redis = openShortConnection(addressOf(plain), { connectTimeoutMs: 1_000, commandTimeoutMs: 200 });
    const { connected } = await open(redis);
    try {
      await connected;
      const { ms, rejected } = await timed(redis.call("BLPOP", "short-connection:empty", "3"));
      expect((rejected as Error).message).toMatch(/timed out/i);
      expect(ms).toBeLessThan(2_000);
    } finally {
      redis.disconnect();
    }
  });

  it("authenticates with the given credentials, with and without the ready check", async () => {
    for (const readyCheck of [false, true]) {
      const redis = openShortConnection(addressOf(secured), { auth: { password: PASSWORD }, connectTimeoutMs: 1_000, readyCheck });
      const { connected } = await open(redis);
      try {
        await connected;
        expect(await redis.call("PING")).toBe("PONG");
      } finally {
        redis.disconnect();
      }
    }
  });

  it("sends the given password: a wrong one is refused with WRONGPASS", async () => {
    const redis = openShortConnection(addressOf(secured), { auth: { password: "wrong" }, connectTimeoutMs: 1_000 });
    const { errors, connected } = await open(redis);
    try {
      await connected.catch(() => undefined);
      const { rejected } = await timed(redis.call("PING"));
      expect(rejected).toBeInstanceOf(Error);
      expect([...errors, rejected as Error].map((e) => e.message).join("\n")).toMatch(/WRONGPASS/);
    } finally {
      redis.disconnect();
    }
  });

  it("fails connect() at once on a closed port and does not reconnect", async () => {
    const redis = openShortConnection({ host: "127.0.0.1", port: await freePort() }, { connectTimeoutMs: 1_000 });
    const { errors, connected } = await open(redis);
    const { rejected } = await timed(connected);
    expect(rejected).toBeInstanceOf(Error);
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toContain("ECONNREFUSED");
    expect(redis.status).toBe("end");
    redis.disconnect();
  });
});
