// Migration: sentinel-kit joins a quorum of Debian's redis-sentinel 7.0.15 on the same
// master (same hellos, same is-master-down-by-addr votes), and the mixed quorum fails over.
import { startRedis, startRedisSentinel, waitFor, type ManagedProcess } from "@sentinel-kit/testkit";
import { expect, it } from "vitest";
import { ask, fields, masterPort, startDaemon } from "./harness/processes.js";

it("two redis-sentinel and one sentinel-kit agree on the promoted replica after SIGKILL", async () => {
  const started: ManagedProcess[] = [];
  try {
    const master = await startRedis();
    started.push(master);
    for (let i = 0; i < 2; i++) started.push(await startRedis({ replicaOf: { host: master.host, port: master.port } }));
    const config = `sentinel monitor mymaster 127.0.0.1 ${master.port} 2\nsentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 3000\n`;
    const ports: number[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await startRedisSentinel({ config });
      started.push(s);
      ports.push(s.port);
    }
    const kit = await startDaemon(config);
    started.push(kit.process);
    ports.push(kit.port);
    await waitFor(
      async () => {
        const views = await Promise.all(ports.map((p) => ask(p, "SENTINEL", "MASTER", "mymaster").catch(() => null)));
        return views.every((v) => v !== null && fields(v)["num-other-sentinels"] === "2" && fields(v)["num-slaves"] === "2");
      },
      { timeoutMs: 20_000, what: "the three sentinels to know each other and both replicas" },
    );
    await master.kill();
    let agreed = 0;
    await waitFor(
      async () => {
        const seen = await Promise.all(ports.map((p) => masterPort(p)));
        agreed = seen[0] ?? 0;
        return seen.every((p) => p !== null && p !== master.port && p === agreed);
      },
      { timeoutMs: 30_000, what: "the mixed quorum to agree on a new master" },
    );
    expect(started.slice(1, 3).map((r) => r.port)).toContain(agreed);
    const epochs = await Promise.all(ports.map(async (p) => fields(await ask(p, "SENTINEL", "MASTER", "mymaster"))["config-epoch"]));
    expect(new Set(epochs).size).toBe(1);
  } finally {
    await Promise.all(started.map((p) => p.stop()));
  }
}, 90_000);
