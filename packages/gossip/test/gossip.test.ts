import { describe, expect, it } from "vitest";
import { formatHello, Gossip, type GossipConfig, type Hello } from "../src/index.js";
import { render } from "./support/render.js";

const ME = "f".repeat(40);
const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

function config(overrides: Partial<GossipConfig> = {}): GossipConfig {
  return {
    myRunid: ME,
    currentEpoch: 0,
    announcePort: 26379,
    masters: [
      { name: "mymaster", address: { host: "10.0.0.1", port: 6379 }, configEpoch: 0, replicas: [{ host: "10.0.0.2", port: 6379 }] },
      { name: "other", address: { host: "10.0.1.1", port: 6379 }, configEpoch: 0 },
    ],
    ...overrides,
  };
}

function hello(overrides: Partial<Hello> = {}): string {
  return formatHello({
    sentinelIp: "10.0.0.9",
    sentinelPort: 26379,
    runid: A,
    currentEpoch: 0,
    masterName: "mymaster",
    masterIp: "10.0.0.1",
    masterPort: 6379,
    masterConfigEpoch: 0,
    ...overrides,
  });
}

function effectsOf(gossip: Gossip, payload: string, now: number): string[] {
  return render(gossip.receiveHello(payload, now).effects);
}

describe("receiving a hello (SPEC §4.5, sentinelReceiveHelloMessages / sentinelProcessHelloMessage)", () => {
  it("ignores a payload that contains our own runid anywhere (strstr on myid)", () => {
    const gossip = new Gossip(config(), 0);
    expect(gossip.receiveHello(hello({ runid: ME }), 10).status).toBe("own");
    expect(gossip.receiveHello(hello({ masterName: `x${ME}` }), 10).status).toBe("own");
    expect(gossip.linkCount).toBe(0);
  });

  it("drops a malformed payload with a typed error and no state change", () => {
    const gossip = new Gossip(config(), 0);
    const outcome = gossip.receiveHello("1.2.3.4,26379,short,0,mymaster,10.0.0.1,6379,0", 10);
    expect(outcome).toMatchObject({ status: "malformed", error: { name: "MalformedHelloError", reason: "bad-runid" } });
    expect(outcome.effects).toEqual([]);
    expect(gossip.linkCount).toBe(0);
  });

  it("ignores a hello about a master we do not monitor, even with a higher epoch", () => {
    const gossip = new Gossip(config(), 0);
    const outcome = gossip.receiveHello(hello({ masterName: "unknown", currentEpoch: 9 }), 10);
    expect(outcome.status).toBe("unknown-master");
    expect(gossip.currentEpoch).toBe(0);
  });

  it("adds a new sentinel: +sentinel with its details, one link, then persist", () => {
    const gossip = new Gossip(config(), 0);
    expect(effectsOf(gossip, hello(), 100)).toEqual([
      `event +sentinel notice sentinel ${A} 10.0.0.9 26379 @ mymaster 10.0.0.1 6379`,
      `open-sentinel-link ${A} 10.0.0.9:26379`,
      "persist sentinels",
    ]);
    expect(gossip.sentinelsOf("mymaster")).toEqual([{ runid: A, address: { host: "10.0.0.9", port: 26379 }, lastHelloTime: 100 }]);
    expect(gossip.sentinelsOf("other")).toEqual([]);
  });

  it("a known sentinel's next hello changes nothing but its last hello time", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 100);
    expect(effectsOf(gossip, hello({ currentEpoch: 0 }), 2100)).toEqual([]);
    expect(gossip.sentinelsOf("mymaster")[0]?.lastHelloTime).toBe(2100);
    gossip.receiveHello(hello({ currentEpoch: 3 }), 2200);
    expect(gossip.peers.get(A)?.currentEpoch).toBe(3);
  });

  it("shares one link per runid across masters (SPEC §4.2)", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 100);
    expect(effectsOf(gossip, hello({ masterName: "other", masterIp: "10.0.1.1" }), 200)).toEqual([
      `event +sentinel notice sentinel ${A} 10.0.0.9 26379 @ other 10.0.1.1 6379`,
      "persist sentinels",
    ]);
    expect(gossip.linkCount).toBe(1);
    expect([...(gossip.peers.get(A)?.masters.keys() ?? [])]).toEqual(["mymaster", "other"]);
  });

  it("5 sentinels watching 1,000 masters make 5 links, not 5,000", () => {
    const names = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    const gossip = new Gossip(
      config({ masters: names.map((name, i) => ({ name, address: { host: "10.1.0.1", port: 7000 + i }, configEpoch: 0 })) }),
      0,
    );
    const runids = ["1", "2", "3", "4", "5"].map((d) => d.repeat(40));
    let opened = 0;
    for (const [i, name] of names.entries()) {
      for (const [j, runid] of runids.entries()) {
        const outcome = gossip.receiveHello(
          hello({ runid, sentinelIp: "10.2.0.1", sentinelPort: 26379 + j, masterName: name, masterIp: "10.1.0.1", masterPort: 7000 + i }),
          i,
        );
        opened += outcome.effects.filter((e) => e.type === "open-sentinel-link").length;
      }
    }
    expect(opened).toBe(5);
    expect(gossip.linkCount).toBe(5);
    expect(gossip.peers.all().map((p) => p.masters.size)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(gossip.sentinelsOf("m999").map((p) => p.runid)).toEqual(runids);
  });

  it("an address switch: +sentinel-address-switch, no +sentinel, the link moves, every master follows", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 100);
    gossip.receiveHello(hello({ masterName: "other", masterIp: "10.0.1.1" }), 100);
    expect(effectsOf(gossip, hello({ sentinelIp: "10.0.0.8", sentinelPort: 26380 }), 200)).toEqual([
      `event +sentinel-address-switch notice master mymaster 10.0.0.1 6379 ip 10.0.0.8 port 26380 for ${A}`,
      `close-sentinel-link ${A}`,
      `open-sentinel-link ${A} 10.0.0.8:26380`,
      `event +sentinel-address-update notice sentinel ${A} 10.0.0.8 26380 @ mymaster 10.0.0.1 6379 1 additional matching instances`,
      "persist sentinels",
    ]);
    expect(gossip.sentinelsOf("other")[0]?.address).toEqual({ host: "10.0.0.8", port: 26380 });
    expect(gossip.linkCount).toBe(1);
  });

  it("an address taken by another runid: +sentinel-invalid-addr, the old holder removed from every master", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 100);
    gossip.receiveHello(hello({ masterName: "other", masterIp: "10.0.1.1" }), 100);
    expect(effectsOf(gossip, hello({ runid: B }), 200)).toEqual([
      `event +sentinel-invalid-addr notice sentinel ${A} 10.0.0.9 26379 @ mymaster 10.0.0.1 6379`,
      `close-sentinel-link ${A}`,
      `event +sentinel notice sentinel ${B} 10.0.0.9 26379 @ mymaster 10.0.0.1 6379`,
      `open-sentinel-link ${B} 10.0.0.9:26379`,
      "persist sentinels",
    ]);
    expect(gossip.peers.get(A)).toBeUndefined();
    expect(gossip.sentinelsOf("other")).toEqual([]);
    expect(gossip.sentinelsOf("mymaster").map((p) => p.runid)).toEqual([B]);
  });

  it("a runid known from another master, seen at a new address: +sentinel here, the shared entry moves", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello({ masterName: "other", masterIp: "10.0.1.1" }), 100);
    expect(effectsOf(gossip, hello({ sentinelPort: 26390 }), 200)).toEqual([
      `event +sentinel notice sentinel ${A} 10.0.0.9 26390 @ mymaster 10.0.0.1 6379`,
      `close-sentinel-link ${A}`,
      `open-sentinel-link ${A} 10.0.0.9:26390`,
      `event +sentinel-address-update notice sentinel ${A} 10.0.0.9 26390 @ mymaster 10.0.0.1 6379 1 additional matching instances`,
      "persist sentinels",
    ]);
    expect(gossip.linkCount).toBe(1);
  });

  it("an address switch onto another runid's address keeps both, as Redis does, unless evictOnAddressSwitch", () => {
    for (const evict of [false, true]) {
      const gossip = new Gossip(config({ evictOnAddressSwitch: evict }), 0);
      gossip.receiveHello(hello(), 100);
      gossip.receiveHello(hello({ runid: B, sentinelPort: 26380 }), 100);
      const lines = effectsOf(gossip, hello({ runid: B }), 200);
      expect(lines.some((l) => l.startsWith("event +sentinel-invalid-addr"))).toBe(evict);
      expect(gossip.sentinelsOf("mymaster").map((p) => p.runid)).toEqual(evict ? [B] : [A, B]);
    }
  });

  it("a hostname sentinel address is not added without resolve-hostnames (createSentinelAddr fails)", () => {
    const strict = new Gossip(config(), 0);
    const outcome = strict.receiveHello(hello({ sentinelIp: "sentinel-1.example", currentEpoch: 4, masterConfigEpoch: 4, masterIp: "10.0.0.2" }), 100);
    expect(render(outcome.effects)).toEqual(["persist current-epoch", "event +new-epoch warning 4"]);
    expect(strict.linkCount).toBe(0);
    expect(strict.master("mymaster")?.configEpoch).toBe(0);

    const lenient = new Gossip(config({ resolveHostnames: true }), 0);
    lenient.receiveHello(hello({ sentinelIp: "sentinel-1.example" }), 100);
    expect(lenient.sentinelsOf("mymaster").map((p) => p.address.host)).toEqual(["sentinel-1.example"]);
  });
});

describe("epochs", () => {
  it("+new-epoch when a hello carries a higher current epoch: persisted before it is announced", () => {
    const gossip = new Gossip(config({ currentEpoch: 3 }), 0);
    gossip.receiveHello(hello(), 100);
    expect(effectsOf(gossip, hello({ currentEpoch: 5 }), 200)).toEqual(["persist current-epoch", "event +new-epoch warning 5"]);
    expect(gossip.currentEpoch).toBe(5);
  });

  it("an equal or lower current epoch changes nothing", () => {
    const gossip = new Gossip(config({ currentEpoch: 5 }), 0);
    gossip.receiveHello(hello(), 100);
    expect(effectsOf(gossip, hello({ currentEpoch: 5 }), 200)).toEqual([]);
    expect(effectsOf(gossip, hello({ currentEpoch: 2 }), 300)).toEqual([]);
    expect(gossip.currentEpoch).toBe(5);
  });

  it("adoptEpoch never lowers the epoch", () => {
    const gossip = new Gossip(config({ currentEpoch: 5 }), 0);
    expect(gossip.adoptEpoch(4, "mymaster")).toEqual([]);
    expect(render(gossip.adoptEpoch(6, "mymaster"))).toEqual(["persist current-epoch", "event +new-epoch warning 6"]);
  });
});

describe("adopting a newer master config", () => {
  it("switches when the config epoch is greater and the address differs: Redis's event order and payloads", () => {
    const gossip = new Gossip(config(), 0);
    gossip.setReplicas("mymaster", [{ host: "10.0.0.2", port: 6379 }, { host: "10.0.0.3", port: 6379 }], 0);
    const lines = effectsOf(gossip, hello({ currentEpoch: 1, masterIp: "10.0.0.2", masterConfigEpoch: 1 }), 100);
    expect(lines).toEqual([
      `event +sentinel notice sentinel ${A} 10.0.0.9 26379 @ mymaster 10.0.0.1 6379`,
      `open-sentinel-link ${A} 10.0.0.9:26379`,
      "persist sentinels",
      "persist current-epoch",
      "event +new-epoch warning 1",
      `event +config-update-from warning sentinel ${A} 10.0.0.9 26379 @ mymaster 10.0.0.1 6379`,
      "event +switch-master warning mymaster 10.0.0.1 6379 10.0.0.2 6379",
      "reset-master mymaster 10.0.0.1:6379 -> 10.0.0.2:6379 replicas 10.0.0.3:6379 10.0.0.1:6379",
      "event +slave notice slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.2 6379",
      "event +slave notice slave 10.0.0.1:6379 10.0.0.1 6379 @ mymaster 10.0.0.2 6379",
      "persist master-config",
      "client-reconfig-script mymaster observer start 10.0.0.1:6379 10.0.0.2:6379",
    ]);
    expect(gossip.master("mymaster")).toMatchObject({ address: { host: "10.0.0.2", port: 6379 }, configEpoch: 1 });
  });

  it("adopts the epoch without a switch when the address is the same", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 100);
    expect(effectsOf(gossip, hello({ masterConfigEpoch: 2 }), 200)).toEqual(["persist master-config"]);
    expect(gossip.master("mymaster")?.configEpoch).toBe(2);
  });

  it("ignores an equal or lower config epoch even with another address", () => {
    const gossip = new Gossip(config({ masters: [{ name: "mymaster", address: { host: "10.0.0.1", port: 6379 }, configEpoch: 3 }] }), 0);
    gossip.receiveHello(hello(), 100);
    expect(effectsOf(gossip, hello({ masterIp: "10.0.0.2", masterConfigEpoch: 3 }), 200)).toEqual([]);
    expect(effectsOf(gossip, hello({ masterIp: "10.0.0.2", masterConfigEpoch: 1 }), 300)).toEqual([]);
    expect(gossip.master("mymaster")?.address.host).toBe("10.0.0.1");
  });

  it("adopts a newer config even while we lead a failover of that master: Redis has no such check", () => {
    const gossip = new Gossip(config(), 0);
    gossip.promote("mymaster", 1, { host: "10.0.0.2", port: 6379 });
    const lines = effectsOf(gossip, hello({ masterIp: "10.0.0.3", masterConfigEpoch: 2 }), 100);
    expect(lines).toContain("event +switch-master warning mymaster 10.0.0.1 6379 10.0.0.3 6379");
    expect(gossip.master("mymaster")).toMatchObject({ configEpoch: 2, helloAddress: undefined });
  });
});

describe("the publish schedule (SPEC §4.3, sentinelSendPeriodicCommands)", () => {
  const targets = (gossip: Gossip, now: number) =>
    render(gossip.tick(now)).map((line) => line.split(" __sentinel__:hello ")[0]);

  it("sends to each master, replica and sentinel once more than a period passed", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 500);
    expect(gossip.nextDueAt()).toBe(2001);
    expect(gossip.tick(2000)).toEqual([]);
    expect(targets(gossip, 2001)).toEqual(["publish-hello master mymaster", "publish-hello replica mymaster 10.0.0.2:6379", "publish-hello master other"]);
    expect(targets(gossip, 2501)).toEqual([`publish-hello sentinel mymaster ${A}`]);
  });

  it("carries our announce port, runid, epoch and each master's address and config epoch", () => {
    const gossip = new Gossip(config({ currentEpoch: 4, announceIp: "192.168.1.1" }), 0);
    expect(render(gossip.tick(2001))[0]).toBe(`publish-hello master mymaster __sentinel__:hello 192.168.1.1,26379,${ME},4,mymaster,10.0.0.1,6379,0`);
    const local = new Gossip(config(), 0);
    expect(render(local.tick(2001))[0]).toContain(`<local>,26379,${ME},0,mymaster`);
  });

  it("waits for the reply; only a success restarts the period, an error retries after 100 ms", () => {
    const gossip = new Gossip(config({ masters: [{ name: "mymaster", address: { host: "10.0.0.1", port: 6379 }, configEpoch: 0 }] }), 0);
    const [effect] = gossip.tick(2001);
    expect(effect?.type).toBe("publish-hello");
    if (effect?.type !== "publish-hello") return;
    expect(gossip.tick(5000)).toEqual([]);
    expect(gossip.nextDueAt()).toBeUndefined();
    gossip.published(effect.target, false, 2010);
    expect(gossip.nextDueAt()).toBe(2110);
    expect(gossip.tick(2109)).toEqual([]);
    expect(gossip.tick(2110)).toHaveLength(1);
    gossip.published(effect.target, true, 2120);
    expect(gossip.nextDueAt()).toBe(4121);
  });

  it("promote() makes every hello about that master due at once with the new address and epoch", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 0);
    for (const e of gossip.tick(2001)) if (e.type === "publish-hello") gossip.published(e.target, true, 2001);
    expect(render(gossip.promote("mymaster", 7, { host: "10.0.0.2", port: 6379 }))).toEqual(["persist master-config"]);
    expect(gossip.nextDueAt()).toBe(2001);
    const lines = render(gossip.tick(2002));
    expect(lines).toEqual([
      `publish-hello master mymaster __sentinel__:hello <local>,26379,${ME},0,mymaster,10.0.0.2,6379,7`,
      `publish-hello replica mymaster 10.0.0.2:6379 __sentinel__:hello <local>,26379,${ME},0,mymaster,10.0.0.2,6379,7`,
      `publish-hello sentinel mymaster ${A} __sentinel__:hello <local>,26379,${ME},0,mymaster,10.0.0.2,6379,7`,
    ]);
  });
});

describe("masters coming and going", () => {
  it("SENTINEL REMOVE / RESET close the links of peers left with no master", () => {
    const gossip = new Gossip(config(), 0);
    gossip.receiveHello(hello(), 0);
    gossip.receiveHello(hello({ runid: B, sentinelPort: 26380 }), 0);
    gossip.receiveHello(hello({ runid: B, sentinelPort: 26380, masterName: "other", masterIp: "10.0.1.1" }), 0);
    expect(render(gossip.reset("mymaster"))).toEqual([`close-sentinel-link ${A}`]);
    expect(gossip.linkCount).toBe(1);
    expect(render(gossip.remove("other"))).toEqual([`close-sentinel-link ${B}`]);
    expect(gossip.linkCount).toBe(0);
    expect(gossip.master("other")).toBeUndefined();
  });

  it("known sentinels from the config file open their link once, without events", () => {
    const gossip = new Gossip(config(), 0);
    expect(render(gossip.addKnownSentinel("mymaster", C, { host: "10.0.0.7", port: 26379 }, 0))).toEqual([
      `open-sentinel-link ${C} 10.0.0.7:26379`,
    ]);
    expect(gossip.addKnownSentinel("other", C, { host: "10.0.0.7", port: 26379 }, 0)).toEqual([]);
    expect(gossip.linkCount).toBe(1);
    expect(effectsOf(gossip, hello({ runid: C, sentinelIp: "10.0.0.7" }), 10)).toEqual([]);
  });
});
