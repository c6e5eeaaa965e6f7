// Authentication on the sentinel's own links (SPEC §2.1, §4.5; sentinel.c
// sentinelSendAuthIfNeeded): `auth-pass` toward a master and replicas with requirepass,
// and toward peer sentinels `sentinel-user`/`sentinel-pass`, else `requirepass` as the
// default user. Two sentinel-kit daemons and a Debian redis-sentinel 7.0.15, every one with
// requirepass; without the right AUTH on each link no hello, no vote and no failover.
import { freePort, startRedis, startRedisSentinel, waitFor, type RedisSentinel, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { askAs, fields, startDaemon, type Daemon } from "./harness/processes.js";

let master: RedisServer;
let replica: RedisServer;
let kitA: Daemon;
let kitB: Daemon;
let redisSentinel: RedisSentinel;

const USERS = "requirepass spw\nuser peer on >ppw ~* &* +@all\n";

beforeAll(async () => {
  master = await startRedis({ args: ["--requirepass", "mpw", "--masterauth", "mpw"] });
  replica = await startRedis({ replicaOf: { host: "127.0.0.1", port: master.port }, args: ["--requirepass", "mpw", "--masterauth", "mpw"] });
  const monitor = `sentinel monitor mymaster 127.0.0.1 ${master.port} 2\nsentinel auth-pass mymaster mpw\nsentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 10000\n`;
  // A names its own user toward peers; B and redis-sentinel fall back to requirepass.
  kitA = await startDaemon(`${USERS}sentinel sentinel-user peer\nsentinel sentinel-pass ppw\n${monitor}`);
  kitB = await startDaemon(`${USERS}${monitor}`);
  redisSentinel = await startRedisSentinel({ config: `${USERS}${monitor}` });
}, 60_000);

afterAll(async () => {
  await redisSentinel?.stop();
  await kitB?.process.stop();
  await kitA?.process.stop();
  await replica?.stop();
  await master?.stop();
});

const ask = (port: number, ...args: string[]): Promise<unknown> => askAs({ password: "spw" }, port, ...args);

const ports = (): number[] => [kitA.port, kitB.port, redisSentinel.port];

it("monitors the requirepass'd master with auth-pass and finds the two other sentinels", async () => {
  for (const port of ports()) {
    await waitFor(
      async () => {
        const master = fields(await ask(port, "SENTINEL", "MASTER", "mymaster"));
        return master["flags"] === "master" && master["num-slaves"] === "1" && master["num-other-sentinels"] === "2";
      },
      { timeoutMs: 25_000, intervalMs: 100, what: `the sentinel on ${port} to see the replica and two peers` },
    );
  }
}, 90_000);

it("fails over: votes asked and given over authenticated sentinel links, all agreeing", async () => {
  await master.kill();
  // One bound for all three: a split vote retries only after twice the failover-timeout.
  await waitFor(
    async () => {
      const seen = await Promise.all(ports().map(async (port) => ((await ask(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")) as string[])[1]));
      return seen.every((p) => p === String(replica.port));
    },
    { timeoutMs: 45_000, intervalMs: 100, what: "the three sentinels to switch to the replica" },
  );
  const epochs = await Promise.all(ports().map(async (port) => fields(await ask(port, "SENTINEL", "MASTER", "mymaster"))["config-epoch"]));
  expect(new Set(epochs).size).toBe(1);
  expect(epochs[0]).not.toBe("0");
}, 70_000);
