import { redisCli, startRedis, startRedisSentinel, waitFor } from "@sentinel-kit/testkit";

export async function example(): Promise<{ masterPort: number; reported: string }> {
  const master = await startRedis();
  const replica = await startRedis({ replicaOf: { host: master.host, port: master.port } });
  const sentinel = await startRedisSentinel({
    config: `sentinel monitor mymaster 127.0.0.1 ${master.port} 1`,
  });
  try {
    await waitFor(async () => (await replica.cli("INFO", "replication")).includes("master_link_status:up"), {
      timeoutMs: 5_000,
      what: "the replica to sync",
    });
    await master.pause(); // SIGSTOP: alive, holding its sockets, answering nothing
    await master.resume();
    const reported = await redisCli(sentinel.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
    return { masterPort: master.port, reported }; // reported: "127.0.0.1\n<master port>"
  } finally {
    await Promise.all([sentinel.stop(), replica.stop(), master.stop()]);
  }
}
