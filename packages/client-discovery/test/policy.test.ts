import { describe, expect, it } from "vitest";
import {
  backoffRetryStrategy,
  chooseMaster,
  formatAddress,
  instanceFlags,
  mergeSentinels,
  moveToFront,
  parseAddress,
  parseInstanceFields,
  parseMasterAddrReply,
  fenceAfterResolution,
  fenceBlocks,
  parseHint,
  parseSwitchMaster,
  selectReplica,
  translateAddress,
  type Address,
  type MasterAnswer,
  type MasterChoice,
  type MasterTrustPolicy,
  type ReplicaInfo,
} from "../src/index.js";

const s1: Address = { host: "10.0.0.1", port: 26379 };
const s2: Address = { host: "10.0.0.2", port: 26379 };
const s3: Address = { host: "10.0.0.3", port: 26379 };
const oldM: Address = { host: "10.0.1.1", port: 6379 };
const newM: Address = { host: "10.0.1.2", port: 6379 };

const at = (sentinel: Address, address: Address, configEpoch?: number, otherSentinels?: number): MasterAnswer => ({
  kind: "address",
  sentinel,
  address,
  ...(configEpoch === undefined ? {} : { configEpoch }),
  ...(otherSentinels === undefined ? {} : { otherSentinels }),
});
const down = (sentinel: Address): MasterAnswer => ({ kind: "unreachable", sentinel, message: "timeout" });
const unknown = (sentinel: Address): MasterAnswer => ({ kind: "unknown-master", sentinel });

describe("chooseMaster (SPEC §5.1 steps 1-2, §5.3 cross-check)", () => {
  const cases: { what: string; answers: MasterAnswer[]; policy: MasterTrustPolicy; expected: Partial<MasterChoice> & { kind: MasterChoice["kind"] } }[] = [
    { what: "no answer at all is 'unreachable'", answers: [down(s1), down(s2)], policy: {}, expected: { kind: "unreachable" } },
    { what: "only nulls is 'unknown master' (S5 distinguishes it)", answers: [unknown(s1), down(s2), unknown(s3)], policy: {}, expected: { kind: "unknown-master" } },
    { what: "S5: first answer wins, even a stale one", answers: [at(s1, oldM, 0), at(s2, newM, 1), at(s3, newM, 1)], policy: {}, expected: { kind: "master", address: oldM } },
    { what: "a null before an address is skipped", answers: [unknown(s1), at(s2, newM)], policy: {}, expected: { kind: "master", address: newM } },
    { what: "cross-check: the highest epoch beats the first answer", answers: [at(s1, oldM, 0), at(s2, newM, 1), at(s3, newM, 1)], policy: { minAgreeing: 2 }, expected: { kind: "master", address: newM, configEpoch: 1 } },
    { what: "cross-check: a lone newest answer is not enough agreement", answers: [at(s1, oldM, 0), at(s2, newM, 1), down(s3)], policy: { minAgreeing: 2 }, expected: { kind: "no-agreement" } },
    { what: "cross-check: minAgreeing 1 takes the highest epoch", answers: [at(s1, oldM, 3), at(s2, newM, 4), down(s3)], policy: { minAgreeing: 1 }, expected: { kind: "master", address: newM, configEpoch: 4 } },
    { what: "cross-check: a tie at the top epoch is refused", answers: [at(s1, oldM, 2), at(s2, newM, 2)], policy: { minAgreeing: 1 }, expected: { kind: "no-agreement" } },
    { what: "minOtherSentinels skips an isolated sentinel", answers: [at(s1, oldM, 0, 0), at(s2, newM, 1, 2)], policy: { minOtherSentinels: 1 }, expected: { kind: "master", address: newM } },
    { what: "minOtherSentinels with only isolated sentinels", answers: [at(s1, oldM, 0, 0)], policy: { minOtherSentinels: 1 }, expected: { kind: "no-agreement" } },
  ];
  for (const c of cases) {
    it(c.what, () => {
      expect(chooseMaster(c.answers, c.policy)).toMatchObject(c.expected);
    });
  }
  it("cross-check reports which sentinels agreed", () => {
    const choice = chooseMaster([at(s1, oldM, 0), at(s2, newM, 1), at(s3, newM, 1)], { minAgreeing: 2 });
    expect(choice.kind === "master" && choice.agreeing).toEqual([s2, s3]);
  });
});

describe("selectReplica (SPEC §5.2 read-only routing, §5.3)", () => {
  const replica = (port: number, flags: string, priority = 100): ReplicaInfo => ({
    address: { host: "10.0.2.1", port },
    flags: new Set(flags.split(",")),
    priority,
    replOffset: 0,
    linkOk: true,
  });
  const all = [replica(1, "slave,s_down"), replica(2, "slave"), replica(3, "slave,disconnected"), replica(4, "slave"), replica(5, "o_down,slave")];
  it.each([
    [0, 2],
    [0.49, 2],
    [0.5, 4],
    [0.999, 4],
  ])("random %f picks port %i among usable replicas only", (random, port) => {
    expect(selectReplica(all, {}, random, oldM)).toEqual({ kind: "replica", address: { host: "10.0.2.1", port } });
  });
  it("the preference hook decides among usable replicas", () => {
    const seen: number[] = [];
    const choice = selectReplica(all, { prefer: (c) => (c.forEach((r) => seen.push(r.address.port)), c.at(-1)) }, 0, oldM);
    expect(seen).toEqual([2, 4]);
    expect(choice).toMatchObject({ kind: "replica", address: { port: 4 } });
  });
  it("no usable replica: master only with fallbackToMaster", () => {
    const bad = [replica(1, "slave,s_down")];
    expect(selectReplica(bad, { fallbackToMaster: true }, 0, oldM)).toEqual({ kind: "master", address: oldM });
    expect(selectReplica(bad, {}, 0, oldM)).toEqual({ kind: "none", rejected: ["10.0.2.1:1 slave,s_down"] });
    expect(selectReplica([], { fallbackToMaster: true }, 0, undefined).kind).toBe("none");
  });
});

describe("sentinel list (S5 step 1 move-to-front, step 8 refresh)", () => {
  it("moves the answering sentinel to the front and keeps the rest in order", () => {
    expect(moveToFront([s1, s2, s3], s3)).toEqual([s3, s1, s2]);
    expect(moveToFront([s1, s2], s3)).toEqual([s1, s2]);
  });
  it("appends new, healthy sentinels only", () => {
    const found = [
      { address: s2, flags: new Set(["sentinel"]) },
      { address: s3, flags: new Set(["sentinel", "s_down"]) },
      { address: { host: "10.0.0.4", port: 26379 }, flags: new Set(["sentinel", "disconnected"]) },
      { address: { host: "10.0.0.5", port: 26380 }, flags: new Set(["sentinel"]) },
    ];
    expect(mergeSentinels([s1, s2], found)).toEqual([s1, s2, { host: "10.0.0.5", port: 26380 }]);
  });
});

describe("replies and events", () => {
  it("parses +switch-master's payload (SPEC §3) and rejects other shapes", () => {
    expect(parseSwitchMaster("mymaster 127.0.0.1 6379 127.0.0.1 6380")).toEqual({
      masterName: "mymaster",
      from: { host: "127.0.0.1", port: 6379 },
      to: { host: "127.0.0.1", port: 6380 },
    });
    expect(parseSwitchMaster("master mymaster 127.0.0.1 6379")).toBeUndefined();
    expect(parseSwitchMaster("m a x b 1")).toBeUndefined();
  });
  it.each([
    ["+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", "mymaster"],
    ["+failover-state-reconf-slaves", "master mymaster 127.0.0.1 6379", "mymaster"],
    ["+failover-state-reconf-slaves", "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379", undefined],
    ["+failover-state-send-slaveof-noone", "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379", "mymaster"],
    ["+failover-state-send-slaveof-noone", "master mymaster 127.0.0.1 6379", undefined],
    ["+sdown", "master mymaster 127.0.0.1 6379", undefined],
    // node-redis subscribes to "switch-master" without the "+": no such channel exists (SPEC §5.2).
    ["switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", undefined],
  ])("hint from %s %s -> %s (SPEC §3 payloads)", (channel, message, name) => {
    expect(parseHint(channel, message)?.masterName).toBe(name);
  });
  it("takes the old master from the promotion event's replica details (SPEC §3)", () => {
    const hint = parseHint("+failover-state-send-slaveof-noone", "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 10.0.1.1 6379");
    expect(hint?.oldMaster).toEqual(oldM);
  });
  it("reads GET-MASTER-ADDR-BY-NAME: pair or null (SPEC §1.2)", () => {
    expect(parseMasterAddrReply(["127.0.0.1", "6380"])).toEqual({ host: "127.0.0.1", port: 6380 });
    expect(parseMasterAddrReply(null)).toBeUndefined();
  });
  it("reads instance maps in RESP2 and RESP3 shapes (SPEC §1.3)", () => {
    const flat = parseInstanceFields(["name", "m", "flags", "s_down,master,disconnected"]);
    expect(flat).toEqual({ name: "m", flags: "s_down,master,disconnected" });
    expect([...instanceFlags(flat)]).toEqual(["s_down", "master", "disconnected"]);
    expect(parseInstanceFields(new Map([["ip", "::1"]]))).toEqual({ ip: "::1" });
  });
});

describe("addresses and retry", () => {
  it.each([
    ["127.0.0.1:26380", { host: "127.0.0.1", port: 26380 }],
    ["[::1]:7000", { host: "::1", port: 7000 }],
    ["::1", { host: "::1", port: 26379 }],
    ["sentinel-a", { host: "sentinel-a", port: 26379 }],
  ])("parseAddress(%s)", (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
    expect(parseAddress(formatAddress(expected))).toEqual(expected);
  });
  it.each(["h:0", "h:70000", ":1", "h:x"])("parseAddress rejects %s", (text) => {
    expect(() => parseAddress(text)).toThrow(TypeError);
  });
  it("translates through a table or a function, else keeps the address", () => {
    expect(translateAddress(oldM, { "10.0.1.1:6379": newM })).toEqual(newM);
    expect(translateAddress(newM, { "10.0.1.1:6379": oldM })).toEqual(newM);
    expect(translateAddress(oldM, (a) => ({ host: "public", port: a.port + 1 }))).toEqual({ host: "public", port: 6380 });
  });
  it("backoff doubles up to the cap and gives up after maxAttempts", () => {
    const strategy = backoffRetryStrategy({ initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 4 });
    const err = new Error("x");
    expect([1, 2, 3, 4, 5].map((n) => strategy(n, err))).toEqual([10, 20, 40, 50, null]);
  });
});

describe("failover fence (fenceOnFailoverMs)", () => {
  const fence = { address: oldM, until: 1000 };
  it.each([
    ["the old master before the deadline", oldM, 999, true],
    ["the old master at the deadline", oldM, 1000, false],
    ["another master", newM, 10, false],
  ] as const)("blocks %s: %s", (_what, address, now, blocked) => {
    expect(fenceBlocks(fence, address, now)).toBe(blocked);
  });
  it("no fence blocks nothing", () => {
    expect(fenceBlocks(undefined, oldM, 0)).toBe(false);
  });
  it("is lifted by a resolution to another master or by lapsing, kept otherwise", () => {
    expect(fenceAfterResolution(fence, newM, 10)).toBeUndefined();
    expect(fenceAfterResolution(fence, oldM, 1000)).toBeUndefined();
    expect(fenceAfterResolution(fence, oldM, 10)).toBe(fence);
  });
});
