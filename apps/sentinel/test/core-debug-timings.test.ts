// SENTINEL DEBUG changes periods in place. Redis's sentinelSetDebugConfigParameters only
// assigns its globals (sentinel_ping_period, sentinel_info_period, sentinel_publish_period,
// ...); sentinelSendPeriodicCommands compares last_pong_time, last_ping_time, info_refresh
// and last_pub_time with them on the next tick. So no link is closed or opened, SDOWN and
// replies stay, and the next sends follow the new periods from the last ones (SPEC §4.1).
import { loadConfig } from "@sentinel-kit/config-store";
import { describe, expect, it } from "vitest";
import type { DebugTimings } from "../src/commands/view.js";
import { SentinelCore } from "../src/core/sentinel-core.js";
import type { CoreEffect, CoreEvent, LinkId } from "../src/core/types.js";

const MYID = "a".repeat(40);
const PEER = "b".repeat(40);
const MASTER = "10.0.0.1:6379";
const REPLICA = "10.0.0.3:6380";
const SENTINEL = "10.0.0.2:26379";
const MASTER_INFO = `# Server\r\nrun_id:${"c".repeat(40)}\r\n# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.3,port=6380,state=online,offset=1,lag=0\r\n`;
const REPLICA_INFO = `# Server\r\nrun_id:${"d".repeat(40)}\r\n# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nslave_repl_offset:1\r\n`;
const START = 1000;

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

  /** SENTINEL DEBUG with these pairs, now; returns the reply. */
  debug(timings: Partial<DebugTimings>): unknown {
    const token = this.#token++;
    const from = this.log.length;
    this.step({ type: "command", token, command: { type: "set-timings", timings } });
    return this.log.slice(from).find((e) => e.effect.type === "reply" && e.effect.token === token)?.effect;
  }

  step(event: CoreEvent): void {
    this.#apply(this.core.step(event, this.now, () => 0.5).effects);
    this.#drain();
  }

  /** The times, from `from` on, at which `command` was sent on the link to `address`. */
  sends(address: string, command: string, from: number): number[] {
    const link = this.link(address);
    return this.log
      .filter(({ at, effect }) => at >= from && effect.type === "send" && effect.link === link && effect.command[0] === command)
      .map(({ at }) => at);
  }

  /** The times, from `from` on, at which a hello was published on the link to `address`. */
  hellos(address: string, from: number): number[] {
    const link = this.link(address);
    return this.log.filter(({ at, effect }) => at >= from && effect.type === "publish-hello" && effect.link === link).map(({ at }) => at);
  }

  /** Link effects (create, destroy, connect, close) from `from` on. */
  linkEffects(from: number): CoreEffect[] {
    return this.log
      .filter(({ at, effect }) => at >= from && ["create-link", "destroy-link", "connect", "close"].includes(effect.type))
      .map(({ effect }) => effect);
  }

  events(name: string): number[] {
    return this.log.filter(({ effect }) => effect.type === "event" && effect.name === name).map(({ at }) => at);
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

const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

describe("SENTINEL DEBUG changes periods in place (sentinelSetDebugConfigParameters)", () => {
  it("ping-period: no link closed or opened, SDOWN stays, PINGs follow the new period; the other parameters apply", () => {
    const d = new Driver();
    d.runUntil(3000);
    d.silent.add(MASTER);
    d.runUntil(10_000);
    const master = () => d.core.masters.get("mymaster")!.master.health.snapshot();
    expect(master().sdown).toBe(true);
    const sdownSince = master().sdownSince;
    expect(d.events("+sdown")).toHaveLength(1);
    const replicaPong = d.core.masters.get("mymaster")!.replicas.get(REPLICA)!.health.snapshot().lastPongTime;
    const masterPing = master().lastPingTime!;

    const at = d.now;
    const from = d.log.length;
    expect(
      d.debug({ pingPeriod: 200, askPeriod: 700, electionTimeout: 9000, tiltTrigger: 500, tiltPeriod: 3000, minLinkReconnectPeriod: 20_000 }),
    ).toEqual({ type: "reply", token: 1, result: { type: "action", result: { ok: true } } });
    d.runUntil(14_000);

    expect(d.log.slice(from).filter(({ effect }) => ["create-link", "destroy-link", "connect", "close"].includes(effect.type))).toEqual([]);
    expect(master()).toMatchObject({ sdown: true, sdownSince });
    expect(d.events("-sdown")).toEqual([]);
    expect(d.core.election.masters.get("mymaster")?.sdown).toBe(true);
    // The answering replica: one period (+1 ms) after each PONG, counted from the last one.
    const replica = d.sends(REPLICA, "PING", at);
    expect(replica[0]).toBe(Math.max(at, replicaPong + 201));
    expect(gaps(replica.slice(0, 10))).toEqual(Array(9).fill(201));
    // The silent master: every half period (+1 ms) after the last PING.
    const silent = d.sends(MASTER, "PING", at);
    expect(silent[0]).toBe(Math.max(at, masterPing + 101));
    expect(gaps(silent.slice(0, 10))).toEqual(Array(9).fill(101));
    for (const inst of [d.core.masters.get("mymaster")!.master, ...d.core.masters.get("mymaster")!.replicas.values(), ...d.core.peers.values()]) {
      expect(inst.health.timings).toMatchObject({ pingPeriodMs: 200, minLinkReconnectPeriodMs: 20_000 });
    }

    // ask-period: the peer answers at once, so it is asked again one ask period later.
    const asks = d.sends(SENTINEL, "SENTINEL", at + 1000);
    expect(asks.length).toBeGreaterThan(3);
    expect(gaps(asks)).toEqual(Array(asks.length - 1).fill(700));
    expect(d.core.election.timings).toMatchObject({ askPeriodMs: 700, electionTimeoutMs: 9000 });
    // tilt-trigger and tilt-period: a 600 ms gap between ticks enters TILT for 3 s.
    d.now += 600;
    d.step({ type: "tick" });
    expect(d.events("+tilt")).toEqual([d.now]);
    const entered = d.now;
    d.runUntil(entered + 3500);
    expect(d.events("-tilt")).toHaveLength(1);
    expect(d.events("-tilt")[0]! - entered).toBeGreaterThanOrEqual(3000);
    expect(d.events("-tilt")[0]! - entered).toBeLessThan(3500);
  });

  it("info-period: INFO follows the new period from the last INFO, on the same links", () => {
    const d = new Driver();
    d.runUntil(5000);
    const entry = d.core.masters.get("mymaster")!;
    const replicaInfo = entry.replicas.get(REPLICA)!.health.snapshot().infoRefresh!;
    const masterInfo = entry.master.health.snapshot().infoRefresh!;
    const at = d.now;
    d.debug({ infoPeriod: 300 });
    d.runUntil(7000);
    expect(d.linkEffects(at)).toEqual([]);
    const replica = d.sends(REPLICA, "INFO", at);
    expect(replica[0]).toBe(Math.max(at, replicaInfo + 301));
    expect(gaps(replica.slice(0, 5))).toEqual(Array(4).fill(301));
    const master = d.sends(MASTER, "INFO", at);
    expect(master[0]).toBe(Math.max(at, masterInfo + 301));
    expect(gaps(master.slice(0, 5))).toEqual(Array(4).fill(301));
  });

  it("publish-period: hellos follow the new period from the last hello, on the same links", () => {
    const d = new Driver();
    d.runUntil(7000);
    const before = d.hellos(MASTER, START);
    expect(gaps(before)).toEqual(Array(before.length - 1).fill(2001));
    const last = before.at(-1)!;
    const at = d.now;
    d.debug({ publishPeriod: 400 });
    d.runUntil(10_000);
    expect(d.linkEffects(at)).toEqual([]);
    const after = d.hellos(MASTER, at);
    expect(after[0]).toBe(Math.max(at, last + 401));
    expect(gaps(after)).toEqual(Array(after.length - 1).fill(401));
    expect(d.hellos(REPLICA, at).length).toBeGreaterThan(3);
    expect(d.core.masters.get("mymaster")!.master.health.timings.publishPeriodMs).toBe(400);
  });
});
