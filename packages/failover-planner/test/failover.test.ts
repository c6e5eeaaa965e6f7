// The failover state machine (SPEC §4.10) through the planner's API: every use of
// failover-timeout (§4.11), the abort rules, ordering of effects, levels, input checks.
import { describe, expect, it } from "vitest";
import {
  createFailoverPlanner,
  PlannerInputError,
  type PlannerEffect,
} from "@sentinel-kit/failover-planner";
import { SimWorld } from "./harness/world.js";
import { master, NOW, replica } from "./support/fixtures.js";

/** A world with a master at 10.0.0.1 and replicas at 10.0.0.2.. (first has the best offset). */
function world(failoverTimeout: number, replicas = 2, parallelSyncs = 1): SimWorld {
  const w = new SimWorld();
  w.run("planner rand=0");
  w.run(`master addr=10.0.0.1:6379 failover-timeout=${failoverTimeout} parallel-syncs=${parallelSyncs}`);
  for (let i = 0; i < replicas; i++) {
    w.run(`replica addr=10.0.0.${i + 2}:6379 runid=r${i} offset=${100 - i}`);
  }
  return w;
}

const has = (out: string[], text: string) => out.some((l) => l.includes(text));

/** Drives a world from ODOWN to WAIT_PROMOTION; returns the time the promotion was sent. */
function toWaitPromotion(w: SimWorld, t0: number): number {
  w.run(`set master sdown=1 odown=1 t=${t0}`);
  w.run("tick");
  w.run("elected epoch=1");
  w.run(`tick t=${t0 + 100}`);
  w.run(`tick t=${t0 + 200}`);
  expect(has(w.run(`tick t=${t0 + 300}`), "promote: MULTI")).toBe(true);
  return t0 + 300;
}

describe("failover-timeout, all five uses (SPEC §4.11)", () => {
  it("1: a new attempt waits 2 x failover-timeout after the last start", () => {
    const w = world(4000);
    w.run("set master sdown=1 odown=1 t=1000000");
    expect(has(w.run("tick"), "+try-failover")).toBe(true);
    expect(has(w.run("tick t=1004001"), "-failover-abort-not-elected")).toBe(true);
    expect(has(w.run("tick t=1007999"), "+try-failover")).toBe(false);
    expect(w.run("tick t=1008000")).toContain("warning +new-epoch 2");
  });

  it.each([
    { timeout: 5000, abortAfter: 5000 },
    { timeout: 60_000, abortAfter: 10_000 },
  ])("2: the election wait is min(10 s, failover-timeout=$timeout)", ({ timeout, abortAfter }) => {
    const w = world(timeout);
    w.run("set master sdown=1 odown=1 t=1000000");
    w.run("tick");
    expect(has(w.run(`tick t=${1_000_000 + abortAfter}`), "abort")).toBe(false);
    expect(w.run(`tick t=${1_000_000 + abortAfter + 1}`)).toContain(
      "warning -failover-abort-not-elected master mymaster 10.0.0.1 6379",
    );
  });

  it("3: the promoted replica must take SLAVEOF NO ONE and report master within failover-timeout", () => {
    const w = world(3000);
    const sent = toWaitPromotion(w, 1_000_000);
    expect(has(w.run(`tick t=${sent + 3000}`), "abort")).toBe(false);
    const out = w.run(`tick t=${sent + 3001}`);
    expect(out).toContain("warning -failover-abort-slave-timeout master mymaster 10.0.0.1 6379");
    expect(w.state.promoted).toBeNull();
    expect(w.state.phase).toBe("none");
  });

  it("4: RECONF_SLAVES ends after failover-timeout even if replicas never follow", () => {
    const w = world(3000, 3);
    const sent = toWaitPromotion(w, 1_000_000);
    w.run(`set 10.0.0.2:6379 role=master t=${sent + 500}`);
    w.run("info 10.0.0.2:6379");
    w.run(`tick t=${sent + 600}`);
    expect(has(w.run(`tick t=${sent + 3500}`), "+failover-end")).toBe(false);
    const out = w.run(`tick t=${sent + 3501}`);
    expect(out.slice(0, 2)).toEqual([
      "warning +failover-end-for-timeout master mymaster 10.0.0.1 6379",
      "warning +failover-end master mymaster 10.0.0.1 6379",
    ]);
    expect(out).toContain("notice +slave-reconf-sent-be slave 10.0.0.4:6379 10.0.0.4 6379 @ mymaster 10.0.0.1 6379");
    expect(has(out, "+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379")).toBe(true);
  });

  it("5: a replica of the wrong master is fixed only after failover-timeout", () => {
    const w = world(7000);
    w.run("set 10.0.0.2:6379 of=10.0.0.99:6379 t=1000000");
    expect(has(w.run("info 10.0.0.2:6379 t=1007000"), "+fix-slave-config")).toBe(false);
    expect(has(w.run("info 10.0.0.2:6379 t=1007001"), "+fix-slave-config")).toBe(true);
  });
});

describe("abort rules (sentinelAbortFailover)", () => {
  it("cannot abort once the promotion is seen: a promoted replica that goes down only delays the end", () => {
    const w = world(3000, 2);
    const sent = toWaitPromotion(w, 1_000_000);
    w.run(`set 10.0.0.2:6379 role=master t=${sent + 100}`);
    w.run("info 10.0.0.2:6379");
    w.run(`set 10.0.0.2:6379 sdown=1 disconnected=1 t=${sent + 200}`);
    const late = w.run(`tick t=${sent + 100_000}`);
    expect(late.some((l) => l.includes("abort"))).toBe(false);
    expect(w.state.phase).toBe("reconf_slaves");
    w.run(`set 10.0.0.2:6379 sdown=0 disconnected=0 t=${sent + 100_001}`);
    expect(has(w.run("tick"), "+failover-end-for-timeout")).toBe(true);
  });

  it("keeps the start time on abort, so the 2 x failover-timeout back-off applies", () => {
    const w = world(3000);
    toWaitPromotion(w, 1_000_000);
    const start = w.state.startTime;
    w.run("tick t=1003301");
    expect(w.state.phase).toBe("none");
    expect(w.state.startTime).toBe(start);
  });

  it("SENTINEL FAILOVER skips the election but not the other aborts", () => {
    const w = world(3000);
    w.run("failover t=1000000");
    w.run("set 10.0.0.2:6379 disconnected=1");
    w.run("set 10.0.0.3:6379 disconnected=1");
    expect(w.run("tick t=1000100")[0]).toBe("warning +elected-leader master mymaster 10.0.0.1 6379");
    expect(w.run("tick t=1000200")[0]).toBe("warning -failover-abort-no-good-slave master mymaster 10.0.0.1 6379");
    expect(w.state.forced).toBe(false);
  });
});

describe("effects", () => {
  it("persists the new config epoch before announcing the promotion or sending anything", () => {
    const w = world(60_000, 3);
    const sent = toWaitPromotion(w, 1_000_000);
    w.run(`set 10.0.0.2:6379 role=master t=${sent + 10}`);
    const fx = w.step({ type: "replica-info", replica: { host: "10.0.0.2", port: 6379 } });
    expect(fx.map((e) => e.kind).slice(0, 3)).toEqual(["set-config-epoch", "persist", "event"]);
    expect(fx[0]).toEqual({ kind: "set-config-epoch", epoch: 1 });
  });

  it("uses the levels of SPEC §3", () => {
    const w = world(60_000, 3);
    const sent = toWaitPromotion(w, 1_000_000);
    w.run(`set 10.0.0.2:6379 role=master t=${sent + 10}`);
    w.run("info 10.0.0.2:6379");
    w.run(`tick t=${sent + 20}`);
    const levels = new Map<string, string>();
    for (const h of w.history) {
      for (const e of h.effects) if (e.kind === "event") levels.set(e.type, e.level);
    }
    expect(Object.fromEntries(levels)).toEqual({
      "+new-epoch": "warning",
      "+try-failover": "warning",
      "+elected-leader": "warning",
      "+failover-state-select-slave": "warning",
      "+selected-slave": "warning",
      "+failover-state-send-slaveof-noone": "notice",
      "+failover-state-wait-promotion": "notice",
      "+promoted-slave": "warning",
      "+failover-state-reconf-slaves": "warning",
      "+slave-reconf-sent": "notice",
    });
  });

  it("does not change the state it was given", () => {
    const planner = createFailoverPlanner();
    const before = planner.initialState();
    const frozen = JSON.stringify(before);
    const ctx = {
      now: NOW,
      master: master({ oDown: true, sDown: true, sDownSince: NOW - 1000, replicas: [replica()] }),
      currentEpoch: 7,
      random: () => 0.999,
    };
    const { state, effects } = planner.step(before, { type: "tick" }, ctx);
    expect(JSON.stringify(before)).toBe(frozen);
    expect(state.epoch).toBe(8);
    expect(state.startTime).toBe(NOW + 999);
    expect(effects[0]).toEqual<PlannerEffect>({ kind: "set-current-epoch", epoch: 8 });
  });
});

describe("input checks (PlannerInputError)", () => {
  const planner = createFailoverPlanner();
  const ctx = { now: NOW, master: master(), currentEpoch: 0, random: () => 0 };
  it.each([
    { field: "master.parallelSyncs", c: { ...ctx, master: master({ parallelSyncs: 0 }) } },
    { field: "master.failoverTimeout", c: { ...ctx, master: master({ failoverTimeout: 0 }) } },
    { field: "master.downAfter", c: { ...ctx, master: master({ downAfter: -1 }) } },
    { field: "currentEpoch", c: { ...ctx, currentEpoch: 1.5 } },
    { field: "now", c: { ...ctx, now: Number.NaN } },
  ])("rejects a bad $field", ({ field, c }) => {
    const err = (() => {
      try {
        planner.step(planner.initialState(), { type: "tick" }, c);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(PlannerInputError);
    expect(err).toMatchObject({ name: "PlannerInputError", field });
  });

  it("rejects a random source outside [0, 1)", () => {
    const c = { ...ctx, master: master({ replicas: [replica()] }), random: () => 1 };
    expect(() => planner.step(planner.initialState(), { type: "failover-command" }, c)).toThrow(
      PlannerInputError,
    );
  });

  it("rejects bad options", () => {
    expect(() => createFailoverPlanner({ timings: { pingPeriod: -1 } })).toThrow(/timings.pingPeriod/);
    expect(() => createFailoverPlanner({ fastConfirmation: { probeIntervalMs: 0, maxProbes: 1 } })).toThrow(
      PlannerInputError,
    );
    expect(() => createFailoverPlanner({ fastConfirmation: { probeIntervalMs: 5, maxProbes: 1.5 } })).toThrow(
      /maxProbes/,
    );
  });
});
