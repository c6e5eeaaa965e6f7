// A cooperative world for property tests: every instance obeys the planner's commands
// after a small delay, INFO arrives every second, ticks every 100 ms (and at wake-ups),
// and this sentinel wins the election a few ms after asking.
import type { PlannerEffect, PlannerInput } from "@sentinel-kit/failover-planner";
import { parseAddr, SimWorld } from "./world.js";

export interface CoopOptions {
  replicas: number;
  parallelSyncs: number;
  fast: boolean;
  /** ms from SLAVEOF <new> to the replica's link being up. */
  linkDelay: number;
  /** ms a command takes to reach an instance and act. */
  rtt: number;
  random: number;
  failoverTimeout: number;
}

export interface CoopRun {
  world: SimWorld;
  odownAt: number;
  electedAt: number | null;
  switchAt: number | null;
  events: { at: number; type: string; payload: string }[];
}

const T0 = 1_000_000;

export function runCooperative(o: CoopOptions, horizon = 60_000): CoopRun {
  const w = new SimWorld();
  w.run(o.fast ? "planner fast interval=20 max-probes=100" : "planner");
  w.randomValue = o.random;
  w.run(`master addr=10.0.0.1:6379 failover-timeout=${o.failoverTimeout} parallel-syncs=${o.parallelSyncs}`);
  for (let i = 0; i < o.replicas; i++) w.run(`replica addr=10.0.1.${i + 1}:6379 runid=r${i} offset=${i * 7}`);
  w.run(`set master sdown=1 odown=1 disconnected=1 t=${T0}`);
  const queue: { at: number; act: () => void }[] = [];
  const at = (time: number, act: () => void) => {
    const item = { at: time, act };
    let i = queue.length;
    while (i > 0 && (queue[i - 1]?.at ?? 0) > time) i--;
    queue.splice(i, 0, item);
  };
  const result: CoopRun = { world: w, odownAt: T0, electedAt: null, switchAt: null, events: [] };
  const step = (input: PlannerInput) => handle(w.step(input));
  const handle = (effects: readonly PlannerEffect[]) => {
    for (const e of effects) {
      if (e.kind === "event") {
        result.events.push({ at: w.now, type: e.type, payload: e.payload });
        if (e.type === "+switch-master") result.switchAt = w.now;
      } else if (e.kind === "ask-sentinels") {
        at(w.now + o.rtt, () => {
          result.electedAt ??= w.now;
          step({ type: "election", epoch: e.epoch, elected: true });
        });
      } else if (e.kind === "wake") {
        if (e.at > w.now) at(e.at, () => step({ type: "tick" }));
      } else if (e.kind === "send") {
        const who = `${e.to.host}:${e.to.port}`;
        const slaveof = e.commands.find((c) => c.length === 3 && c[0] === "SLAVEOF");
        if (e.purpose === "probe-role") {
          at(w.now + o.rtt, () => {
            const r = w.find(e.to);
            if (r === undefined) return;
            step({
              type: "role-reply",
              replica: e.to,
              reply:
                r.role === "master"
                  ? { role: "master" }
                  : { role: "slave", masterHost: r.masterHost ?? "?", masterPort: r.masterPort, linkUp: r.masterLinkUp },
            });
          });
        } else if (slaveof !== undefined && slaveof[1] === "NO") {
          at(w.now + o.rtt / 2, () => w.run(`set ${who} role=master`));
        } else if (slaveof !== undefined) {
          const target = `${slaveof[1]}:${slaveof[2]}`;
          at(w.now + o.rtt / 2, () => w.run(`set ${who} role=slave of=${target} link=down`));
          at(w.now + o.rtt / 2 + o.linkDelay, () => w.run(`set ${who} link=up`));
        }
      }
    }
  };
  // Periodic ticks and INFO rounds are generated lazily; other actions wait in the queue.
  let nextTick = T0;
  let nextInfo = T0 + 1000;
  while (result.switchAt === null) {
    const head = queue[0];
    const due = Math.min(head?.at ?? Infinity, nextTick, nextInfo);
    if (due > T0 + horizon) break;
    w.now = Math.max(w.now, due);
    if (head !== undefined && head.at === due) {
      queue.shift();
      head.act();
    } else if (nextTick === due) {
      nextTick += 100;
      step({ type: "tick" });
    } else {
      nextInfo += 1000;
      for (const r of [...w.replicas]) {
        if (result.switchAt !== null) break;
        step({ type: "replica-info", replica: parseAddr(`${r.addr.host}:${r.addr.port}`) });
      }
    }
  }
  return result;
}
