// SELECT_SLAVE waits, bounded by staleInfoWait, for a fresh INFO when replicas are excluded
// only because their INFO is stale (SPEC §4.9: 5 ping periods while the master is SDOWN),
// and aborts at once when no INFO could help (sentinel.c sentinelFailoverSelectSlave).
// The wait is a deliberate difference from Redis: see the README.
import { describe, expect, it } from "vitest";
import { SimWorld } from "./harness/world.js";

const T0 = 1_000_000;
const ABORT = "warning -failover-abort-no-good-slave master mymaster 10.0.0.1 6379";
const has = (out: string[], text: string) => out.some((l) => l.includes(text));

/** One master, the given replica settings (`set` keys), driven into SELECT_SLAVE at T0. */
function intoSelectSlave(replicas: string[], planner = "planner rand=0"): SimWorld {
  const w = new SimWorld();
  w.run(planner);
  w.run("master addr=10.0.0.1:6379 failover-timeout=3000 down-after=1000");
  replicas.forEach((settings, i) => {
    const addr = `10.0.0.${i + 2}:6379`;
    w.run(`replica addr=${addr} runid=r${i} offset=${100 - i}`);
    if (settings !== "") w.run(`set ${addr} ${settings}`);
  });
  w.run(`set master sdown=1 odown=1 t=${T0}`);
  w.run("tick");
  // With fast confirmation the election result already moves on; with Redis pacing, the next tick.
  const elected = w.run("elected epoch=1");
  const out = planner.includes("fast") ? elected : w.run("tick");
  expect(out).toContain("warning +failover-state-select-slave master mymaster 10.0.0.1 6379");
  return w;
}

describe("no replica that INFO could make eligible: abort at once, as Redis", () => {
  it.each([
    { why: "priority 0", replicas: ["priority=0"] },
    { why: "disconnected", replicas: ["disconnected=1"] },
    { why: "SDOWN", replicas: ["sdown=1"] },
    { why: "no valid PING reply for 5 ping periods", replicas: ["avail-age=5001"] },
    { why: "stale INFO but priority 0", replicas: ["info-age=6000 priority=0"] },
    { why: "two replicas, none for stale INFO", replicas: ["priority=0", "disconnected=1"] },
  ])("$why", ({ replicas }) => {
    const w = intoSelectSlave(replicas);
    expect(w.run("tick")).toEqual([ABORT, `wake ${T0 + 6000}`, "phase none"]);
  });
});

describe("a replica excluded only for stale INFO is waited for", () => {
  it.each([
    { why: "one replica, INFO 6 s old", replicas: ["info-age=6000"] },
    { why: "INFO never received", replicas: ["info-age=999999999"] },
    { why: "one stale, one priority 0", replicas: ["priority=0", "info-age=6000"] },
  ])("$why: up to staleInfoWait (1100 ms) after entering SELECT_SLAVE, then abort", ({ replicas }) => {
    const w = intoSelectSlave(replicas);
    expect(w.run("tick")).toEqual([`wake ${T0 + 1100}`, "phase select_slave"]);
    expect(w.run(`tick t=${T0 + 1099}`)).toEqual([`wake ${T0 + 1100}`, "phase select_slave"]);
    expect(w.run(`tick t=${T0 + 1100}`)).toContain(ABORT);
  });

  it("the fresh INFO selects the replica at the next tick (Redis pacing)", () => {
    const w = intoSelectSlave(["priority=0", "info-age=6000"]);
    w.run("set 10.0.0.3:6379 info-age=fresh t=1000500");
    expect(w.run("info 10.0.0.3:6379")).toEqual([`wake ${T0 + 500}`, "phase select_slave"]);
    expect(w.run("tick")).toContain(
      "warning +selected-slave slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379",
    );
  });

  it("with fast confirmation the INFO selects and promotes in the same step", () => {
    const w = intoSelectSlave(["info-age=6000"], "planner fast rand=0");
    w.run("set 10.0.0.2:6379 info-age=fresh t=1000003");
    const out = w.run("info 10.0.0.2:6379");
    expect(has(out, "+selected-slave slave 10.0.0.2:6379")).toBe(true);
    expect(has(out, "promote: MULTI")).toBe(true);
  });

  it("an INFO that is still stale does not end the wait early nor select", () => {
    const w = intoSelectSlave(["info-age=6000"], "planner fast rand=0");
    expect(w.run(`info 10.0.0.2:6379 t=${T0 + 200}`)).toEqual([`wake ${T0 + 1100}`, "phase select_slave"]);
  });

  it("staleInfoWait 0 aborts at once, as Redis would without its tick", () => {
    const w = intoSelectSlave(["info-age=6000"], "planner rand=0 stale-info-wait=0");
    expect(w.run("tick")).toContain(ABORT);
  });

  it("the wait does not move the retry: the next attempt is still start + 2 x failover-timeout", () => {
    const w = intoSelectSlave(["info-age=6000"]);
    expect(w.run(`tick t=${T0 + 1100}`)).toEqual([ABORT, `wake ${T0 + 6000}`, "phase none"]);
  });
});

describe("failover-command (SENTINEL FAILOVER, or an attempt the caller's election won)", () => {
  /** One replica with the given settings, master SDOWN or not, at T0. */
  function command(settings: string, masterDown: boolean, planner = "planner rand=0"): string[] {
    const w = new SimWorld();
    w.run(planner);
    w.run("master addr=10.0.0.1:6379 failover-timeout=3000 down-after=1000");
    w.run("replica addr=10.0.0.2:6379 runid=r0 offset=10");
    w.run(`set 10.0.0.2:6379 ${settings} t=${T0}`);
    if (masterDown) w.run("set master sdown=1");
    return w.run("failover");
  }

  it("master SDOWN, replica excluded only for stale INFO: started, SELECT_SLAVE waits", () => {
    const out = command("info-age=6000", true, "planner fast rand=0");
    expect(out).toContain("reply +OK");
    expect(out).toContain("warning +failover-state-select-slave master mymaster 10.0.0.1 6379");
    expect(out.slice(-2)).toEqual([`wake ${T0 + 1100}`, "phase select_slave"]);
  });

  it.each([
    { why: "master up: INFO is not asked for faster", settings: "info-age=30001", down: false },
    { why: "master SDOWN, replica priority 0", settings: "priority=0", down: true },
    { why: "master SDOWN, replica disconnected", settings: "disconnected=1", down: true },
  ])("$why: refused with -NOGOODSLAVE, as Redis", ({ settings, down }) => {
    expect(command(settings, down)).toEqual(["reply -NOGOODSLAVE No suitable replica to promote", "phase none"]);
  });
});
