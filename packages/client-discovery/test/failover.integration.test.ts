import { Redis } from "ioredis";
import { waitFor } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRedis, SWITCH_MASTER_CHANNEL } from "../src/index.js";
import { MASTER, sentinelCall, startTopology, type Topology } from "./topology.js";
import { writeLoop } from "./writes.js";

let topo: Topology;
beforeAll(async () => {
  topo = await startTopology();
}, 40_000);
afterAll(async () => {
  await topo?.stop();
});

// SPEC §5.1 steps 4 and 9, §5.3: the failover is followed, and once this client knows of
// the switch no write of it reaches the old master (which stays writable for a while
// after +switch-master until a sentinel converts it).
it("follows a failover and sends no write to the old master once the switch is known", async () => {
  const oldPort = topo.master.port;
  const client = createRedis({ name: MASTER, sentinels: topo.sentinelAddresses });
  const observers = topo.sentinelAddresses.map((s) => new Redis({ host: s.host, port: s.port, protocol: 2 }));
  let switchSeenAt: number | undefined;
  let newPort: number | undefined;
  let knownAt: number | undefined;
  const hints: number[] = [];
  try {
    for (const observer of observers) {
      observer.on("message", (_channel: string, message: string) => {
        switchSeenAt ??= performance.now();
        newPort ??= Number(message.split(" ")[4]);
      });
      await observer.subscribe(SWITCH_MASTER_CHANNEL);
    }
    client.discovery.onHint((_event, sentinel) => hints.push(sentinel.port));
    client.discovery.onChange((change) => {
      if (change.from !== undefined) knownAt ??= performance.now();
    });
    await client.redis.set("warm", "1");
    let done = false;
    const loop = writeLoop(client.redis, "fo", () => done);
    await waitFor(async () => (await topo.master.cli("DBSIZE")) !== "1", { timeoutMs: 5000, what: "writes to flow" });
    expect(await sentinelCall(topo.sentinelAddresses[0]!, "FAILOVER", MASTER)).toBe("OK");
    await waitFor(() => knownAt !== undefined && switchSeenAt !== undefined, { timeoutMs: 15_000, intervalMs: 50, what: "the switch" });
    const settle = performance.now();
    await waitFor(() => performance.now() - settle > 500, { timeoutMs: 2000, what: "writes after the switch" });
    done = true;
    const records = await loop;

    const acknowledged = records.filter((r) => r.port !== undefined);
    expect(acknowledged.some((r) => r.port === oldPort && r.sentAt < knownAt!)).toBe(true);
    const afterKnown = acknowledged.filter((r) => r.sentAt > knownAt!);
    expect(afterKnown.length).toBeGreaterThan(0);
    expect(afterKnown.filter((r) => r.port !== newPort)).toEqual([]);
    // The hint path, not a timeout, made the switch: discovery knew within 1 s of the event.
    expect(knownAt! - switchSeenAt!).toBeLessThan(1000);
    expect(hints.length).toBeGreaterThan(0);
    expect(client.discovery.master?.port).toBe(newPort);
  } finally {
    for (const observer of observers) observer.disconnect();
    await client.close();
  }
}, 30_000);
