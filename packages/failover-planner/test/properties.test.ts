// fast-check properties of replica selection (SPEC §4.9) and of the state machine (§4.10).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareReplicasForPromotion,
  DEFAULT_TIMINGS,
  exclusionReason,
  selectReplica,
  type PlannerInput,
  type ReplicaView,
} from "@sentinel-kit/failover-planner";
import { runCooperative } from "./harness/cooperative.js";
import { SimWorld } from "./harness/world.js";
import { master, NOW, replica } from "./support/fixtures.js";

const replicaArb = fc
  .record({
    port: fc.integer({ min: 1, max: 65535 }),
    sDown: fc.boolean(),
    oDown: fc.boolean(),
    disconnected: fc.boolean(),
    availAge: fc.integer({ min: 0, max: 8000 }),
    infoAge: fc.integer({ min: 0, max: 40_000 }),
    priority: fc.integer({ min: 0, max: 3 }),
    replOffset: fc.integer({ min: 0, max: 4 }),
    linkDown: fc.integer({ min: 0, max: 400_000 }),
    runId: fc.option(fc.constantFrom("a", "B", "b", "c"), { nil: null }),
  })
  .map((x) =>
    replica({
      port: x.port,
      sDown: x.sDown,
      oDown: x.oDown,
      disconnected: x.disconnected,
      lastAvailTime: NOW - x.availAge,
      infoRefresh: NOW - x.infoAge,
      priority: x.priority,
      replOffset: x.replOffset,
      masterLinkDownTime: x.linkDown,
      runId: x.runId,
    }),
  );

/** SPEC §4.9 restated independently of the package, as the test oracle. */
function eligibleBySpec(r: ReplicaView, masterDown: boolean, downFor: number): boolean {
  const info = masterDown ? 5 * 1000 : 3 * 10_000;
  const maxLinkDown = (masterDown ? downFor : 0) + 10 * 30_000;
  return (
    !r.sDown &&
    !r.oDown &&
    !r.disconnected &&
    NOW - r.lastAvailTime <= 5000 &&
    r.priority !== 0 &&
    NOW - r.infoRefresh <= info &&
    r.masterLinkDownTime <= maxLinkDown
  );
}

describe("replica selection properties", () => {
  it("picks an eligible replica that no other eligible replica beats, or null when none is eligible", () => {
    fc.assert(
      fc.property(
        fc.array(replicaArb, { maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 100_000 }),
        (replicas, masterDown, downFor) => {
          const m = master({ replicas, sDown: masterDown, sDownSince: masterDown ? NOW - downFor : 0 });
          const eligible = replicas.filter((r) => eligibleBySpec(r, masterDown, downFor));
          for (const r of replicas) {
            expect(exclusionReason(r, m, NOW, DEFAULT_TIMINGS) === null).toBe(eligibleBySpec(r, masterDown, downFor));
          }
          const chosen = selectReplica(m, NOW, DEFAULT_TIMINGS);
          if (eligible.length === 0) {
            expect(chosen).toBeNull();
            return;
          }
          expect(chosen).not.toBeNull();
          expect(eligible).toContain(chosen);
          for (const other of eligible) {
            expect(compareReplicasForPromotion(chosen as ReplicaView, other)).toBeLessThanOrEqual(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("orders like a sort on (priority, -offset, lower-cased run id, nulls last)", () => {
    fc.assert(
      fc.property(replicaArb, replicaArb, (a, b) => {
        const key = (r: ReplicaView) => [r.priority, -r.replOffset, r.runId === null ? 1 : 0, r.runId?.toLowerCase() ?? ""] as const;
        const [ka, kb] = [key(a), key(b)];
        let want = 0;
        for (let i = 0; i < ka.length && want === 0; i++) {
          const x = ka[i] as number | string;
          const y = kb[i] as number | string;
          want = x < y ? -1 : x > y ? 1 : 0;
        }
        expect(Math.sign(compareReplicasForPromotion(a, b))).toBe(want);
      }),
    );
  });
});

/** Random world changes and inputs, for the state machine invariants. */
const actionArb = fc.oneof(
  fc.record({ kind: fc.constant("tick" as const), dt: fc.integer({ min: 0, max: 4000 }) }),
  fc.record({ kind: fc.constant("elected" as const), won: fc.boolean(), epochDelta: fc.integer({ min: -1, max: 1 }) }),
  fc.record({ kind: fc.constant("failover" as const) }),
  fc.record({
    kind: fc.constant("replica" as const),
    which: fc.integer({ min: 0, max: 3 }),
    role: fc.constantFrom("master", "slave"),
    follows: fc.constantFrom("old", "new", "other"),
    link: fc.boolean(),
    down: fc.boolean(),
    disconnected: fc.boolean(),
    info: fc.boolean(),
    probe: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("master" as const), down: fc.boolean() }),
  // Everyone does what the planner asked: the promoted replica is master, the others follow it.
  fc.record({ kind: fc.constant("obey" as const) }),
);

type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

function runActions(fast: boolean, actions: Action[]): SimWorld {
  const w = new SimWorld();
  w.run(fast ? "planner fast interval=20 max-probes=5" : "planner");
  w.run("master addr=10.0.0.1:6379 failover-timeout=3000 parallel-syncs=2");
  for (let i = 0; i < 4; i++) w.run(`replica addr=10.0.0.${i + 2}:6379 runid=r${i} offset=${i}`);
  for (const a of actions) {
    const replicas = w.replicas;
    switch (a.kind) {
      case "tick":
        w.now += a.dt;
        w.step({ type: "tick" });
        break;
      case "elected":
        w.step({ type: "election", epoch: w.currentEpoch + a.epochDelta, elected: a.won });
        break;
      case "failover":
        w.step({ type: "failover-command" });
        break;
      case "master":
        w.run(`set master sdown=${a.down ? 1 : 0} odown=${a.down ? 1 : 0}`);
        break;
      case "obey": {
        const p = w.state.promoted;
        if (p === null) break;
        const target = `${p.host}:${p.port}`;
        for (const r of [...w.replicas]) {
          // A fast planner may switch half way through; the old view is gone then.
          if (w.state.promoted === null) break;
          const who = `${r.addr.host}:${r.addr.port}`;
          if (who === target) w.run(`set ${who} role=master sdown=0 disconnected=0`);
          else w.run(`set ${who} role=slave of=${target} link=up`);
          w.step({ type: "replica-info", replica: r.addr });
        }
        break;
      }
      case "replica": {
        const r = replicas[a.which % replicas.length];
        if (r === undefined) break;
        const who = `${r.addr.host}:${r.addr.port}`;
        const promoted = w.state.promoted;
        const target =
          a.follows === "old" ? `${w.master.addr.host}:${w.master.addr.port}` : a.follows === "new" && promoted !== null ? `${promoted.host}:${promoted.port}` : "10.9.9.9:1";
        w.run(`set ${who} role=${a.role} of=${target} link=${a.link ? "up" : "down"} sdown=${a.down ? 1 : 0} disconnected=${a.disconnected ? 1 : 0}`);
        const input: PlannerInput = a.probe
          ? {
              type: "role-reply",
              replica: r.addr,
              reply: a.role === "master" ? { role: "master" } : { role: "slave", masterHost: target.split(":")[0] ?? "", masterPort: Number(target.split(":")[1]), linkUp: a.link },
            }
          : { type: "replica-info", replica: r.addr };
        if (a.info || a.probe) w.step(input);
        break;
      }
    }
  }
  return w;
}

describe("state machine invariants over random inputs", () => {
  for (const fast of [false, true]) {
    it(`${fast ? "fast" : "Redis"} pacing: one +switch-master per failover, after its promotion; aborts only before it; wake-ups never in the past and never spinning`, () => {
      fc.assert(
        fc.property(fc.array(actionArb, { maxLength: 80 }), (actions) => {
          const w = runActions(fast, actions);
          let attempt: { promoted: boolean; switched: boolean } | null = null;
          for (const h of w.history) {
            for (const e of h.effects) {
              if (e.kind === "wake") expect(e.at).toBeGreaterThanOrEqual(h.now);
              if (e.kind !== "event") continue;
              if (e.type === "+try-failover") {
                expect(attempt === null || attempt.switched || !attempt.promoted).toBe(true);
                attempt = { promoted: false, switched: false };
              }
              if (e.type === "+promoted-slave") {
                expect(attempt).not.toBeNull();
                attempt = { promoted: true, switched: false };
              }
              if (e.type.startsWith("-failover-abort")) expect(attempt?.promoted).toBe(false);
              if (e.type === "+switch-master") {
                expect(attempt?.promoted).toBe(true);
                expect(attempt?.switched).toBe(false);
                attempt = { promoted: true, switched: true };
              }
            }
          }
          // A caller that ticks whenever asked "now" stops being asked within a few ticks.
          let spins = 0;
          for (;;) {
            const fx = w.step({ type: "tick" });
            if (!fx.some((e) => e.kind === "wake" && e.at === w.now)) break;
            spins++;
            expect(spins).toBeLessThan(8);
          }
          // Epochs of attempts only go up.
          const epochs = w.history.flatMap((h) => h.effects.flatMap((e) => (e.kind === "set-current-epoch" ? [e.epoch] : [])));
          expect([...epochs].sort((a, b) => a - b)).toEqual(epochs);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe("with every instance cooperating, a failover completes within a bound", () => {
  it("Redis pacing: one tick per state, INFO every second, parallel-syncs batches", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 800 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (replicas, parallelSyncs, linkDelay, random) => {
          const run = runCooperative({ replicas, parallelSyncs, fast: false, linkDelay, rtt: 4, random, failoverTimeout: 60_000 });
          expect(run.switchAt).not.toBeNull();
          expect(run.events.some((e) => e.type === "+failover-end-for-timeout")).toBe(false);
          const batches = Math.ceil((replicas - 1) / parallelSyncs);
          // 4 ticks to send SLAVEOF NO ONE, an INFO period to see it, then per batch a tick,
          // the link delay and up to two INFO periods (new master seen, then link up).
          const bound = 500 + 1100 + batches * (100 + linkDelay + 2000) + 100;
          expect((run.switchAt ?? Infinity) - run.odownAt).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("fast confirmation: from the election to +switch-master in tens of ms plus the replicas' sync time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 50 }),
        (replicas, parallelSyncs, linkDelay) => {
          const run = runCooperative({ replicas, parallelSyncs, fast: true, linkDelay, rtt: 2, random: 0.5, failoverTimeout: 60_000 });
          expect(run.switchAt).not.toBeNull();
          const batches = Math.ceil((replicas - 1) / parallelSyncs);
          // Promotion: one round trip. Each batch: a round trip, the sync, and at most one
          // probe interval (20 ms) before the probe that sees the link up.
          const bound = 4 + batches * (2 + linkDelay + 20 + 2);
          expect((run.switchAt ?? Infinity) - (run.electedAt ?? Infinity)).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 40 },
    );
  });
});
