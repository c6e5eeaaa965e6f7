import { FaultProxy, redisCli, startRedis, startRedisSentinel, waitFor } from "@sentinel-kit/testkit";

export async function example(): Promise<{ proxyPort: number; reported: string }> {
  const master = await startRedis();
  const replica = await startRedis({ replicaOf: { host: master.host, port: master.port } });
  // The sentinel reaches the master through a proxy the test can break at will.
  const proxy = await FaultProxy.start({ target: { host: master.host, port: master.port } });
  const sentinel = await startRedisSentinel({
    config: `sentinel monitor mymaster 127.0.0.1 ${proxy.port} 1`,
  });
  try {
    await waitFor(async () => (await replica.cli("INFO", "replication")).includes("master_link_status:up"), {
      timeoutMs: 5_000,
      what: "the replica to sync",
    });
    proxy.delay(50, 10); // also: blackhole(), drop(), cut("server-to-client"), reset(), slice(1), pass()
    await master.pause(); // SIGSTOP: alive, holding its sockets, answering nothing
    await master.resume();
    proxy.pass();
    const reported = await redisCli(sentinel.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
    return { proxyPort: proxy.port, reported }; // reported: "127.0.0.1\n<proxy port>"
  } finally {
    await Promise.all([sentinel.stop(), replica.stop(), master.stop()]);
    await proxy.close();
  }
}
