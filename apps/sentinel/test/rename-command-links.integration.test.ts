// `sentinel rename-command` on everything the daemon sends to a master and its replicas,
// the links' own handshake included: Redis maps AUTH (sentinelSendAuthIfNeeded), CLIENT
// SETNAME (sentinelSetClientName) and the hello SUBSCRIBE (sentinelReconnectInstance) through
// sentinelInstanceMapCommand, with the master's table for its replicas too (`ri->master`).
//
// Both instances rename what the daemon sends, as hardened deployments do, except PING: a
// replica sends PING to its master in the replication handshake (syncWithMaster) and stops
// replicating when it is unknown ("Error reply to PING from master"). For the same reason
// the replica does not authenticate to its master: the daemon logs in as an ACL user while
// the default user needs no password, so AUTH is renamed and still required of the daemon.
import { plainClient, startRedis, waitFor, type RedisServer } from "@sentinel-kit/testkit";
import type { Redis } from "ioredis";
import { expect, it } from "vitest";
import { agreedMaster, ask, fields, startDaemon, waitForDiscovery, type Daemon } from "./harness/processes.js";

const RENAMED: Record<string, string> = {
  AUTH: "auth-x",
  CLIENT: "client-x",
  SUBSCRIBE: "sub-x",
  INFO: "info-x",
  PUBLISH: "pub-x",
  CONFIG: "config-x",
  SLAVEOF: "slaveof-x",
  REPLICAOF: "replicaof-x",
  ROLE: "role-x",
  SCRIPT: "script-x",
};

const SERVER_ARGS = [
  ...Object.entries(RENAMED).flatMap(([command, renamed]) => ["--rename-command", command, renamed]),
  "--user", "sentinel", "on", ">s3cret", "~*", "&*", "+@all",
];

const CONFIG = (masterPort: number): string =>
  [
    `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
    "sentinel down-after-milliseconds mymaster 1000",
    "sentinel failover-timeout mymaster 5000",
    "sentinel auth-user mymaster sentinel",
    "sentinel auth-pass mymaster s3cret",
    ...Object.entries(RENAMED).map(([command, renamed]) => `sentinel rename-command mymaster ${command} ${renamed}`),
    "",
  ].join("\n");

/** A plain client for the test's own checks, speaking the renamed commands itself. */
async function admin(server: RedisServer): Promise<Redis> {
  const client = plainClient({ host: server.host, port: server.port });
  await client.connect();
  return client;
}

it("monitors, discovers, gossips and fails over instances that rename the daemon's commands", async () => {
  const servers: RedisServer[] = [];
  const daemons: Daemon[] = [];
  const clients: Redis[] = [];
  try {
    const master = await startRedis({ args: SERVER_ARGS });
    servers.push(master);
    const replica = await startRedis({ args: SERVER_ARGS, replicaOf: { host: master.host, port: master.port } });
    servers.push(replica);
    const onMaster = await admin(master);
    const onReplica = await admin(replica);
    clients.push(onMaster, onReplica);
    await waitFor(async () => String(await onReplica.call("info-x", "replication")).includes("master_link_status:up"), {
      timeoutMs: 15_000,
      what: "the replica to sync with the master",
    });

    for (let i = 0; i < 2; i++) daemons.push(await startDaemon(CONFIG(master.port)));
    // The replica came from INFO (info-x), the other daemon from its hellos (pub-x, sub-x).
    await waitForDiscovery(daemons, { replicas: 1, sentinels: 1 }, 30_000);
    await waitFor(
      async () => {
        const views = await Promise.all(daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").catch(() => null)));
        return views.every((v) => v !== null && fields(v).flags === "master");
      },
      { timeoutMs: 15_000, what: "both daemons to see the master healthy (flags master, links up)" },
    );

    // Both connections of every daemon logged in through auth-x as the ACL user and were
    // named through client-x; each pub/sub connection holds its sub-x subscription. A link
    // counts as up before its handshake's last reply (the SUBSCRIBE) is in: polled.
    const linked = async () => {
      const clientList = String(await onMaster.call("client-x", "LIST"));
      const ours = clientList.split("\n").filter((line) => / name=sentinel-[0-9a-f]{8}-(cmd|pubsub) /.test(line));
      return {
        cmd: ours.filter((line) => line.includes("-cmd ") && line.includes(" user=sentinel ")).length,
        pubsub: ours.filter((line) => line.includes("-pubsub ") && line.includes(" user=sentinel ") && line.includes(" sub=1 ")).length,
      };
    };
    let seen = { cmd: 0, pubsub: 0 };
    await waitFor(
      async () => {
        seen = await linked();
        return seen.cmd === 2 && seen.pubsub === 2;
      },
      { timeoutMs: 15_000, what: "two named command links and two subscribed pub/sub links on the master", detail: () => JSON.stringify(seen) },
    );

    await master.kill();
    // The promotion (multi, slaveof-x NO ONE, config-x REWRITE, client-x KILL, exec) went through.
    expect(await agreedMaster(daemons, master.port, 30_000)).toBe(replica.port);
    // client-x KILL TYPE normal closed the test's own connection to the replica too.
    const promoted = await admin(replica);
    clients.push(promoted);
    await waitFor(async () => ((await promoted.call("role-x")) as unknown[])[0] === "master", {
      timeoutMs: 20_000,
      what: "the replica to report ROLE master",
    });
  } finally {
    for (const client of clients) client.disconnect();
    await Promise.all(daemons.map((d) => d.process.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  }
}, 150_000);
