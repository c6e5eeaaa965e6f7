// SENTINEL SET changes a master in place (SPEC §1.2). Redis 7.0.15's sentinelSetCommand:
// - down-after-milliseconds assigns ri->down_after_period and sentinelPropagateDownAfterPeriod
//   copies it to the master's replicas and sentinels; master-reboot-down-after-period only
//   assigns its field. No link is touched; sentinelCheckSubjectivelyDown judges SDOWN with the
//   new period on the next tick.
// - auth-pass / auth-user assign the credential and call dropInstanceConnections, which
//   closes the command and pub/sub connections of the master and of its replicas (not of the
//   sentinels) and keeps the instances: SDOWN, run ids, known replicas stay, and the
//   reconnect authenticates with the new credential.
// Then sentinelFlushConfigAndReply persists the config.
import type { SentinelConfig } from "@sentinel-kit/config-store";
import { describe, expect, it } from "vitest";
import type { MasterOptionChange } from "../src/commands/view.js";
import type { CoreEffect } from "../src/core/types.js";
import { Driver, MASTER, MASTER_RUNID, PEER, REPLICA, REPLICA_RUNID, SENTINEL } from "./harness/core-driver.js";

/** SENTINEL SET mymaster with these changes, now; the effects of that step. */
const set = (d: Driver, changes: readonly MasterOptionChange[]): CoreEffect[] => d.command({ type: "set", name: "mymaster", changes });

/** A driver whose master stopped answering PING at 3000 and is SDOWN (down-after 5000) at 10 000. */
function sdownMaster(): Driver {
  const d = new Driver();
  d.runUntil(3000);
  d.silent.add(MASTER);
  d.runUntil(10_000);
  expect(d.core.masters.get("mymaster")!.master.health.snapshot().sdown).toBe(true);
  expect(d.events("+sdown", "master")).toHaveLength(1);
  return d;
}

const persisted = (effects: readonly CoreEffect[]): SentinelConfig[] =>
  effects.flatMap((e) => (e.type === "persist" ? [e.config] : []));

describe("SENTINEL SET changes a master in place (sentinelSetCommand)", () => {
  it("down-after-milliseconds: no link touched, SDOWN and known replicas kept, the master, its replicas and its sentinels use the new period, config persisted", () => {
    const d = sdownMaster();
    const entry = d.core.masters.get("mymaster")!;
    const before = entry.master.health.snapshot();
    const links = [d.link(MASTER), d.link(REPLICA), d.link(SENTINEL)];
    const from = d.log.length;
    const at = d.now;

    const effects = set(d, [{ option: "down-after-milliseconds", value: 2000 }]);
    expect(effects).toContainEqual(expect.objectContaining({ type: "reply", token: 1, result: { type: "action", result: { ok: true } } }));
    expect(effects).toContainEqual(expect.objectContaining({ type: "event", name: "+set", payload: `master mymaster 10.0.0.1 6379 down-after-milliseconds 2000` }));
    expect(persisted(effects).map((c) => c.masters[0]?.downAfterMilliseconds)).toEqual([2000]);

    // From now on the replica and the peer stop answering PING too.
    d.silent.add(REPLICA);
    d.silent.add(SENTINEL);
    // Links opened at START are not old enough (min-link-reconnect-period 15 s) to be closed as dead before 16 000.
    d.runUntil(at + 5000);

    expect(d.linkEffects(from)).toEqual([]);
    expect([d.link(MASTER), d.link(REPLICA), d.link(SENTINEL)]).toEqual(links);
    // The master stays SDOWN since the same time, with its run id and known replica.
    expect(entry.master.health.snapshot()).toMatchObject({ sdown: true, sdownSince: before.sdownSince, runId: MASTER_RUNID });
    expect(entry.master.health.snapshot().replicas).toEqual([REPLICA]);
    expect([...entry.replicas.keys()]).toEqual([REPLICA]);
    expect(d.events("-sdown")).toEqual([]);
    expect(d.events("+sdown", "master")).toHaveLength(1);
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(true);
    // sentinelPropagateDownAfterPeriod: the replica and the sentinel are judged with 2000,
    // SDOWN one new period (+1 ms) after the PING left unanswered (5000 would not have
    // fired yet: at most 5000 ms have passed since the change).
    const replica = entry.replicas.get(REPLICA)!.health;
    const peer = d.core.peers.get(PEER)!.health;
    for (const inst of [entry.master.health, replica, peer]) expect(inst.downAfterMs).toBe(2000);
    for (const inst of [replica, peer]) {
      const s = inst.snapshot();
      expect(s.sdown).toBe(true);
      expect(s.sdownSince! - s.actPingTime!).toBe(2001);
    }
    expect(d.events("+sdown", `slave ${REPLICA}`)).toEqual([replica.snapshot().sdownSince]);
    expect(d.events("+sdown", `sentinel ${PEER}`)).toEqual([peer.snapshot().sdownSince]);
  });

  it("down-after-milliseconds larger than the silence so far: the master's SDOWN is judged again and cleared", () => {
    const d = sdownMaster();
    const from = d.log.length;
    set(d, [{ option: "down-after-milliseconds", value: 60_000 }]);
    d.runUntil(d.now + 10);
    expect(d.linkEffects(from)).toEqual([]);
    expect(d.core.masters.get("mymaster")!.master.health.snapshot().sdown).toBe(false);
    // Redis's sentinelCheckSubjectivelyDown clears the flag with an event.
    expect(d.events("-sdown", "master")).toHaveLength(1);
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(false);
  });

  it("master-reboot-down-after-period: assigned in place, no link touched, config persisted", () => {
    const d = sdownMaster();
    const from = d.log.length;
    const effects = set(d, [{ option: "master-reboot-down-after-period", value: 3000 }]);
    d.runUntil(d.now + 1000);
    expect(d.linkEffects(from)).toEqual([]);
    const master = d.core.masters.get("mymaster")!.master.health;
    expect(master.masterRebootDownAfterMs).toBe(3000);
    expect(master.snapshot().sdown).toBe(true);
    expect(persisted(effects).map((c) => c.masters[0]?.masterRebootDownAfterPeriod)).toEqual([3000]);
  });

  it("auth-pass: the master's and replicas' links are recreated with the new password, the sentinel's kept; health states kept", () => {
    const d = sdownMaster();
    const entry = d.core.masters.get("mymaster")!;
    const master = entry.master.health.snapshot();
    const oldMaster = d.link(MASTER);
    const oldReplica = d.link(REPLICA);
    const peerLink = d.link(SENTINEL);
    const from = d.log.length;
    const at = d.now;

    const effects = set(d, [{ option: "auth-pass", value: "s3cret" }]);
    expect(effects).toContainEqual(expect.objectContaining({ type: "event", name: "+set", payload: "master mymaster 10.0.0.1 6379 auth-pass ******" }));
    expect(persisted(effects).map((c) => c.masters[0]?.authPass)).toEqual(["s3cret"]);
    const newMaster = d.link(MASTER);
    const newReplica = d.link(REPLICA);
    expect(newMaster).not.toBe(oldMaster);
    expect(newReplica).not.toBe(oldReplica);
    expect(d.linkEffects(from)).toEqual([
      { type: "destroy-link", link: oldMaster },
      { type: "create-link", link: newMaster, kind: "instance", address: { host: "10.0.0.1", port: 6379 }, authPass: "s3cret" },
      { type: "destroy-link", link: oldReplica },
      { type: "create-link", link: newReplica, kind: "instance", address: { host: "10.0.0.3", port: 6380 }, authPass: "s3cret" },
    ]);
    // The instances are kept: SDOWN since the same time, run ids, known replicas.
    const replica = entry.replicas.get(REPLICA)!.health;
    expect(entry.master.health.snapshot()).toMatchObject({ sdown: true, sdownSince: master.sdownSince, runId: MASTER_RUNID, replicas: [REPLICA] });
    expect(replica.snapshot()).toMatchObject({ sdown: false, runId: REPLICA_RUNID });
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(true);

    d.runUntil(at + 3000);
    // Both connections of both new links are opened again; the peer's link is untouched.
    const connects = d.linkEffects(from).filter((e) => e.type === "connect");
    for (const link of [newMaster, newReplica]) {
      expect(connects).toContainEqual({ type: "connect", link, connection: "cmd" });
      expect(connects).toContainEqual({ type: "connect", link, connection: "pubsub" });
    }
    expect(d.linkEffects(from).filter((e) => "link" in e && e.link === peerLink)).toEqual([]);
    expect(d.link(SENTINEL)).toBe(peerLink);
    expect(entry.replicas.get(REPLICA)!.link).toBe(newReplica);
    expect(entry.replicas.get(REPLICA)!.health.snapshot()).toMatchObject({ cmd: "open", pubsub: "open" });
    expect(entry.master.health.snapshot()).toMatchObject({ sdown: true, sdownSince: master.sdownSince, runId: MASTER_RUNID });
    expect(d.events("-sdown")).toEqual([]);
    expect(d.events("+sdown", "master")).toHaveLength(1);
    expect([...entry.replicas.keys()]).toEqual([REPLICA]);
    // PINGs go out on the new links only.
    const pings = d.log.slice(from).flatMap(({ effect }) => (effect.type === "send" && effect.command[0] === "PING" ? [effect.link] : []));
    expect(pings).toContain(newMaster);
    expect(pings).toContain(newReplica);
    expect(pings).not.toContain(oldMaster);
    expect(pings).not.toContain(oldReplica);
  });

  it("auth-user: new links carry the user with the password set before; clearing it with \"\" relinks without it", () => {
    const d = new Driver();
    d.runUntil(3000);
    set(d, [{ option: "auth-pass", value: "pw" }]);
    let from = d.log.length;
    set(d, [{ option: "auth-user", value: "admin" }]);
    const created = () => d.linkEffects(from).filter((e) => e.type === "create-link");
    expect(created()).toEqual([
      expect.objectContaining({ address: { host: "10.0.0.1", port: 6379 }, authPass: "pw", authUser: "admin" }),
      expect.objectContaining({ address: { host: "10.0.0.3", port: 6380 }, authPass: "pw", authUser: "admin" }),
    ]);
    from = d.log.length;
    set(d, [{ option: "auth-user", value: "" }]);
    expect(created()).toHaveLength(2);
    for (const effect of created()) expect(effect).not.toHaveProperty("authUser");
    expect(d.core.masters.get("mymaster")!.replicas.get(REPLICA)!.health.snapshot().runId).toBe(REPLICA_RUNID);
  });
});
