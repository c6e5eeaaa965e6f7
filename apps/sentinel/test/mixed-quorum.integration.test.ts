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

/**
 * SENTINEL SENTINELS of each member names exactly the other members, by address and runid,
 * and SENTINEL MASTER counts them and both replicas: all of it learnt asynchronously, so
 * all of it is waited for.
 */
async function expectEachListsTheOthers(members: readonly Member[]): Promise<void> {
  const expected = (self: Member) =>
    members
      .filter((m) => m !== self)
      .map((m) => `127.0.0.1:${m.port} ${m.myid}`)
      .sort();
  const seen = async (m: Member) => {
    const listed = ((await ask(m.port, "SENTINEL", "SENTINELS", "mymaster")) as unknown[])
      .map((entry) => fields(entry))
      .map((f) => `${f["ip"]}:${f["port"]} ${f["runid"]}`)
      .sort();
    const master = fields(await ask(m.port, "SENTINEL", "MASTER", "mymaster"));
    return { listed, sentinels: master["num-other-sentinels"], slaves: master["num-slaves"] };
  };
  const wanted = (m: Member) => ({ listed: expected(m), sentinels: String(members.length - 1), slaves: "2" });
  let last: unknown[] = [];
  await waitFor(
    async () => {
      last = await Promise.all(members.map(seen));
      return members.every((m, i) => JSON.stringify(last[i]) === JSON.stringify(wanted(m)));
    },
    { timeoutMs: 30_000, what: "every sentinel to list the others and count them and both replicas", detail: () => JSON.stringify(last) },
  );
  for (const [i, m] of members.entries()) expect(last[i], label(m)).toEqual(wanted(m));
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
    { timeoutMs: 30_000, what: `all sentinels to agree on a master other than ${except} and one config epoch` },
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
    { timeoutMs: 20_000, intervalMs: 300, what: `SENTINEL FAILOVER to be accepted by ${label(on)}`, detail: () => `last reply: ${last}` },
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
    timeoutMs: 15_000,
    what: "+switch-master on every sentinel",
  });
  expect(await t.redis.find((r) => r.port === after.port)!.cli("ROLE")).toMatch(/^master/);
}

/** How the test titles name each kind. */
const NAME: Record<Kind, string> = { "sentinel-kit": "daemon", "redis-sentinel": "redis-sentinel" };
const otherKind = (kind: Kind): Kind => (kind === "sentinel-kit" ? "redis-sentinel" : "sentinel-kit");

const TOPOLOGIES = [
  {
    topology: "1 sentinel-kit + 2 redis-sentinel",
    // The daemon's down-after is longer, so the two redis-sentinels reach ODOWN between
    // themselves and one of them leads; the daemon is asked for its vote meanwhile.
    kinds: [
      { kind: "sentinel-kit", downAfter: 6000 },
      { kind: "redis-sentinel", downAfter: 1000 },
      { kind: "redis-sentinel", downAfter: 1000 },
    ],
    leads: "redis-sentinel",
  },
  {
    topology: "2 sentinel-kit + 1 redis-sentinel",
    // The mirror image: the redis-sentinel's down-after is longer, so the two daemons reach
    // ODOWN between themselves and one of them leads; the redis-sentinel is asked for its vote.
    kinds: [
      { kind: "sentinel-kit", downAfter: 1000 },
      { kind: "sentinel-kit", downAfter: 1000 },
      { kind: "redis-sentinel", downAfter: 3000 },
    ],
    leads: "sentinel-kit",
  },
] as const;

for (const { topology, kinds, leads } of TOPOLOGIES) describe(topology, () => {
  // The lone member of the other kind votes after the SIGKILL and is asked to fail over next.
  const lone = otherKind(leads);
  let t: Topology;
  beforeAll(async () => {
    t = await startTopology(kinds);
  }, 45_000);
  afterAll(async () => {
    if (t !== undefined) await stopTopology(t);
  }, 30_000);

  it("each lists the others", async () => {
    await expectEachListsTheOthers(t.members);
  }, 45_000);

  it(`master SIGKILLed: a ${NAME[leads]} leads with the ${NAME[lone]}'s vote, all agree on master and epoch`, async () => {
    const old = t.redis[0]!;
    const since = Date.now();
    await old.kill();
    const { port, epoch } = await agreement(t.members, old.port);
    expect([t.redis[1]!.port, t.redis[2]!.port]).toContain(port);
    const leader = leaderOf(t.members, since);
    expect(leader.kind).toBe(leads);
    const voter = t.members.find((m) => m.kind === lone)!;
    expect(votersFor(t.members, leader, epoch, since).map(label)).toContain(label(voter));
    await waitFor(() => t.members.every((m) => switched(m, old.port, port, since)), { timeoutMs: 15_000, what: "+switch-master on every sentinel" });
  }, 60_000);

  it(`SENTINEL FAILOVER on the ${NAME[lone]}: the ${NAME[leads]}s follow`, async () => {
    await expectManualFailoverAgreement(t, t.members.find((m) => m.kind === lone)!);
  }, 120_000);
});
