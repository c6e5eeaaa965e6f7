import { describe, expect, it } from "vitest";
import {
  LinkClosedError,
  LinkConnectError,
  LinkReplyError,
  MemoryLink,
  MemoryRedis,
  type LinkEvent,
} from "../src/index.js";

const options = { host: "127.0.0.1", port: 6379, sentinelId: "feedfacecafe" };

describe("MemoryLink follows the InstanceLink contract", () => {
  it("answers PING and INFO, names its connections, and fails when the instance is unreachable", async () => {
    const redis = new MemoryRedis();
    const link = new MemoryLink(redis, options);
    await link.connect("cmd");
    await link.connect("pubsub");
    expect(await link.command(["PING"])).toBe("PONG");
    expect(await link.command(["INFO"])).toBe(redis.info);
    expect(redis.clientNames).toEqual(["sentinel-feedface-cmd", "sentinel-feedface-pubsub"]);
    redis.reachable = false;
    await expect(new MemoryLink(redis, options).connect("cmd")).rejects.toBeInstanceOf(LinkConnectError);
  });

  it("refuses a wrong auth-pass", async () => {
    const redis = new MemoryRedis();
    redis.requirePass = "pw";
    await expect(new MemoryLink(redis, options).connect("cmd")).rejects.toBeInstanceOf(LinkConnectError);
    await new MemoryLink(redis, { ...options, authPass: "pw" }).connect("cmd");
  });

  it("turns error replies into LinkReplyError", async () => {
    const redis = new MemoryRedis();
    redis.pingReply = { error: "LOADING Redis is loading the dataset in memory" };
    const link = new MemoryLink(redis, options);
    await link.connect("cmd");
    await expect(link.command(["PING"])).rejects.toEqual(new LinkReplyError("LOADING Redis is loading the dataset in memory"));
  });

  it("holds replies while paused and counts them as pending", async () => {
    const redis = new MemoryRedis();
    const link = new MemoryLink(redis, options);
    await link.connect("cmd");
    redis.pause();
    const reply = link.command(["PING"]);
    expect(link.pendingCommands).toBe(1);
    redis.resume();
    expect(await reply).toBe("PONG");
    expect(link.pendingCommands).toBe(0);
  });

  it("reports CLIENT KILL as closed events and rejects what was waiting", async () => {
    const redis = new MemoryRedis();
    const link = new MemoryLink(redis, options);
    const events: LinkEvent[] = [];
    link.onEvent((event) => events.push(event));
    await link.connect("cmd");
    await link.connect("pubsub");
    redis.pause();
    const reply = link.command(["PING"]);
    redis.killClients();
    await expect(reply).rejects.toBeInstanceOf(LinkClosedError);
    expect(events.filter((e) => e.type === "closed").map((e) => e.type === "closed" && e.connection)).toEqual(["cmd", "pubsub"]);
    expect(link.pendingCommands).toBe(0);
  });

  it("delivers PUBLISH to subscribers, again after the pub/sub connection reconnects", async () => {
    const redis = new MemoryRedis();
    const a = new MemoryLink(redis, options);
    const b = new MemoryLink(redis, options);
    const got: string[] = [];
    b.onEvent((event) => {
      if (event.type === "message") got.push(`${event.channel} ${event.message}`);
    });
    await b.subscribe("__sentinel__:hello");
    await b.connect("pubsub");
    await a.connect("cmd");
    expect(await a.publish("__sentinel__:hello", "hi")).toBe(1);
    b.close("pubsub");
    expect(await a.publish("__sentinel__:hello", "lost")).toBe(0);
    await b.connect("pubsub");
    expect(await a.publish("__sentinel__:hello", "again")).toBe(1);
    expect(got).toEqual(["__sentinel__:hello hi", "__sentinel__:hello again"]);
  });
});
