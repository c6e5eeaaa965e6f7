// Differential test against Debian's redis-sentinel 7.0 (SPEC: "differential tests against
// it are the best tests"): the same SENTINEL FAILOVER on two identical topologies, one
// run by the real Sentinel, one by the planner with Redis pacing. The failover events
// must be the same, in the same order, with the same payloads once ports are named.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  dir,
  failover,
  freePort,
  HOST,
  kill,
  stopAll,
  topology,
  track,
  waitFor,
  type FailoverRun,
  type Node,
} from "./harness/redis-nodes.js";

afterAll(stopAll);

/** The planner's event names; other Sentinel events (+sdown, +role-change, +vote-for-leader...) belong to other packages. */
const PLANNER_EVENTS = new Set([
  "+new-epoch", "+try-failover", "+elected-leader", "-failover-abort-not-elected",
  "+failover-state-select-slave", "-failover-abort-no-good-slave", "+selected-slave",
  "+failover-state-send-slaveof-noone", "+failover-state-wait-promotion",
  "-failover-abort-slave-timeout", "+promoted-slave", "+failover-state-reconf-slaves",
  "+slave-reconf-sent", "+slave-reconf-inprog", "+slave-reconf-done",
  "-slave-reconf-sent-timeout", "+slave-reconf-sent-be", "+failover-end-for-timeout",
  "+failover-end", "+switch-master", "+slave", "+convert-to-slave", "+fix-slave-config",
]);

/** Replaces each node's port by its role name, so two topologies compare equal. */
function normalize(events: string[], names: Map<number, string>): string[] {
  return events.map((e) => e.replace(/\b(\d{4,5})\b/g, (p) => names.get(Number(p)) ?? p));
}

/** Keeps the order, except the trailing +slave events, whose order is Redis's dict order. */
function canonical(events: string[]): string[] {
  const body = events.filter((e) => !e.startsWith("+slave "));
  const slaves = events.filter((e) => e.startsWith("+slave ")).sort();
  return [...body, ...slaves];
}

async function realSentinelFailover(
  trigger: "command" | "odown",
): Promise<{ events: string[]; nodes: Node[]; ms: number }> {
  const { m, r1, r2 } = await topology();
  const port = await freePort();
  const conf = join(dir, `sentinel-${port}.conf`);
  writeFileSync(
    conf,
    [
      `port ${port}`,
      `bind ${HOST}`,
      `dir ${dir}`,
      `sentinel monitor mymaster ${HOST} ${m.port} 1`,
      "sentinel down-after-milliseconds mymaster 1000",
      "sentinel failover-timeout mymaster 60000",
      "sentinel rename-command mymaster SLAVEOF rs-slaveof",
      "sentinel rename-command mymaster CONFIG rs-config",
      "",
    ].join("\n"),
  );
  const proc = spawn("redis-sentinel", [conf], { stdio: "ignore" });
  track(proc);
  const sentinel = new Redis(port, HOST, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  sentinel.on("error", () => undefined);
  const sub = new Redis(port, HOST, { lazyConnect: true, retryStrategy: () => 50 });
  sub.on("error", () => undefined);
  try {
    await waitFor("sentinel up", async () => {
      if (sentinel.status === "wait") await sentinel.connect();
      return (await sentinel.ping()) === "PONG";
    });
    // Both replicas known, connected and with fresh INFO, so SENTINEL FAILOVER can pick.
    await waitFor("replicas known", async () => {
      const rows = (await sentinel.call("SENTINEL", "REPLICAS", "mymaster")) as string[][];
      return rows.length === 2 && rows.every((r) => {
        const f = new Map<string, string>();
        for (let i = 0; i + 1 < r.length; i += 2) f.set(String(r[i]), String(r[i + 1]));
        return f.get("flags") === "slave" && f.get("master-link-status") === "ok";
      });
    });
    await sub.connect();
    const events: string[] = [];
    let switched = false;
    sub.on("pmessage", (_pattern: string, channel: string, message: string) => {
      if (PLANNER_EVENTS.has(channel)) events.push(`${channel} ${message}`);
      if (channel === "+switch-master") switched = true;
    });
    await sub.psubscribe("*");
    const started = Date.now();
    if (trigger === "command") expect(await sentinel.call("SENTINEL", "FAILOVER", "mymaster")).toBe("OK");
    else await kill(m);
    await waitFor("+switch-master from redis-sentinel", async () => switched, 30_000);
    const ms = Date.now() - started;
    // The +slave events follow +switch-master in the same timer tick.
    await new Promise((r) => setTimeout(r, 200));
    return { events, nodes: [m, r1, r2], ms };
  } finally {
    sub.disconnect();
    sentinel.disconnect();
  }
}

const NAMES = ["M", "R1", "R2"];
const named = (nodes: Node[]) => new Map(nodes.map((n, i) => [n.port, NAMES[i] ?? "?"]));
const ours = (f: FailoverRun) => canonical(normalize(f.events, named([f.m, f.r1, f.r2])));

describe("differential: the planner against redis-sentinel 7.0", () => {
  it("SENTINEL FAILOVER: the same events, in the same order, with the same payloads (both pacings)", async () => {
    const real = await realSentinelFailover("command");
    const theirs = canonical(normalize(real.events, named(real.nodes)));
    expect(theirs).toContain("+switch-master mymaster 127.0.0.1 M 127.0.0.1 R1");
    expect(ours(await failover(false))).toEqual(theirs);
    // Fast confirmation changes when things happen, not what is published.
    expect(ours(await failover(true))).toEqual(theirs);
  });

  it("master down (ODOWN, quorum 1): the same events as redis-sentinel", async () => {
    const real = await realSentinelFailover("odown");
    const theirs = canonical(normalize(real.events, named(real.nodes)));
    expect(theirs[0]).toBe("+new-epoch 1");
    expect(theirs).toContain("+switch-master mymaster 127.0.0.1 M 127.0.0.1 R1");
    expect(ours(await failover(false, "odown"))).toEqual(theirs);
    // Figure for the report: redis-sentinel 7.0, master killed to +switch-master, down-after 1 s.
    console.info(`failover-planner: redis-sentinel 7.0, master killed to +switch-master: ${real.ms} ms`);
  });
});
