// SENTINEL SET changes a master in place (SPEC §1.2). Redis 7.0.15's sentinelSetCommand:
// - down-after-milliseconds assigns ri->down_after_period and sentinelPropagateDownAfterPeriod
//   copies it to the master's replicas and sentinels; master-reboot-down-after-period only
//   assigns its field. No link is touched; sentinelCheckSubjectivelyDown judges SDOWN with the
//   new period on the next tick.
// - auth-pass / auth-user assign the credential and call dropInstanceConnections, which
//   closes the command and pub/sub connections of the master and of its replicas (not of the
//   sentinels) and keeps the instances: SDOWN, run ids, known replicas stay, and the
//   reconnect authenticates with the new credential.
// Then sentinelFlushConfigAndReply persists the config.
import { loadConfig, type SentinelConfig } from "@sentinel-kit/config-store";
import { describe, expect, it } from "vitest";
import type { MasterOptionChange } from "../src/commands/view.js";
import { SentinelCore } from "../src/core/sentinel-core.js";
import type { CoreEffect, CoreEvent, LinkId } from "../src/core/types.js";

const MYID = "a".repeat(40);
const PEER = "b".repeat(40);
const MASTER = "10.0.0.1:6379";
const REPLICA = "10.0.0.3:6380";
const SENTINEL = "10.0.0.2:26379";
const MASTER_RUNID = "c".repeat(40);
const REPLICA_RUNID = "d".repeat(40);
const MASTER_INFO = `# Server\r\nrun_id:${MASTER_RUNID}\r\n# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.3,port=6380,state=online,offset=1,lag=0\r\n`;
const REPLICA_INFO = `# Server\r\nrun_id:${REPLICA_RUNID}\r\n# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nslave_repl_offset:1\r\n`;
const START = 1000;
const LINK_EFFECTS = ["create-link", "destroy-link", "connect", "close"];

/**
 * One core against instances that answer at once: links connect, PINGs get PONG (unless
 * the address is `silent`), INFO its text, hellos are published, the peer answers
 * is-master-down-by-addr with "not down". Ticks come exactly at the core's wake times.
 */
class Driver {
  readonly core: SentinelCore;
  readonly log: { at: number; effect: CoreEffect }[] = [];
  readonly silent = new Set<string>();
  now = START;
  #wake: number | null = null;
  readonly #links = new Map<LinkId, string>();
  readonly #queue: CoreEvent[] = [];
  #token = 1;

  constructor() {
    const { config } = loadConfig(
      [
        "port 26379",
        `sentinel myid ${MYID}`,
        "sentinel monitor mymaster 10.0.0.1 6379 2",
        "sentinel down-after-milliseconds mymaster 5000",
        "sentinel known-replica mymaster 10.0.0.3 6380",
        `sentinel known-sentinel mymaster 10.0.0.2 26379 ${PEER}`,
        "",
      ].join("\n"),
    );
    this.core = new SentinelCore({ config }, START);
    this.#apply(this.core.start(START, () => 0.5).effects);
    this.#drain();
  }

  /** The link to `address` (the last one created). */
  link(address: string): LinkId {
    const ids = [...this.#links].filter(([, a]) => a === address).map(([id]) => id);
    const id = ids.at(-1);
    if (id === undefined) throw new Error(`no link to ${address}`);
    return id;
  }

  /** Ticks at every wake time up to `until`, then sets the clock to `until`. */
  runUntil(until: number): void {
    for (let i = 0; i < 100_000 && this.#wake !== null && this.#wake <= until; i++) {
      this.now = Math.max(this.now, this.#wake);
      this.step({ type: "tick" });
    }
    this.now = until;
  }

  /** SENTINEL SET mymaster with these changes, now; returns the effects of that step. */
  set(changes: readonly MasterOptionChange[]): CoreEffect[] {
    const token = this.#token++;
    const from = this.log.length;
    this.step({ type: "command", token, command: { type: "set", name: "mymaster", changes } });
    return this.log.slice(from).map(({ effect }) => effect);
  }

  step(event: CoreEvent): void {
    this.#apply(this.core.step(event, this.now, () => 0.5).effects);
    this.#drain();
  }

  /** Link effects (create, destroy, connect, close) from log index `from` on. */
  linkEffects(from: number): CoreEffect[] {
    return this.log.slice(from).flatMap(({ effect }) => (LINK_EFFECTS.includes(effect.type) ? [effect] : []));
  }

  /** The times of the events `name` whose payload starts with `payload`. */
  events(name: string, payload = ""): number[] {
    return this.log
      .filter(({ effect }) => effect.type === "event" && effect.name === name && effect.payload.startsWith(payload))
      .map(({ at }) => at);
  }

  #drain(): void {
    for (let event = this.#queue.shift(); event !== undefined; event = this.#queue.shift()) {
      this.#apply(this.core.step(event, this.now, () => 0.5).effects);
    }
  }

  #apply(effects: readonly CoreEffect[]): void {
    for (const effect of effects) {
      this.log.push({ at: this.now, effect });
      switch (effect.type) {
        case "create-link":
          this.#links.set(effect.link, `${effect.address.host}:${effect.address.port}`);
          break;
        case "connect":
          this.#queue.push({ type: "link-connected", link: effect.link, connection: effect.connection });
          break;
        case "send": {
          const address = this.#links.get(effect.link) ?? "";
          const answer = (reply: unknown) => this.#queue.push({ type: "command-reply", link: effect.link, expect: effect.expect, reply });
          if (effect.expect.kind === "ping" && !this.silent.has(address)) answer("PONG");
          if (effect.expect.kind === "info") answer(address === MASTER ? MASTER_INFO : REPLICA_INFO);
          if (effect.expect.kind === "is-master-down") answer([0, "*", 0]);
          break;
        }
        case "publish-hello":
          this.#queue.push({ type: "hello-published", target: effect.target, ok: true });
          break;
        case "wake":
          this.#wake = effect.at;
          break;
        default:
          break;
      }
    }
  }
}

/** A driver whose master stopped answering PING at 3000 and is SDOWN (down-after 5000) at 10 000. */
function sdownMaster(): Driver {
  const d = new Driver();
  d.runUntil(3000);
  d.silent.add(MASTER);
  d.runUntil(10_000);
  expect(d.core.masters.get("mymaster")!.master.health.snapshot().sdown).toBe(true);
  expect(d.events("+sdown", "master")).toHaveLength(1);
  return d;
}

const persisted = (effects: readonly CoreEffect[]): SentinelConfig[] =>
  effects.flatMap((e) => (e.type === "persist" ? [e.config] : []));

describe("SENTINEL SET changes a master in place (sentinelSetCommand)", () => {
  it("down-after-milliseconds: no link touched, SDOWN and known replicas kept, the master, its replicas and its sentinels use the new period, config persisted", () => {
    const d = sdownMaster();
    const entry = d.core.masters.get("mymaster")!;
    const before = entry.master.health.snapshot();
    const links = [d.link(MASTER), d.link(REPLICA), d.link(SENTINEL)];
    const from = d.log.length;
    const at = d.now;

    const effects = d.set([{ option: "down-after-milliseconds", value: 2000 }]);
    expect(effects).toContainEqual(expect.objectContaining({ type: "reply", token: 1, result: { type: "action", result: { ok: true } } }));
    expect(effects).toContainEqual(expect.objectContaining({ type: "event", name: "+set", payload: `master mymaster 10.0.0.1 6379 down-after-milliseconds 2000` }));
    expect(persisted(effects).map((c) => c.masters[0]?.downAfterMilliseconds)).toEqual([2000]);

    // From now on the replica and the peer stop answering PING too.
    d.silent.add(REPLICA);
    d.silent.add(SENTINEL);
    // Links opened at START are not old enough (min-link-reconnect-period 15 s) to be closed as dead before 16 000.
    d.runUntil(at + 5000);

    expect(d.linkEffects(from)).toEqual([]);
    expect([d.link(MASTER), d.link(REPLICA), d.link(SENTINEL)]).toEqual(links);
    // The master stays SDOWN since the same time, with its run id and known replica.
    expect(entry.master.health.snapshot()).toMatchObject({ sdown: true, sdownSince: before.sdownSince, runId: MASTER_RUNID });
    expect(entry.master.health.snapshot().replicas).toEqual([REPLICA]);
    expect([...entry.replicas.keys()]).toEqual([REPLICA]);
    expect(d.events("-sdown")).toEqual([]);
    expect(d.events("+sdown", "master")).toHaveLength(1);
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(true);
    // sentinelPropagateDownAfterPeriod: the replica and the sentinel are judged with 2000,
    // SDOWN one new period (+1 ms) after the PING left unanswered (5000 would not have
    // fired yet: at most 5000 ms have passed since the change).
    const replica = entry.replicas.get(REPLICA)!.health;
    const peer = d.core.peers.get(PEER)!.health;
    for (const inst of [entry.master.health, replica, peer]) expect(inst.downAfterMs).toBe(2000);
    for (const inst of [replica, peer]) {
      const s = inst.snapshot();
      expect(s.sdown).toBe(true);
      expect(s.sdownSince! - s.actPingTime!).toBe(2001);
    }
    expect(d.events("+sdown", `slave ${REPLICA}`)).toEqual([replica.snapshot().sdownSince]);
    expect(d.events("+sdown", `sentinel ${PEER}`)).toEqual([peer.snapshot().sdownSince]);
  });

  it("down-after-milliseconds larger than the silence so far: the master's SDOWN is judged again and cleared", () => {
    const d = sdownMaster();
    const from = d.log.length;
    d.set([{ option: "down-after-milliseconds", value: 60_000 }]);
    d.runUntil(d.now + 10);
    expect(d.linkEffects(from)).toEqual([]);
    expect(d.core.masters.get("mymaster")!.master.health.snapshot().sdown).toBe(false);
    // Redis's sentinelCheckSubjectivelyDown clears the flag with an event.
    expect(d.events("-sdown", "master")).toHaveLength(1);
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(false);
  });

  it("master-reboot-down-after-period: assigned in place, no link touched, config persisted", () => {
    const d = sdownMaster();
    const from = d.log.length;
    const effects = d.set([{ option: "master-reboot-down-after-period", value: 3000 }]);
    d.runUntil(d.now + 1000);
    expect(d.linkEffects(from)).toEqual([]);
    const master = d.core.masters.get("mymaster")!.master.health;
    expect(master.masterRebootDownAfterMs).toBe(3000);
    expect(master.snapshot().sdown).toBe(true);
    expect(persisted(effects).map((c) => c.masters[0]?.masterRebootDownAfterPeriod)).toEqual([3000]);
  });

  it("auth-pass: the master's and replicas' links are recreated with the new password, the sentinel's kept; health states kept", () => {
    const d = sdownMaster();
    const entry = d.core.masters.get("mymaster")!;
    const master = entry.master.health.snapshot();
    const oldMaster = d.link(MASTER);
    const oldReplica = d.link(REPLICA);
    const peerLink = d.link(SENTINEL);
    const from = d.log.length;
    const at = d.now;

    const effects = d.set([{ option: "auth-pass", value: "s3cret" }]);
    expect(effects).toContainEqual(expect.objectContaining({ type: "event", name: "+set", payload: "master mymaster 10.0.0.1 6379 auth-pass ******" }));
    expect(persisted(effects).map((c) => c.masters[0]?.authPass)).toEqual(["s3cret"]);
    const newMaster = d.link(MASTER);
    const newReplica = d.link(REPLICA);
    expect(newMaster).not.toBe(oldMaster);
    expect(newReplica).not.toBe(oldReplica);
    expect(d.linkEffects(from)).toEqual([
      { type: "destroy-link", link: oldMaster },
      { type: "create-link", link: newMaster, kind: "instance", address: { host: "10.0.0.1", port: 6379 }, authPass: "s3cret" },
      { type: "destroy-link", link: oldReplica },
      { type: "create-link", link: newReplica, kind: "instance", address: { host: "10.0.0.3", port: 6380 }, authPass: "s3cret" },
    ]);
    // The instances are kept: SDOWN since the same time, run ids, known replicas.
    const replica = entry.replicas.get(REPLICA)!.health;
    expect(entry.master.health.snapshot()).toMatchObject({ sdown: true, sdownSince: master.sdownSince, runId: MASTER_RUNID, replicas: [REPLICA] });
    expect(replica.snapshot()).toMatchObject({ sdown: false, runId: REPLICA_RUNID });
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(true);

    d.runUntil(at + 3000);
    // Both connections of both new links are opened again; the peer's link is untouched.
    const connects = d.linkEffects(from).filter((e) => e.type === "connect");
    for (const link of [newMaster, newReplica]) {
      expect(connects).toContainEqual({ type: "connect", link, connection: "cmd" });
      expect(connects).toContainEqual({ type: "connect", link, connection: "pubsub" });
    }
    expect(d.linkEffects(from).filter((e) => "link" in e && e.link === peerLink)).toEqual([]);
    expect(d.link(SENTINEL)).toBe(peerLink);
    expect(entry.replicas.get(REPLICA)!.link).toBe(newReplica);
    expect(entry.replicas.get(REPLICA)!.health.snapshot()).toMatchObject({ cmd: "open", pubsub: "open" });
    expect(entry.master.health.snapshot()).toMatchObject({ sdown: true, sdownSince: master.sdownSince, runId: MASTER_RUNID });
    expect(d.events("-sdown")).toEqual([]);
    expect(d.events("+sdown", "master")).toHaveLength(1);
    expect([...entry.replicas.keys()]).toEqual([REPLICA]);
    // PINGs go out on the new links only.
    const pings = d.log.slice(from).flatMap(({ effect }) => (effect.type === "send" && effect.command[0] === "PING" ? [effect.link] : []));
    expect(pings).toContain(newMaster);
    expect(pings).toContain(newReplica);
    expect(pings).not.toContain(oldMaster);
    expect(pings).not.toContain(oldReplica);
  });

  it("auth-user: new links carry the user with the password set before; clearing it with \"\" relinks without it", () => {
    const d = new Driver();
    d.runUntil(3000);
    d.set([{ option: "auth-pass", value: "pw" }]);
    let from = d.log.length;
    d.set([{ option: "auth-user", value: "admin" }]);
    const created = () => d.linkEffects(from).filter((e) => e.type === "create-link");
    expect(created()).toEqual([
      expect.objectContaining({ address: { host: "10.0.0.1", port: 6379 }, authPass: "pw", authUser: "admin" }),
      expect.objectContaining({ address: { host: "10.0.0.3", port: 6380 }, authPass: "pw", authUser: "admin" }),
    ]);
    from = d.log.length;
    d.set([{ option: "auth-user", value: "" }]);
    expect(created()).toHaveLength(2);
    for (const effect of created()) expect(effect).not.toHaveProperty("authUser");
    expect(d.core.masters.get("mymaster")!.replicas.get(REPLICA)!.health.snapshot().runId).toBe(REPLICA_RUNID);
  });
});
