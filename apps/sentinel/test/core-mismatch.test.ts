// +master-mismatch / -master-mismatch, a sentinel-kit addition (not in Redis): a peer's hello
// naming another address for a master at our config epoch is ignored by SPEC §4.5 (only a
// greater epoch is adopted, sentinel.c sentinelProcessHelloMessage), which left
// redis/redis#12271 (sentinels started with different masters) silent.
import { loadConfig } from "@sentinel-kit/config-store";
import { formatHello } from "@sentinel-kit/gossip";
import { describe, expect, it } from "vitest";
import { claimsDisagree, MasterMismatches } from "../src/core/master-mismatch.js";
import { SentinelCore } from "../src/core/sentinel-core.js";
import type { CoreEffect } from "../src/core/types.js";

const MYID = "a".repeat(40);
const PEER = "b".repeat(40);
const OTHER = "c".repeat(40);
const RANDOM = (): number => 0.5;

function core(configEpoch = 0): SentinelCore {
  const { config } = loadConfig(
    [
      "port 26379",
      `sentinel myid ${MYID}`,
      "sentinel monitor mymaster 10.0.0.1 6379 2",
      `sentinel config-epoch mymaster ${configEpoch}`,
      "sentinel notification-script mymaster /opt/notify.sh",
      `sentinel known-sentinel mymaster 10.0.0.2 26379 ${PEER}`,
      "",
    ].join("\n"),
  );
  const c = new SentinelCore({ config }, 1000);
  c.start(1000, RANDOM);
  return c;
}

let clock = 1000;

/** Feeds a hello from `runid` at 10.0.0.2:26379 (or `sentinelIp`) naming mymaster at `port` with `epoch`. */
function hello(c: SentinelCore, port: number, epoch: number, runid = PEER, sentinelIp = "10.0.0.2"): readonly CoreEffect[] {
  clock += 2000;
  const payload = formatHello({
    sentinelIp,
    sentinelPort: 26379,
    runid,
    currentEpoch: epoch,
    masterName: "mymaster",
    masterIp: "10.0.0.1",
    masterPort: port,
    masterConfigEpoch: epoch,
  });
  return c.step({ type: "hello-received", payload }, clock, RANDOM).effects;
}

function events(effects: readonly CoreEffect[]): string[] {
  return effects.flatMap((e) => (e.type === "event" ? [`${e.name} ${e.payload}`] : []));
}

function mismatches(effects: readonly CoreEffect[]): string[] {
  return events(effects).filter((e) => e.includes("master-mismatch"));
}

const STARTED = `+master-mismatch sentinel ${PEER} 10.0.0.2 26379 @ mymaster 10.0.0.1 6379 says 10.0.0.1 6380 config-epoch 0`;
const ENDED = `-master-mismatch sentinel ${PEER} 10.0.0.2 26379 @ mymaster 10.0.0.1 6379`;

describe("SentinelCore: a peer naming another master at our config epoch", () => {
  it("emits +master-mismatch once, at warning level, with the notification-script, and keeps the configuration", () => {
    const c = core();
    const first = hello(c, 6380, 0);
    expect(mismatches(first)).toEqual([STARTED]);
    const event = first.find((e) => e.type === "event" && e.name === "+master-mismatch");
    expect(event?.type === "event" && event.level).toBe("warning");
    // Warning events about a master run its notification-script (SPEC §3, sentinelEvent).
    expect(first).toContainEqual({
      type: "run-script",
      path: "/opt/notify.sh",
      args: ["+master-mismatch", STARTED.slice("+master-mismatch ".length)],
    });
    // SPEC §4.5: an equal epoch is not adopted.
    expect(c.gossip.master("mymaster")?.address).toEqual({ host: "10.0.0.1", port: 6379 });
    expect(events(first).some((e) => e.startsWith("+switch-master"))).toBe(false);
    // The peer says the same thing every 2 s: no second event.
    for (let i = 0; i < 3; i++) expect(mismatches(hello(c, 6380, 0))).toEqual([]);
  });

  it("emits -master-mismatch once when the peer's hello agrees again", () => {
    const c = core();
    hello(c, 6380, 0);
    expect(mismatches(hello(c, 6379, 0))).toEqual([ENDED]);
    expect(mismatches(hello(c, 6379, 0))).toEqual([]);
    // A new disagreement is a new start.
    expect(mismatches(hello(c, 6380, 0))).toEqual([STARTED]);
  });

  it("a greater epoch is adopted as before and is no mismatch", () => {
    const c = core();
    const effects = hello(c, 6380, 1);
    expect(mismatches(effects)).toEqual([]);
    expect(events(effects)).toContain("+switch-master mymaster 10.0.0.1 6379 10.0.0.1 6380");
    expect(c.gossip.master("mymaster")).toMatchObject({ address: { host: "10.0.0.1", port: 6380 }, configEpoch: 1 });
    expect(mismatches(hello(c, 6380, 1))).toEqual([]);
  });

  it("a greater epoch from the peer ends its mismatch: the configuration is adopted, so it agrees", () => {
    const c = core();
    hello(c, 6380, 0);
    const effects = hello(c, 6380, 1);
    expect(events(effects)).toContain("+switch-master mymaster 10.0.0.1 6379 10.0.0.1 6380");
    expect(mismatches(effects)).toEqual([`-master-mismatch sentinel ${PEER} 10.0.0.2 26379 @ mymaster 10.0.0.1 6380`]);
  });

  it("a lower epoch is the ordinary stale case: nothing", () => {
    const c = core(3);
    expect(events(hello(c, 6380, 2))).toEqual([]);
    expect(c.gossip.master("mymaster")).toMatchObject({ address: { host: "10.0.0.1", port: 6379 }, configEpoch: 3 });
    // At our epoch the same address is a mismatch: the check compares epochs, not addresses alone.
    expect(mismatches(hello(c, 6380, 3))).toEqual([
      `+master-mismatch sentinel ${PEER} 10.0.0.2 26379 @ mymaster 10.0.0.1 6379 says 10.0.0.1 6380 config-epoch 3`,
    ]);
  });

  it("each peer has its own disagreement; a new peer is announced first", () => {
    const c = core();
    hello(c, 6380, 0);
    const effects = hello(c, 6381, 0, OTHER, "10.0.0.3");
    expect(events(effects).map((e) => e.split(" ")[0])).toEqual(["+sentinel", "+master-mismatch"]);
    expect(mismatches(effects)).toEqual([
      `+master-mismatch sentinel ${OTHER} 10.0.0.3 26379 @ mymaster 10.0.0.1 6379 says 10.0.0.1 6381 config-epoch 0`,
    ]);
    expect(mismatches(hello(c, 6379, 0))).toEqual([ENDED]);
  });

  it("SENTINEL RESET forgets the peer and ends its mismatch; its next hello starts a new one", () => {
    const c = core();
    hello(c, 6380, 0);
    const reset = c.step({ type: "command", token: 1, command: { type: "reset", pattern: "*" } }, (clock += 10), RANDOM).effects;
    expect(mismatches(reset)).toEqual([ENDED]);
    expect(c.gossip.sentinelsOf("mymaster")).toEqual([]);
    expect(mismatches(hello(c, 6380, 0))).toEqual([STARTED]);
  });

  it("SENTINEL REMOVE of the master ends its mismatches", () => {
    const c = core();
    hello(c, 6380, 0);
    const removed = c.step({ type: "command", token: 1, command: { type: "remove", name: "mymaster" } }, (clock += 10), RANDOM).effects;
    expect(mismatches(removed)).toEqual([ENDED]);
  });

  it("a new peer at a known peer's address evicts it, and the evicted peer's mismatch ends", () => {
    const c = core();
    hello(c, 6380, 0, OTHER, "10.0.0.3");
    // A new runid at 10.0.0.3:26379 (the sentinel restarted without its config file): the
    // holder of that address is dropped (+sentinel-invalid-addr, sentinelProcessHelloMessage).
    const effects = hello(c, 6379, 0, "d".repeat(40), "10.0.0.3");
    expect(events(effects).map((e) => e.split(" ")[0])).toContain("+sentinel-invalid-addr");
    expect(mismatches(effects)).toEqual([`-master-mismatch sentinel ${OTHER} 10.0.0.3 26379 @ mymaster 10.0.0.1 6379`]);
  });
});

describe("MasterMismatches", () => {
  const ours = { address: { host: "10.0.0.1", port: 6379 }, configEpoch: 4 };
  const peer = { host: "10.0.0.2", port: 26379 };

  it.each([
    ["same epoch, other port", { host: "10.0.0.1", port: 6380 }, 4, true],
    ["same epoch, other IP", { host: "10.0.0.9", port: 6379 }, 4, true],
    ["same epoch, same address", { host: "10.0.0.1", port: 6379 }, 4, false],
    ["greater epoch", { host: "10.0.0.1", port: 6380 }, 5, false],
    ["lower epoch", { host: "10.0.0.1", port: 6380 }, 3, false],
    // A host name against an IP literal needs a resolver; the pure core has none.
    ["host name against an IP literal", { host: "redis-0", port: 6379 }, 4, false],
  ])("%s: disagree %s", (_label, address, configEpoch, expected) => {
    expect(claimsDisagree(ours, { address, configEpoch })).toBe(expected);
  });

  it("compares host names with each other, ignoring case as Redis does", () => {
    const named = { address: { host: "redis-0", port: 6379 }, configEpoch: 0 };
    expect(claimsDisagree(named, { address: { host: "REDIS-0", port: 6379 }, configEpoch: 0 })).toBe(false);
    expect(claimsDisagree(named, { address: { host: "redis-1", port: 6379 }, configEpoch: 0 })).toBe(true);
  });

  it("a changed claim ends the old disagreement and starts the new one", () => {
    const t = new MasterMismatches();
    expect(t.observe("m", PEER, peer, ours, { address: { host: "10.0.0.1", port: 6380 }, configEpoch: 4 }).map((e) => e.name)).toEqual(["+master-mismatch"]);
    const changed = t.observe("m", PEER, peer, ours, { address: { host: "10.0.0.1", port: 6381 }, configEpoch: 4 });
    expect(changed.map((e) => `${e.name} ${e.payload}`)).toEqual([
      `-master-mismatch sentinel ${PEER} 10.0.0.2 26379 @ m 10.0.0.1 6379`,
      `+master-mismatch sentinel ${PEER} 10.0.0.2 26379 @ m 10.0.0.1 6379 says 10.0.0.1 6381 config-epoch 4`,
    ]);
    expect(t.has("m", PEER)).toBe(true);
  });

  it("prune ends only the disagreements of peers no longer known, with the addresses last seen", () => {
    const t = new MasterMismatches();
    const theirs = { address: { host: "10.0.0.1", port: 6380 }, configEpoch: 4 };
    t.observe("m", PEER, peer, ours, theirs);
    t.observe("m", OTHER, { host: "10.0.0.3", port: 26379 }, ours, theirs);
    expect(t.prune(() => true)).toEqual([]);
    expect(t.prune((_m, runid) => runid !== OTHER)).toEqual([
      { name: "-master-mismatch", master: "m", payload: `sentinel ${OTHER} 10.0.0.3 26379 @ m 10.0.0.1 6379` },
    ]);
    expect([t.has("m", PEER), t.has("m", OTHER)]).toEqual([true, false]);
  });
});
