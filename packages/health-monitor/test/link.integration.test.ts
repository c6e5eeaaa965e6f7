import { startRedis, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  IoredisLink,
  RespLink,
  LinkClosedError,
  LinkConnectError,
  LinkReplyError,
  type InstanceLink,
  type LinkEvent,
  type LinkOptions,
} from "../src/index.js";

const SENTINEL_ID = "0123456789abcdef0123456789abcdef01234567";

// One suite, both real links: they must be interchangeable behind InstanceLink.
const IMPLEMENTATIONS: [string, (options: LinkOptions) => InstanceLink][] = [
  ["RespLink", (options) => new RespLink(options)],
  ["IoredisLink", (options) => new IoredisLink(options)],
];

describe.each(IMPLEMENTATIONS)("%s against redis-server (SPEC §4.2 links)", (_name, create) => {
  let server: RedisServer;
  const links: InstanceLink[] = [];
  const open = (options: Partial<LinkOptions> = {}) => {
    const link = create({ host: server.host, port: server.port, sentinelId: SENTINEL_ID, ...options });
    links.push(link);
    return link;
  };

  beforeAll(async () => {
    server = await startRedis();
    await server.cli("ACL", "SETUSER", "watcher", "on", ">pw", "~*", "+@all");
    await server.cli("CONFIG", "SET", "requirepass", "s3cret");
  });
  afterEach(() => {
    for (const link of links.splice(0)) link.destroy();
  });
  afterAll(async () => {
    // stop() sends SIGCONT too, so a test that failed while the server was paused is fine.
    await server.stop();
  });

  it("authenticates with auth-pass and names both connections sentinel-<id8>-cmd|pubsub", async () => {
    const link = open({ authPass: "s3cret" });
    await link.connect("cmd");
    await link.connect("pubsub");
    expect(await link.command(["PING"])).toBe("PONG");
    const list = await server.cli("-a", "s3cret", "--no-auth-warning", "CLIENT", "LIST");
    expect(list).toContain("name=sentinel-01234567-cmd");
    expect(list).toContain("name=sentinel-01234567-pubsub");
    expect(link.localAddress()).toBe("127.0.0.1");
  });

  it("authenticates with auth-user and auth-pass (ACL form)", async () => {
    const link = open({ authUser: "watcher", authPass: "pw" });
    await link.connect("cmd");
    expect(await link.command(["ACL", "WHOAMI"])).toBe("watcher");
  });

  it("rejects a wrong password as a failed connect", async () => {
    await expect(open({ authPass: "wrong" }).connect("cmd")).rejects.toBeInstanceOf(LinkConnectError);
  });

  it("turns error replies into LinkReplyError and commands on a closed connection into LinkClosedError", async () => {
    const link = open({ authPass: "s3cret" });
    await expect(link.command(["PING"])).rejects.toBeInstanceOf(LinkClosedError);
    await link.connect("cmd");
    const error = await link.command(["NOSUCHCOMMAND"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkReplyError);
    expect((error as LinkReplyError).reply).toMatch(/^ERR unknown command/);
  });

  it("publishes and receives through subscriptions that survive a reconnect", async () => {
    const link = open({ authPass: "s3cret" });
    const events: LinkEvent[] = [];
    link.onEvent((event) => events.push(event));
    await link.subscribe("__sentinel__:hello");
    await link.connect("cmd");
    await link.connect("pubsub");
    expect(events).toContainEqual({ type: "subscribed", channel: "__sentinel__:hello" });
    expect(await link.publish("__sentinel__:hello", "one")).toBe(1);
    await waitFor(() => events.some((e) => e.type === "message" && e.message === "one"), {
      timeoutMs: 2000,
      what: "the first message",
    });
    link.close("pubsub");
    await link.connect("pubsub");
    expect(await link.publish("__sentinel__:hello", "two")).toBe(1);
    await waitFor(() => events.some((e) => e.type === "message" && e.message === "two"), {
      timeoutMs: 2000,
      what: "the message after the reconnect",
    });
    // close() is silent: only connections lost on their own are reported.
    expect(events.filter((e) => e.type === "closed")).toEqual([]);
  });

  it("subscribes a channel given while the pub/sub connection is opening, once", async () => {
    const link = open({ authPass: "s3cret" });
    const events: LinkEvent[] = [];
    link.onEvent((event) => events.push(event));
    const opening = link.connect("pubsub");
    const subscribing = link.subscribe("late");
    await opening;
    await subscribing;
    await link.connect("cmd");
    expect(await link.publish("late", "hi")).toBe(1);
    expect(events.filter((e) => e.type === "subscribed")).toEqual([{ type: "subscribed", channel: "late" }]);
  });

  it("reports a connection killed by CLIENT KILL as closed, and rejects what was pending", async () => {
    const link = open({ authPass: "s3cret" });
    const events: LinkEvent[] = [];
    link.onEvent((event) => events.push(event));
    await link.connect("cmd");
    await server.cli("-a", "s3cret", "--no-auth-warning", "CLIENT", "KILL", "TYPE", "normal");
    await waitFor(() => events.some((e) => e.type === "closed" && e.connection === "cmd"), {
      timeoutMs: 2000,
      what: "the closed event",
    });
    await expect(link.command(["PING"])).rejects.toBeInstanceOf(LinkClosedError);
    await link.connect("cmd");
    expect(await link.command(["PING"])).toBe("PONG");
  });

  it("fails a connect replaced by another connect or by close, and reports neither as closed", async () => {
    const link = open({ authPass: "s3cret" });
    const events: LinkEvent[] = [];
    link.onEvent((event) => events.push(event));
    const first = link.connect("cmd");
    const second = link.connect("cmd");
    await expect(first).rejects.toBeInstanceOf(LinkConnectError);
    await second;
    const closing = link.connect("pubsub");
    link.close("pubsub");
    await expect(closing).rejects.toBeInstanceOf(LinkConnectError);
    expect(await link.command(["PING"])).toBe("PONG");
    expect(link.pendingCommands).toBe(0);
    expect(events.filter((e) => e.type === "closed")).toEqual([]);
  });

  it("connects from bind-source-addr", async () => {
    const link = open({ authPass: "s3cret", bindSourceAddr: "127.0.0.1" });
    await link.connect("cmd");
    expect(link.localAddress()).toBe("127.0.0.1");
    expect(await link.command(["PING"])).toBe("PONG");
  });

  it("counts pending commands and bounds connecting to a stopped process", async () => {
    const link = open({ authPass: "s3cret", connectTimeoutMs: 300 });
    await link.connect("cmd");
    await server.pause();
    let paused = true;
    try {
      const replies = [link.command(["PING"]), link.command(["PING"])];
      expect(link.pendingCommands).toBe(2);
      const other = open({ authPass: "s3cret", connectTimeoutMs: 300 });
      const started = performance.now();
      await expect(other.connect("cmd")).rejects.toBeInstanceOf(LinkConnectError);
      expect(performance.now() - started).toBeLessThan(1500);
      await server.resume();
      paused = false;
      expect(await Promise.all(replies)).toEqual(["PONG", "PONG"]);
      expect(link.pendingCommands).toBe(0);
    } finally {
      if (paused) await server.resume();
    }
  });
});
