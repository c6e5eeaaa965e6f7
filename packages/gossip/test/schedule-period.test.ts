// SENTINEL DEBUG publish-period: Redis only assigns sentinel_publish_period, and
// sentinelSendPeriodicCommands compares `now - last_pub_time` with it on the next tick, so
// each next hello falls due one new period after the last successful one (SPEC §4.1, §4.3).
import { describe, expect, it } from "vitest";
import { Gossip, PublishSchedule, type PublishTarget } from "../src/index.js";

const MASTER: PublishTarget = { kind: "master", master: "mymaster" };
const REPLICA: PublishTarget = { kind: "replica", master: "mymaster", address: { host: "10.0.0.2", port: 6380 } };

/** A schedule (Redis's 2 s) whose master hello last succeeded at 1000 and replica hello at 1500. */
function published(): PublishSchedule {
  const schedule = new PublishSchedule(2000);
  schedule.add(MASTER, 0);
  schedule.add(REPLICA, 0);
  expect(schedule.takeDue(2001)).toEqual([MASTER, REPLICA]);
  schedule.replied(MASTER, true, 1000);
  schedule.replied(REPLICA, true, 1500);
  expect(schedule.nextDueAt()).toBe(3001);
  return schedule;
}

describe("PublishSchedule.setPeriod", () => {
  it.each([
    // [new period, first master hello, first replica hello]
    [500, 1501, 2001],
    [100, 1101, 1601],
    [5000, 6001, 6501],
  ])("with a period of %i ms the next hellos count from the last ones", (period, master, replica) => {
    const schedule = published();
    schedule.setPeriod(period);
    expect(schedule.periodMs).toBe(period);
    expect(schedule.nextDueAt()).toBe(master);
    expect(schedule.takeDue(master - 1)).toEqual([]);
    expect(schedule.takeDue(master)).toEqual([MASTER]);
    expect(schedule.takeDue(replica - 1)).toEqual([]);
    expect(schedule.takeDue(replica)).toEqual([REPLICA]);
  });

  it("sends at once what a shorter period makes overdue; a hello in flight waits for its reply", () => {
    const schedule = published();
    expect(schedule.takeDue(3001)).toEqual([MASTER]);
    schedule.setPeriod(200);
    // The replica's last hello (1500) is more than 200 ms old at 3100.
    expect(schedule.nextDueAt()).toBe(1701);
    expect(schedule.takeDue(3100)).toEqual([REPLICA]);
    expect(schedule.nextDueAt()).toBeUndefined();
    schedule.replied(MASTER, true, 3150);
    expect(schedule.nextDueAt()).toBe(3351);
  });
});

describe("Gossip.setPublishPeriod", () => {
  it("moves the next hello of every monitored master to one new period after its last", () => {
    const gossip = new Gossip(
      { myRunid: "a".repeat(40), currentEpoch: 0, announcePort: 26379, masters: [{ name: "mymaster", address: { host: "10.0.0.1", port: 6379 }, configEpoch: 0 }] },
      0,
    );
    expect(gossip.nextDueAt()).toBe(2001);
    gossip.setPublishPeriod(300);
    expect(gossip.publishPeriodMs).toBe(300);
    expect(gossip.nextDueAt()).toBe(301);
    expect(gossip.tick(301).map((e) => e.type)).toEqual(["publish-hello"]);
  });
});
