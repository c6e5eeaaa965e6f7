// Mixed quorums on one master: sentinel-kit daemons and Debian's redis-sentinel 7.0.15 speak
// the same hello (SPEC §4.5) and is-master-down-by-addr vote (§4.8-4.9), so each lists the
// others, votes for the other kind's leader, and all agree on the promoted replica and its
// config epoch, whether a daemon or a redis-sentinel leads, after a SIGKILL of the master or
// a manual SENTINEL FAILOVER. Two topologies, two failovers each.
import { startRedis, startRedisSentinel, waitFor, type ManagedProcess, type RedisServer } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog, ask, fields, masterPort, startDaemon } from "./harness/processes.js";

type Kind = "sentinel-kit" | "redis-sentinel";

interface Member {
  readonly kind: Kind;
  readonly process: ManagedProcess;
  readonly port: number;
  readonly myid: string;
  readonly events: EventLog;
}

interface Topology {
  readonly redis: RedisServer[];
  readonly processes: ManagedProcess[];
  readonly members: Member[];
}

const BASE = (port: number, downAfter: number): string =>
  `sentinel monitor mymaster 127.0.0.1 ${port} 2\nsentinel down-after-milliseconds mymaster ${downAfter}\nsentinel failover-timeout mymaster 3000\n`;

async function startTopology(kinds: readonly { kind: Kind; downAfter: number }[]): Promise<Topology> {
  const master = await startRedis();
  const topology: Topology = { redis: [master], processes: [], members: [] };
  try {
    topology.redis.push(...(await Promise.all([0, 1].map(() => startRedis({ replicaOf: { host: master.host, port: master.port } })))));
    const started = await Promise.allSettled(
      kinds.map(async ({ kind, downAfter }) => {
        const config = BASE(master.port, downAfter);
        const process = kind === "sentinel-kit" ? (await startDaemon(config)).process : await startRedisSentinel({ config });
        topology.processes.push(process);
        return { kind, process };
      }),
    );
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    for (const s of started) {
      if (s.status !== "fulfilled") continue;
      const { kind, process } = s.value;
      const myid = String(await ask(process.port, "SENTINEL", "MYID"));
      topology.members.push({ kind, process, port: process.port, myid, events: await EventLog.open(process.port) });
    }
    return topology;
  } catch (error) {
    await stopTopology(topology);
    throw error;
  }
}

async function stopTopology({ redis, processes, members }: Topology): Promise<void> {
  for (const m of members) m.events.close();
  await Promise.all([...processes.map((p) => p.stop()), ...redis.map((r) => r.stop())]);
}

function label(m: Member): string {
  return `${m.kind}:${m.port}`;
}

/** SENTINEL SENTINELS of each member names exactly the other members, by address and runid. */
async function expectEachListsTheOthers(members: readonly Member[]): Promise<void> {
  const expected = (self: Member) =>
    members
      .filter((m) => m !== self)
      .map((m) => `127.0.0.1:${m.port} ${m.myid}`)
      .sort();
  const listed = async (m: Member) =>
    ((await ask(m.port, "SENTINEL", "SENTINELS", "mymaster")) as unknown[])
      .map((entry) => fields(entry))
      .map((f) => `${f["ip"]}:${f["port"]} ${f["runid"]}`)
      .sort();
  await waitFor(
    async () => {
      const all = await Promise.all(members.map(async (m) => JSON.stringify(await listed(m)) === JSON.stringify(expected(m))));
      return all.every(Boolean);
    },
    { timeoutMs: 15_000, what: "every sentinel to list the others (SENTINEL SENTINELS)" },
  );
  for (const m of members) {
    expect(await listed(m), label(m)).toEqual(expected(m));
    const master = fields(await ask(m.port, "SENTINEL", "MASTER", "mymaster"));
    expect(master["num-other-sentinels"], label(m)).toBe(String(members.length - 1));
    expect(master["num-slaves"], label(m)).toBe("2");
  }
}

/** Every member names the same master (not `except`) with the same config epoch. */
async function agreement(members: readonly Member[], except: number): Promise<{ port: number; epoch: number }> {
  let result = { port: 0, epoch: 0 };
  await waitFor(
    async () => {
      const views = await Promise.all(
        members.map(async (m) => {
          const port = await masterPort(m.port);
          const epoch = fields(await ask(m.port, "SENTINEL", "MASTER", "mymaster").catch(() => []))["config-epoch"];
          return { port, epoch };
        }),
      );
      const first = views[0]!;
      result = { port: first.port ?? 0, epoch: Number(first.epoch) };
      return views.every((v) => v.port !== null && v.port !== except && v.port === first.port && v.epoch === first.epoch);
    },
    { timeoutMs: 20_000, what: `all sentinels to agree on a master other than ${except} and one config epoch` },
  );
  return result;
}

/** The one member that published +elected-leader since `since` (SPEC §4.9). */
function leaderOf(members: readonly Member[], since: number): Member {
  const leaders = members.filter((m) => m.events.events.some((e) => e.at >= since && e.channel === "+elected-leader"));
  expect(leaders.map(label)).toHaveLength(1);
  return leaders[0]!;
}

/** Who published `+vote-for-leader <leader runid> <epoch>` (sentinelVoteLeader's event). */
function votersFor(members: readonly Member[], leader: Member, epoch: number, since: number): Member[] {
  return members.filter((m) => m.events.events.some((e) => e.at >= since && e.channel === "+vote-for-leader" && e.message === `${leader.myid} ${epoch}`));
}

function switched(m: Member, from: number, to: number, since: number): boolean {
  return m.events.events.some((e) => e.at >= since && e.channel === "+switch-master" && e.message === `mymaster 127.0.0.1 ${from} 127.0.0.1 ${to}`);
}

/** SENTINEL FAILOVER on `on`, retried while the sentinel has no fresh replica INFO yet. */
async function manualFailover(on: Member): Promise<void> {
  let last = "";
  await waitFor(
    async () => {
      last = String(await ask(on.port, "SENTINEL", "FAILOVER", "mymaster").catch((e: Error) => e.message));
      return last === "OK";
    },
    { timeoutMs: 15_000, intervalMs: 300, what: `SENTINEL FAILOVER to be accepted by ${label(on)} (last reply: ${last})` },
  );
}

async function expectManualFailoverAgreement(t: Topology, on: Member): Promise<void> {
  const before = await agreement(t.members, -1);
  const since = Date.now();
  await manualFailover(on);
  const after = await agreement(t.members, before.port);
  expect(after.epoch).toBeGreaterThan(before.epoch);
  expect(t.redis.map((r) => r.port)).toContain(after.port);
  // The one asked leads without an election; the others of both kinds adopt its
  // configuration from its hellos and announce the switch (sentinelProcessHelloMessage).
  expect(leaderOf(t.members, since)).toBe(on);
  await waitFor(() => t.members.every((m) => switched(m, before.port, after.port, since)), {
    timeoutMs: 10_000,
    what: "+switch-master on every sentinel",
  });
  expect(await t.redis.find((r) => r.port === after.port)!.cli("ROLE")).toMatch(/^master/);
}

describe("1 sentinel-kit + 2 redis-sentinel", () => {
  let t: Topology;
  // The daemon's down-after is longer, so the two redis-sentinels reach ODOWN between
  // themselves and one of them leads; the daemon is asked for its vote meanwhile.
  beforeAll(async () => {
    t = await startTopology([
      { kind: "sentinel-kit", downAfter: 6000 },
      { kind: "redis-sentinel", downAfter: 1000 },
      { kind: "redis-sentinel", downAfter: 1000 },
    ]);
  }, 30_000);
  afterAll(async () => {
    if (t !== undefined) await stopTopology(t);
  }, 30_000);

  it("each lists the others", async () => {
    await expectEachListsTheOthers(t.members);
  }, 20_000);

  it("master SIGKILLed: a redis-sentinel leads with the daemon's vote, all agree on master and epoch", async () => {
    const old = t.redis[0]!;
    const since = Date.now();
    await old.kill();
    const { port, epoch } = await agreement(t.members, old.port);
    expect([t.redis[1]!.port, t.redis[2]!.port]).toContain(port);
    const leader = leaderOf(t.members, since);
    expect(leader.kind).toBe("redis-sentinel");
    const kit = t.members.find((m) => m.kind === "sentinel-kit")!;
    expect(votersFor(t.members, leader, epoch, since).map(label)).toContain(label(kit));
    await waitFor(() => t.members.every((m) => switched(m, old.port, port, since)), { timeoutMs: 10_000, what: "+switch-master on every sentinel" });
  }, 30_000);

  it("SENTINEL FAILOVER on the daemon: the redis-sentinels follow", async () => {
    await expectManualFailoverAgreement(t, t.members.find((m) => m.kind === "sentinel-kit")!);
  }, 40_000);
});

describe("2 sentinel-kit + 1 redis-sentinel", () => {
  let t: Topology;
  // The mirror image: the redis-sentinel's down-after is longer, so the two daemons reach
  // ODOWN between themselves and one of them leads; the redis-sentinel is asked for its vote.
  beforeAll(async () => {
    t = await startTopology([
      { kind: "sentinel-kit", downAfter: 1000 },
      { kind: "sentinel-kit", downAfter: 1000 },
      { kind: "redis-sentinel", downAfter: 3000 },
    ]);
  }, 30_000);
  afterAll(async () => {
    if (t !== undefined) await stopTopology(t);
  }, 30_000);

  it("each lists the others", async () => {
    await expectEachListsTheOthers(t.members);
  }, 20_000);

  it("master SIGKILLed: a daemon leads with the redis-sentinel's vote, all agree on master and epoch", async () => {
    const old = t.redis[0]!;
    const since = Date.now();
    await old.kill();
    const { port, epoch } = await agreement(t.members, old.port);
    expect([t.redis[1]!.port, t.redis[2]!.port]).toContain(port);
    const leader = leaderOf(t.members, since);
    expect(leader.kind).toBe("sentinel-kit");
    const rs = t.members.find((m) => m.kind === "redis-sentinel")!;
    expect(votersFor(t.members, leader, epoch, since).map(label)).toContain(label(rs));
    await waitFor(() => t.members.every((m) => switched(m, old.port, port, since)), { timeoutMs: 10_000, what: "+switch-master on every sentinel" });
  }, 30_000);

  it("SENTINEL FAILOVER on the redis-sentinel: the daemons follow", async () => {
    await expectManualFailoverAgreement(t, t.members.find((m) => m.kind === "redis-sentinel")!);
  }, 40_000);
});
