import { loadConfig, parseDocument, rewriteConfig, type ConfigDocument } from "@sentinel-kit/config-store";
import { helloPayload } from "@sentinel-kit/gossip";
import { SentinelCore } from "../core/sentinel-core.js";
import type { CommandResult, CoreEffect, CoreEvent, Expectation, LinkId, MutationCommand } from "../core/types.js";
import { InvariantChecker } from "./checker.js";
import { EventQueue } from "./event-queue.js";
import { SimNetwork, type NodeId } from "./network.js";
import { Prng } from "./prng.js";
import { SimRedis, type SideEffects, type SimClientState } from "./redis-instance.js";

/** How long a connect attempt to an unreachable address takes to fail, ms. */
const CONNECT_TIMEOUT_MS = 1000;
/** Period of simulated replication (and of writes on masters), ms. */
const REPLICATION_PERIOD_MS = 100;
/** Bytes a master's offset grows per replication period (a steady write load). */
const WRITE_BYTES = 100;

/** One TCP connection of a link; a fresh object per connect, so late messages of an old one are dropped. */
interface Conn {
  open: boolean;
  readonly client: SimClientState;
  /** Hellos published and not answered: a close rejects them (`hello-published` not ok), as the runtime's link does. */
  readonly hellos: Set<() => void>;
}

interface SimLink {
  readonly id: LinkId;
  readonly kind: "instance" | "sentinel";
  readonly target: NodeId;
  cmd: Conn | null;
  pubsub: Conn | null;
  pending: number;
}

/** An event a simulated sentinel emitted. */
export interface SimEvent {
  /** Simulated time, ms. */
  readonly at: number;
  /** Event name (`+switch-master`). */
  readonly name: string;
  /** Redis's payload. */
  readonly payload: string;
  /** The sentinel's current epoch after the step that emitted it. */
  readonly epoch: number;
}

/** One simulated sentinel process. */
export interface SimSentinel {
  /** Its index in {@link SimWorld.sentinels}. */
  readonly index: number;
  /** Its network node. */
  readonly node: NodeId;
  /** Its address. */
  readonly host: string;
  /** Its port. */
  readonly port: number;
  /** Its run id (`sentinel myid`). */
  readonly myid: string;
  /** The running core, or null while crashed. */
  core: SentinelCore | null;
  /** Until then the process is stopped (SIGSTOP): what arrives waits. */
  pausedUntil: number;
  /** Its clock minus the world's (clock jumps). */
  clockOffset: number;
  /** sentinel.conf as last persisted: what a restart loads. */
  configText: string;
  /** Events, in order, across restarts. */
  readonly events: SimEvent[];
  /** Incremented at every crash: messages for an older life are dropped. */
  life: number;
  /** @internal */
  document: ConfigDocument;
  /** @internal */
  links: Map<LinkId, SimLink>;
  /** @internal */
  wakeGen: number;
}

/** Rewrites a core's effects before the world carries them out: a broken or adversarial sentinel. */
export type EffectFilter = (sentinel: SimSentinel, event: CoreEvent | null, effects: readonly CoreEffect[]) => readonly CoreEffect[];

/** Options of {@link SimWorld}. */
export interface SimWorldOptions {
  /** Decides everything random: delays, losses, the cores' random draws. */
  readonly seed: number;
  /** Applied to every step's effects (tests inject broken voters with it). */
  readonly filter?: EffectFilter;
}

interface PeerRequest {
  readonly from: number;
  readonly life: number;
  readonly link: LinkId;
  readonly conn: Conn;
  readonly expect: Expectation;
  readonly target: number;
}

/**
 * A deterministic world: several {@link SentinelCore}s, simulated Redis instances
 * ({@link SimRedis}) and a simulated network ({@link SimNetwork}) on one virtual clock,
 * every random choice drawn from one seed. The cores are driven exactly as the daemon's
 * runtime drives them (effects carried out in order, `persist` through config-store's
 * rewrite, restart from the persisted text); the {@link InvariantChecker} sees every step.
 */
export class SimWorld {
  /** Virtual time, ms. */
  now = 1_000_000;
  /** The Redis instances by `host:port`. */
  readonly redis = new Map<string, SimRedis>();
  /** The sentinels, in the order added. */
  readonly sentinels: SimSentinel[] = [];
  /** The network. */
  readonly network: SimNetwork;
  /** The invariant checker. */
  readonly checker = new InvariantChecker();
  /** The first sentinel to emit this event crashes right after it (SIMULATE-FAILURE). */
  crashOnEvent: string | null = null;
  /** Number of core steps run (for speed figures). */
  steps = 0;
  readonly #queue = new EventQueue();
  readonly #coreRandom: Prng;
  readonly #filter: EffectFilter | undefined;
  readonly #peerRequests = new Map<number, PeerRequest>();
  readonly #results = new Map<number, CommandResult>();
  readonly #byAddress = new Map<string, number>();
  #token = 1;

  /** A world with nothing in it yet. */
  constructor(options: SimWorldOptions) {
    const root = new Prng(options.seed);
    this.network = new SimNetwork(root.fork());
    this.#coreRandom = root.fork();
    this.#filter = options.filter;
    this.#queue.push(this.now + REPLICATION_PERIOD_MS, () => this.#replicate());
  }

  /** Adds a Redis instance at 10.0.0.1:`port`, a replica of `masterOf` (a port) or a master. */
  addRedis(port: number, masterOf: number | null): SimRedis {
    const r = new SimRedis("10.0.0.1", port, masterOf === null ? null : { host: "10.0.0.1", port: masterOf });
    this.redis.set(r.key, r);
    return r;
  }

  /** The instance at 10.0.0.1:`port`. */
  instance(port: number): SimRedis {
    const r = this.redis.get(`10.0.0.1:${port}`);
    if (r === undefined) throw new RangeError(`no simulated Redis on port ${port}`);
    return r;
  }

  /**
   * Adds a sentinel at 10.0.1.<n>:26379 from config text (sentinel directives) and starts
   * it; its myid is derived from its index unless the text has one.
   */
  addSentinel(text: string): SimSentinel {
    const index = this.sentinels.length;
    const host = `10.0.1.${index + 1}`;
    const myid = (index + 1).toString(16).padStart(2, "0").repeat(20);
    const full = `port 26379\n${/^sentinel myid /m.test(text) ? "" : `sentinel myid ${myid}\n`}${text}`;
    const loaded = loadConfig(full, { file: `sentinel-${index}.conf` });
    const s: SimSentinel = {
      index,
      node: `s${index}`,
      host,
      port: 26379,
      myid: loaded.config.myid ?? myid,
      core: null,
      pausedUntil: 0,
      clockOffset: 0,
      configText: full,
      events: [],
      life: 0,
      document: loaded.document,
      links: new Map(),
      wakeGen: 0,
    };
    this.sentinels.push(s);
    this.#byAddress.set(`${host}:26379`, index);
    this.#boot(s);
    return s;
  }

  /** Node id of the instance on `port`. */
  static redisNode(port: number): NodeId {
    return `r${port}`;
  }

  #boot(s: SimSentinel): void {
    const loaded = loadConfig(s.configText, { file: `sentinel-${s.index}.conf` });
    s.document = loaded.document;
    s.links = new Map();
    const core = new SentinelCore({ config: loaded.config }, this.#clock(s));
    s.core = core;
    this.checker.persisted(s.myid, loaded.config.currentEpoch);
    this.#applyStep(s, null, core.start(this.#clock(s), this.#random));
  }

  readonly #random = (): number => this.#coreRandom.next();

  #clock(s: SimSentinel): number {
    return this.now + s.clockOffset;
  }

  // ------------------------------------------------------------------ faults

  /** SIGKILL of sentinel `i`: all it had in memory is lost; its file stays. */
  crashSentinel(i: number): void {
    const s = this.#sentinel(i);
    if (s.core === null) return;
    s.core = null;
    s.life++;
    s.wakeGen++;
    this.checker.crashed(s.myid);
    for (const link of s.links.values()) this.#closeLink(link);
    s.links.clear();
    for (const other of this.sentinels) {
      for (const link of other.links.values()) {
        if (link.target === s.node && link.cmd?.open === true) this.#reset(s.node, other, link, "cmd");
      }
    }
  }

  /** Starts sentinel `i` again from its persisted config text. */
  restartSentinel(i: number): void {
    const s = this.#sentinel(i);
    if (s.core !== null) return;
    s.pausedUntil = 0;
    this.#boot(s);
  }

  /** SIGSTOP of sentinel `i` for `ms`. */
  pauseSentinel(i: number, ms: number): void {
    const s = this.#sentinel(i);
    s.pausedUntil = Math.max(s.pausedUntil, this.now + ms);
  }

  /** Moves sentinel `i`'s clock by `ms` (negative: backwards). */
  jumpClock(i: number, ms: number): void {
    this.#sentinel(i).clockOffset += ms;
  }

  /** SIGKILL of the instance on `port`. */
  crashRedis(port: number): void {
    const r = this.instance(port);
    if (!r.alive) return;
    r.crash();
    const node = SimWorld.redisNode(port);
    for (const s of this.sentinels) {
      for (const link of s.links.values()) {
        if (link.target !== node) continue;
        for (const connection of ["cmd", "pubsub"] as const) if (link[connection]?.open === true) this.#reset(node, s, link, connection);
      }
    }
  }

  /** Starts the instance on `port` again with the role of its config file. */
  restartRedis(port: number): void {
    const r = this.instance(port);
    if (!r.alive) r.restart();
  }

  /** SIGSTOP of the instance on `port` for `ms`. */
  pauseRedis(port: number, ms: number): void {
    const r = this.instance(port);
    r.pausedUntil = Math.max(r.pausedUntil, this.now + ms);
  }

  /** Every network node: sentinels then instances. */
  nodes(): NodeId[] {
    return [...this.sentinels.map((s) => s.node), ...[...this.redis.values()].map((r) => SimWorld.redisNode(r.port))];
  }

  /** Sends a mutation to sentinel `i` as a client would; the getter returns the reply once given. */
  command(i: number, command: MutationCommand): () => CommandResult | undefined {
    const token = this.#token++;
    const s = this.#sentinel(i);
    this.#queue.push(this.now + 1, () => this.#deliver(s, s.life, { type: "command", token, command }));
    return () => this.#results.get(token);
  }

  // ------------------------------------------------------------------ running

  /** Runs `ms` of virtual time. */
  run(ms: number): void {
    const end = this.now + ms;
    for (let at = this.#queue.peekAt(); at !== null && at <= end; at = this.#queue.peekAt()) {
      const next = this.#queue.pop();
      if (next === undefined) break;
      if (next.at > this.now) this.now = next.at;
      next.run();
    }
    this.now = end;
  }

  /** Runs until `done` holds (checked every `stepMs`), at most `ms`; returns whether it did. */
  runUntil(done: () => boolean, ms: number, stepMs = 50): boolean {
    for (let t = 0; t < ms; t += stepMs) {
      if (done()) return true;
      this.run(stepMs);
    }
    return done();
  }

  /** Links sentinel `i` holds now. */
  linkCount(i: number): number {
    return this.#sentinel(i).links.size;
  }

  #sentinel(i: number): SimSentinel {
    const s = this.sentinels[i];
    if (s === undefined) throw new RangeError(`no sentinel ${i}`);
    return s;
  }

  #replicate(): void {
    for (const r of this.redis.values()) {
      if (r.alive && r.role === "master" && r.pausedUntil <= this.now) r.offset += WRITE_BYTES;
    }
    for (const r of this.redis.values()) {
      if (!r.alive || r.role !== "slave" || r.masterOf === null) continue;
      const source = this.redis.get(`${r.masterOf.host}:${r.masterOf.port}`);
      const up =
        source !== undefined &&
        source.alive &&
        source.pausedUntil <= this.now &&
        r.pausedUntil <= this.now &&
        this.network.connected(SimWorld.redisNode(r.port), SimWorld.redisNode(source.port));
      r.linkUp = up;
      if (up && source !== undefined) r.offset = source.offset;
    }
    this.#queue.push(this.now + REPLICATION_PERIOD_MS, () => this.#replicate());
  }

  // ------------------------------------------------------------------ delivery

  /** Carries `run` from `from` to `to` on `conn`; a cut direction breaks the connection silently. */
  #transmit(from: NodeId, to: NodeId, conn: Conn, run: () => void): void {
    if (!conn.open) return;
    const at = this.network.arrival(from, to, this.now);
    if (at === null) {
      conn.open = false;
      return;
    }
    this.#queue.push(at, () => {
      if (conn.open) run();
    });
  }

  /** An event for sentinel `s` in its life `life`; waits while the process is stopped. */
  #deliver(s: SimSentinel, life: number, event: CoreEvent): void {
    if (s.core === null || s.life !== life) return;
    if (s.pausedUntil > this.now) {
      this.#queue.push(s.pausedUntil, () => this.#deliver(s, life, event));
      return;
    }
    this.#applyStep(s, event, s.core.step(event, this.#clock(s), this.#random));
  }

  /** Runs `body` in the Redis process when it is up; waits while it is stopped. */
  #atRedis(r: SimRedis, body: () => void): void {
    if (!r.alive) return;
    if (r.pausedUntil > this.now) {
      this.#queue.push(r.pausedUntil, () => this.#atRedis(r, body));
      return;
    }
    body();
  }

  /** The peer closed or crashed: the sentinel hears of it if the FIN/RST gets through. */
  #reset(from: NodeId, s: SimSentinel, link: SimLink, connection: "cmd" | "pubsub"): void {
    const conn = link[connection];
    if (conn === null) return;
    const life = s.life;
    const at = this.network.arrival(from, s.node, this.now);
    conn.open = false;
    if (at === null) return;
    this.#queue.push(at, () => {
      if (link[connection] !== conn) return;
      link[connection] = null;
      if (connection === "cmd") link.pending = 0;
      this.#shut(conn);
      this.#deliver(s, life, { type: "link-disconnected", link: link.id, connection });
    });
  }

  #closeLink(link: SimLink): void {
    if (link.cmd !== null) this.#shut(link.cmd);
    if (link.pubsub !== null) this.#shut(link.pubsub);
    link.cmd = null;
    link.pubsub = null;
  }

  /** Closes a connection: what waited for a reply on it fails now. */
  #shut(conn: Conn): void {
    conn.open = false;
    const waiting = [...conn.hellos];
    conn.hellos.clear();
    for (const fail of waiting) this.#queue.push(this.now, fail);
  }

  // ------------------------------------------------------------------ effects

  #applyStep(s: SimSentinel, event: CoreEvent | null, step: { readonly effects: readonly CoreEffect[] }): void {
    this.steps++;
    const effects = this.#filter === undefined ? step.effects : this.#filter(s, event, step.effects);
    const life = s.life;
    for (const e of effects) {
      if (s.core === null || s.life !== life) return;
      this.#effect(s, e);
    }
    this.#observe(s);
  }

  #observe(s: SimSentinel): void {
    const core = s.core;
    if (core === null) return;
    this.checker.epoch(this.now, s.myid, core.currentEpoch);
    for (const m of core.election.masters.values()) {
      if (m.leader !== null) this.checker.vote(this.now, m.name, m.leaderEpoch, s.myid, m.leader);
    }
  }

  #effect(s: SimSentinel, e: CoreEffect): void {
    switch (e.type) {
      case "create-link": {
        const key = `${e.address.host}:${e.address.port}`;
        const target = e.kind === "sentinel" ? `s${this.#byAddress.get(key) ?? -1}` : this.redis.has(key) ? SimWorld.redisNode(e.address.port) : `x${key}`;
        s.links.set(e.link, { id: e.link, kind: e.kind, target, cmd: null, pubsub: null, pending: 0 });
        return;
      }
      case "destroy-link": {
        const link = s.links.get(e.link);
        if (link !== undefined) this.#closeLink(link);
        s.links.delete(e.link);
        return;
      }
      case "connect":
        this.#connect(s, e.link, e.connection);
        return;
      case "close": {
        const link = s.links.get(e.link);
        if (link === undefined) return;
        const conn = link[e.connection];
        if (conn !== null) this.#shut(conn);
        link[e.connection] = null;
        if (e.connection === "cmd") link.pending = 0;
        return;
      }
      case "send":
        this.#send(s, e.link, e.command, e.expect);
        return;
      case "publish-hello":
        this.#publishHello(s, e);
        return;
      case "persist": {
        const text = rewriteConfig(s.document, e.config);
        s.configText = text;
        s.document = parseDocument(text, `sentinel-${s.index}.conf`);
        this.checker.persisted(s.myid, e.config.currentEpoch);
        return;
      }
      case "event":
        this.#event(s, e.name, e.payload);
        return;
      case "reply": {
        const request = this.#peerRequests.get(e.token);
        if (request === undefined) {
          this.#results.set(e.token, e.result);
          return;
        }
        this.#peerRequests.delete(e.token);
        this.#answerPeer(s, request, e.result);
        return;
      }
      case "wake": {
        const gen = ++s.wakeGen;
        const life = s.life;
        const at = Math.max(this.now, e.at - s.clockOffset);
        this.#queue.push(at, () => {
          if (s.wakeGen === gen) this.#deliver(s, life, this.#tick(s));
        });
        return;
      }
      case "run-script":
      case "log":
      case "set-loglevel":
        return;
    }
  }

  #tick(s: SimSentinel): CoreEvent {
    let pending: Map<LinkId, number> | undefined;
    for (const link of s.links.values()) {
      if (link.pending > 0) (pending ??= new Map()).set(link.id, link.pending);
    }
    return pending === undefined ? { type: "tick" } : { type: "tick", pending };
  }

  #event(s: SimSentinel, name: string, payload: string): void {
    const core = s.core;
    if (core === null) return;
    s.events.push({ at: this.now, name, payload, epoch: core.currentEpoch });
    if (name === "+elected-leader") {
      const master = payload.split(" ")[1] ?? "";
      const election = core.election.masters.get(master);
      const epoch = election?.failover?.epoch ?? core.currentEpoch;
      const voters = core.gossip.sentinelsOf(master).length + 1;
      this.checker.elected(this.now, master, epoch, s.myid, voters, election?.quorum ?? 1, election?.failover?.forced === true);
    }
    if (name === this.crashOnEvent) {
      this.crashOnEvent = null;
      this.crashSentinel(s.index);
    }
  }

  #connect(s: SimSentinel, id: LinkId, connection: "cmd" | "pubsub"): void {
    const link = s.links.get(id);
    if (link === undefined) return;
    const old = link[connection];
    if (old !== null) old.open = false;
    const conn: Conn = { open: false, client: { multi: null }, hellos: new Set() };
    link[connection] = conn;
    const life = s.life;
    const reachable = this.network.connected(s.node, link.target);
    const up = reachable && this.#processUp(link.target);
    const there = reachable ? this.network.arrival(s.node, link.target, this.now) : null;
    const back = there === null ? null : this.network.arrival(link.target, s.node, there);
    const at = back ?? this.now + CONNECT_TIMEOUT_MS;
    this.#queue.push(at, () => {
      if (link[connection] !== conn) return;
      if (up && back !== null) {
        conn.open = true;
        this.#deliver(s, life, { type: "link-connected", link: id, connection });
      } else {
        link[connection] = null;
        this.#deliver(s, life, { type: "link-disconnected", link: id, connection });
      }
    });
  }

  /** Whether the process on `node` accepts connections (a stopped one does: the kernel does). */
  #processUp(node: NodeId): boolean {
    if (node.startsWith("s")) return this.sentinels[Number(node.slice(1))]?.core != null;
    if (node.startsWith("r")) return this.redis.get(`10.0.0.1:${node.slice(1)}`)?.alive === true;
    return false;
  }

  #send(s: SimSentinel, id: LinkId, command: readonly string[], expect: Expectation): void {
    const link = s.links.get(id);
    const conn = link?.cmd;
    if (link === undefined || conn === null || conn === undefined || !conn.open) return;
    if (expect.kind !== "none") link.pending++;
    if (expect.kind === "is-master-down") this.checker.sent(this.now, s.myid, Number(command[4] ?? 0), "is-master-down-by-addr");
    const life = s.life;
    const answer = (reply: unknown, error?: string): void => {
      if (expect.kind === "none") return;
      this.#transmit(link.target, s.node, conn, () => {
        if (link.pending > 0) link.pending--;
        this.#deliver(s, life, error === undefined ? { type: "command-reply", link: id, expect, reply } : { type: "command-reply", link: id, expect, reply: undefined, error });
      });
    };
    if (link.kind === "sentinel") {
      const j = Number(link.target.slice(1));
      this.#transmit(s.node, link.target, conn, () => this.#atSentinel(j, command, s, life, id, conn, expect, answer));
      return;
    }
    const r = this.redis.get(`10.0.0.1:${link.target.slice(1)}`);
    if (r === undefined) return;
    this.#transmit(s.node, link.target, conn, () =>
      this.#atRedis(r, () => {
        const effects: SideEffects = { killTypes: [], promoted: false };
        const reply = r.execute(conn.client, command, this.#replicasOf(r), effects);
        if (effects.promoted) this.#promoted(s, r);
        for (const type of effects.killTypes) this.#killClients(r, type, conn);
        if ("error" in reply) answer(undefined, reply.error);
        else answer(reply.value);
      }),
    );
  }

  #atSentinel(j: number, command: readonly string[], from: SimSentinel, life: number, link: LinkId, conn: Conn, expect: Expectation, answer: (reply: unknown) => void): void {
    const target = this.sentinels[j];
    if (target?.core == null) return;
    if (target.pausedUntil > this.now) {
      this.#queue.push(target.pausedUntil, () => this.#atSentinel(j, command, from, life, link, conn, expect, answer));
      return;
    }
    const name = (command[0] ?? "").toUpperCase();
    if (name === "PING") {
      answer("PONG");
      return;
    }
    if (name === "SENTINEL" && (command[1] ?? "").toLowerCase() === "is-master-down-by-addr") {
      const token = this.#token++;
      this.#peerRequests.set(token, { from: from.index, life, link, conn, expect, target: j });
      const [, , ip = "", port = "0", epoch = "0", runid = "*"] = command;
      this.#deliver(target, target.life, { type: "command", token, command: { type: "is-master-down", ip, port: Number(port), epoch: Number(epoch), runid } });
      return;
    }
    answer("OK");
  }

  #answerPeer(voter: SimSentinel, request: PeerRequest, result: CommandResult): void {
    if (result.type !== "is-master-down") return;
    const { down, leader, leaderEpoch } = result.reply;
    if (leader !== null) {
      const master = request.expect.kind === "is-master-down" ? request.expect.master : "";
      this.checker.vote(this.now, master, leaderEpoch, voter.myid, leader);
      this.checker.sent(this.now, voter.myid, leaderEpoch, "a vote");
    }
    const from = this.sentinels[request.from];
    if (from === undefined) return;
    const reply = [down ? 1 : 0, leader ?? "*", leaderEpoch];
    this.#transmit(voter.node, from.node, request.conn, () => {
      const link = from.links.get(request.link);
      if (link !== undefined && link.pending > 0) link.pending--;
      this.#deliver(from, request.life, { type: "command-reply", link: request.link, expect: request.expect, reply });
    });
  }

  #publishHello(s: SimSentinel, e: Extract<CoreEffect, { type: "publish-hello" }>): void {
    const link = s.links.get(e.link);
    const conn = link?.cmd;
    const life = s.life;
    if (link === undefined || conn == null || !conn.open) {
      this.#queue.push(this.now + 1, () => this.#deliver(s, life, { type: "hello-published", target: e.target, ok: false }));
      return;
    }
    const payload = helloPayload(e.hello, s.host);
    this.checker.sent(this.now, s.myid, e.hello.currentEpoch, "a hello");
    const fail = (): void => this.#deliver(s, life, { type: "hello-published", target: e.target, ok: false });
    conn.hellos.add(fail);
    const published = (): void =>
      this.#transmit(link.target, s.node, conn, () => {
        conn.hellos.delete(fail);
        this.#deliver(s, life, { type: "hello-published", target: e.target, ok: true });
      });
    if (link.kind === "sentinel") {
      const j = Number(link.target.slice(1));
      this.#transmit(s.node, link.target, conn, () => {
        const target = this.sentinels[j];
        if (target?.core == null) return;
        this.#deliver(target, target.life, { type: "hello-received", payload });
        published();
      });
      return;
    }
    const r = this.redis.get(`10.0.0.1:${link.target.slice(1)}`);
    if (r === undefined) return;
    this.#transmit(s.node, link.target, conn, () =>
      this.#atRedis(r, () => {
        for (const other of this.sentinels) {
          for (const sub of other.links.values()) {
            const subConn = sub.pubsub;
            if (sub.target !== link.target || subConn === null || !subConn.open) continue;
            const otherLife = other.life;
            this.#transmit(link.target, other.node, subConn, () =>
              this.#deliver(other, otherLife, { type: "pubsub-message", link: sub.id, channel: "__sentinel__:hello", message: payload }),
            );
          }
        }
        published();
      }),
    );
  }

  #replicasOf(r: SimRedis): SimRedis[] {
    const out: SimRedis[] = [];
    for (const x of this.redis.values()) if (x.alive && x.linkUp && x.masterOf?.port === r.port && x.masterOf.host === r.host) out.push(x);
    return out;
  }

  #promoted(s: SimSentinel, r: SimRedis): void {
    const core = s.core;
    if (core === null) return;
    for (const m of core.election.masters.values()) {
      if (m.failover !== null) {
        this.checker.promoted(this.now, m.name, m.failover.epoch, s.myid, r.key);
        return;
      }
    }
    this.checker.promoted(this.now, "?", core.currentEpoch, s.myid, r.key);
  }

  /** CLIENT KILL TYPE: every other sentinel's connection of that type to `r` is dropped (Redis spares the caller). */
  #killClients(r: SimRedis, type: "normal" | "pubsub", caller: Conn): void {
    const node = SimWorld.redisNode(r.port);
    const connection = type === "normal" ? "cmd" : "pubsub";
    for (const s of this.sentinels) {
      for (const link of s.links.values()) {
        if (link.target === node && link[connection] !== caller && link[connection]?.open === true) this.#reset(node, s, link, connection);
      }
    }
  }
}
