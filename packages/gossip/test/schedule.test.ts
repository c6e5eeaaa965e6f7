import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HELLO_RETRY_DELAY_MS, PublishSchedule, type PublishTarget, targetKey } from "../src/index.js";

const PERIOD = 2000;

/** The rule as sentinelSendPeriodicCommands states it, checked naively on every target. */
class Reference {
  readonly entries = new Map<string, { target: PublishTarget; last: number; inFlight: boolean; retryAt: number }>();
  add(target: PublishTarget, now: number) {
    if (!this.entries.has(targetKey(target))) this.entries.set(targetKey(target), { target, last: now, inFlight: false, retryAt: 0 });
  }
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (const [key, e] of this.entries) {
      if (!e.inFlight && now >= e.retryAt && now - e.last > PERIOD) {
        e.inFlight = true;
        due.push(key);
      }
    }
    return due.sort();
  }
  nextDueAt(): number | undefined {
    const times = [...this.entries.values()].filter((e) => !e.inFlight).map((e) => Math.max(e.last + PERIOD + 1, e.retryAt));
    return times.length === 0 ? undefined : Math.min(...times);
  }
  replied(target: PublishTarget, ok: boolean, now: number) {
    const e = this.entries.get(targetKey(target));
    if (e === undefined || !e.inFlight) return;
    e.inFlight = false;
    if (ok) e.last = now;
    else e.retryAt = now + HELLO_RETRY_DELAY_MS;
  }
  force(master: string) {
    for (const e of this.entries.values()) {
      if (e.target.master !== master) continue;
      if (e.last >= PERIOD + 1) e.last -= PERIOD + 1;
      e.retryAt = 0;
    }
  }
  removeOfMaster(master: string) {
    for (const [key, e] of this.entries) if (e.target.master === master) this.entries.delete(key);
  }
}

const targetArb: fc.Arbitrary<PublishTarget> = fc.oneof(
  fc.record({ kind: fc.constant("master" as const), master: fc.constantFrom("m1", "m2") }),
  fc.record({
    kind: fc.constant("replica" as const),
    master: fc.constantFrom("m1", "m2"),
    address: fc.record({ host: fc.constantFrom("10.0.0.1", "::1"), port: fc.constantFrom(6379, 6380) }),
  }),
  fc.record({ kind: fc.constant("sentinel" as const), master: fc.constantFrom("m1", "m2"), runid: fc.constantFrom("a", "b") }),
);

type Op =
  | { op: "add"; target: PublishTarget }
  | { op: "remove"; target: PublishTarget }
  | { op: "removeOfMaster"; master: string }
  | { op: "force"; master: string }
  | { op: "advance"; ms: number }
  | { op: "reply"; index: number; ok: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("add" as const), target: targetArb }),
  fc.record({ op: fc.constant("remove" as const), target: targetArb }),
  fc.record({ op: fc.constant("removeOfMaster" as const), master: fc.constantFrom("m1", "m2") }),
  fc.record({ op: fc.constant("force" as const), master: fc.constantFrom("m1", "m2") }),
  fc.record({ op: fc.constant("advance" as const), ms: fc.nat(2500) }),
  fc.record({ op: fc.constant("reply" as const), index: fc.nat(10), ok: fc.boolean() }),
);

describe("PublishSchedule (SPEC §4.3: now - last_pub_time > publish period)", () => {
  it("a new target is due one period plus 1 ms after creation, not before", () => {
    const schedule = new PublishSchedule(PERIOD);
    schedule.add({ kind: "master", master: "m" }, 500);
    expect(schedule.nextDueAt()).toBe(2501);
    expect(schedule.takeDue(2500)).toEqual([]);
    expect(schedule.takeDue(2501)).toEqual([{ kind: "master", master: "m" }]);
  });

  it("force() on a target published 0 ms ago makes it due at once (sentinelForceHelloUpdateForMaster)", () => {
    const schedule = new PublishSchedule(PERIOD);
    const target: PublishTarget = { kind: "master", master: "m" };
    schedule.add(target, 0);
    schedule.takeDue(2001);
    schedule.replied(target, true, 5000);
    schedule.force("m");
    expect(schedule.takeDue(5000)).toEqual([target]);
  });

  it("a removed and re-added target keeps only its new due time", () => {
    const schedule = new PublishSchedule(PERIOD);
    const target: PublishTarget = { kind: "sentinel", master: "m", runid: "a" };
    schedule.add(target, 0);
    schedule.remove(target);
    schedule.add(target, 1000);
    expect(schedule.takeDue(2500)).toEqual([]);
    expect(schedule.takeDue(3001)).toEqual([target]);
  });

  it("matches the naive rule on random operation sequences", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const schedule = new PublishSchedule(PERIOD);
        const reference = new Reference();
        let now = 0;
        let inFlight: PublishTarget[] = [];
        for (const step of ops) {
          switch (step.op) {
            case "add":
              schedule.add(step.target, now);
              reference.add(step.target, now);
              break;
            case "remove":
              schedule.remove(step.target);
              reference.entries.delete(targetKey(step.target));
              break;
            case "removeOfMaster":
              schedule.removeOfMaster(step.master);
              reference.removeOfMaster(step.master);
              break;
            case "force":
              schedule.force(step.master);
              reference.force(step.master);
              break;
            case "advance": {
              now += step.ms;
              const due = schedule.takeDue(now);
              expect(due.map(targetKey).sort()).toEqual(reference.takeDue(now));
              inFlight.push(...due);
              break;
            }
            case "reply": {
              const target = inFlight[step.index % Math.max(inFlight.length, 1)];
              if (target === undefined) break;
              inFlight = inFlight.filter((t) => t !== target);
              schedule.replied(target, step.ok, now);
              reference.replied(target, step.ok, now);
              break;
            }
          }
          expect(schedule.nextDueAt()).toBe(reference.nextDueAt());
          expect(schedule.size).toBe(reference.entries.size);
        }
      }),
      { numRuns: 300 },
    );
  });
});
