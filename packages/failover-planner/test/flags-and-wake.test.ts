// Flags for SENTINEL MASTER / REPLICAS (SPEC §1.3), the current master address
// (sentinelGetCurrentMasterAddress) and the planner's wake-up effects.
import { describe, expect, it } from "vitest";
import { currentMasterAddress, masterFailoverFlags, replicaFailoverFlags } from "@sentinel-kit/failover-planner";
import { SimWorld } from "./harness/world.js";

function world(): SimWorld {
  const w = new SimWorld();
  w.run("planner rand=0");
  w.run("master addr=10.0.0.1:6379 failover-timeout=5000 parallel-syncs=1");
  w.run("replica addr=10.0.0.2:6379 runid=a offset=9");
  w.run("replica addr=10.0.0.3:6379 runid=b offset=1");
  return w;
}
const p2 = { host: "10.0.0.2", port: 6379 };
const p3 = { host: "10.0.0.3", port: 6379 };
const old = { host: "10.0.0.1", port: 6379 };

describe("flags and the current master address", () => {
  it("follow a forced failover through its states", () => {
    const w = world();
    expect(masterFailoverFlags(w.state)).toEqual([]);
    w.run("failover t=1000000");
    expect(masterFailoverFlags(w.state)).toEqual(["failover_in_progress", "force_failover"]);
    w.run("tick t=1000100");
    w.run("tick t=1000200");
    expect(replicaFailoverFlags(w.state, p2)).toEqual(["promoted"]);
    expect(currentMasterAddress(w.state, old)).toEqual(old);
    w.run("tick t=1000300");
    w.run("set 10.0.0.2:6379 role=master");
    w.run("info 10.0.0.2:6379");
    expect(currentMasterAddress(w.state, old)).toEqual(p2);
    w.run("tick t=1000400");
    expect(replicaFailoverFlags(w.state, p3)).toEqual(["reconf_sent"]);
    w.run("set 10.0.0.3:6379 of=10.0.0.2:6379 link=down");
    w.run("info 10.0.0.3:6379");
    expect(replicaFailoverFlags(w.state, p3)).toEqual(["reconf_inprog"]);
    w.run("set 10.0.0.3:6379 link=up");
    w.run("info 10.0.0.3:6379");
    expect(replicaFailoverFlags(w.state, p3)).toEqual(["reconf_done"]);
    w.run("tick t=1000500");
    expect(masterFailoverFlags(w.state)).toEqual([]);
    expect(replicaFailoverFlags(w.state, p2)).toEqual([]);
  });

  it("drop the promotion on abort", () => {
    const w = world();
    w.run("set master sdown=1 odown=1 t=1000000");
    w.run("tick");
    w.run("elected epoch=1");
    w.run("tick t=1000100");
    w.run("tick t=1000200");
    expect(masterFailoverFlags(w.state)).toEqual(["failover_in_progress"]);
    w.run("set 10.0.0.2:6379 disconnected=1");
    w.run("tick t=1005201");
    expect(masterFailoverFlags(w.state)).toEqual([]);
    expect(replicaFailoverFlags(w.state, p2)).toEqual([]);
  });
});

describe("wake effects", () => {
  const wakes = (lines: string[]) => lines.filter((l) => l.startsWith("wake "));

  it("ask for a tick at once after a non-tick input that let a deadline pass", () => {
    const w = world();
    w.run("set master sdown=1 odown=1 t=1000000");
    w.run("tick");
    // The election deadline (start + 5 000) passes while only INFO arrives.
    expect(wakes(w.run("info 10.0.0.3:6379 t=1006000"))).toEqual(["wake 1006000"]);
    expect(w.run("tick")).toContain("warning -failover-abort-not-elected master mymaster 10.0.0.1 6379");
  });

  it("never ask again for a deadline a tick did not act on", () => {
    const w = world();
    w.run("master failover-timeout=60000 parallel-syncs=1");
    w.run("replica addr=10.0.0.4:6379 runid=c offset=1");
    w.run("failover t=1000000");
    for (const t of [1000100, 1000200, 1000300]) w.run(`tick t=${t}`);
    w.run("set 10.0.0.2:6379 role=master");
    w.run("info 10.0.0.2:6379");
    expect(w.run("tick t=1000400")).toContain("wake 1010401");
    // 10.0.0.3 fills the only slot and never moves: Redis's loop does not reach its
    // reconf-sent timeout, so once a tick has passed it, the next wake-up is the
    // failover-timeout of RECONF_SLAVES, not "now" again.
    const out = w.run("tick t=1010500");
    expect(out.some((l) => l.includes("-slave-reconf-sent-timeout"))).toBe(false);
    expect(wakes(out)).toEqual(["wake 1060301"]);
    expect(wakes(w.run("tick"))).toEqual(["wake 1060301"]);
  });
});
