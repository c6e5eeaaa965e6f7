import { startRedis, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInfo } from "../src/index.js";

// SPEC §4.4: parse the INFO of a live redis-server 7.0, not only captured text.
describe("parseInfo on live INFO", () => {
  let master: RedisServer;
  let replica: RedisServer;
  const clients: Redis[] = [];

  const info = async (server: RedisServer) => {
    const client = new Redis({ host: server.host, port: server.port, protocol: 2, lazyConnect: true });
    clients.push(client);
    await client.connect();
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
    for (const client of clients) client.disconnect();
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

    const fromReplica = await info(replica);
    expect(fromReplica.role).toBe("slave");
    expect(fromReplica.masterHost).toBe(master.host);
    expect(fromReplica.masterPort).toBe(master.port);
    expect(fromReplica.masterLinkStatus).toBe("up");
    expect(fromReplica.slavePriority).toBe(17);
    expect(fromReplica.replicaAnnounced).toBe(true);
  });
});
