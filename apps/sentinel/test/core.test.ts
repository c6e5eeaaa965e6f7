// SentinelCore's effect contract: a persist comes before what depends on it (a vote is on
// disk before the reply carrying it leaves: SPEC §4.8, etcd raft's Ready rule), one wake at
// the end, and Redis's first events.
import { loadConfig } from "@sentinel-kit/config-store";
import { describe, expect, it } from "vitest";
import { SentinelCore } from "../src/core/sentinel-core.js";
import type { CoreEffect } from "../src/core/types.js";

const MYID = "a".repeat(40);
const PEER = "b".repeat(40);

function core(): SentinelCore {
  const { config } = loadConfig(
    `port 26379\nsentinel myid ${MYID}\nsentinel monitor mymaster 10.0.0.1 6379 2\nsentinel known-sentinel mymaster 10.0.0.2 26379 ${PEER}\n`,
  );
  return new SentinelCore({ config }, 1000);
}

function kinds(effects: readonly CoreEffect[]): string[] {
  return effects.map((e) => e.type);
}

describe("SentinelCore", () => {
  it("starts with links to the master and the known sentinel, +monitor, and one wake last", () => {
    const c = core();
    const { effects } = c.start(1000, () => 0.5);
    const links = effects.filter((e) => e.type === "create-link");
    expect(links.map((e) => (e.type === "create-link" ? `${e.kind} ${e.address.host}:${e.address.port}` : ""))).toEqual([
      "instance 10.0.0.1:6379",
      "sentinel 10.0.0.2:26379",
    ]);
    expect(effects).toContainEqual({ type: "event", name: "+monitor", level: "warning", payload: "master mymaster 10.0.0.1 6379 quorum 2" });
    expect(kinds(effects).filter((k) => k === "wake")).toEqual(["wake"]);
    expect(effects.at(-1)?.type).toBe("wake");
  });

  it("a vote asked by is-master-down-by-addr is persisted before the reply leaves", () => {
    const c = core();
    c.start(1000, () => 0.5);
    const { effects } = c.step(
      { type: "command", token: 7, command: { type: "is-master-down", ip: "10.0.0.1", port: 6379, epoch: 5, runid: PEER } },
      1100,
      () => 0.5,
    );
    const persist = effects.findIndex((e) => e.type === "persist");
    const reply = effects.findIndex((e) => e.type === "reply");
    expect(persist).toBeGreaterThanOrEqual(0);
    expect(persist).toBeLessThan(reply);
    // When the save fails, the runtime answers onSaveFailure: no vote (FAULTS.md row 14).
    expect(effects[reply]).toEqual({
      type: "reply",
      token: 7,
      result: { type: "is-master-down", reply: { down: false, leader: PEER, leaderEpoch: 5 } },
      onSaveFailure: { type: "is-master-down", reply: { down: false, leader: null, leaderEpoch: 0 } },
    });
    const saved = effects[persist];
    expect(saved?.type === "persist" && saved.config.currentEpoch).toBe(5);
    expect(saved?.type === "persist" && saved.config.masters[0]?.leaderEpoch).toBe(5);
    // One vote per epoch: a second candidate in the same epoch gets the first one's name.
    const again = c.step(
      { type: "command", token: 8, command: { type: "is-master-down", ip: "10.0.0.1", port: 6379, epoch: 5, runid: "c".repeat(40) } },
      1200,
      () => 0.5,
    );
    expect(again.effects).toContainEqual(
      expect.objectContaining({ type: "reply", token: 8, result: { type: "is-master-down", reply: { down: false, leader: PEER, leaderEpoch: 5 } } }),
    );
  });

  it("FLUSHCONFIG persists, then answers, with the failure answer for a failed save", () => {
    const c = core();
    c.start(1000, () => 0.5);
    const { effects } = c.step({ type: "command", token: 1, command: { type: "flushconfig" } }, 1100, () => 0.5);
    expect(kinds(effects).slice(0, 2)).toEqual(["persist", "reply"]);
    expect(effects[1]).toEqual({ type: "reply", token: 1, result: { type: "flushed", ok: true }, onSaveFailure: { type: "flushed", ok: false } });
  });
});
