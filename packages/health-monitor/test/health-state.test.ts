import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  InstanceHealth,
  type HealthEffect,
  type HealthInput,
  type HealthStep,
  type InstanceHealthOptions,
} from "../src/index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

const MASTER = { kind: "master", name: "mymaster", ip: "127.0.0.1", port: 6379 } as const;
const REPLICA = {
  kind: "slave",
  name: "127.0.0.1:6380",
  ip: "127.0.0.1",
  port: 6380,
  master: { name: "mymaster", ip: "127.0.0.1", port: 6379 },
} as const;
const PONG: HealthInput = { type: "ping-reply", reply: { kind: "status", text: "PONG" } };
const runIdA = "a".repeat(40);
const runIdB = "b".repeat(40);
const masterInfo = (runId: string, extra = "") => `# Server\r\nrun_id:${runId}\r\n# Replication\r\nrole:master\r\n${extra}`;

const events = (step: HealthStep) =>
  step.effects.flatMap((e) => (e.type === "event" ? [`${e.event.type} ${e.event.message}`] : []));
const sends = (step: HealthStep) =>
  step.effects.flatMap((e) => (e.type === "send" ? [e.command] : []));

/** A master or replica whose links opened at t=0 and answered its first PING and INFO. */
function connected(options: Partial<InstanceHealthOptions> = {}, info = masterInfo(runIdA)) {
  const health = new InstanceHealth({ details: MASTER, downAfterMs: 5000, ...options }, 0);
  health.step({ type: "tick" }, 0);
  health.step({ type: "connected", connection: "cmd" }, 1);
  health.step({ type: "connected", connection: "pubsub" }, 1);
  health.step(PONG, 2);
  health.step({ type: "info-reply", info }, 2);
  return health;
}

describe("first contact (SPEC §4.2 sentinelReconnectInstance, §4.3)", () => {
  it("opens both connections, PINGs as soon as the command connection is up, then INFO", () => {
    const health = new InstanceHealth({ details: MASTER, downAfterMs: 5000 }, 0);
    expect(health.step({ type: "tick" }, 0).effects).toEqual<HealthEffect[]>([
      { type: "connect", connection: "cmd" },
      { type: "connect", connection: "pubsub" },
    ]);
    expect(health.step({ type: "connected", connection: "cmd" }, 5).effects).toEqual([
      { type: "send", command: "PING" },
    ]);
    // A pub/sub connection being opened counts as present, as a hiredis context does.
    expect(health.step({ type: "tick" }, 6).effects).toEqual([{ type: "send", command: "INFO" }]);
    expect(health.step({ type: "connected", connection: "pubsub" }, 7).effects).toEqual([]);
  });

  it("opens only a command connection to a sentinel, and sends it no INFO", () => {
    const health = new InstanceHealth(
      { details: { kind: "sentinel", name: runIdA, ip: "127.0.0.1", port: 26379, master: MASTER }, downAfterMs: 5000 },
      0,
    );
    expect(health.step({ type: "tick" }, 0).effects).toEqual([{ type: "connect", connection: "cmd" }]);
    expect(health.step({ type: "connected", connection: "cmd" }, 1).effects).toEqual([
      { type: "send", command: "PING" },
    ]);
    expect(health.step({ type: "tick" }, 1).effects).toEqual([]);
  });

  it("marks an instance it never reaches SDOWN after down-after, counted from creation", () => {
    const health = new InstanceHealth({ details: MASTER, downAfterMs: 5000 }, 0);
    health.step({ type: "tick" }, 0);
    health.step({ type: "disconnected", connection: "cmd" }, 3);
    const quiet = health.step({ type: "tick" }, 5000);
    expect(events(quiet)).toEqual([]);
    expect(quiet.nextDueAt).toBe(5001);
    expect(events(health.step({ type: "tick" }, 5001))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
  });
});

describe("SDOWN (SPEC §4.6)", () => {
  it("fires +sdown when a PING stays unanswered for more than down-after, -sdown on PONG", () => {
    const health = connected();
    const ping = health.step({ type: "tick" }, 1003);
    expect(sends(ping)).toEqual(["PING"]);
    expect(events(health.step({ type: "tick" }, 6003))).toEqual([]);
    const down = health.step({ type: "tick" }, 6004);
    expect(events(down)).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    expect(health.snapshot()).toMatchObject({ sdown: true, sdownSince: 6004, sdownReason: "no-valid-reply" });
    const reply = health.step(PONG, 6100);
    expect(reply.nextDueAt).toBe(6100);
    expect(events(health.step({ type: "tick" }, 6100))).toEqual(["-sdown master mymaster 127.0.0.1 6379"]);
  });

  it.each([
    ["LOADING", { kind: "error", text: "LOADING Redis is loading the dataset in memory" }],
    ["MASTERDOWN", { kind: "error", text: "MASTERDOWN Link with MASTER is down" }],
  ] as const)("accepts -%s as a valid reply", (_name, reply) => {
    const health = connected();
    health.step({ type: "tick" }, 1003);
    health.step({ type: "ping-reply", reply }, 1500);
    expect(health.snapshot().actPingTime).toBeUndefined();
    expect(health.snapshot().lastAvailTime).toBe(1500);
  });

  it("does not accept -BUSY; while SDOWN it sends SCRIPT KILL once, again only after -sdown", () => {
    const health = connected();
    const busy: HealthInput = { type: "ping-reply", reply: { kind: "error", text: "BUSY Redis is busy running a script." } };
    health.step({ type: "tick" }, 1003);
    expect(sends(health.step(busy, 1200))).toEqual([]);
    expect(events(health.step({ type: "tick" }, 6004))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    expect(sends(health.step(busy, 6100))).toEqual(["SCRIPT KILL"]);
    expect(sends(health.step(busy, 6200))).toEqual([]);
    health.step(PONG, 6300);
    expect(events(health.step({ type: "tick" }, 6300))).toEqual(["-sdown master mymaster 127.0.0.1 6379"]);
    health.step({ type: "tick" }, 7400);
    health.step({ type: "tick" }, 12_401);
    expect(sends(health.step(busy, 12_500))).toEqual(["SCRIPT KILL"]);
  });

  // sentinel.c: sentinelReconnectInstance sends "a PING ASAP when reconnecting", queued on
  // the new context, so sentinelSendPing sets act_ping_time even if the connect is then
  // refused; instanceLinkConnectionError / instanceLinkCloseConnection clear neither
  // act_ping_time nor last_avail_time. A killed instance is timed from the reconnect.
  it("counts from the first reconnect attempt when the link drops with no PING pending", () => {
    const health = connected();
    health.step(PONG, 900);
    health.step({ type: "disconnected", connection: "cmd" }, 950);
    health.step({ type: "disconnected", connection: "pubsub" }, 950);
    // Until the reconnect, sentinelCheckSubjectivelyDown uses now - last_avail_time.
    expect(health.snapshot()).toMatchObject({ actPingTime: undefined, lastAvailTime: 900 });
    const retry = health.step({ type: "tick" }, 1000);
    expect(retry.effects).toEqual<HealthEffect[]>([
      { type: "connect", connection: "cmd" },
      { type: "connect", connection: "pubsub" },
    ]);
    expect(health.snapshot()).toMatchObject({ actPingTime: 1000, lastAvailTime: 900 });
    health.step({ type: "disconnected", connection: "cmd" }, 1001);
    const refused = health.step({ type: "disconnected", connection: "pubsub" }, 1001);
    expect(refused.nextDueAt).toBe(2000);
    // Later attempts leave the pending PING's time alone.
    for (const now of [2000, 3000, 4000, 5000]) {
      health.step({ type: "tick" }, now);
      health.step({ type: "disconnected", connection: "cmd" }, now + 1);
      health.step({ type: "disconnected", connection: "pubsub" }, now + 1);
    }
    expect(health.snapshot().actPingTime).toBe(1000);
    const quiet = health.step({ type: "tick" }, 5901);
    expect(events(quiet)).toEqual([]);
    expect(quiet.nextDueAt).toBe(6000);
    expect(events(health.step({ type: "tick" }, 6000))).toEqual([]);
    health.step({ type: "disconnected", connection: "cmd" }, 6000);
    health.step({ type: "disconnected", connection: "pubsub" }, 6000);
    expect(events(health.step({ type: "tick" }, 6001))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
  });

  it("keeps the time of a PING already pending when the link drops and reconnects", () => {
    const health = connected();
    expect(sends(health.step({ type: "tick" }, 1003))).toEqual(["PING"]);
    health.step({ type: "disconnected", connection: "cmd" }, 1500);
    health.step({ type: "tick" }, 1500);
    expect(health.snapshot().actPingTime).toBe(1003);
    expect(events(health.step({ type: "tick" }, 6003))).toEqual([]);
    expect(events(health.step({ type: "tick" }, 6004))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
  });

  it("counts a connection being opened as present (sentinelReconnectInstance clears link->disconnected)", () => {
    const health = connected();
    health.step(PONG, 900);
    health.step({ type: "disconnected", connection: "pubsub" }, 950);
    // A closed pub/sub connection is a dropped link: elapsed = now - last_avail_time.
    expect(health.snapshot()).toMatchObject({ disconnected: true, actPingTime: undefined });
    expect(health.step({ type: "tick" }, 1000).effects).toEqual([{ type: "connect", connection: "pubsub" }]);
    // Only the command connection's reconnect queues a PING.
    expect(health.snapshot()).toMatchObject({ disconnected: false, pubsub: "connecting", actPingTime: undefined });
    // With the pending cap reached no PING leaves, so only the link state decides: more
    // than down-after since the last valid reply, yet not SDOWN.
    expect(events(health.step({ type: "tick", pendingCommands: 100 }, 5901))).toEqual([]);
    expect(health.snapshot()).toMatchObject({ actPingTime: undefined, lastAvailTime: 900, pubsub: "connecting" });
  });

  it("marks a master SDOWN once it reports role:slave for more than down-after + 2 INFO periods", () => {
    const health = connected();
    const slaveInfo = `run_id:${runIdA}\r\nrole:slave\r\nmaster_host:10.0.0.9\r\nmaster_port:6379\r\n`;
    const changed = health.step({ type: "info-reply", info: slaveInfo }, 1000);
    expect(events(changed)).toEqual(["-role-change master mymaster 127.0.0.1 6379 new reported role is slave"]);
    let now = 1000;
    // The master keeps answering PONG all along.
    while (now < 26_000) {
      now += 500;
      health.step({ type: "tick" }, now);
      health.step(PONG, now);
      if (now < 26_000) expect(health.snapshot().sdown).toBe(false);
    }
    expect(events(health.step({ type: "tick" }, 26_001))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    expect(health.snapshot().sdownReason).toBe("master-reports-slave");
  });

  it("pauses SDOWN checks in TILT (SPEC §4.13) but keeps pinging", () => {
    const health = connected();
    health.step({ type: "tick", tilt: true }, 1003);
    const tilted = health.step({ type: "tick", tilt: true }, 9000);
    expect(events(tilted)).toEqual([]);
    expect(events(health.step({ type: "tick" }, 9001))).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
  });
});

describe("reboot (SPEC §4.4 run_id, §4.6 master-reboot-down-after-period)", () => {
  it("emits +reboot when run_id changes, and nothing more without the option", () => {
    const health = connected();
    expect(events(health.step({ type: "info-reply", info: masterInfo(runIdB) }, 500))).toEqual([
      "+reboot master mymaster 127.0.0.1 6379",
    ]);
    expect(health.snapshot().runId).toBe(runIdB);
    health.step(PONG, 600);
    expect(events(health.step({ type: "tick" }, 60_000))).not.toContain("+sdown master mymaster 127.0.0.1 6379");
  });

  it("with the option, a rebooted master answering -LOADING becomes SDOWN; PONG clears it", () => {
    const health = connected({ masterRebootDownAfterMs: 3000 });
    health.step({ type: "info-reply", info: masterInfo(runIdB) }, 500);
    const loading: HealthInput = { type: "ping-reply", reply: { kind: "error", text: "LOADING Redis is loading" } };
    for (let now = 1000; now <= 3500; now += 500) {
      health.step({ type: "tick" }, now);
      health.step(loading, now);
    }
    expect(health.snapshot().sdown).toBe(false);
    const step = health.step({ type: "tick" }, 3501);
    expect(events(step)).toEqual(["+sdown master mymaster 127.0.0.1 6379"]);
    expect(health.snapshot().sdownReason).toBe("master-reboot");
    health.step(PONG, 3600);
    expect(events(health.step({ type: "tick" }, 3600))).toEqual(["-sdown master mymaster 127.0.0.1 6379"]);
  });

  it("applies the reboot rule to masters only", () => {
    const health = connected({ details: REPLICA, masterRebootDownAfterMs: 100 }, `run_id:${runIdA}\r\nrole:slave\r\n`);
    health.step({ type: "info-reply", info: `run_id:${runIdB}\r\nrole:slave\r\n` }, 500);
    expect(health.snapshot().sdown).toBe(false);
    health.step(PONG, 700);
    expect(events(health.step({ type: "tick" }, 900))).toEqual([]);
  });
});

describe("role tracking (SPEC §3 +role-change / -role-change)", () => {
  it("reports a replica turning master as -role-change, and back as +role-change", () => {
    const health = connected({ details: REPLICA }, `run_id:${runIdA}\r\nrole:slave\r\n`);
    expect(events(health.step({ type: "info-reply", info: masterInfo(runIdA) }, 100))).toEqual([
      "-role-change slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379 new reported role is master",
    ]);
    expect(events(health.step({ type: "info-reply", info: `run_id:${runIdA}\r\nrole:slave\r\n` }, 200))).toEqual([
      "+role-change slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379 new reported role is slave",
    ]);
    expect(health.snapshot()).toMatchObject({ roleReported: "slave", roleReportedTime: 200, slaveConfChangeTime: 200 });
  });

  it("keeps the replica fields of the last INFO", () => {
    const health = connected({ details: REPLICA }, fixture("info-7.0-replica-link-down.txt"));
    expect(health.snapshot()).toMatchObject({
      slaveMasterHost: "127.0.0.1",
      slaveMasterPort: 27101,
      slaveMasterLinkStatus: "down",
      slavePriority: 42,
      slaveReplOffset: 130,
      replicaAnnounced: true,
      masterLinkDownTimeMs: 3000,
    });
  });
});

describe("replica discovery (SPEC §4.4 slaveN lines, §3 +slave)", () => {
  it("announces each new replica of a master once, with Redis's payload", () => {
    const health = new InstanceHealth(
      { details: { ...MASTER, port: 27101 }, downAfterMs: 5000, knownReplicas: [{ ip: "127.0.0.1", port: 27103 }] },
      0,
    );
    const step = health.step({ type: "info-reply", info: fixture("info-7.0-master.txt") }, 10);
    expect(events(step)).toEqual(["+slave slave 127.0.0.1:27102 127.0.0.1 27102 @ mymaster 127.0.0.1 27101"]);
    expect(step.effects).toContainEqual({
      type: "replica-discovered",
      replica: { kind: "slave", name: "127.0.0.1:27102", ip: "127.0.0.1", port: 27102, master: { name: "mymaster", ip: "127.0.0.1", port: 27101 } },
    });
    expect(events(health.step({ type: "info-reply", info: fixture("info-7.0-master.txt") }, 20))).toEqual([]);
    expect(health.snapshot().replicas).toEqual(["127.0.0.1:27103", "127.0.0.1:27102"]);
  });

  it("brackets an IPv6 replica's name", () => {
    const health = new InstanceHealth({ details: MASTER, downAfterMs: 5000 }, 0);
    const step = health.step({ type: "info-reply", info: fixture("info-7.0-master-ipv6-replica.txt") }, 10);
    expect(events(step)).toEqual(["+slave slave [::1]:27112 ::1 27112 @ mymaster 127.0.0.1 6379"]);
  });

  it("ignores a replica announced under a hostname unless resolve-hostnames is on (createSentinelAddr)", () => {
    const info = "role:master\r\nslave0:ip=replica-1.example.internal,port=6380,state=online,offset=1,lag=0\r\n";
    const strict = new InstanceHealth({ details: MASTER, downAfterMs: 5000 }, 0);
    expect(events(strict.step({ type: "info-reply", info }, 10))).toEqual([]);
    const resolving = new InstanceHealth({ details: MASTER, downAfterMs: 5000, resolveHostnames: true }, 0);
    expect(events(resolving.step({ type: "info-reply", info }, 10))).toEqual([
      "+slave slave replica-1.example.internal:6380 replica-1.example.internal 6380 @ mymaster 127.0.0.1 6379",
    ]);
  });

  it("ignores slaveN lines in a replica's INFO (only masters in our config list replicas)", () => {
    const health = new InstanceHealth({ details: REPLICA, downAfterMs: 5000 }, 0);
    const info = "role:slave\r\nslave0:ip=10.0.0.7,port=6381,state=online,offset=1,lag=0\r\n";
    expect(health.step({ type: "info-reply", info }, 10).effects).toEqual([]);
  });
});

describe("schedule as due times (SPEC §4.3)", () => {
  it("PINGs when the last reply is older than the ping period, at most every half period", () => {
    const health = connected({ downAfterMs: 400 });
    // last pong at 2, ping period = min(400, 1000) = 400.
    const after = health.step({ type: "tick" }, 2);
    expect(after.nextDueAt).toBe(403);
    expect(sends(health.step({ type: "tick" }, 402))).toEqual([]);
    expect(sends(health.step({ type: "tick" }, 403))).toEqual(["PING"]);
    const waiting = health.step({ type: "tick" }, 500);
    expect(sends(waiting)).toEqual([]);
    expect(waiting.nextDueAt).toBe(604);
    expect(sends(health.step({ type: "tick" }, 604))).toEqual(["PING"]);
  });

  it("sends INFO every 10 s, one at a time", () => {
    const health = connected();
    expect(health.step({ type: "tick" }, 2).nextDueAt).toBe(1003);
    health.step(PONG, 9500);
    expect(sends(health.step({ type: "tick" }, 10_002))).toEqual([]);
    expect(sends(health.step({ type: "tick" }, 10_003))).toEqual(["INFO"]);
    health.step(PONG, 10_400);
    // No second INFO while the first is unanswered.
    expect(sends(health.step({ type: "tick" }, 11_000))).toEqual([]);
    health.step({ type: "info-reply", info: masterInfo(runIdA) }, 11_000);
    expect(health.step({ type: "tick" }, 11_000).nextDueAt).toBe(11_401);
  });

  it.each([
    ["its master is ODOWN or failing over", { type: "master-status", odownOrFailover: true } as HealthInput, `role:slave\r\n`],
    ["it reports its master link down", undefined, fixture("info-7.0-replica-link-down.txt")],
    ["it never reached its master (down since -1 s)", undefined, fixture("info-7.0-replica-never-connected.txt")],
  ])("sends INFO to a replica every second when %s", (_name, input, info) => {
    const health = connected({ details: REPLICA }, info);
    if (input !== undefined) health.step(input, 2);
    expect(health.infoPeriodMs).toBe(1000);
    health.step(PONG, 900);
    expect(sends(health.step({ type: "tick" }, 1002))).toEqual([]);
    expect(sends(health.step({ type: "tick" }, 1003))).toEqual(["INFO"]);
  });

  it("keeps 10 s for a healthy replica", () => {
    expect(connected({ details: REPLICA }, fixture("info-7.0-replica.txt")).infoPeriodMs).toBe(10_000);
  });

  it("skips PING and INFO while the link has 100 commands pending", () => {
    const health = connected();
    expect(sends(health.step({ type: "tick", pendingCommands: 100 }, 20_000))).toEqual([]);
    expect(sends(health.step({ type: "tick", pendingCommands: 99 }, 20_000))).toEqual(["INFO", "PING"]);
  });
});

describe("reconnects and dead links (SPEC §4.2, §4.3)", () => {
  it("reconnects a dropped connection at most once per ping period", () => {
    const health = connected({ timings: { pingPeriodMs: 1000 } });
    health.step({ type: "disconnected", connection: "pubsub" }, 300);
    // The last attempt was at 0, so the next may come at 1000.
    expect(health.step({ type: "tick" }, 300).nextDueAt).toBe(1000);
    expect(health.step({ type: "tick" }, 1000).effects).toContainEqual({ type: "connect", connection: "pubsub" });
    health.step({ type: "disconnected", connection: "pubsub" }, 1010);
    expect(health.step({ type: "tick" }, 1500).effects).not.toContainEqual({ type: "connect", connection: "pubsub" });
    expect(health.step({ type: "tick" }, 2000).effects).toContainEqual({ type: "connect", connection: "pubsub" });
  });

  it("closes a command connection older than 15 s whose PING is pending for more than down-after/2", () => {
    const health = connected({ checkPubsubIdle: false });
    for (let now = 1000; now <= 20_000; now += 1000) {
      health.step({ type: "tick" }, now);
      health.step(PONG, now);
    }
    health.step({ type: "tick" }, 21_001);
    expect(health.step({ type: "tick" }, 23_501).effects).not.toContainEqual(expect.objectContaining({ type: "close" }));
    const step = health.step({ type: "tick" }, 23_502);
    expect(step.effects).toEqual([{ type: "close", connection: "cmd", reason: "ping-timeout" }]);
    expect(health.snapshot().cmd).toBe("closed");
    // A late "connected" from the closed socket does not revive it.
    health.step({ type: "connected", connection: "cmd" }, 23_600);
    expect(health.snapshot().cmd).toBe("closed");
  });

  it("closes a pub/sub connection silent for 3 publish periods once it is 15 s old, unless told not to", () => {
    const health = connected();
    health.step({ type: "pubsub-activity" }, 12_000);
    health.step(PONG, 17_999);
    expect(health.step({ type: "tick" }, 18_000).effects).not.toContainEqual(expect.objectContaining({ type: "close" }));
    expect(health.step({ type: "tick" }, 18_001).effects).toContainEqual({
      type: "close",
      connection: "pubsub",
      reason: "pubsub-idle",
    });
    const quiet = connected({ checkPubsubIdle: false });
    quiet.step(PONG, 29_999);
    expect(quiet.step({ type: "tick" }, 30_000).effects).not.toContainEqual(expect.objectContaining({ type: "close" }));
  });
});

describe("due times are honest", () => {
  const inputArb = fc.oneof(
    fc.constant<HealthInput>({ type: "tick" }),
    fc.constant<HealthInput>(PONG),
    fc.constant<HealthInput>({ type: "ping-reply", reply: { kind: "error", text: "BUSY" } }),
    fc.constant<HealthInput>({ type: "info-reply", info: masterInfo(runIdA) }),
    fc.constant<HealthInput>({ type: "info-reply", info: `run_id:${runIdB}\r\nrole:slave\r\n` }),
    fc.constant<HealthInput>({ type: "connected", connection: "cmd" }),
    fc.constant<HealthInput>({ type: "connected", connection: "pubsub" }),
    fc.constant<HealthInput>({ type: "disconnected", connection: "cmd" }),
    fc.constant<HealthInput>({ type: "disconnected", connection: "pubsub" }),
    fc.constant<HealthInput>({ type: "pubsub-activity" }),
  );

  it("a tick before nextDueAt changes nothing, and nextDueAt is never in the past", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(inputArb, fc.integer({ min: 0, max: 4000 })), { maxLength: 40 }),
        fc.integer({ min: 300, max: 6000 }),
        (script, downAfterMs) => {
          const health = new InstanceHealth({ details: MASTER, downAfterMs, masterRebootDownAfterMs: 2000 }, 0);
          let now = 0;
          for (const [input, gap] of script) {
            now += gap;
            const step = health.step(input, now);
            expect(step.nextDueAt).toBeGreaterThanOrEqual(now);
            if (step.nextDueAt > now) {
              const before = JSON.stringify(health.snapshot());
              const early = health.step({ type: "tick" }, Math.max(now, step.nextDueAt - 1));
              if (step.nextDueAt - 1 >= now) {
                expect(early.effects).toEqual([]);
                expect(JSON.stringify({ ...health.snapshot(), sdownReason: undefined })).toBe(
                  JSON.stringify({ ...JSON.parse(before), sdownReason: undefined }),
                );
              }
              now = Math.max(now, step.nextDueAt - 1);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
