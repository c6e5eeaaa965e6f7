// `sentinel rename-command` on the links' own commands: Redis maps AUTH
// (sentinelSendAuthIfNeeded), CLIENT SETNAME (sentinelSetClientName) and the hello SUBSCRIBE
// (sentinelReconnectInstance) through sentinelInstanceMapCommand, and discards the SETNAME
// reply (sentinelDiscardReplyCallback), so an instance without CLIENT is still monitored.
import { freePort, plainClient, startProcess, startRedis, waitFor, type ManagedProcess, type RedisServer } from "@sentinel-kit/testkit";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  HealthMonitor,
  IoredisLink,
  LinkConnectError,
  LinkRenameError,
  LinkReplyError,
  RespLink,
  commandRenamer,
  type InstanceLink,
  type LinkEvent,
  type LinkOptions,
} from "../src/index.js";

const SENTINEL_ID = "fedcba9876543210fedcba9876543210fedcba98";
const CHANNEL = "__sentinel__:hello";

// Original names in mixed case: Redis's table compares them case-insensitively.
const RENAMED = commandRenamer({ auth: "auth-x", Client: "client-x", SUBSCRIBE: "sub-x", publish: "pub-x" });

/** A plain client that speaks the renamed AUTH and CLIENT itself. */
async function admin(server: { host: string; port: number }, auth: string | undefined): Promise<Redis> {
  const client = plainClient({ host: server.host, port: server.port });
  await client.connect();
  if (auth !== undefined) await client.call("auth-x", auth);
  return client;
}

describe("links against a redis-server with AUTH, CLIENT, SUBSCRIBE and PUBLISH renamed", () => {
  let server: RedisServer;
  let watcher: Redis;
  const links: InstanceLink[] = [];
  const open = (create: (options: LinkOptions) => InstanceLink, options: Partial<LinkOptions> = {}) => {
    const link = create({ host: server.host, port: server.port, sentinelId: SENTINEL_ID, authPass: "pw", ...options });
    links.push(link);
    return link;
  };
  const clientList = async () => String(await watcher.call("client-x", "LIST"));

  beforeAll(async () => {
    server = await startRedis({
      args: [
        "--requirepass", "pw",
        "--rename-command", "AUTH", "auth-x",
        "--rename-command", "CLIENT", "client-x",
        "--rename-command", "SUBSCRIBE", "sub-x",
        "--rename-command", "PUBLISH", "pub-x",
      ],
    });
    watcher = await admin(server, "pw");
  });
  afterEach(() => {
    for (const link of links.splice(0)) link.destroy();
  });
  afterAll(async () => {
    watcher.disconnect();
    await server.stop();
  });

  it("RespLink: authenticates, names both connections and subscribes under the new names", async () => {
    const link = open((o) => new RespLink(o), { mapCommand: RENAMED });
    const events: LinkEvent[] = [];
    link.onEvent((event) => events.push(event));
    await link.subscribe(CHANNEL);
    await link.connect("cmd");
    await link.connect("pubsub");
    expect(events).toContainEqual({ type: "subscribed", channel: CHANNEL });
    const list = await clientList();
    expect(list).toMatch(/name=sentinel-fedcba98-cmd /);
    // The pub/sub connection holds one subscription: the renamed SUBSCRIBE went through.
    expect(list).toMatch(/name=sentinel-fedcba98-pubsub .*sub=1 /);
    // publish() is the link's own PUBLISH: renamed too, and the message comes back.
    expect(await link.publish(CHANNEL, "hello-1")).toBe(1);
    await waitFor(() => events.some((e) => e.type === "message" && e.message === "hello-1"), {
      timeoutMs: 5000,
      what: "the published message on the renamed subscription",
    });
  });

  it("RespLink: fails the pub/sub connect at once when SUBSCRIBE is not known by its old name", async () => {
    const link = open((o) => new RespLink(o), { mapCommand: commandRenamer({ AUTH: "auth-x", CLIENT: "client-x" }), connectTimeoutMs: 10_000 });
    await link.subscribe(CHANNEL);
    const started = performance.now();
    const error = await link.connect("pubsub").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkConnectError);
    expect((error as LinkConnectError).cause).toBeInstanceOf(LinkReplyError);
    expect(((error as LinkConnectError).cause as LinkReplyError).reply).toMatch(/^ERR unknown command 'SUBSCRIBE'/);
    // The error reply answers the SUBSCRIBE: no wait for the 10 s connect timeout.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("IoredisLink: authenticates and names its connection with the renamed AUTH and CLIENT, publishes with the renamed PUBLISH", async () => {
    const link = open((o) => new IoredisLink(o), { mapCommand: RENAMED });
    await link.connect("cmd");
    expect(await link.command(["ECHO", "up"])).toBe("up");
    expect(await clientList()).toMatch(/name=sentinel-fedcba98-cmd /);
    const subscriber = await admin(server, "pw");
    try {
      await subscriber.call("sub-x", CHANNEL);
      expect(await link.publish(CHANNEL, "hello-2")).toBe(1);
    } finally {
      subscriber.disconnect();
    }
  });

  it("IoredisLink: refuses a renamed SUBSCRIBE with LinkRenameError, before connecting", async () => {
    const link = open((o) => new IoredisLink(o), { mapCommand: RENAMED });
    const error = await link.connect("pubsub").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkConnectError);
    const cause = (error as LinkConnectError).cause;
    expect(cause).toBeInstanceOf(LinkRenameError);
    expect(cause).toMatchObject({ name: "LinkRenameError", command: "SUBSCRIBE", renamed: "sub-x" });
  });
});

describe.each([
  ["RespLink", (o: LinkOptions): InstanceLink => new RespLink(o)],
  ["IoredisLink", (o: LinkOptions): InstanceLink => new IoredisLink(o)],
])("%s against a redis-server without CLIENT (rename-command CLIENT \"\")", (_name, create) => {
  let server: RedisServer;
  const links: InstanceLink[] = [];

  beforeAll(async () => {
    server = await startRedis({ args: ["--rename-command", "CLIENT", ""] });
  });
  afterEach(() => {
    for (const link of links.splice(0)) link.destroy();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("opens both connections all the same: the CLIENT SETNAME error is discarded, as Redis does", async () => {
    const link = create({ host: server.host, port: server.port, sentinelId: SENTINEL_ID });
    links.push(link);
    const events: LinkEvent[] = [];
    link.onEvent((event) => events.push(event));
    await link.connect("cmd");
    expect(await link.command(["PING"])).toBe("PONG");
    await link.subscribe(CHANNEL);
    await link.connect("pubsub");
    await waitFor(() => events.some((e) => e.type === "subscribed"), { timeoutMs: 5000, what: "the hello subscription" });
    expect(await link.publish(CHANNEL, "hello-3")).toBe(1);
  });
});

describe("HealthMonitor with renamedCommands", () => {
  let server: ManagedProcess;

  beforeAll(async () => {
    // startRedis waits for a plain PING: this server knows it as ping-x only.
    const port = await freePort();
    server = await startProcess({
      command: "redis-server",
      name: "redis-server",
      port,
      args: [
        "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--requirepass", "pw",
        ...["AUTH", "CLIENT", "SUBSCRIBE", "PUBLISH", "PING", "INFO"].flatMap((c) => ["--rename-command", c, `${c.toLowerCase()}-x`]),
      ],
      ready: async (p) => {
        const client = await admin(p, "pw").catch(() => undefined);
        try {
          return client !== undefined && (await client.call("ping-x")) === "PONG";
        } catch {
          return false;
        } finally {
          client?.disconnect();
        }
      },
      readyWhat: "to answer ping-x",
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("sends PING and INFO renamed, and passes the table to its links", async () => {
    const monitor = new HealthMonitor({
      master: { name: "mymaster", host: server.host, port: server.port },
      sentinelId: SENTINEL_ID,
      authPass: "pw",
      downAfterMs: 5000,
      renamedCommands: { auth: "auth-x", client: "client-x", subscribe: "subscribe-x", publish: "publish-x", ping: "ping-x", info: "info-x" },
    });
    monitor.start();
    try {
      const master = await waitFor(
        () => {
          const health = monitor.instances()[0]?.health;
          // A valid PING reply clears the pending PING (actPingTime), an error reply does not.
          const answered = health?.lastPingTime !== undefined && health.actPingTime === undefined;
          return answered && health.infoRefresh !== undefined ? health : undefined;
        },
        { timeoutMs: 5000, what: "a PONG and an INFO reply through ping-x and info-x" },
      );
      expect(master.roleReported).toBe("master");
      expect(master.sdown).toBe(false);
      const watcher = await admin(server, "pw");
      try {
        const list = String(await watcher.call("client-x", "LIST"));
        expect(list).toMatch(/name=sentinel-fedcba98-cmd /);
      } finally {
        watcher.disconnect();
      }
    } finally {
      monitor.stop();
    }
  });
});
