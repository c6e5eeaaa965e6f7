// Unit tests of the command layer on views built from literals. Expected texts and field
// orders are Redis 7.0.15's (src/sentinel.c addReplySentinelRedisInstance, sentinelCommand,
// sentinelSetCommand, sentinelConfigSetCommand; server.c processCommand), as recorded from
// Debian's redis-sentinel 7.0.15; SPEC references are to ../shared/SENTINEL-SPEC.md.
import { encodeReply, type RespClientContext, type RespValue } from "@sentinel-kit/resp-protocol";
import { describe, expect, it } from "vitest";
import { dispatchCommand, lookupCommand } from "../src/commands/dispatch.js";
import { infoText, selectSections, type HostFacts } from "../src/commands/info.js";
import type {
  ActionResult,
  CommandContext,
  DebugTimings,
  GlobalConfigChange,
  InstanceFlag,
  MasterOptionChange,
  MasterView,
  ReplicaView,
  SentinelActions,
  SentinelPeerView,
  SentinelView,
  SimulateFailureFlags,
} from "../src/commands/view.js";

const NOW = 1_700_000_000_000;
const MYID = "f277fb19908f893f65dae3e1454fba252cd2b739";
const PEER_ID = "a".repeat(40);

function flags(...f: InstanceFlag[]): ReadonlySet<InstanceFlag> {
  return new Set(f);
}

function replica(over: Partial<ReplicaView> = {}): ReplicaView {
  return {
    name: "127.0.0.1:6380",
    ip: "127.0.0.1",
    port: 6380,
    runid: "b".repeat(40),
    flags: flags("slave"),
    linkPendingCommands: 0,
    linkRefcount: 1,
    lastPingSent: 0,
    lastOkPingReply: NOW - 400,
    lastPingReply: NOW - 400,
    sDownSince: null,
    downAfterMs: 5000,
    infoRefresh: NOW - 7000,
    roleReported: "slave",
    roleReportedTime: NOW - 70_000,
    infoText: "# Replication\r\nrole:slave\r\n",
    masterLinkDownTime: 0,
    masterLinkUp: true,
    masterHost: "127.0.0.1",
    masterPort: 6379,
    slavePriority: 100,
    slaveReplOffset: 4284,
    replicaAnnounced: true,
    ...over,
  };
}

function peer(over: Partial<SentinelPeerView> = {}): SentinelPeerView {
  return {
    name: PEER_ID,
    ip: "127.0.0.1",
    port: 26380,
    runid: PEER_ID,
    flags: flags("sentinel"),
    linkPendingCommands: 0,
    linkRefcount: 1,
    lastPingSent: 0,
    lastOkPingReply: NOW - 100,
    lastPingReply: NOW - 100,
    sDownSince: null,
    downAfterMs: 5000,
    lastHelloMessage: NOW - 900,
    votedLeader: null,
    votedLeaderEpoch: 0,
    ...over,
  };
}

function master(over: Partial<MasterView> = {}): MasterView {
  return {
    name: "mymaster",
    ip: "127.0.0.1",
    port: 6379,
    runid: "c".repeat(40),
    flags: flags("master"),
    linkPendingCommands: 0,
    linkRefcount: 1,
    lastPingSent: 0,
    lastOkPingReply: NOW - 421,
    lastPingReply: NOW - 421,
    sDownSince: null,
    downAfterMs: 5000,
    infoRefresh: NOW - 2061,
    roleReported: "master",
    roleReportedTime: NOW - 72_283,
    infoText: "# Server\r\nredis_version:7.0.15\r\n",
    oDownSince: null,
    failoverState: "none",
    configEpoch: 0,
    quorum: 2,
    failoverTimeoutMs: 180_000,
    parallelSyncs: 1,
    masterRebootDownAfterMs: 0,
    notificationScript: null,
    clientReconfigScript: null,
    replicas: [replica()],
    sentinels: [peer()],
    currentAddress: { ip: "127.0.0.1", port: 6379 },
    ...over,
  };
}

const DEBUG: DebugTimings = {
  infoPeriod: 10000,
  pingPeriod: 1000,
  askPeriod: 1000,
  publishPeriod: 2000,
  defaultDownAfter: 30000,
  defaultFailoverTimeout: 180000,
  tiltTrigger: 2000,
  tiltPeriod: 30000,
  slaveReconfTimeout: 10000,
  minLinkReconnectPeriod: 15000,
  electionTimeout: 10000,
  scriptMaxRuntime: 60000,
  scriptRetryDelay: 30000,
};

function client(over: Partial<RespClientContext> = {}): RespClientContext & { names: string[]; closed: boolean } {
  const state = { names: [] as string[], closed: false, name: "" };
  return {
    id: 7,
    get name() {
      return state.name;
    },
    address: "127.0.0.1:40000",
    localAddress: "127.0.0.1:26379",
    protocol: 2,
    user: "default",
    authenticated: true,
    connectedAt: NOW - 5000,
    subscriptionCount: 0,
    channelCount: 0,
    patternCount: 0,
    lastCommand: "client",
    lastActiveAt: NOW,
    outputBufferBytes: 0,
    setName(name: string) {
      if (/[^!-~]/.test(name)) return false;
      state.name = name;
      state.names.push(name);
      return true;
    },
    send() {},
    close() {
      state.closed = true;
    },
    get names() {
      return state.names;
    },
    get closed() {
      return state.closed;
    },
    ...over,
  } as RespClientContext & { names: string[]; closed: boolean };
}

interface Recorded {
  calls: Array<[string, ...unknown[]]>;
}

function actions(rec: Recorded, over: Partial<SentinelActions> = {}): SentinelActions {
  const ok: ActionResult = { ok: true };
  return {
    monitor: async (...a) => (rec.calls.push(["monitor", ...a]), ok),
    remove: async (...a) => (rec.calls.push(["remove", ...a]), ok),
    setMasterOptions: async (name: string, changes: readonly MasterOptionChange[]) => (rec.calls.push(["set", name, changes]), ok),
    reset: (pattern: string) => (rec.calls.push(["reset", pattern]), 1),
    failover: (name: string) => (rec.calls.push(["failover", name]), "OK"),
    flushConfig: async () => (rec.calls.push(["flush"]), true),
    isMasterDownByAddr: async (...a) => (rec.calls.push(["is-down", ...a]), { down: true, leader: PEER_ID, leaderEpoch: 3 }),
    receiveHello: (p: string) => void rec.calls.push(["hello", p]),
    configSet: async (changes: readonly GlobalConfigChange[]) => (rec.calls.push(["config-set", changes]), ok),
    setDebugTimings: (changes: Partial<DebugTimings>) => void rec.calls.push(["debug", changes]),
    simulateFailure: (f: SimulateFailureFlags) => void rec.calls.push(["simulate", f]),
    shutdown: async (o) => (rec.calls.push(["shutdown", o]), { ok: false, error: "ERR Errors trying to SHUTDOWN. Check logs." }),
    killClient: (c: RespClientContext) => void rec.calls.push(["kill", c.id]),
    ...over,
  };
}

function view(over: Partial<SentinelView> = {}, clients: RespClientContext[] = []): SentinelView {
  return {
    myid: MYID,
    currentEpoch: 0,
    tiltSince: null,
    masters: [master()],
    scripts: [],
    simulateFailure: { crashAfterElection: false, crashAfterPromotion: false },
    debug: DEBUG,
    config: {
      resolveHostnames: false,
      announceHostnames: false,
      announceIp: "",
      announcePort: 0,
      sentinelUser: "",
      sentinelPass: "",
      loglevel: "notice",
      denyScriptsReconfig: true,
    },
    server: {
      processId: 4242,
      runId: "d".repeat(40),
      tcpPort: 26379,
      startedAt: NOW - 90_061_000,
      executable: "/usr/bin/sentinel-kit",
      configFile: "/etc/sentinel.conf",
      hz: 10,
      connectedClients: 1,
      maxClients: 10000,
      totalConnectionsReceived: 3,
      totalCommandsProcessed: 9,
      totalNetInputBytes: 100,
      totalNetOutputBytes: 200,
      rejectedConnections: 0,
      pubsubChannels: 0,
      pubsubPatterns: 0,
      totalErrorReplies: 1,
      totalReadsProcessed: 5,
      totalWritesProcessed: 4,
    },
    clients: () => clients,
    ...over,
  };
}

const HOST: HostFacts = { os: "Linux 6.1.0 x86_64", archBits: 64, cpu: { sys: 0.25, user: 1.5 } };

function setup(viewOver: Partial<SentinelView> = {}, actionOver: Partial<SentinelActions> = {}) {
  const rec: Recorded = { calls: [] };
  const me = client();
  const other = client({ id: 8, address: "127.0.0.1:40001", lastCommand: "ping", connectedAt: NOW - 65_000, lastActiveAt: NOW - 3000 });
  const ctx: CommandContext = { view: view(viewOver, [me, other]), actions: actions(rec, actionOver), now: NOW, client: me, host: HOST };
  const run = (...argv: string[]) => dispatchCommand(argv[0] ?? "", argv.slice(1).map((a) => Buffer.from(a)), ctx);
  return { rec, ctx, me, other, run };
}

function resp2(value: RespValue): string {
  return encodeReply(value, 2).toString("latin1");
}

function resp3(value: RespValue): string {
  return encodeReply(value, 3).toString("latin1");
}

// A map's keys (RESP map, or flat field/value array) as strings.
function keys(value: RespValue): string[] {
  if (value.kind !== "map") throw new Error(`not a map: ${value.kind}`);
  return value.value.map(([k]) => (k.kind === "bulk" ? k.value.toString() : "?"));
}

function field(value: RespValue, name: string): string | undefined {
  if (value.kind !== "map") throw new Error("not a map");
  const found = value.value.find(([k]) => k.kind === "bulk" && k.value.toString() === name);
  const v = found?.[1];
  return v?.kind === "bulk" ? v.value.toString() : undefined;
}

// A map's string fields as an object, for checking several at once with toMatchObject.
function fieldsOf(value: RespValue): Record<string, string | undefined> {
  return Object.fromEntries(keys(value).map((k) => [k, field(value, k)]));
}

function items(value: RespValue): readonly RespValue[] {
  if (value.kind !== "array") throw new Error(`not an array: ${value.kind}`);
  return value.value;
}

const COMMON = ["name", "ip", "port", "runid", "flags", "link-pending-commands", "link-refcount"];
const PINGS = ["last-ping-sent", "last-ok-ping-reply", "last-ping-reply"];
const MASTER_FIELDS = [
  ...COMMON,
  ...PINGS,
  "down-after-milliseconds",
  "info-refresh",
  "role-reported",
  "role-reported-time",
  "config-epoch",
  "num-slaves",
  "num-other-sentinels",
  "quorum",
  "failover-timeout",
  "parallel-syncs",
];

describe("processCommand checks (server.c, SPEC §1.1)", () => {
  it("refuses commands a sentinel does not have, echoing the name and arguments", () => {
    const { run } = setup();
    expect(run("GET", "x")).toEqual({ kind: "error", value: "ERR unknown command 'GET', with args beginning with: 'x' " });
    expect(run("config", "get", "x")).toEqual({
      kind: "error",
      value: "ERR unknown command 'config', with args beginning with: 'get' 'x' ",
    });
  });

  it("refuses unknown subcommands with the container's HELP hint, upper-cased", () => {
    const { run } = setup();
    expect(run("sentinel", "Foo")).toEqual({ kind: "error", value: "ERR unknown subcommand 'Foo'. Try SENTINEL HELP." });
    expect(run("Client", "foo")).toEqual({ kind: "error", value: "ERR unknown subcommand 'foo'. Try CLIENT HELP." });
    expect(run("command", "foo")).toEqual({ kind: "error", value: "ERR unknown subcommand 'foo'. Try COMMAND HELP." });
  });

  it("checks arity from the command table, naming container|subcommand", () => {
    const { run } = setup();
    expect(run("sentinel")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'sentinel' command" });
    expect(run("Sentinel", "MASTER")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'sentinel|master' command" });
    expect(run("sentinel", "masters", "x")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'sentinel|masters' command" });
    expect(run("sentinel", "myid", "x")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'sentinel|myid' command" });
    expect(run("sentinel", "set", "mymaster", "quorum")).toEqual({
      kind: "error",
      value: "ERR wrong number of arguments for 'sentinel|set' command",
    });
    expect(run("publish")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'publish' command" });
    expect(run("ping", "x", "y")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'ping' command" });
    expect(run("command", "count", "x")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'command|count' command" });
  });
});

describe("lookupCommand: the checks a RESP server must make before NOAUTH (server.c processCommand)", () => {
  it("finds commands and subcommands, or gives Redis's refusal and the name it records", () => {
    const b = (...a: string[]) => a.map((x) => Buffer.from(x));
    expect(lookupCommand("SENTINEL", b("Masters"))).toEqual({ ok: true, fullName: "sentinel|masters", sub: "masters" });
    expect(lookupCommand("ping", [])).toEqual({ ok: true, fullName: "ping", sub: undefined });
    expect(lookupCommand("sentinel", b("master"))).toEqual({
      ok: false,
      reply: { kind: "error", value: "ERR wrong number of arguments for 'sentinel|master' command" },
      fullName: "sentinel|master",
    });
    expect(lookupCommand("sentinel", b("foo"))).toMatchObject({ ok: false, fullName: undefined });
    expect(lookupCommand(Buffer.from("QUIT"), [])).toEqual({
      ok: false,
      reply: { kind: "error", value: "ERR unknown command 'QUIT', with args beginning with: " },
      fullName: undefined,
    });
  });
});

describe("SENTINEL MASTER / MASTERS (SPEC §1.3)", () => {
  it("lists a healthy master's fields in Redis's order, numbers as bulk strings, times as ms ago", () => {
    const { run } = setup();
    const reply = run("sentinel", "master", "mymaster") as RespValue;
    expect(keys(reply)).toEqual(MASTER_FIELDS);
    expect(fieldsOf(reply)).toMatchObject({
      port: "6379",
      flags: "master",
      "last-ping-sent": "0",
      "last-ok-ping-reply": "421",
      "info-refresh": "2061",
      "role-reported-time": "72283",
      "num-slaves": "1",
      "num-other-sentinels": "1",
    });
    expect(resp2(reply).startsWith(`*${MASTER_FIELDS.length * 2}\r\n$4\r\nname\r\n$8\r\nmymaster\r\n`)).toBe(true);
    expect(resp3(reply).startsWith(`%${MASTER_FIELDS.length}\r\n$4\r\nname\r\n`)).toBe(true);
  });

  it("adds failover-state only during a failover, s-down-time and o-down-time only while down, scripts when set", () => {
    const down = master({
      flags: flags("failover_in_progress", "o_down", "master", "s_down", "force_failover", "master_reboot"),
      failoverState: "wait_promotion",
      sDownSince: NOW - 3000,
      oDownSince: NOW - 2000,
      lastPingSent: NOW - 3500,
      notificationScript: "/bin/notify",
      clientReconfigScript: "/bin/reconf",
    });
    const { run } = setup({ masters: [down] });
    const reply = run("sentinel", "master", "mymaster") as RespValue;
    expect(keys(reply)).toEqual([
      ...COMMON,
      "failover-state",
      ...PINGS,
      "s-down-time",
      "o-down-time",
      ...MASTER_FIELDS.slice(COMMON.length + PINGS.length),
      "notification-script",
      "client-reconfig-script",
    ]);
    expect(fieldsOf(reply)).toMatchObject({
      // Redis 7.0.15 does not print master_reboot.
      flags: "s_down,o_down,master,failover_in_progress,force_failover",
      "failover-state": "wait_promotion",
      "s-down-time": "3000",
      "o-down-time": "2000",
      "last-ping-sent": "3500",
    });
  });

  it("answers MASTERS with one map per master and the no-such-master error", () => {
    const { run } = setup({ masters: [master(), master({ name: "other", port: 7000 })] });
    const all = items(run("sentinel", "masters") as RespValue);
    expect(all.map((m) => field(m, "name"))).toEqual(["mymaster", "other"]);
    expect(run("sentinel", "master", "nope")).toEqual({ kind: "error", value: "ERR No such master with that name" });
  });
});

describe("SENTINEL REPLICAS / SLAVES / SENTINELS (SPEC §1.3)", () => {
  it("prints replica fields in Redis's order and leaves out unannounced replicas", () => {
    const hidden = replica({ name: "127.0.0.1:6381", port: 6381, replicaAnnounced: false });
    const unknownMaster = replica({ masterHost: null, masterLinkUp: false, masterPort: 0, masterLinkDownTime: 1234 });
    const { run } = setup({ masters: [master({ replicas: [unknownMaster, hidden] })] });
    for (const sub of ["replicas", "SLAVES"]) {
      const list = items(run("sentinel", sub, "mymaster") as RespValue);
      expect(list).toHaveLength(1);
      const r = list[0] as RespValue;
      expect(keys(r)).toEqual([
        ...COMMON,
        ...PINGS,
        "down-after-milliseconds",
        "info-refresh",
        "role-reported",
        "role-reported-time",
        "master-link-down-time",
        "master-link-status",
        "master-host",
        "master-port",
        "slave-priority",
        "slave-repl-offset",
        "replica-announced",
      ]);
      expect(fieldsOf(r)).toMatchObject({ "master-host": "?", "master-link-status": "err", "master-link-down-time": "1234", "replica-announced": "1" });
    }
  });

  it("prints other sentinels with their hello and vote fields", () => {
    const voted = peer({ votedLeader: MYID, votedLeaderEpoch: 4, flags: flags("sentinel", "master_down") });
    const { run } = setup({ masters: [master({ sentinels: [voted, peer({ name: "x", votedLeader: null })] })] });
    const list = items(run("sentinel", "sentinels", "mymaster") as RespValue);
    expect(keys(list[0] as RespValue)).toEqual([
      ...COMMON,
      ...PINGS,
      "down-after-milliseconds",
      "last-hello-message",
      "voted-leader",
      "voted-leader-epoch",
    ]);
    expect(fieldsOf(list[0] as RespValue)).toMatchObject({ flags: "sentinel,master_down", "voted-leader": MYID, "last-hello-message": "900" });
    expect(field(list[1] as RespValue, "voted-leader")).toBe("?");
  });

  it("prints an instance without a runid yet as an empty runid, and a disconnected one's flag", () => {
    const { run } = setup({ masters: [master({ runid: null, flags: flags("disconnected", "master") })] });
    const reply = run("sentinel", "master", "mymaster") as RespValue;
    expect(field(reply, "runid")).toBe("");
    expect(field(reply, "flags")).toBe("master,disconnected");
  });
});

describe("other SENTINEL subcommands (SPEC §1.2)", () => {
  it("GET-MASTER-ADDR-BY-NAME answers the current address, or a null array", () => {
    const { run } = setup({ masters: [master({ currentAddress: { ip: "10.0.0.2", port: 6390 } })] });
    expect(resp2(run("sentinel", "get-master-addr-by-name", "mymaster") as RespValue)).toBe("*2\r\n$8\r\n10.0.0.2\r\n$4\r\n6390\r\n");
    expect(resp2(run("sentinel", "get-master-addr-by-name", "x") as RespValue)).toBe("*-1\r\n");
    expect(resp3(run("sentinel", "get-master-addr-by-name", "x") as RespValue)).toBe("_\r\n");
  });

  it("IS-MASTER-DOWN-BY-ADDR parses port and epoch strictly and answers [int, bulk, int] after the core", async () => {
    const { run, rec } = setup();
    const reply = await run("sentinel", "is-master-down-by-addr", "127.0.0.1", "6379", "3", PEER_ID);
    expect(resp2(reply)).toBe(`*3\r\n:1\r\n$40\r\n${PEER_ID}\r\n:3\r\n`);
    expect(rec.calls).toEqual([["is-down", "127.0.0.1", 6379, 3, PEER_ID]]);
    const noVote = setup({}, { isMasterDownByAddr: async () => ({ down: false, leader: null, leaderEpoch: 0 }) });
    expect(resp2(await noVote.run("sentinel", "is-master-down-by-addr", "127.0.0.1", "6379", "0", "*"))).toBe("*3\r\n:0\r\n$1\r\n*\r\n:0\r\n");
    for (const [port, epoch] of [["x", "0"], ["6379", "x"], ["06379", "0"], ["6379", "99999999999999999999"]]) {
      expect(await run("sentinel", "is-master-down-by-addr", "127.0.0.1", port as string, epoch as string, "*")).toEqual({
        kind: "error",
        value: "ERR value is not an integer or out of range",
      });
    }
  });

  it("CKQUORUM counts usable sentinels against quorum and majority (sentinelIsQuorumReachable)", () => {
    const lonely = setup({ masters: [master({ sentinels: [], quorum: 2 })] });
    expect(lonely.run("sentinel", "ckquorum", "mymaster")).toEqual({
      kind: "error",
      value: "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master",
    });
    const both = setup({
      masters: [master({ quorum: 3, sentinels: [peer({ flags: flags("sentinel", "s_down") }), peer({ name: "p2" }), peer({ name: "p3", flags: flags("sentinel", "o_down") })] })],
    });
    expect(both.run("sentinel", "ckquorum", "mymaster")).toEqual({
      kind: "error",
      value:
        "NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover",
    });
    const good = setup({ masters: [master({ quorum: 2 })] });
    expect(good.run("sentinel", "ckquorum", "mymaster")).toEqual({
      kind: "simple",
      value: "OK 2 usable Sentinels. Quorum and failover authorization can be reached",
    });
    const noAuth = setup({ masters: [master({ quorum: 1, sentinels: [peer({ flags: flags("sentinel", "o_down") })] })] });
    expect(noAuth.run("sentinel", "ckquorum", "mymaster")).toEqual({
      kind: "error",
      value: "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover",
    });
  });

  it("MONITOR checks quorum, port, quorum >= 1, address, port range, duplicate, in Redis's order", async () => {
    const { run, rec } = setup();
    const cases: Array<[string[], string]> = [
      [["a", "b", "c", "d"], "ERR Invalid quorum"],
      [["a", "127.0.0.1", "c", "1"], "ERR Invalid port"],
      [["a", "1.2.3.4", "5", "0"], "ERR Quorum must be 1 or greater."],
      [["a", "1.2.3.x", "70000", "1"], "ERR Invalid IP address or hostname specified"],
      [["mymaster", "1.2.3.4", "70000", "1"], "ERR Invalid port number."],
      [["mymaster", "1.2.3.4", "5", "1"], "ERR Duplicate master name."],
    ];
    for (const [args, error] of cases) expect(await run("sentinel", "monitor", ...args)).toEqual({ kind: "error", value: error });
    expect(rec.calls).toEqual([]);
    expect(await run("sentinel", "monitor", "new", "::1", "6400", "2")).toEqual({ kind: "simple", value: "OK" });
    expect(rec.calls).toEqual([["monitor", "new", "::1", 6400, 2]]);
  });

  it("MONITOR takes numeric hosts as inet_aton reads them, and passes them on normalized", async () => {
    const { run, rec } = setup();
    for (const [host, address] of [["127.1", "127.0.0.1"], ["1", "0.0.0.1"], ["0x7f.0.1", "127.0.0.1"], ["010.0.0.1", "8.0.0.1"], ["2130706433", "127.0.0.1"], ["::1", "::1"]]) {
      rec.calls.length = 0;
      expect(await run("sentinel", "monitor", "n", host as string, "6379", "1")).toEqual({ kind: "simple", value: "OK" });
      expect(rec.calls).toEqual([["monitor", "n", address, 6379, 1]]);
    }
    for (const host of ["09", "1.2.3.4.5", "256.0.0.1", "1.16777216", " 1.2.3.4", "1..2", "localhost", "0xg"]) {
      expect(await run("sentinel", "monitor", "n", host, "6379", "1")).toEqual({ kind: "error", value: "ERR Invalid IP address or hostname specified" });
    }
  });

  it("MONITOR leaves hostnames to the core when resolve-hostnames is on, and relays its error", async () => {
    const { run, rec } = setup(
      { config: { ...view().config, resolveHostnames: true } },
      { monitor: async (...a) => (rec.calls.push(["monitor", ...a]), { ok: false, error: "ERR Invalid IP address or hostname specified" }) },
    );
    const rec2 = rec;
    expect(await run("sentinel", "monitor", "h", "redis.invalid", "6379", "1")).toEqual({
      kind: "error",
      value: "ERR Invalid IP address or hostname specified",
    });
    expect(rec2.calls).toEqual([["monitor", "h", "redis.invalid", 6379, 1]]);
  });

  it("SET parses every option, applies the ones before a bad one, and answers the bad one's error", async () => {
    const { run, rec } = setup();
    expect(await run("sentinel", "set", "mymaster", "quorum", "3", "down-after-milliseconds", "1000", "rename-command", "CONFIG", "XCONFIG")).toEqual({
      kind: "simple",
      value: "OK",
    });
    expect(rec.calls).toEqual([
      [
        "set",
        "mymaster",
        [
          { option: "quorum", value: 3 },
          { option: "down-after-milliseconds", value: 1000 },
          { option: "rename-command", command: "CONFIG", renamed: "XCONFIG" },
        ],
      ],
    ]);
    rec.calls.length = 0;
    expect(await run("sentinel", "set", "mymaster", "parallel-syncs", "2", "quorum", "0")).toEqual({
      kind: "error",
      value: "ERR Invalid argument '0' for SENTINEL SET 'quorum'",
    });
    expect(rec.calls).toEqual([["set", "mymaster", [{ option: "parallel-syncs", value: 2 }]]]);
    rec.calls.length = 0;
    expect(await run("sentinel", "set", "mymaster", "foo", "1")).toEqual({
      kind: "error",
      value: "ERR Unknown option or number of arguments for SENTINEL SET 'foo'",
    });
    expect(await run("sentinel", "set", "mymaster", "quorum", "x")).toEqual({ kind: "error", value: "ERR Invalid argument 'x' for SENTINEL SET 'quorum'" });
    expect(await run("sentinel", "set", "mymaster", "master-reboot-down-after-period", "0")).toEqual({ kind: "simple", value: "OK" });
    expect(await run("sentinel", "set", "mymaster", "notification-script", "/bin/true")).toEqual({
      kind: "error",
      value:
        "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration",
    });
    expect(await run("sentinel", "set", "nope", "quorum", "1")).toEqual({ kind: "error", value: "ERR No such master with that name" });
  });

  it("SET relays the core's refusal (a script that is not executable, a failed save)", async () => {
    const { run } = setup(
      { config: { ...view().config, denyScriptsReconfig: false } },
      { setMasterOptions: async () => ({ ok: false, error: "ERR Notification script seems non existing or non executable" }) },
    );
    expect(await run("sentinel", "set", "mymaster", "notification-script", "/nope")).toEqual({
      kind: "error",
      value: "ERR Notification script seems non existing or non executable",
    });
  });

  it("CONFIG GET matches the six 7.0 options by glob; CONFIG SET validates one pair", async () => {
    const { run, rec } = setup();
    expect(keys(run("sentinel", "config", "get", "*") as RespValue)).toEqual([
      "resolve-hostnames",
      "announce-hostnames",
      "announce-ip",
      "announce-port",
      "sentinel-user",
      "sentinel-pass",
    ]);
    expect(keys(run("sentinel", "config", "get", "ANNOUNCE*") as RespValue)).toEqual(["announce-hostnames", "announce-ip", "announce-port"]);
    expect(field(run("sentinel", "config", "get", "announce-port") as RespValue, "announce-port")).toBe("0");
    const errors: Array<[string[], string]> = [
      [["set", "foo", "1"], "ERR Invalid argument 'foo' to SENTINEL CONFIG SET"],
      [["set", "loglevel", "debug"], "ERR Invalid argument 'loglevel' to SENTINEL CONFIG SET"],
      [["set", "announce-port", "70000"], "ERR Invalid value '70000' to SENTINEL CONFIG SET 'announce-port'"],
      [["set", "resolve-hostnames", "maybe"], "ERR Invalid value 'maybe' to SENTINEL CONFIG SET 'resolve-hostnames'"],
      [["set", "announce-port", "1", "x"], "ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported."],
      [["get"], "ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported."],
      [["foo", "x"], "ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported."],
    ];
    for (const [args, error] of errors) expect(await run("sentinel", "config", ...args)).toEqual({ kind: "error", value: error });
    expect(rec.calls).toEqual([]);
    expect(await run("sentinel", "config", "set", "Announce-Hostnames", "YES")).toEqual({ kind: "simple", value: "OK" });
    expect(rec.calls).toEqual([["config-set", [{ option: "announce-hostnames", value: true }]]]);
  });

  it("DEBUG shows the 13 timings and sets pairs, keeping those before an error", () => {
    const { run, rec } = setup();
    const shown = run("sentinel", "debug") as RespValue;
    expect(keys(shown)).toEqual([
      "INFO-PERIOD",
      "PING-PERIOD",
      "ASK-PERIOD",
      "PUBLISH-PERIOD",
      "DEFAULT-DOWN-AFTER",
      "DEFAULT-FAILOVER-TIMEOUT",
      "TILT-TRIGGER",
      "TILT-PERIOD",
      "SLAVE-RECONF-TIMEOUT",
      "MIN-LINK-RECONNECT-PERIOD",
      "ELECTION-TIMEOUT",
      "SCRIPT-MAX-RUNTIME",
      "SCRIPT-RETRY-DELAY",
    ]);
    expect(field(shown, "DEFAULT-FAILOVER-TIMEOUT")).toBe("180000");
    expect(run("sentinel", "debug", "info-period", "500", "ping-period", "x")).toEqual({
      kind: "error",
      value: "ERR Invalid argument 'x' for SENTINEL DEBUG 'ping-period'",
    });
    expect(rec.calls).toEqual([["debug", { infoPeriod: 500 }]]);
    expect(run("sentinel", "debug", "foo", "1")).toEqual({ kind: "error", value: "ERR Unknown option or number of arguments for SENTINEL DEBUG 'foo'" });
    expect(run("sentinel", "debug", "info-period")).toEqual({
      kind: "error",
      value: "ERR Unknown option or number of arguments for SENTINEL DEBUG 'info-period'",
    });
    expect(run("sentinel", "debug", "TILT-PERIOD", "100")).toEqual({ kind: "simple", value: "OK" });
  });

  it("INFO-CACHE answers [name, [[age, info|null]...]] with integer ages, master first", () => {
    const never = replica({ name: "127.0.0.1:6381", infoRefresh: 0, infoText: null });
    const { run } = setup({ masters: [master({ replicas: [replica(), never] }), master({ name: "b", infoRefresh: 0, infoText: null, replicas: [] })] });
    const reply = run("sentinel", "info-cache", "mymaster", "nope", "mymaster") as RespValue;
    const top = items(reply);
    expect(top).toHaveLength(2);
    expect(top[0]).toEqual({ kind: "bulk", value: Buffer.from("mymaster") });
    const entries = items(top[1] as RespValue).map(items);
    expect(entries.map((e) => e[0])).toEqual([
      { kind: "integer", value: 2061 },
      { kind: "integer", value: 7000 },
      // Redis 7.0 tests the master's refresh time, not the replica's, before subtracting.
      { kind: "integer", value: NOW },
    ]);
    expect(entries[2]?.[1]).toEqual({ kind: "null" });
    expect(run("sentinel", "info-cache")).toEqual({ kind: "error", value: "ERR wrong number of arguments for 'sentinel|info-cache' command" });
    const b = items(items(run("sentinel", "info-cache", "b") as RespValue)[1] as RespValue);
    expect(resp2(b[0] as RespValue)).toBe("*2\r\n:0\r\n$-1\r\n");
  });

  it("SIMULATE-FAILURE arms the named crashes, answers HELP, refuses unknown words", () => {
    const { run, rec } = setup();
    expect(run("sentinel", "simulate-failure", "crash-after-election", "CRASH-AFTER-PROMOTION")).toEqual({ kind: "simple", value: "OK" });
    expect(resp2(run("sentinel", "simulate-failure", "help") as RespValue)).toBe("*2\r\n$20\r\ncrash-after-election\r\n$21\r\ncrash-after-promotion\r\n");
    expect(run("sentinel", "simulate-failure", "crash-after-election", "x")).toEqual({ kind: "error", value: "ERR Unknown failure simulation specified" });
    expect(rec.calls).toEqual([
      ["simulate", { crashAfterElection: true, crashAfterPromotion: true }],
      ["simulate", { crashAfterElection: false, crashAfterPromotion: false }],
      ["simulate", { crashAfterElection: true, crashAfterPromotion: false }],
    ]);
  });

  it("PENDING-SCRIPTS lists running and scheduled jobs", () => {
    const { run } = setup({
      scripts: [
        { argv: ["/bin/n", "+sdown", "master mymaster 127.0.0.1 6379"], running: true, pid: 99, startTime: NOW - 1500, retryNum: 0 },
        { argv: ["/bin/n"], running: false, pid: 0, startTime: NOW + 30_000, retryNum: 2 },
      ],
    });
    const [a, b] = items(run("sentinel", "pending-scripts") as RespValue) as [RespValue, RespValue];
    expect(keys(a)).toEqual(["argv", "flags", "pid", "run-time", "retry-num"]);
    expect(field(a, "run-time")).toBe("1500");
    expect(keys(b)).toEqual(["argv", "flags", "pid", "run-delay", "retry-num"]);
    expect(field(b, "flags")).toBe("scheduled");
    expect(field(b, "run-delay")).toBe("30000");
  });

  it("RESET, FAILOVER, REMOVE, FLUSHCONFIG, MYID go through the core with Redis's replies", async () => {
    const { run, rec } = setup();
    expect(await run("sentinel", "reset", "my*")).toEqual({ kind: "integer", value: 1 });
    expect(await run("sentinel", "failover", "mymaster")).toEqual({ kind: "simple", value: "OK" });
    expect(await run("sentinel", "failover", "nope")).toEqual({ kind: "error", value: "ERR No such master with that name" });
    expect(await run("sentinel", "remove", "mymaster")).toEqual({ kind: "simple", value: "OK" });
    expect(await run("sentinel", "remove", "nope")).toEqual({ kind: "error", value: "ERR No such master with that name" });
    expect(await run("sentinel", "flushconfig")).toEqual({ kind: "simple", value: "OK" });
    expect(run("sentinel", "myid")).toEqual({ kind: "bulk", value: Buffer.from(MYID) });
    expect(rec.calls).toEqual([["reset", "my*"], ["failover", "mymaster"], ["remove", "mymaster"], ["flush"]]);
    const busy = setup({}, { failover: () => "INPROG", flushConfig: async () => false });
    expect(await busy.run("sentinel", "failover", "mymaster")).toEqual({ kind: "error", value: "INPROG Failover already in progress" });
    expect(await busy.run("sentinel", "flushconfig")).toEqual({ kind: "error", value: "ERR Failed to save config file. Check server logs." });
    const none = setup({}, { failover: async () => "NOGOODSLAVE" as const });
    expect(await none.run("sentinel", "failover", "mymaster")).toEqual({ kind: "error", value: "NOGOODSLAVE No suitable replica to promote" });
  });

  it("HELP is status lines with Redis's header and trailer", () => {
    const { run } = setup();
    const lines = items(run("sentinel", "help") as RespValue);
    expect(lines).toHaveLength(49);
    expect(lines[0]).toEqual({ kind: "simple", value: "SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" });
    expect(lines[48]).toEqual({ kind: "simple", value: "    Prints this help." });
  });
});

describe("PING, ROLE, PUBLISH, SHUTDOWN (SPEC §1.4)", () => {
  it("answers PING and ROLE", () => {
    const { run } = setup({ masters: [master(), master({ name: "b" })] });
    expect(run("PING")).toEqual({ kind: "simple", value: "PONG" });
    expect(run("ping", "x")).toEqual({ kind: "bulk", value: Buffer.from("x") });
    expect(resp2(run("role") as RespValue)).toBe("*2\r\n$8\r\nsentinel\r\n*2\r\n$8\r\nmymaster\r\n$1\r\nb\r\n");
  });

  it("accepts PUBLISH on the hello channel only", () => {
    const { run, rec } = setup();
    expect(run("publish", "__sentinel__:hello", "a,b")).toEqual({ kind: "integer", value: 1 });
    expect(run("publish", "__SENTINEL__:hello", "a,b")).toEqual({ kind: "error", value: "ERR Only HELLO messages are accepted by Sentinel instances." });
    expect(rec.calls).toEqual([["hello", "a,b"]]);
  });

  it("parses SHUTDOWN's modifiers as Redis 7.0 does", async () => {
    const { run, rec } = setup();
    expect(await run("shutdown", "x")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(await run("shutdown", "save", "nosave")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(await run("shutdown", "abort", "now")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(await run("shutdown", "abort")).toEqual({ kind: "error", value: "ERR No shutdown in progress." });
    expect(rec.calls).toEqual([]);
    expect(await run("shutdown", "NOW", "force")).toEqual({ kind: "error", value: "ERR Errors trying to SHUTDOWN. Check logs." });
    expect(rec.calls).toEqual([["shutdown", { nosave: false, save: false, now: true, force: true }]]);
  });
});

describe("CLIENT (networking.c clientCommand)", () => {
  it("answers ID, GETNAME, SETNAME", () => {
    const { run, me } = setup();
    expect(run("client", "id")).toEqual({ kind: "integer", value: 7 });
    expect(resp2(run("client", "getname") as RespValue)).toBe("$-1\r\n");
    expect(run("client", "setname", "a b")).toEqual({ kind: "error", value: "ERR Client names cannot contain spaces, newlines or special characters." });
    expect(run("client", "setname", "ab")).toEqual({ kind: "simple", value: "OK" });
    expect(me.names).toEqual(["ab"]);
    expect(run("client", "getname")).toEqual({ kind: "bulk", value: Buffer.from("ab") });
  });

  it("prints CLIENT LIST lines with Redis 7.0's fields in order", () => {
    const { run } = setup();
    const reply = run("client", "list") as RespValue;
    expect(reply.kind).toBe("verbatim");
    const text = reply.kind === "verbatim" ? reply.value : "";
    const lines = text.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const fieldNames = (line: string) => line.split(" ").map((kv) => kv.slice(0, kv.indexOf("=")));
    expect(fieldNames(lines[0] ?? "")).toEqual(
      "id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp".split(" "),
    );
    expect(lines[0]).toContain("id=7 addr=127.0.0.1:40000 laddr=127.0.0.1:26379 ");
    expect(lines[0]).toContain(" age=5 idle=0 flags=N ");
    expect(lines[0]).toContain(" cmd=client|list user=default redir=-1 resp=2");
    expect(lines[1]).toContain(" age=65 idle=3 ");
    expect(lines[1]).toContain(" cmd=ping ");
    expect(resp2(reply).startsWith(`$${Buffer.byteLength(text)}\r\nid=7`)).toBe(true);
    expect(resp3(reply).startsWith(`=${Buffer.byteLength(text) + 4}\r\ntxt:id=7`)).toBe(true);
    expect(run("client", "list", "type", "foo")).toEqual({ kind: "error", value: "ERR Unknown client type 'foo'" });
    expect(run("client", "list", "id", "x")).toEqual({ kind: "error", value: "ERR Invalid client ID" });
    expect(run("client", "list", "foo")).toEqual({ kind: "error", value: "ERR syntax error" });
    const one = run("client", "list", "id", "8") as RespValue;
    expect(one.kind === "verbatim" ? one.value.split("\n") : []).toHaveLength(2);
  });

  it("shows each client's last command by its full name, as Redis's lastcmd->fullname", () => {
    const { ctx } = setup();
    let last = "sentinel";
    const other = client({ id: 11, address: "127.0.0.1:40011" });
    Object.defineProperty(other, "lastCommand", { get: () => last });
    dispatchCommand("SENTINEL", [Buffer.from("Masters")], { ...ctx, client: other });
    const cmdOf = () => {
      const v = dispatchCommand("client", [Buffer.from("list"), Buffer.from("id"), Buffer.from("11")], { ...ctx, view: view({}, [other]) }) as RespValue;
      return /cmd=(\S+)/.exec(v.kind === "verbatim" ? v.value : "")?.[1];
    };
    expect(cmdOf()).toBe("sentinel|masters");
    // The server answered SUBSCRIBE itself: its top-level name is all there is.
    last = "subscribe";
    expect(cmdOf()).toBe("subscribe");
    last = "";
    expect(cmdOf()).toBe("NULL");
  });

  it("splits pending output into the reply buffer and the block list, as Redis's buffers hold it", () => {
    const { ctx } = setup();
    const busy = client({ id: 9, outputBufferBytes: 20_000 });
    const quiet = client({ id: 10, outputBufferBytes: 250 });
    const line = (c: RespClientContext) => {
      const v = dispatchCommand("client", [Buffer.from("info")], { ...ctx, client: c }) as RespValue;
      return v.kind === "verbatim" ? v.value : "";
    };
    expect(line(busy)).toContain(" obl=16384 oll=1 omem=3616 tot-mem=0 events=rw ");
    expect(line(quiet)).toContain(" obl=250 oll=0 omem=0 tot-mem=0 events=r ");
  });

  it("kills clients by address (old form) and by filters, skipping the caller by default", () => {
    const { run, rec } = setup();
    expect(run("client", "kill", "1.2.3.4:5")).toEqual({ kind: "error", value: "ERR No such client" });
    expect(run("client", "kill", "127.0.0.1:40001")).toEqual({ kind: "simple", value: "OK" });
    expect(run("client", "kill", "id", "999")).toEqual({ kind: "integer", value: 0 });
    expect(run("client", "kill", "id", "x")).toEqual({ kind: "error", value: "ERR client-id should be greater than 0" });
    expect(run("client", "kill", "foo", "bar")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(run("client", "kill", "type", "foo")).toEqual({ kind: "error", value: "ERR Unknown client type 'foo'" });
    expect(run("client", "kill", "type", "normal")).toEqual({ kind: "integer", value: 1 });
    expect(run("client", "kill", "user", "default", "skipme", "no")).toEqual({ kind: "integer", value: 2 });
    expect(rec.calls).toEqual([["kill", 8], ["kill", 8], ["kill", 7], ["kill", 8]]);
    // Pairs are read in order: the first bad one decides the error.
    expect(run("client", "kill", "id", "x", "type")).toEqual({ kind: "error", value: "ERR client-id should be greater than 0" });
    expect(run("client", "kill", "id", "5", "type")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(run("client", "kill", "user", "nobody")).toEqual({ kind: "error", value: "ERR No such user 'nobody'" });
  });

  it("answers REPLY, PAUSE, UNPAUSE, CACHING and TRACKING as far as a server without them can", () => {
    const { run } = setup();
    expect(run("client", "reply", "on")).toEqual({ kind: "simple", value: "OK" });
    expect(run("client", "reply", "x")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(run("client", "reply", "off")).toEqual({ kind: "error", value: "ERR CLIENT REPLY OFF is not supported by sentinel-kit" });
    expect(run("client", "unpause")).toEqual({ kind: "simple", value: "OK" });
    expect(run("client", "pause", "x")).toEqual({ kind: "error", value: "ERR timeout is not an integer or out of range" });
    expect(run("client", "pause", "-1")).toEqual({ kind: "error", value: "ERR timeout is negative" });
    expect(run("client", "pause", "10", "x")).toEqual({ kind: "error", value: "ERR CLIENT PAUSE mode must be WRITE or ALL" });
    expect(run("client", "pause", "10", "write")).toEqual({ kind: "error", value: "ERR CLIENT PAUSE is not supported by sentinel-kit" });
    expect(run("client", "caching", "yes")).toEqual({
      kind: "error",
      value: "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
    });
    expect(run("client", "tracking", "off", "bcast", "prefix", "a", "redirect", "8")).toEqual({ kind: "simple", value: "OK" });
    expect(run("client", "tracking", "off", "redirect", "7", "redirect", "8")).toEqual({
      kind: "error",
      value: "ERR A client can only redirect to a single other client",
    });
    expect(run("client", "tracking", "off", "redirect", "99")).toEqual({ kind: "error", value: "ERR The client ID you want redirect to does not exist" });
    expect(run("client", "tracking", "off", "nope")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(run("client", "tracking", "on")).toEqual({ kind: "error", value: "ERR CLIENT TRACKING ON is not supported by sentinel-kit" });
  });

  it("answers UNBLOCK as Redis does where nothing ever blocks", () => {
    const { run } = setup();
    expect(run("client", "unblock", "7")).toEqual({ kind: "integer", value: 0 });
    expect(run("client", "unblock", "7", "ERROR")).toEqual({ kind: "integer", value: 0 });
    expect(run("client", "unblock", "x", "later")).toEqual({ kind: "error", value: "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR" });
    expect(run("client", "unblock", "x")).toEqual({ kind: "error", value: "ERR value is not an integer or out of range" });
    expect(run("client", "UnBlock", "1", "timeout", "x")).toEqual({
      kind: "error",
      value: "ERR unknown subcommand or wrong number of arguments for 'UnBlock'. Try CLIENT HELP.",
    });
  });
});

describe("COMMAND (Redis 7.0.15's sentinel-mode table, captured)", () => {
  it("has the 15 commands of sentinel mode", () => {
    const { run } = setup();
    expect(run("command", "count")).toEqual({ kind: "integer", value: 15 });
    const names = items(run("command", "list") as RespValue).map((v) => (v.kind === "bulk" ? v.value.toString() : ""));
    const top = names.filter((n) => !n.includes("|")).sort();
    expect(top).toEqual(
      ["acl", "auth", "client", "command", "hello", "info", "ping", "psubscribe", "publish", "punsubscribe", "role", "sentinel", "shutdown", "subscribe", "unsubscribe"],
    );
    expect(names).toContain("sentinel|is-master-down-by-addr");
    expect(items(run("command") as RespValue)).toHaveLength(15);
  });

  it("answers INFO, DOCS, LIST FILTERBY and GETKEYS as Redis does", () => {
    const { run } = setup();
    const info = items(run("command", "info", "foo", "PING") as RespValue);
    expect(resp2(info[0] as RespValue)).toBe("$-1\r\n");
    expect(resp2(info[1] as RespValue).startsWith("*10\r\n$4\r\nping\r\n:-1\r\n")).toBe(true);
    expect(resp2(run("command", "docs", "foo") as RespValue)).toBe("*0\r\n");
    expect(keys(run("command", "docs", "ping", "sentinel|master") as RespValue)).toEqual(["ping", "sentinel|master"]);
    const pattern = items(run("command", "list", "filterby", "pattern", "p*") as RespValue).map((v) => (v.kind === "bulk" ? v.value.toString() : ""));
    expect([...pattern].sort()).toEqual(["ping", "psubscribe", "publish", "punsubscribe"]);
    expect(items(run("command", "list", "filterby", "aclcat", "nope") as RespValue)).toHaveLength(0);
    expect(items(run("command", "list", "filterby", "aclcat", "pubsub") as RespValue).length).toBeGreaterThan(0);
    expect(run("command", "list", "filterby", "x", "y")).toEqual({ kind: "error", value: "ERR syntax error" });
    expect(run("command", "getkeys", "sentinel", "masters")).toEqual({ kind: "error", value: "ERR The command has no key arguments" });
    expect(run("command", "getkeys", "foo", "bar")).toEqual({ kind: "error", value: "ERR Invalid command specified" });
  });
});

describe("INFO (sentinelInfoCommand, SPEC §1.4)", () => {
  it("selects sections like genInfoSectionDict with the sentinel sections as defaults", () => {
    expect([...selectSections([])]).toEqual(["server", "clients", "stats", "cpu", "sentinel"]);
    expect([...selectSections(["default"])]).toEqual(["server", "clients", "stats", "cpu", "sentinel"]);
    expect([...selectSections(["SENTINEL", "server", "memory"])]).toEqual(["server", "sentinel"]);
    expect([...selectSections(["foo"])]).toEqual([]);
  });

  it("prints the sections in Redis's order with redis_mode:sentinel and the sentinel lines", () => {
    const v = view({
      tiltSince: NOW - 4500,
      masters: [master(), master({ name: "b", ip: "10.0.0.9", port: 7000, flags: flags("master", "s_down"), replicas: [], sentinels: [] })],
      simulateFailure: { crashAfterElection: false, crashAfterPromotion: true },
      scripts: [{ argv: ["/x"], running: true, pid: 1, startTime: NOW, retryNum: 0 }, { argv: ["/x"], running: false, pid: 0, startTime: 0, retryNum: 0 }],
    });
    const text = infoText(v, [], NOW, HOST);
    const headers = text.split("\r\n").filter((l) => l.startsWith("#"));
    expect(headers).toEqual(["# Server", "# Clients", "# Stats", "# CPU", "# Sentinel"]);
    expect(text).toContain("\r\nredis_mode:sentinel\r\n");
    expect(text).toContain("\r\nuptime_in_seconds:90061\r\nuptime_in_days:1\r\n");
    expect(text).toContain("\r\nused_cpu_user:1.500000\r\n");
    expect(text).toContain("\r\n\r\n# Clients\r\n");
    expect(text.endsWith(
      [
        "# Sentinel",
        "sentinel_masters:2",
        "sentinel_tilt:1",
        "sentinel_tilt_since_seconds:4",
        "sentinel_running_scripts:1",
        "sentinel_scripts_queue_length:2",
        "sentinel_simulate_failure_flags:2",
        "master0:name=mymaster,status=ok,address=127.0.0.1:6379,slaves=1,sentinels=2",
        "master1:name=b,status=sdown,address=10.0.0.9:7000,slaves=0,sentinels=1",
        "",
      ].join("\r\n"),
    )).toBe(true);
    expect(infoText(v, ["foo"], NOW, HOST)).toBe("");
    expect(infoText(v, ["sentinel"], NOW, HOST).startsWith("# Sentinel\r\nsentinel_masters:2\r\n")).toBe(true);
  });

  it("is served as a bulk string", () => {
    const { run } = setup();
    const reply = run("info", "server") as RespValue;
    expect(reply.kind).toBe("bulk");
    expect(resp3(reply).startsWith("$")).toBe(true);
  });
});

