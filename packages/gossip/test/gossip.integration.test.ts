import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, type RedisSentinel, type RedisServer, startRedis, startRedisSentinel, waitFor } from "../../../tools/testkit/src/index.js";
import { GossipNode } from "./support/node.js";

const started: { stop(): Promise<void> }[] = [];
async function track<T extends { stop(): Promise<void> }>(thing: Promise<T>): Promise<T> {
  const value = await thing;
  started.push(value);
  return value;
}

afterEach(async () => {
  // Stop in reverse order: gossip nodes and sentinels before the servers they talk to.
  for (const thing of started.splice(0).reverse()) await thing.stop();
});

describe("two gossip nodes on a real master (SPEC §4.5)", () => {
  it("find each other through the master's __sentinel__:hello within two publish periods", async () => {
    const master: RedisServer = await track(startRedis());
    const period = 1000;
    const node = async () => {
      const n = new GossipNode(
        {
          currentEpoch: 0,
          announcePort: await freePort(),
          masters: [{ name: "mymaster", address: { host: master.host, port: master.port }, configEpoch: 0 }],
          publishPeriodMs: period,
        },
        [{ host: master.host, port: master.port }],
      );
      return n;
    };
    const [a, b] = [await node(), await node()];
    await Promise.all([a.start(), b.start()]);
    started.push(a, b);
    const t0 = performance.now();
    await waitFor(() => a.core.peers.get(b.runid) !== undefined && b.core.peers.get(a.runid) !== undefined, {
      timeoutMs: 4 * period,
      what: "both nodes to list each other",
    });
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThanOrEqual(2 * period);

    const seen = a.core.peers.get(b.runid);
    expect(seen?.address.host).toBe("127.0.0.1");
    expect(a.core.sentinelsOf("mymaster").map((p) => p.runid)).toEqual([b.runid]);
    expect(a.events.map((e) => `${e.name} ${e.payload}`)).toContainEqual(
      `+sentinel sentinel ${b.runid} 127.0.0.1 ${seen?.address.port} @ mymaster ${master.host} ${master.port}`,
    );
  });
});

describe("interop with Debian's redis-sentinel 7.0", () => {
  it("parses its hellos, lists it, and adopts the epochs and master address of its failover", async () => {
    const master: RedisServer = await track(startRedis());
    const replica: RedisServer = await track(startRedis({ replicaOf: { host: master.host, port: master.port } }));
    const sentinel: RedisSentinel = await track(
      startRedisSentinel({
        config: [
          `sentinel monitor mymaster ${master.host} ${master.port} 1`,
          "sentinel down-after-milliseconds mymaster 2000",
          "sentinel failover-timeout mymaster 10000",
        ].join("\n"),
      }),
    );
    const sentinelId = (await sentinel.cli("SENTINEL", "MYID")).trim();
    expect(sentinelId).toMatch(/^[0-9a-f]{40}$/);

    const node = new GossipNode(
      {
        currentEpoch: 0,
        announcePort: await freePort(),
        masters: [
          {
            name: "mymaster",
            address: { host: master.host, port: master.port },
            configEpoch: 0,
            replicas: [{ host: replica.host, port: replica.port }],
          },
        ],
      },
      [
        { host: master.host, port: master.port },
        { host: replica.host, port: replica.port },
      ],
    );
    await node.start();
    started.push(node);

    // redis-sentinel publishes every 2 s once its links are up.
    const peer = await waitFor(() => node.core.peers.get(sentinelId), { timeoutMs: 10_000, what: "redis-sentinel in our peer table" });
    expect(peer.address).toEqual({ host: "127.0.0.1", port: sentinel.port });
    expect(peer.currentEpoch).toBe(0);
    expect([...peer.masters.keys()]).toEqual(["mymaster"]);

    // A forced failover needs the replica known to redis-sentinel (first INFO) and healthy.
    await waitFor(
      async () => (await sentinel.cli("SENTINEL", "FAILOVER", "mymaster")).trim() === "OK",
      { timeoutMs: 15_000, intervalMs: 500, what: "redis-sentinel to accept SENTINEL FAILOVER" },
    );
    await waitFor(() => node.core.master("mymaster")?.address.port === replica.port, {
      timeoutMs: 15_000,
      what: "our core to adopt the new master address from redis-sentinel's hello",
    });

    expect(node.core.currentEpoch).toBeGreaterThanOrEqual(1);
    const configEpoch = node.core.master("mymaster")?.configEpoch ?? 0;
    expect(configEpoch).toBeGreaterThanOrEqual(1);
    // The epochs we adopted are redis-sentinel's own: its config-epoch for the master, and
    // the current-epoch it flushed to sentinel.conf.
    const fields = (await sentinel.cli("SENTINEL", "MASTER", "mymaster")).trim().split("\n");
    expect(configEpoch).toBe(Number(fields[fields.indexOf("config-epoch") + 1]));
    const flushed = /^sentinel current-epoch (\d+)$/m.exec(readFileSync(sentinel.configPath, "utf8"));
    expect(node.core.currentEpoch).toBe(Number(flushed?.[1]));
    const lines = node.events.map((e) => `${e.name} ${e.payload}`);
    expect(lines).toContain(`+new-epoch ${node.core.currentEpoch}`);
    expect(lines).toContain(`+config-update-from sentinel ${sentinelId} 127.0.0.1 ${sentinel.port} @ mymaster ${master.host} ${master.port}`);
    expect(lines).toContain(`+switch-master mymaster ${master.host} ${master.port} ${replica.host} ${replica.port}`);
    expect(node.core.peers.get(sentinelId)?.currentEpoch).toBe(node.core.currentEpoch);
  });
});
