import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAddressName, formatHello, Gossip, type GossipEffect, type PublishTarget } from "../src/index.js";

const ME = "f".repeat(40);
const RUNIDS = ["a", "b", "c", "d"].map((d) => d.repeat(40));
const MASTERS = ["m1", "m2"];

type Op =
  | { kind: "hello"; runid: string; ip: string; port: number; master: string; epoch: number; masterIp: string; configEpoch: number }
  | { kind: "tick"; advance: number }
  | { kind: "reply"; ok: boolean }
  | { kind: "reset"; master: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("hello" as const),
      runid: fc.constantFrom(...RUNIDS, ME),
      ip: fc.constantFrom("10.0.0.1", "10.0.0.2"),
      port: fc.constantFrom(26379, 26380),
      master: fc.constantFrom(...MASTERS, "unknown"),
      epoch: fc.nat(6),
      masterIp: fc.constantFrom("10.1.0.1", "10.1.0.2"),
      configEpoch: fc.nat(6),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tick" as const), advance: fc.nat(3000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reply" as const), ok: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reset" as const), master: fc.constantFrom(...MASTERS) }) },
);

function run(ops: Op[], evictOnAddressSwitch: boolean): void {
  let now = 0;
  const gossip = new Gossip(
    {
      myRunid: ME,
      currentEpoch: 0,
      announcePort: 26379,
      masters: MASTERS.map((name) => ({ name, address: { host: "10.1.0.1", port: 6379 }, configEpoch: 0 })),
      evictOnAddressSwitch,
    },
    now,
  );
  const openLinks = new Set<string>();
  let inFlight: PublishTarget[] = [];
  let lastEpoch = gossip.currentEpoch;
  const lastConfigEpoch = new Map(MASTERS.map((m) => [m, 0]));

  const apply = (effects: readonly GossipEffect[]) => {
    effects.forEach((effect, i) => {
      if (effect.type === "open-sentinel-link") {
        expect(openLinks.has(effect.runid), "a link is opened twice").toBe(false);
        openLinks.add(effect.runid);
      } else if (effect.type === "close-sentinel-link") {
        expect(openLinks.has(effect.runid), "a closed link was not open").toBe(true);
        openLinks.delete(effect.runid);
      } else if (effect.type === "event" && effect.event.name === "+new-epoch") {
        // The adopted epoch is on disk before it is announced.
        expect(effects[i - 1]).toEqual({ type: "persist", reason: "current-epoch" });
      }
    });
  };

  for (const step of ops) {
    switch (step.kind) {
      case "hello": {
        const outcome = gossip.receiveHello(
          formatHello({
            sentinelIp: step.ip,
            sentinelPort: step.port,
            runid: step.runid,
            currentEpoch: step.epoch,
            masterName: step.master,
            masterIp: step.masterIp,
            masterPort: 6379,
            masterConfigEpoch: step.configEpoch,
          }),
          now,
        );
        apply(outcome.effects);
        if (outcome.status === "processed") {
          expect(gossip.currentEpoch).toBeGreaterThanOrEqual(step.epoch);
          expect(gossip.peers.get(step.runid)?.masters.get(step.master)).toBe(now);
          expect(gossip.master(step.master)?.configEpoch).toBeGreaterThanOrEqual(step.configEpoch);
        }
        break;
      }
      case "tick": {
        now += step.advance;
        const effects = gossip.tick(now);
        apply(effects);
        inFlight.push(...effects.flatMap((e) => (e.type === "publish-hello" ? [e.target] : [])));
        break;
      }
      case "reply":
        for (const target of inFlight) gossip.published(target, step.ok, now);
        inFlight = [];
        break;
      case "reset":
        apply(gossip.reset(step.master));
        break;
    }

    // Epochs never go down.
    expect(gossip.currentEpoch).toBeGreaterThanOrEqual(lastEpoch);
    lastEpoch = gossip.currentEpoch;
    for (const m of MASTERS) {
      const configEpoch = gossip.master(m)?.configEpoch ?? -1;
      expect(configEpoch).toBeGreaterThanOrEqual(lastConfigEpoch.get(m) ?? 0);
      lastConfigEpoch.set(m, configEpoch);
    }
    // One peer, and one open link, per runid; never ourselves.
    const runids = gossip.peers.all().map((p) => p.runid);
    expect(new Set(runids).size).toBe(runids.length);
    expect([...openLinks].sort()).toEqual([...runids].sort());
    expect(runids).not.toContain(ME);
    for (const m of MASTERS) {
      const peers = gossip.sentinelsOf(m);
      expect(new Set(peers.map((p) => p.runid)).size).toBe(peers.length);
      if (evictOnAddressSwitch) {
        const addresses = peers.map((p) => formatAddressName(p.address));
        expect(new Set(addresses).size, `two peers of ${m} share an address`).toBe(addresses.length);
      }
    }
    for (const peer of gossip.peers.all()) {
      expect(peer.masters.size).toBeGreaterThan(0);
      for (const m of peer.masters.keys()) expect(MASTERS).toContain(m);
    }
    // The next due time is never in the past unless something is due now.
    const next = gossip.nextDueAt();
    if (next !== undefined && next <= now) expect(gossip.tick(now).length).toBeGreaterThan(0);
  }
}

describe("properties of the gossip core", () => {
  it("holds its invariants over random hello sequences, with evictOnAddressSwitch", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops, true)), { numRuns: 300 });
  });

  it("holds its invariants, except address uniqueness, with Redis's default", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops, false)), { numRuns: 300 });
  });

  it("Redis's default does let two peers of a master share an address after a switch", () => {
    const gossip = new Gossip(
      { myRunid: ME, currentEpoch: 0, announcePort: 26379, masters: [{ name: "m1", address: { host: "10.1.0.1", port: 6379 }, configEpoch: 0 }] },
      0,
    );
    const hello = (runid: string, port: number) => formatHello({ sentinelIp: "10.0.0.1", sentinelPort: port, runid, currentEpoch: 0, masterName: "m1", masterIp: "10.1.0.1", masterPort: 6379, masterConfigEpoch: 0 });
    gossip.receiveHello(hello(RUNIDS[0] as string, 26379), 0);
    gossip.receiveHello(hello(RUNIDS[1] as string, 26380), 0);
    gossip.receiveHello(hello(RUNIDS[1] as string, 26379), 0);
    expect(gossip.sentinelsOf("m1").map((p) => p.address.port)).toEqual([26379, 26379]);
  });
});
