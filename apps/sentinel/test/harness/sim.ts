// A deterministic in-memory world for the pure core: fake Redis instances, several
// SentinelCore instances, a virtual clock and a seeded random source. Messages take 1 ms.
import { loadConfig, type SentinelConfig } from "@sentinel-kit/config-store";
import { SentinelCore } from "../../src/core/sentinel-core.js";
import type { CommandResult, CoreEffect, CoreEvent, LinkId, MutationCommand } from "../../src/core/types.js";

/** A fake redis-server: role, replication source, run id. */
export interface FakeRedis {
  readonly host: string;
  readonly port: number;
  readonly runId: string;
  alive: boolean;
  /** While paused, nothing is answered (SIGSTOP). */
  paused: boolean;
  role: "master" | "slave";
  masterOf: { host: string; port: number } | null;
  offset: number;
}

interface Link {
  readonly core: number;
  readonly kind: "instance" | "sentinel";
  readonly host: string;
  readonly port: number;
  cmd: boolean;
  pubsub: boolean;
}

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** An xorshift random source in [0, 1). */
export function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/** One simulated sentinel: its core, its port, its last saved config, its event log. */
export interface SimSentinel {
  core: SentinelCore;
  readonly port: number;
  alive: boolean;
  /** Until then the sentinel's process is stopped: what arrives waits (SIGSTOP). */
  stalledUntil: number;
  saved: SentinelConfig;
  /** Events with the time and the sentinel's current epoch after the step that emitted them. */
  readonly events: { at: number; name: string; payload: string; epoch: number }[];
  wakeSeq: number;
}

/** The world. */
export class Sim {
  now = 1_000_000;
  readonly redis = new Map<string, FakeRedis>();
  readonly sentinels: SimSentinel[] = [];
  readonly random: () => number;
  /** The first sentinel to emit this event crashes at once, its later effects lost. */
  crashOnEvent: string | null = null;
  /** Extra random delay of every message, 0 to this many ms (order between two parties may change). */
  jitterMs = 0;
  readonly #links = new Map<string, Link>();
  #queue: Scheduled[] = [];
  #seq = 0;
  #token = 1;
  readonly #replies = new Map<number, CommandResult>();

  constructor(seed: number) {
    this.random = seeded(seed);
  }

  addRedis(port: number, masterOf: number | null): FakeRedis {
    const r: FakeRedis = {
      host: "10.0.0.1",
      port,
      runId: port.toString(16).padStart(40, "a"),
      alive: true,
      paused: false,
      role: masterOf === null ? "master" : "slave",
      masterOf: masterOf === null ? null : { host: "10.0.0.1", port: masterOf },
      offset: 1000,
    };
    this.redis.set(`${r.host}:${r.port}`, r);
    return r;
  }

  /** Adds a sentinel from config text and starts it. */
  addSentinel(port: number, text: string): SimSentinel {
    const config = loadConfig(`port ${port}\n${text}`, { file: `s${port}.conf` }).config;
    const s: SimSentinel = { core: undefined as unknown as SentinelCore, port, alive: true, stalledUntil: 0, saved: config, events: [], wakeSeq: 0 };
    this.sentinels.push(s);
    this.#boot(s, config);
    return s;
  }

  #boot(sim: SimSentinel, config: SentinelConfig): void {
    const withId = config.myid === undefined ? { ...config, myid: (sim.port * 7919).toString(16).padStart(40, "0") } : config;
    sim.core = new SentinelCore({ config: withId }, this.now);
    sim.saved = withId;
    this.#apply(this.sentinels.indexOf(sim), sim.core.start(this.now, this.random).effects);
  }

  /** Kills a sentinel (its state is what it last saved) and later restarts it from that. */
  crash(i: number): void {
    const s = this.sentinels[i]!;
    s.alive = false;
    s.wakeSeq++;
    for (const [key, link] of this.#links) {
      if (link.core === i) this.#links.delete(key);
      else if (link.kind === "sentinel" && link.port === s.port && link.cmd) {
        link.cmd = false;
        this.#to(link.core, { type: "link-disconnected", link: Number(key.split("/")[1]), connection: "cmd" });
      }
    }
  }

  restart(i: number): void {
    const s = this.sentinels[i]!;
    s.alive = true;
    this.#boot(s, s.saved);
  }

  kill(port: number): void {
    const r = this.redis.get(`10.0.0.1:${port}`)!;
    r.alive = false;
    for (const [key, link] of this.#links) {
      if (link.kind !== "instance" || link.port !== port) continue;
      const id = Number(key.split("/")[1]);
      for (const connection of ["cmd", "pubsub"] as const) {
        if (link[connection]) this.#to(link.core, { type: "link-disconnected", link: id, connection });
        link[connection] = false;
      }
    }
  }

  /** Links of sentinel `i` that exist now. */
  linkCount(i: number): number {
    return [...this.#links.values()].filter((l) => l.core === i).length;
  }

  /** Sends a mutation to sentinel `i`; the result appears once the core replies. */
  command(i: number, command: MutationCommand): () => CommandResult | undefined {
    const token = this.#token++;
    this.#to(i, { type: "command", token, command });
    return () => this.#replies.get(token);
  }

  run(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      this.#queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#queue[0];
      if (next === undefined || next.at > end) break;
      this.#queue.shift();
      this.now = Math.max(this.now, next.at);
      next.run();
    }
    this.now = end;
  }

  /** Runs until `done` holds, at most `ms`; returns whether it did. */
  runUntil(done: () => boolean, ms: number): boolean {
    for (let t = 0; t < ms; t += 10) {
      if (done()) return true;
      this.run(10);
    }
    return done();
  }

  #at(delay: number, run: () => void): void {
    this.#queue.push({ at: this.now + delay, seq: this.#seq++, run });
  }

  #to(i: number, event: CoreEvent, delay = 1): void {
    const jitter = this.jitterMs === 0 ? 0 : Math.floor(this.random() * this.jitterMs);
    this.#at(delay + jitter, () => this.#step(i, event));
  }

  #step(i: number, event: CoreEvent): void {
    const s = this.sentinels[i]!;
    if (!s.alive) return;
    if (s.stalledUntil > this.now) {
      this.#at(s.stalledUntil - this.now, () => this.#step(i, event));
      return;
    }
    this.#apply(i, s.core.step(event, this.now, this.random).effects);
  }

  #apply(i: number, effects: readonly CoreEffect[]): void {
    const s = this.sentinels[i]!;
    for (const e of effects) {
      if (!s.alive) return;
      switch (e.type) {
        case "create-link":
          this.#links.set(`${i}/${e.link}`, { core: i, kind: e.kind, host: e.address.host, port: e.address.port, cmd: false, pubsub: false });
          break;
        case "destroy-link":
          this.#links.delete(`${i}/${e.link}`);
          break;
        case "connect": {
          const link = this.#links.get(`${i}/${e.link}`);
          if (link === undefined) break;
          const up = this.#reachable(link);
          link[e.connection] = up;
          this.#to(i, { type: up ? "link-connected" : "link-disconnected", link: e.link, connection: e.connection });
          break;
        }
        case "close": {
          const link = this.#links.get(`${i}/${e.link}`);
          if (link !== undefined) link[e.connection] = false;
          break;
        }
        case "send":
          this.#send(i, e.link, e.command, e.expect);
          break;
        case "publish-hello": {
          const link = this.#links.get(`${i}/${e.link}`);
          if (link === undefined || !link.cmd || !this.#reachable(link)) {
            this.#to(i, { type: "hello-published", target: e.target, ok: false });
            break;
          }
          const payload = [e.hello.sentinelIp ?? "10.0.0.9", e.hello.sentinelPort, e.hello.runid, e.hello.currentEpoch, e.hello.masterName, e.hello.masterIp, e.hello.masterPort, e.hello.masterConfigEpoch].join(",");
          if (link.kind === "sentinel") {
            const j = this.sentinels.findIndex((t) => t.port === link.port);
            if (j >= 0) this.#to(j, { type: "hello-received", payload });
          } else {
            for (const [key, other] of this.#links) {
              if (other.kind === "instance" && other.port === link.port && other.pubsub) {
                this.#to(other.core, { type: "pubsub-message", link: Number(key.split("/")[1]), channel: "__sentinel__:hello", message: payload });
              }
            }
          }
          this.#to(i, { type: "hello-published", target: e.target, ok: true });
          break;
        }
        case "persist":
          s.saved = e.config;
          break;
        case "event":
          s.events.push({ at: this.now, name: e.name, payload: e.payload, epoch: s.core.currentEpoch });
          if (e.name === this.crashOnEvent) {
            this.crashOnEvent = null;
            this.crash(i);
          }
          break;
        case "reply":
          this.#replies.set(e.token, e.result);
          break;
        case "wake": {
          const seq = ++s.wakeSeq;
          this.#queue.push({
            at: Math.max(e.at, this.now),
            seq: this.#seq++,
            run: () => {
              if (s.wakeSeq === seq) this.#step(i, { type: "tick" });
            },
          });
          break;
        }
        case "log":
        case "set-loglevel":
          break;
      }
    }
  }

  #reachable(link: Link): boolean {
    if (link.kind === "sentinel") return this.sentinels.some((t) => t.port === link.port && t.alive);
    const r = this.redis.get(`${link.host}:${link.port}`);
    return r !== undefined && r.alive;
  }

  #send(i: number, linkId: LinkId, command: readonly string[], expect: Extract<CoreEffect, { type: "send" }>["expect"]): void {
    const link = this.#links.get(`${i}/${linkId}`);
    if (link === undefined || !link.cmd) return;
    if (link.kind === "sentinel") {
      const j = this.sentinels.findIndex((t) => t.port === link.port && t.alive);
      if (j < 0) return;
      if (command[0] === "PING") {
        this.#to(i, { type: "command-reply", link: linkId, expect, reply: "PONG" });
        return;
      }
      if (command[0] !== "SENTINEL") return;
      const [, , ip = "", port = "0", epoch = "0", runid = "*"] = command;
      const token = this.#token++;
      this.#to(j, { type: "command", token, command: { type: "is-master-down", ip, port: Number(port), epoch: Number(epoch), runid } });
      let polls = 0;
      const poll = (): void => {
        const r = this.#replies.get(token);
        if (r === undefined) {
          if (++polls < 200) this.#at(1, poll);
          return;
        }
        if (r.type === "is-master-down") {
          const reply = [r.reply.down ? 1 : 0, r.reply.leader ?? "*", r.reply.leaderEpoch];
          this.#to(i, { type: "command-reply", link: linkId, expect, reply });
        }
      };
      this.#at(2, poll);
      return;
    }
    const r = this.redis.get(`${link.host}:${link.port}`)!;
    if (!r.alive || r.paused) return;
    const name = (command[0] ?? "").toUpperCase();
    if (name === "SLAVEOF") {
      if (command[1] === "NO") {
        r.role = "master";
        r.masterOf = null;
      } else {
        r.role = "slave";
        r.masterOf = { host: command[1] ?? "", port: Number(command[2]) };
      }
    }
    if (expect.kind === "none") return;
    let reply: unknown = "OK";
    if (name === "PING") reply = "PONG";
    else if (name === "INFO") reply = this.#info(r);
    else if (name === "ROLE") {
      const up = r.masterOf !== null && this.redis.get(`${r.masterOf.host}:${r.masterOf.port}`)?.alive === true;
      reply = r.role === "master" ? ["master", r.offset, []] : ["slave", r.masterOf?.host ?? "", r.masterOf?.port ?? 0, up ? "connected" : "connect", r.offset];
    }
    this.#to(i, { type: "command-reply", link: linkId, expect, reply });
  }

  #info(r: FakeRedis): string {
    const lines = [`# Server`, `run_id:${r.runId}`, `# Replication`, `role:${r.role}`];
    if (r.role === "master") {
      const replicas = [...this.redis.values()].filter((x) => x.alive && x.masterOf?.port === r.port);
      lines.push(`connected_slaves:${replicas.length}`);
      replicas.forEach((x, n) => lines.push(`slave${n}:ip=${x.host},port=${x.port},state=online,offset=${x.offset},lag=0`));
    } else {
      const up = r.masterOf !== null && this.redis.get(`${r.masterOf.host}:${r.masterOf.port}`)?.alive === true;
      lines.push(`master_host:${r.masterOf?.host}`, `master_port:${r.masterOf?.port}`, `master_link_status:${up ? "up" : "down"}`);
      if (!up) lines.push("master_link_down_since_seconds:1");
      lines.push("slave_priority:100", `slave_repl_offset:${r.offset}`, "replica_announced:1");
    }
    return `${lines.join("\r\n")}\r\n`;
  }
}
