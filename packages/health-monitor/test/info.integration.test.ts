import { startRedis, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInfo } from "../src/index.js";

// SPEC §4.4: parse the INFO of a live redis-server 7.0, not only captured text.
describe("parseInfo on live INFO", () => {
  let master: RedisServer;
  let replica: RedisServer;
  const clients = new Map<RedisServer, Redis>();

  // One client per server: the waits below poll INFO many times.
  const info = async (server: RedisServer) => {
    let client = clients.get(server);
    if (client === undefined) {
      client = new Redis({ host: server.host, port: server.port, protocol: 2, lazyConnect: true });
      clients.set(server, client);
      await client.connect();
    }
    return parseInfo(await client.info());
  };

  beforeAll(async () => {
    master = await startRedis();
    replica = await startRedis({
      replicaOf: { host: master.host, port: master.port },
      args: ["--replica-priority", "17"],
    });
  });

  afterAll(async () => {
    for (const client of clients.values()) client.disconnect();
    await replica?.stop();
    await master?.stop();
  });

  it("sees the replica in the master's INFO and the master in the replica's", async () => {
    const seen = await waitFor(
      async () => {
        const parsed = await info(master);
        const online = parsed.replicas.some((r) => r.port === replica.port && r.state === "online");
        return online ? parsed : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: "the replica online in the master's INFO" },
    );
    expect(seen.role).toBe("master");
    expect(seen.runId).toMatch(/^[0-9a-f]{40}$/);

    // The master can list the replica online while the replica is still loading what it was
    // sent: its master_link_status turns up then, so poll for it rather than read it once.
    const fromReplica = await waitFor(
      async () => {
        const parsed = await info(replica);
        return parsed.masterLinkStatus === "up" ? parsed : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: "master_link_status:up in the replica's INFO" },
    );
    expect(fromReplica.role).toBe("slave");
    expect(fromReplica.masterHost).toBe(master.host);
    expect(fromReplica.masterPort).toBe(master.port);
    expect(fromReplica.slavePriority).toBe(17);
    expect(fromReplica.replicaAnnounced).toBe(true);
  });
});
