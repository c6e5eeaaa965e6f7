// The simulator's parts: the seeded generator, the network, the simulated Redis, and
// determinism of a whole run (one seed, one history).
import { describe, expect, it } from "vitest";
import { EventQueue } from "../src/sim/event-queue.js";
import { SimNetwork } from "../src/sim/network.js";
import { Prng } from "../src/sim/prng.js";
import { SimRedis, type SideEffects } from "../src/sim/redis-instance.js";
import { FAULT_KINDS, runSeed } from "../src/sim/run-seed.js";

describe("Prng", () => {
  it("is a function of the seed", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = new Prng(1);
    const ints = Array.from({ length: 1000 }, () => r.between(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
  });
});

describe("EventQueue", () => {
  it("pops by time, then by insertion order", () => {
    const q = new EventQueue();
    const seen: string[] = [];
    for (const [at, name] of [[5, "a"], [1, "b"], [5, "c"], [3, "d"], [1, "e"]] as const) q.push(at, () => seen.push(name));
    for (let e = q.pop(); e !== undefined; e = q.pop()) e.run();
    expect(seen).toEqual(["b", "e", "d", "a", "c"]);
  });
});

describe("SimNetwork", () => {
  it("keeps each direction in order, cuts one way, partitions with a bridge, heals", () => {
    const n = new SimNetwork(new Prng(1));
    n.degrade("a", "b", { delayMs: 0, loss: 0.9 });
    const arrivals = Array.from({ length: 20 }, (_, i) => n.arrival("a", "b", i) ?? -1);
    expect(arrivals).toEqual([...arrivals].sort((x, y) => x - y));
    expect(Math.max(...arrivals)).toBeGreaterThan(200); // retransmissions
    n.cutOneWay("a", "c");
    expect(n.arrival("a", "c", 0)).toBeNull();
    expect(n.arrival("c", "a", 0)).not.toBeNull();
    expect(n.connected("a", "c")).toBe(false);
    n.heal();
    n.partition([["a", "x"], ["b", "y"]], ["x"]);
    expect(n.passes("a", "b")).toBe(false);
    expect(n.passes("x", "b")).toBe(true);
    expect(n.passes("y", "x")).toBe(true);
    expect(n.passes("a", "x")).toBe(true);
    n.heal();
    expect(n.cutCount).toBe(0);
  });
});

describe("SimRedis", () => {
  const fx = (): SideEffects => ({ killTypes: [], promoted: false });

  it("runs the promotion transaction as Redis does: queued, then executed at EXEC", () => {
    const r = new SimRedis("10.0.0.1", 6380, { host: "10.0.0.1", port: 6379 });
    const client = { multi: null };
    const effects = fx();
    const replies = [["MULTI"], ["SLAVEOF", "NO", "ONE"], ["CONFIG", "REWRITE"], ["CLIENT", "KILL", "TYPE", "normal"], ["CLIENT", "KILL", "TYPE", "pubsub"]].map((c) => r.execute(client, c, [], effects));
    expect(replies).toEqual([{ value: "OK" }, { value: "QUEUED" }, { value: "QUEUED" }, { value: "QUEUED" }, { value: "QUEUED" }]);
    expect(r.role).toBe("slave");
    expect(r.execute(client, ["EXEC"], [], effects)).toEqual({ value: ["OK", "OK", 0, 0] });
    expect(r.role).toBe("master");
    expect(effects).toEqual({ killTypes: ["normal", "pubsub"], promoted: true });
    expect(r.persistedRole.role).toBe("master");
    expect(r.execute(client, ["EXEC"], [], fx())).toEqual({ error: "ERR EXEC without MULTI" });
  });

  it("formats INFO replication and ROLE like Redis 7.0", () => {
    const m = new SimRedis("10.0.0.1", 6379, null);
    const s = new SimRedis("10.0.0.1", 6380, { host: "10.0.0.1", port: 6379 });
    m.offset = 700;
    s.offset = 700;
    const info = m.info([s]);
    expect(info).toContain("\r\n# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.1,port=6380,state=online,offset=700,lag=0\r\n");
    expect(info).toContain("master_repl_offset:700\r\n");
    expect(s.info([])).toContain("role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n");
    expect(m.roleReply([s])).toEqual(["master", 700, [["10.0.0.1", "6380", "700"]]]);
    expect(s.roleReply([])).toEqual(["slave", "10.0.0.1", 6379, "connected", 700]);
    // A restart comes back with the role of its config file, not the one in memory.
    s.execute({ multi: null }, ["REPLICAOF", "NO", "ONE"], [], fx());
    s.crash();
    s.restart();
    expect(s.role).toBe("slave");
  });
});

describe("one seed, one history", () => {
  it("runs the same seed twice to the same faults, elections, failover time and step count", () => {
    const a = runSeed({ seed: 99, sentinels: 5, faults: [...FAULT_KINDS] });
    const b = runSeed({ seed: 99, sentinels: 5, faults: [...FAULT_KINDS] });
    expect(b).toEqual(a);
    const c = runSeed({ seed: 100, sentinels: 5, faults: [...FAULT_KINDS] });
    expect(c.faultLog).not.toEqual(a.faultLog);
  });
});

describe("the leader fault (FAULTS.md row 3)", () => {
  it("crashes the sentinel that reaches +elected-leader or +promoted-slave; another completes the failover", () => {
    let crashedLeaders = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const result = runSeed({
        seed,
        sentinels: 3,
        faults: ["leader"],
        inspect: (world) => {
          crashedLeaders += world.sentinels.filter((s) => s.life > 0).length;
        },
      });
      expect(result.violations).toEqual([]);
      expect(result.failoverMs).not.toBeNull();
    }
    expect(crashedLeaders).toBeGreaterThan(0);
  });
});
