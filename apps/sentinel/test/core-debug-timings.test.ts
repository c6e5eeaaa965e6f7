// SENTINEL DEBUG changes periods in place. Redis's sentinelSetDebugConfigParameters only
// assigns its globals (sentinel_ping_period, sentinel_info_period, sentinel_publish_period,
// ...); sentinelSendPeriodicCommands compares last_pong_time, last_ping_time, info_refresh
// and last_pub_time with them on the next tick. So no link is closed or opened, SDOWN and
// replies stay, and the next sends follow the new periods from the last ones (SPEC §4.1).
import { describe, expect, it } from "vitest";
import type { DebugTimings } from "../src/commands/view.js";
import { Driver, MASTER, REPLICA, SENTINEL, START } from "./harness/core-driver.js";

/** SENTINEL DEBUG with these pairs, now; the reply. */
const debug = (d: Driver, timings: Partial<DebugTimings>) => d.command({ type: "set-timings", timings }).find((e) => e.type === "reply");

const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

describe("SENTINEL DEBUG changes periods in place (sentinelSetDebugConfigParameters)", () => {
  it("ping-period: no link closed or opened, SDOWN stays, PINGs follow the new period; the other parameters apply", () => {
    const d = new Driver();
    d.runUntil(3000);
    d.silent.add(MASTER);
    d.runUntil(10_000);
    const master = () => d.core.masters.get("mymaster")!.master.health.snapshot();
    expect(master().sdown).toBe(true);
    const sdownSince = master().sdownSince;
    expect(d.events("+sdown")).toHaveLength(1);
    const replicaPong = d.core.masters.get("mymaster")!.replicas.get(REPLICA)!.health.snapshot().lastPongTime;
    const masterPing = master().lastPingTime!;

    const at = d.now;
    const from = d.log.length;
    expect(
      debug(d, { pingPeriod: 200, askPeriod: 700, electionTimeout: 9000, tiltTrigger: 500, tiltPeriod: 3000, minLinkReconnectPeriod: 20_000 }),
    ).toEqual({ type: "reply", token: 1, result: { type: "action", result: { ok: true } } });
    d.runUntil(14_000);

    expect(d.log.slice(from).filter(({ effect }) => ["create-link", "destroy-link", "connect", "close"].includes(effect.type))).toEqual([]);
    expect(master()).toMatchObject({ sdown: true, sdownSince });
    expect(d.events("-sdown")).toEqual([]);
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(true);
    // The answering replica: one period (+1 ms) after each PONG, counted from the last one.
    const replica = d.sends(REPLICA, "PING", at);
    expect(replica[0]).toBe(Math.max(at, replicaPong + 201));
    expect(gaps(replica.slice(0, 10))).toEqual(Array(9).fill(201));
    // The silent master: every half period (+1 ms) after the last PING.
    const silent = d.sends(MASTER, "PING", at);
    expect(silent[0]).toBe(Math.max(at, masterPing + 101));
    expect(gaps(silent.slice(0, 10))).toEqual(Array(9).fill(101));
    for (const inst of [d.core.masters.get("mymaster")!.master, ...d.core.masters.get("mymaster")!.replicas.values(), ...d.core.peers.values()]) {
      expect(inst.health.timings).toMatchObject({ pingPeriodMs: 200, minLinkReconnectPeriodMs: 20_000 });
    }

    // ask-period: the peer answers at once, so it is asked again one ask period later.
    const asks = d.sends(SENTINEL, "SENTINEL", at + 1000);
    expect(asks.length).toBeGreaterThan(3);
    expect(gaps(asks)).toEqual(Array(asks.length - 1).fill(700));
    expect(d.core.election.timings).toMatchObject({ askPeriodMs: 700, electionTimeoutMs: 9000 });
    // tilt-trigger and tilt-period: a 600 ms gap between ticks enters TILT for 3 s.
    d.now += 600;
    d.step({ type: "tick" });
    expect(d.events("+tilt")).toEqual([d.now]);
    const entered = d.now;
    d.runUntil(entered + 3500);
    expect(d.events("-tilt")).toHaveLength(1);
    expect(d.events("-tilt")[0]! - entered).toBeGreaterThanOrEqual(3000);
    expect(d.events("-tilt")[0]! - entered).toBeLessThan(3500);
  });

  it("info-period: INFO follows the new period from the last INFO, on the same links", () => {
    const d = new Driver();
    d.runUntil(5000);
    const entry = d.core.masters.get("mymaster")!;
    const replicaInfo = entry.replicas.get(REPLICA)!.health.snapshot().infoRefresh!;
    const masterInfo = entry.master.health.snapshot().infoRefresh!;
    const at = d.now;
    const from = d.log.length;
    debug(d, { infoPeriod: 300 });
    d.runUntil(7000);
    expect(d.linkEffects(from)).toEqual([]);
    const replica = d.sends(REPLICA, "INFO", at);
    expect(replica[0]).toBe(Math.max(at, replicaInfo + 301));
    expect(gaps(replica.slice(0, 5))).toEqual(Array(4).fill(301));
    const master = d.sends(MASTER, "INFO", at);
    expect(master[0]).toBe(Math.max(at, masterInfo + 301));
    expect(gaps(master.slice(0, 5))).toEqual(Array(4).fill(301));
  });

  it("publish-period: hellos follow the new period from the last hello, on the same links", () => {
    const d = new Driver();
    d.runUntil(7000);
    const before = d.hellos(MASTER, START);
    expect(gaps(before)).toEqual(Array(before.length - 1).fill(2001));
    const last = before.at(-1)!;
    const at = d.now;
    const from = d.log.length;
    debug(d, { publishPeriod: 400 });
    d.runUntil(10_000);
    expect(d.linkEffects(from)).toEqual([]);
    const after = d.hellos(MASTER, at);
    expect(after[0]).toBe(Math.max(at, last + 401));
    expect(gaps(after)).toEqual(Array(after.length - 1).fill(401));
    expect(d.hellos(REPLICA, at).length).toBeGreaterThan(3);
    expect(d.core.masters.get("mymaster")!.master.health.timings.publishPeriodMs).toBe(400);
  });
});
