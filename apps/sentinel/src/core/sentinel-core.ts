import { newMasterConfig, type MasterConfig, type SentinelConfig } from "@sentinel-kit/config-store";
import {
  createFailoverPlanner,
  currentMasterAddress,
  mapCommand,
  selectReplica,
  type FailoverPlanner,
  type FastConfirmationOptions,
  type PlannerTimings,
  type FailoverState,
  type MasterView as PlannerMasterView,
  type PlannerEffect,
  type PlannerInput,
} from "@sentinel-kit/failover-planner";
import { Gossip, isIpLiteral, sameAddress, type Address, type GossipEffect, type Hello } from "@sentinel-kit/gossip";
import {
  InstanceHealth,
  formatAddress,
  type HealthEffect,
  type HealthInput,
  type InstanceDetails,
  type SentinelTimings,
} from "@sentinel-kit/health-monitor";
import {
  addMaster,
  addPeer,
  createElectionState,
  downReports,
  endFailover,
  forceFailover,
  handleIsMasterDownRequest,
  isMasterDownCommand,
  isSentinelId,
  nextWake,
  observeEpoch,
  parseIsMasterDownReply,
  receiveIsMasterDownReply,
  removeMaster,
  removePeer,
  resetMaster,
  retryGateOpensAt,
  setMasterOptions,
  setPeerConnected,
  setSubjectiveDown,
  setTilt,
  setTimings,
  tick as electionTick,
  toSentinelId,
  type ElectionState,
  type ElectionStep,
  type MasterElection,
} from "@sentinel-kit/raft-election";
import { globMatch } from "@sentinel-kit/resp-protocol";
import { clientReconfigScriptCall, notificationScriptCall } from "../scripts/script-args.js";
import type { DebugTimings, GlobalConfigChange, MasterOptionChange } from "../commands/view.js";
import { ctime } from "./ctime.js";
import { MasterMismatches, type MismatchEvent } from "./master-mismatch.js";
import { replicaView } from "./planner-view.js";
import { parseRoleReply } from "./role-reply.js";
import type {
  CommandResult,
  CoreEffect,
  CoreEvent,
  CoreLogLevel,
  CoreStep,
  Expectation,
  LinkId,
  MutationCommand,
  Random,
} from "./types.js";

/** Options of {@link SentinelCore}. */
export interface SentinelCoreOptions {
  /** The loaded configuration; its `myid` must be set (the runtime generates one when missing). */
  readonly config: SentinelConfig;
  /** Health timings (PING, INFO, hello periods); Redis's by default. */
  readonly timings?: Partial<SentinelTimings>;
  /**
   * The planner's fast promotion confirmation (ROLE probes instead of waiting for INFO);
   * on by default, `false` for Redis's pacing.
   */
  readonly fastConfirmation?: FastConfirmationOptions | false;
  /**
   * The start slot, ms (default 50): between seeing ODOWN and starting an attempt, a sentinel
   * waits its rank by run id among its connected peers times this, plus a random part of up
   * to half of it. Redis gets its desynchronisation from its random 10-19 Hz timer; without
   * one, sentinels that see ODOWN in the same millisecond all vote for themselves.
   */
  readonly startJitterMs?: number;
}

/** One monitored Redis instance: its link and its health state. */
export interface InstanceEntry {
  /** The link (replaced when SENTINEL SET changes the credentials). */
  link: LinkId;
  /** Its address. */
  readonly address: Address;
  /** The health state. */
  readonly health: InstanceHealth;
  /** When its health state wants the next tick. */
  due: number;
}

/** A monitored master with its replicas and its failover. */
export interface MasterEntry {
  /** The configuration (address kept current, epochs kept by gossip and election). */
  config: MasterConfig;
  /** The master instance. */
  master: InstanceEntry;
  /** Replicas by `ip:port`, in discovery order. */
  readonly replicas: Map<string, InstanceEntry>;
  /** The planner's state. */
  planner: FailoverState;
  /** When the planner asked to be stepped again. */
  plannerWake: number | null;
  /** Last `master-status` told to the replicas' health (ODOWN or failover in progress). */
  replicaFastInfo: boolean;
}

/** A peer sentinel: one link per runid whatever the number of masters (SPEC §4.2). */
export interface PeerEntry extends InstanceEntry {
  /** The peer's runid. */
  readonly runid: string;
}

/** `sentinel_tilt_trigger`, ms: a longer gap between two ticks enters TILT. */
const TILT_TRIGGER_MS = 2000;
/** `sentinel_tilt_period`, ms: how long TILT lasts. */
const TILT_PERIOD_MS = 30_000;
/** The longest the core lets pass between two ticks (Redis ticks every 50-100 ms). */
const TILT_CHECK_PERIOD_MS = 1000;

const NO_RESULT_ACTION: CommandResult = { type: "action", result: { ok: true } };
const SAVE_FAILED = "ERR Failed to save config file. Check server logs.";

function toRandomInt(random: Random): (bound: number) => number {
  return (bound) => Math.floor(random() * bound);
}

function levelOf(level: string): CoreLogLevel {
  return level === "warning" || level === "notice" || level === "verbose" || level === "debug" ? level : "notice";
}

/**
 * The whole daemon as one pure state machine: health states, gossip, election and planner
 * composed. `step(event, now, random)` returns the effects to carry out, in order; it never
 * reads a clock, sets a timer, draws a random number or touches a socket or a file.
 */
export class SentinelCore {
  #planner: FailoverPlanner;
  #timings: Partial<SentinelTimings>;
  readonly #fast: FastConfirmationOptions | false;
  #tiltTriggerMs = TILT_TRIGGER_MS;
  #tiltPeriodMs = TILT_PERIOD_MS;
  readonly #masters = new Map<string, MasterEntry>();
  readonly #peers = new Map<string, PeerEntry>();
  readonly #links = new Map<LinkId, { master: string | null; peer: string | null }>();
  readonly #mismatches = new MasterMismatches();
  #config: SentinelConfig;
  #gossip: Gossip;
  #election: ElectionState;
  #nextLink = 1;
  readonly #startJitterMs: number;
  #startHold: number | null = null;
  #lastTick: number | null = null;
  #tiltSince: number | null = null;
  // Per step:
  #fx: CoreEffect[] = [];
  #persistAt = -1;
  #now = 0;
  #random: Random = () => 0;

  /** Builds the state from the configuration at time `now`; {@link SentinelCore.start} returns the first effects. */
  constructor(options: SentinelCoreOptions, now: number) {
    const config = options.config;
    if (config.myid === undefined) throw new Error("SentinelCore needs a configuration with a myid");
    this.#config = config;
    this.#timings = options.timings ?? {};
    this.#startJitterMs = options.startJitterMs ?? 50;
    this.#fast = options.fastConfirmation ?? { probeIntervalMs: 20, maxProbes: 250 };
    this.#planner = this.#makePlanner({});
    this.#now = now;
    this.#gossip = new Gossip(
      {
        myRunid: config.myid,
        currentEpoch: config.currentEpoch,
        announcePort: helloPort(config),
        ...(config.announceIp !== undefined && config.announceIp !== "" ? { announceIp: config.announceIp } : {}),
        resolveHostnames: config.resolveHostnames,
        masters: [],
        ...(options.timings?.publishPeriodMs !== undefined ? { publishPeriodMs: options.timings.publishPeriodMs } : {}),
      },
      now,
    );
    this.#election = createElectionState({ myId: toSentinelId(config.myid), currentEpoch: config.currentEpoch });
  }

  /** This sentinel's id. */
  get myid(): string {
    return this.#config.myid ?? "";
  }

  /** The configuration as the core would persist it now. */
  get config(): SentinelConfig {
    return this.#buildConfig();
  }

  /** Since when the sentinel is in TILT, or null (SPEC §4.13). */
  get tiltSince(): number | null {
    return this.#tiltSince;
  }

  /** The current epoch. */
  get currentEpoch(): number {
    return this.#election.currentEpoch;
  }

  /** The monitored masters, in the order they were added. */
  get masters(): ReadonlyMap<string, MasterEntry> {
    return this.#masters;
  }

  /** The peer sentinels by runid. */
  get peers(): ReadonlyMap<string, PeerEntry> {
    return this.#peers;
  }

  /** The gossip core (peer table, config epochs). */
  get gossip(): Gossip {
    return this.#gossip;
  }

  /** The election state (ODOWN, votes). */
  get election(): ElectionState {
    return this.#election;
  }

  /** Monitors the configured masters, known replicas and sentinels: the first effects. */
  start(now: number, random: Random): CoreStep {
    return this.#run(now, random, () => {
      for (const master of this.#config.masters) this.#addMaster(master, true);
    });
  }

  /** Feeds one event at time `now`; returns what to do, in order. */
  step(event: CoreEvent, now: number, random: Random): CoreStep {
    return this.#run(now, random, () => this.#dispatch(event));
  }

  #run(now: number, random: Random, body: () => void): CoreStep {
    this.#fx = [];
    this.#persistAt = -1;
    this.#now = now;
    this.#random = random;
    body();
    this.#syncMasterStatus();
    if (this.#persistAt >= 0) this.#fx.splice(this.#persistAt, 0, { type: "persist", config: this.#buildConfig() });
    const at = this.#nextWake();
    if (at !== null) this.#fx.push({ type: "wake", at });
    return { effects: this.#fx };
  }

  // ------------------------------------------------------------------ dispatch

  #dispatch(event: CoreEvent): void {
    switch (event.type) {
      case "tick":
        this.#tick(event.pending);
        return;
      case "link-connected":
        this.#feedLink(event.link, { type: "connected", connection: event.connection });
        return;
      case "link-disconnected":
        this.#feedLink(event.link, { type: "disconnected", connection: event.connection });
        return;
      case "command-reply":
        this.#onReply(event.link, event.expect, event.reply, event.error);
        return;
      case "pubsub-message":
        this.#feedLink(event.link, { type: "pubsub-activity" });
        if (event.channel === "__sentinel__:hello") this.#receiveHello(event.message);
        return;
      case "hello-published":
        this.#gossip.published(event.target, event.ok, this.#now);
        return;
      case "hello-received":
        this.#receiveHello(event.payload);
        return;
      case "command":
        this.#command(event.token, event.command);
        return;
    }
  }

  #tick(pending: ReadonlyMap<LinkId, number> | undefined): void {
    const now = this.#now;
    this.#checkTilt();
    const tilt = this.#tiltSince !== null;
    for (const [name, entry] of [...this.#masters]) {
      for (const inst of [entry.master, ...entry.replicas.values()]) {
        if (inst.due <= now && this.#masters.get(name) === entry) {
          this.#feedInst(inst, { type: "tick", pendingCommands: pending?.get(inst.link) ?? 0, tilt });
        }
      }
    }
    for (const peer of [...this.#peers.values()]) {
      if (peer.due <= now) this.#feedInst(peer, { type: "tick", pendingCommands: pending?.get(peer.link) ?? 0, tilt });
    }
    this.#gossipEffects(this.#gossip.tick(now));
    this.#electionTick();
    for (const name of [...this.#masters.keys()]) this.#plannerStep(name, { type: "tick" });
  }

  /**
   * `sentinelCheckTiltCondition`: more than 2 s between two ticks (the process was stopped,
   * the machine stalled) or time going backwards means nothing measured lately can be
   * trusted: act on nothing for 30 s (SPEC §4.13). The core asks for a tick at least every
   * second, so a longer gap is never its own doing.
   */
  #checkTilt(): void {
    const now = this.#now;
    if (this.#lastTick !== null) {
      const delta = now - this.#lastTick;
      if (delta < 0 || delta > this.#tiltTriggerMs) {
        this.#tiltSince = now;
        this.#event("+tilt", "warning", "#tilt mode entered", undefined);
      }
    }
    this.#lastTick = now;
    if (this.#tiltSince !== null && now - this.#tiltSince >= this.#tiltPeriodMs) {
      this.#tiltSince = null;
      this.#event("-tilt", "warning", "#tilt mode exited", undefined);
    }
    const tilt = this.#tiltSince !== null;
    if (this.#election.tilt !== tilt) this.#election = setTilt(this.#election, tilt);
  }

  #makePlanner(extra: Partial<PlannerTimings>): FailoverPlanner {
    const t = this.#timings;
    return createFailoverPlanner({
      fastConfirmation: this.#fast,
      timings: {
        ...(t.pingPeriodMs !== undefined ? { pingPeriod: t.pingPeriodMs } : {}),
        ...(t.infoPeriodMs !== undefined ? { infoPeriod: t.infoPeriodMs } : {}),
        ...(t.publishPeriodMs !== undefined ? { publishPeriod: t.publishPeriodMs } : {}),
        ...extra,
      },
    });
  }

  /**
   * SENTINEL DEBUG: new periods for everything that uses them, in place. Redis only changes
   * its globals (`sentinelSetDebugConfigParameters`), so links, pending replies, SDOWN and
   * the times of the last PING, INFO and hello stay; each next send falls due one new
   * period after the last one.
   */
  #setTimings(d: Partial<DebugTimings>): void {
    const health: Partial<SentinelTimings> = {
      ...(d.pingPeriod !== undefined ? { pingPeriodMs: d.pingPeriod } : {}),
      ...(d.infoPeriod !== undefined ? { infoPeriodMs: d.infoPeriod } : {}),
      ...(d.publishPeriod !== undefined ? { publishPeriodMs: d.publishPeriod } : {}),
      ...(d.minLinkReconnectPeriod !== undefined ? { minLinkReconnectPeriodMs: d.minLinkReconnectPeriod } : {}),
    };
    this.#timings = { ...this.#timings, ...health };
    this.#planner = this.#makePlanner({
      ...(d.electionTimeout !== undefined ? { electionTimeout: d.electionTimeout } : {}),
      ...(d.slaveReconfTimeout !== undefined ? { slaveReconfTimeout: d.slaveReconfTimeout } : {}),
    });
    this.#election = setTimings(this.#election, {
      ...(d.askPeriod !== undefined ? { askPeriodMs: d.askPeriod } : {}),
      ...(d.electionTimeout !== undefined ? { electionTimeoutMs: d.electionTimeout } : {}),
    });
    if (d.tiltTrigger !== undefined) this.#tiltTriggerMs = d.tiltTrigger;
    if (d.tiltPeriod !== undefined) this.#tiltPeriodMs = d.tiltPeriod;
    if (d.publishPeriod !== undefined) this.#gossip.setPublishPeriod(d.publishPeriod);
    if (Object.keys(health).length === 0) return;
    for (const entry of this.#masters.values()) {
      for (const inst of [entry.master, ...entry.replicas.values()]) this.#feedInst(inst, { type: "set-timings", timings: health });
    }
    for (const peer of this.#peers.values()) this.#feedInst(peer, { type: "set-timings", timings: health });
  }

  // ------------------------------------------------------------------ links and health

  #newLink(kind: "instance" | "sentinel", address: Address, master: string | null, peer: string | null): LinkId {
    const link = this.#nextLink++;
    this.#links.set(link, { master, peer });
    let auth: { authPass?: string; authUser?: string } = {};
    if (kind === "instance" && master !== null) {
      const cfg = this.#masters.get(master)?.config ?? this.#config.masters.find((m) => m.name === master);
      auth = {
        ...(cfg?.authPass !== undefined ? { authPass: cfg.authPass } : {}),
        ...(cfg?.authUser !== undefined ? { authUser: cfg.authUser } : {}),
      };
    } else if (kind === "sentinel") {
      const pass = this.#config.sentinelPass ?? this.#config.server.requirepass;
      auth = {
        ...(pass !== undefined ? { authPass: pass } : {}),
        ...(this.#config.sentinelUser !== undefined ? { authUser: this.#config.sentinelUser } : {}),
      };
    }
    this.#fx.push({ type: "create-link", link, kind, address, ...auth });
    return link;
  }

  #destroyLink(link: LinkId): void {
    this.#links.delete(link);
    this.#fx.push({ type: "destroy-link", link });
  }

  #newInstance(details: InstanceDetails, cfg: MasterConfig, knownReplicas: readonly Address[]): InstanceEntry {
    const address = { host: details.ip, port: details.port };
    const link = this.#newLink("instance", address, cfg.name, null);
    const health = new InstanceHealth(
      {
        details,
        downAfterMs: cfg.downAfterMilliseconds,
        masterRebootDownAfterMs: cfg.masterRebootDownAfterPeriod,
        timings: this.#timings,
        knownReplicas: knownReplicas.map((r) => ({ ip: r.host, port: r.port })),
      },
      this.#now,
    );
    return { link, address, health, due: this.#now };
  }

  #entryOfLink(link: LinkId): { entry: MasterEntry | null; inst: InstanceEntry; peer: PeerEntry | null } | null {
    const owner = this.#links.get(link);
    if (owner === undefined) return null;
    if (owner.peer !== null) {
      const peer = this.#peers.get(owner.peer);
      return peer === undefined || peer.link !== link ? null : { entry: null, inst: peer, peer };
    }
    const entry = owner.master === null ? undefined : this.#masters.get(owner.master);
    if (entry === undefined) return null;
    if (entry.master.link === link) return { entry, inst: entry.master, peer: null };
    for (const replica of entry.replicas.values()) if (replica.link === link) return { entry, inst: replica, peer: null };
    return null;
  }

  #feedLink(link: LinkId, input: HealthInput): void {
    const found = this.#entryOfLink(link);
    if (found === null) return;
    this.#feedInst(found.inst, input);
    if (found.peer !== null && (input.type === "connected" || input.type === "disconnected")) this.#syncPeerLinks();
  }

  #feedInst(inst: InstanceEntry, input: HealthInput): void {
    const step = inst.health.step(input, this.#now);
    inst.due = step.nextDueAt;
    for (const effect of step.effects) this.#healthEffect(inst, effect);
    const owner = this.#links.get(inst.link);
    if (owner?.master != null && inst.health.details.kind === "master") this.#syncSdown(owner.master);
  }

  #healthEffect(inst: InstanceEntry, effect: HealthEffect): void {
    switch (effect.type) {
      case "connect":
        this.#fx.push({ type: "connect", link: inst.link, connection: effect.connection });
        return;
      case "close":
        this.#fx.push({ type: "close", link: inst.link, connection: effect.connection });
        return;
      case "send":
        this.#fx.push({
          type: "send",
          link: inst.link,
          command: this.#renamed(inst.link, effect.command.split(" ")),
          expect: effect.command === "PING" ? { kind: "ping" } : effect.command === "INFO" ? { kind: "info" } : { kind: "none" },
        });
        return;
      case "event":
        this.#event(effect.event.type, effect.event.level, effect.event.message, this.#links.get(inst.link)?.master ?? inst.health.details.master?.name);
        return;
      case "replica-discovered": {
        const owner = this.#links.get(inst.link);
        const entry = owner?.master == null ? undefined : this.#masters.get(owner.master);
        if (entry === undefined) return;
        this.#addReplica(entry, { host: effect.replica.ip, port: effect.replica.port });
        this.#gossip.setReplicas(entry.config.name, [...entry.replicas.values()].map((r) => r.address), this.#now);
        this.#persist();
        return;
      }
    }
  }

  /** `sentinelInstanceMapCommand`: a master's `rename-command` applies to it and its replicas. */
  #renamed(link: LinkId, command: readonly string[]): string[] {
    const master = this.#links.get(link)?.master;
    const renamed = master == null ? undefined : this.#masters.get(master)?.config.renamedCommands;
    const [name = "", ...rest] = command;
    if (renamed === undefined || renamed.length === 0) return [name, ...rest];
    return [mapCommand(Object.fromEntries(renamed.map((r) => [r.command, r.renamed])), name), ...rest];
  }

  #replicaDetails(entry: MasterEntry, address: Address): InstanceDetails {
    const m = entry.master.address;
    return {
      kind: "slave",
      name: formatAddress(address.host, address.port),
      ip: address.host,
      port: address.port,
      master: { name: entry.config.name, ip: m.host, port: m.port },
    };
  }

  #addReplica(entry: MasterEntry, address: Address): void {
    const key = formatAddress(address.host, address.port);
    if (entry.replicas.has(key)) return;
    entry.replicas.set(key, this.#newInstance(this.#replicaDetails(entry, address), entry.config, []));
  }

  #onReply(link: LinkId, expect: Expectation, reply: unknown, error: string | undefined): void {
    switch (expect.kind) {
      case "none":
        return;
      case "ping":
        if (reply === undefined && error === undefined) return;
        this.#feedLink(link, {
          type: "ping-reply",
          reply:
            error !== undefined
              ? { kind: "error", text: error }
              : typeof reply === "string"
                ? { kind: "status", text: reply }
                : { kind: "other" },
        });
        return;
      case "info": {
        if (reply === undefined && error === undefined) return;
        const info = typeof reply === "string" ? reply : Buffer.isBuffer(reply) ? reply.toString("latin1") : undefined;
        this.#feedLink(link, { type: "info-reply", info });
        const found = this.#entryOfLink(link);
        if (found?.entry != null && found.inst !== found.entry.master && info !== undefined) {
          this.#plannerStep(found.entry.config.name, { type: "replica-info", replica: found.inst.address });
        }
        return;
      }
      case "role": {
        const role = parseRoleReply(reply);
        if (role !== null && this.#masters.has(expect.master)) {
          this.#plannerStep(expect.master, { type: "role-reply", replica: expect.address, reply: role });
        }
        return;
      }
      case "is-master-down": {
        const parsed = parseIsMasterDownReply(reply);
        const m = this.#election.masters.get(expect.master);
        if (parsed === null || m === undefined || !m.peers.has(toSentinelId(expect.runid))) return;
        this.#election = receiveIsMasterDownReply(this.#election, expect.master, toSentinelId(expect.runid), parsed, this.#now);
        // Act on the news at once instead of at the next timer tick.
        this.#electionTick();
        return;
      }
    }
  }

  // ------------------------------------------------------------------ masters

  #addMaster(cfg: MasterConfig, announce: boolean): void {
    const address = { host: cfg.host, port: cfg.port };
    const entry: MasterEntry = {
      config: cfg,
      master: undefined as unknown as InstanceEntry,
      replicas: new Map(),
      planner: this.#planner.initialState(),
      plannerWake: null,
      replicaFastInfo: false,
    };
    this.#masters.set(cfg.name, entry);
    entry.master = this.#newInstance({ kind: "master", name: cfg.name, ip: cfg.host, port: cfg.port }, cfg, cfg.knownReplicas);
    for (const r of cfg.knownReplicas) this.#addReplica(entry, r);
    this.#gossip.monitor(
      { name: cfg.name, address, configEpoch: cfg.configEpoch, replicas: cfg.knownReplicas.map((r) => ({ host: r.host, port: r.port })) },
      this.#now,
    );
    this.#election = addMaster(this.#election, {
      name: cfg.name,
      ip: cfg.host,
      port: cfg.port,
      quorum: cfg.quorum,
      failoverTimeoutMs: cfg.failoverTimeout,
      leaderEpoch: cfg.leaderEpoch,
    });
    if (announce) this.#event("+monitor", "warning", `master ${cfg.name} ${cfg.host} ${cfg.port} quorum ${cfg.quorum}`, cfg.name);
    for (const s of cfg.knownSentinels) {
      if (!isSentinelId(s.runId) || s.runId.toLowerCase() === this.myid.toLowerCase()) continue;
      this.#gossipEffects(this.#gossip.addKnownSentinel(cfg.name, s.runId.toLowerCase(), { host: s.host, port: s.port }, this.#now));
    }
    this.#syncPeers();
  }

  #dropInstances(entry: MasterEntry): void {
    this.#destroyLink(entry.master.link);
    for (const r of entry.replicas.values()) this.#destroyLink(r.link);
    entry.replicas.clear();
  }

  /** `sentinelResetMasterAndChangeAddress`: monitor `to` with `replicas`, keep the sentinels. */
  #switchTo(entry: MasterEntry, to: Address, replicas: readonly Address[]): void {
    const name = entry.config.name;
    this.#dropInstances(entry);
    entry.config = { ...entry.config, host: to.host, port: to.port, knownReplicas: replicas.map((r) => ({ ...r })) };
    entry.master = this.#newInstance({ kind: "master", name, ip: to.host, port: to.port }, entry.config, replicas);
    for (const r of replicas) this.#addReplica(entry, r);
    entry.planner = this.#planner.initialState();
    entry.plannerWake = null;
    this.#election = resetMaster(this.#election, name, { keepPeers: true, ip: to.host, port: to.port });
    this.#gossip.switchMaster(name, to, replicas, this.#now);
    this.#persist();
  }

  /** SENTINEL RESET: a new master instance at the same address, with no replicas. */
  #rebuild(entry: MasterEntry): void {
    const name = entry.config.name;
    this.#dropInstances(entry);
    const { host, port } = entry.config;
    entry.master = this.#newInstance({ kind: "master", name, ip: host, port }, entry.config, []);
  }

  /**
   * SENTINEL SET down-after-milliseconds / master-reboot-down-after-period: Redis assigns the
   * fields and `sentinelPropagateDownAfterPeriod` copies down-after to the master's replicas
   * and sentinels; links, SDOWN and known instances stay. A peer's one health state serves
   * every master it monitors and takes the first one's down-after, as when it was opened.
   */
  #setDownAfter(entry: MasterEntry): void {
    const periods = {
      type: "set-down-after",
      downAfterMs: entry.config.downAfterMilliseconds,
      masterRebootDownAfterMs: entry.config.masterRebootDownAfterPeriod,
    } as const;
    for (const inst of [entry.master, ...entry.replicas.values()]) this.#feedInst(inst, periods);
    for (const peer of this.#peers.values()) {
      if (this.#peerFirstMaster(peer.runid) === entry) this.#feedInst(peer, { type: "set-down-after", downAfterMs: periods.downAfterMs });
    }
  }

  /**
   * SENTINEL SET auth-pass / auth-user: `dropInstanceConnections` closes the connections to
   * the master and its replicas (not the sentinels') and keeps the instances, so SDOWN, run
   * ids, replies and known replicas stay; the reconnect uses the new credentials. Ours are
   * set when a link is created, so each gets a new link, and its health state reconnects on
   * its usual schedule.
   */
  #relink(entry: MasterEntry): void {
    for (const inst of [entry.master, ...entry.replicas.values()]) {
      this.#destroyLink(inst.link);
      inst.link = this.#newLink("instance", inst.address, entry.config.name, null);
      this.#feedInst(inst, { type: "disconnected", connection: "cmd" });
      this.#feedInst(inst, { type: "disconnected", connection: "pubsub" });
    }
  }

  #syncSdown(name: string): void {
    const entry = this.#masters.get(name);
    const m = this.#election.masters.get(name);
    if (entry === undefined || m === undefined) return;
    const sdown = entry.master.health.snapshot().sdown;
    if (m.sdown !== sdown) {
      this.#election = setSubjectiveDown(this.#election, name, sdown);
      this.#electionTick();
    }
  }

  #syncMasterStatus(): void {
    for (const [name, entry] of this.#masters) {
      const m = this.#election.masters.get(name);
      const fast = (m?.odown ?? false) || entry.planner.phase !== "none";
      if (fast === entry.replicaFastInfo) continue;
      entry.replicaFastInfo = fast;
      for (const r of entry.replicas.values()) this.#feedInst(r, { type: "master-status", odownOrFailover: fast });
    }
  }

  // ------------------------------------------------------------------ peers

  /** Keeps the peer links, the election's peer lists and the open mismatches in line with gossip's peer table. */
  #syncPeers(): void {
    this.#mismatchEvents(
      this.#mismatches.prune((master, runid) => this.#masters.has(master) && this.#gossip.peers.get(runid)?.masters.has(master) === true),
    );
    for (const peer of this.#gossip.peers.all()) {
      if (this.#peers.has(peer.runid)) continue;
      this.#openPeer(peer.runid, peer.address);
    }
    for (const [runid, peer] of [...this.#peers]) {
      const known = this.#gossip.peers.get(runid);
      if (known === undefined) {
        this.#destroyLink(peer.link);
        this.#peers.delete(runid);
      } else if (!sameAddress(known.address, peer.address)) {
        this.#destroyLink(peer.link);
        this.#peers.delete(runid);
        this.#openPeer(runid, known.address);
      }
    }
    for (const name of this.#masters.keys()) {
      const m = this.#election.masters.get(name);
      if (m === undefined) continue;
      const wanted = new Set(
        this.#gossip
          .sentinelsOf(name)
          .map((p) => p.runid)
          .filter(isSentinelId)
          .map((id) => toSentinelId(id)),
      );
      for (const id of wanted) {
        if (!m.peers.has(id)) this.#election = addPeer(this.#election, name, id, this.#peerConnected(id));
      }
      for (const id of m.peers.keys()) if (!wanted.has(id)) this.#election = removePeer(this.#election, name, id);
    }
    this.#syncPeerLinks();
  }

  #peerConnected(runid: string): boolean {
    return this.#peers.get(runid)?.health.snapshot().cmd === "open";
  }

  #syncPeerLinks(): void {
    for (const [name, m] of this.#election.masters) {
      for (const [id, p] of m.peers) {
        const connected = this.#peerConnected(id);
        if (p.connected !== connected) this.#election = setPeerConnected(this.#election, name, id, connected);
      }
    }
  }

  /** The first monitored master (in monitoring order) that the peer monitors too. */
  #peerFirstMaster(runid: string): MasterEntry | undefined {
    return [...this.#masters.values()].find((e) => this.#gossip.peers.get(runid)?.masters.has(e.config.name));
  }

  #openPeer(runid: string, address: Address): void {
    const first = this.#peerFirstMaster(runid);
    const m = first?.master.address;
    const link = this.#newLink("sentinel", address, null, runid);
    const health = new InstanceHealth(
      {
        details: {
          kind: "sentinel",
          name: runid,
          ip: address.host,
          port: address.port,
          ...(first !== undefined && m !== undefined ? { master: { name: first.config.name, ip: m.host, port: m.port } } : {}),
        },
        downAfterMs: first?.config.downAfterMilliseconds ?? 30_000,
        timings: this.#timings,
        runId: runid,
      },
      this.#now,
    );
    this.#peers.set(runid, { link, address, health, due: this.#now, runid });
  }

  // ------------------------------------------------------------------ gossip

  #receiveHello(payload: string): void {
    const outcome = this.#gossip.receiveHello(payload, this.#now);
    this.#gossipEffects(outcome.effects);
    if (outcome.status === "processed") this.#checkAgreement(outcome.hello);
  }

  /**
   * A sentinel-kit addition, not in Redis: a known peer whose hello, once applied, still
   * names another address for the master at our config epoch is a disagreement no rule will
   * settle (SPEC §4.5 adopts a greater epoch only; redis/redis#12271), so it is reported as
   * `+master-mismatch` when it starts and `-master-mismatch` when it ends.
   */
  #checkAgreement(hello: Hello): void {
    const name = hello.masterName;
    const state = this.#gossip.master(name);
    const peer = this.#gossip.peers.get(hello.runid);
    if (state === undefined || peer === undefined || !peer.masters.has(name)) return;
    const ours = { address: state.helloAddress ?? state.address, configEpoch: state.configEpoch };
    const theirs = { address: { host: hello.masterIp, port: hello.masterPort }, configEpoch: hello.masterConfigEpoch };
    this.#mismatchEvents(this.#mismatches.observe(name, peer.runid, peer.address, ours, theirs));
  }

  #mismatchEvents(events: readonly MismatchEvent[]): void {
    for (const e of events) this.#event(e.name, "warning", e.payload, e.master);
  }

  #gossipEffects(effects: readonly GossipEffect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case "persist":
          this.#persist();
          break;
        case "event":
          if (effect.event.name === "+new-epoch") {
            // Gossip raised the epoch: the election follows; gossip's announcement stands.
            this.#election = observeEpoch(this.#election, effect.event.payload === "" ? 0 : Number(effect.event.payload), effect.event.master).state;
          }
          this.#event(effect.event.name, effect.event.level, effect.event.payload, effect.event.master);
          break;
        case "open-sentinel-link":
        case "close-sentinel-link":
          break;
        case "reset-master": {
          const entry = this.#masters.get(effect.master);
          if (entry !== undefined) {
            entry.config = { ...entry.config, configEpoch: this.#gossip.master(effect.master)?.configEpoch ?? entry.config.configEpoch };
            this.#switchTo(entry, effect.to, effect.replicas);
          }
          break;
        }
        case "client-reconfig-script":
          this.#reconfigScript(effect.master, "observer", effect.from, effect.to);
          break;
        case "publish-hello":
          this.#publishHello(effect);
          break;
      }
    }
    this.#syncPeers();
  }

  #publishHello(effect: Extract<GossipEffect, { type: "publish-hello" }>): void {
    const target = effect.target;
    let link: LinkId | undefined;
    if (target.kind === "sentinel") {
      link = this.#peers.get(target.runid)?.link;
    } else {
      const entry = this.#masters.get(target.master);
      link =
        target.kind === "master"
          ? entry?.master.link
          : entry?.replicas.get(formatAddress(target.address.host, target.address.port))?.link;
    }
    if (link === undefined) this.#gossip.published(target, false, this.#now);
    else {
      // announce-ip and announce-port as they are now (SENTINEL CONFIG SET applies at once).
      const c = this.#config;
      const hello = {
        ...effect.hello,
        sentinelIp: c.announceIp !== undefined && c.announceIp !== "" ? c.announceIp : null,
        sentinelPort: helloPort(c),
      };
      this.#fx.push({ type: "publish-hello", link, target, hello, command: this.#renamed(link, ["PUBLISH"])[0] ?? "PUBLISH" });
    }
  }

  // ------------------------------------------------------------------ election

  #electionTick(): void {
    const due = this.#attemptDue();
    if (due !== null) {
      this.#startHold ??= this.#now + this.#startDelay(due);
      if (this.#now < this.#startHold) return;
    }
    this.#startHold = null;
    this.#applyElection(electionTick(this.#election, this.#now, toRandomInt(this.#random)));
    this.#startElectedFailovers();
  }

  #applyElection(step: ElectionStep, replyToken?: number): void {
    this.#election = step.state;
    for (const e of step.effects) {
      switch (e.type) {
        case "persist":
          this.#persist();
          break;
        case "ask": {
          const peer = this.#peers.get(e.to);
          if (peer !== undefined) {
            this.#fx.push({
              type: "send",
              link: peer.link,
              command: isMasterDownCommand(e.request),
              expect: { kind: "is-master-down", master: e.master, runid: e.to },
            });
          }
          break;
        }
        case "reply":
          if (replyToken !== undefined) {
            // A vote that did not reach the disk is never sent: after a restart this sentinel
            // could vote again in the same epoch (FAULTS.md row 14). Redis sends it anyway.
            const unsaved = { ...e.reply, leader: null, leaderEpoch: 0 };
            this.#reply(replyToken, { type: "is-master-down", reply: e.reply }, { type: "is-master-down", reply: unsaved });
          }
          break;
        case "event":
          this.#event(e.event.name, "warning", e.message, e.event.master);
          break;
        case "failover-delayed":
          this.#log("warning", `Next failover delay: I will not start a failover before ${ctime(e.notBefore)}`);
          break;
        case "wake":
          break;
      }
    }
    // Our own epoch changes reach the hellos; their persist and +new-epoch were done above.
    if (this.#election.currentEpoch > this.#gossip.currentEpoch) {
      const first = this.#masters.keys().next();
      if (first.done !== true) this.#gossip.adoptEpoch(this.#election.currentEpoch, first.value);
    }
  }

  /** The first master whose failover attempt the election would start now, or null. */
  #attemptDue(): MasterElection | null {
    if (this.#election.tilt) return null;
    for (const m of this.#election.masters.values()) {
      const gate = retryGateOpensAt(m);
      if (m.sdown && m.failover === null && downReports(m) >= m.quorum && (gate === null || this.#now >= gate)) return m;
    }
    return null;
  }

  /**
   * How long to hold an attempt back. Sentinels send their PINGs on the same 100 ms grid, so
   * they see a crashed master down in the same tick; with a random delay each, three of them
   * can start within a few milliseconds, each vote for itself, and wait 2 x failover-timeout
   * for the next try (Redis's split vote). Ordered by run id among the sentinels it is
   * connected to (those that could compete; a peer's down report may not be in yet), each takes
   * its own slot of `startJitterMs` and starts in its first half, so the first one's vote
   * request reaches the next before that one starts, and gets its vote.
   */
  #startDelay(m: MasterElection): number {
    const rivals = [...m.peers].filter(([, p]) => p.connected).map(([id]) => String(id));
    const rank = rivals.filter((id) => id < this.myid).length;
    return rank * this.#startJitterMs + Math.floor((this.#random() * this.#startJitterMs) / 2);
  }

  /** An election won (or a forced attempt): the planner takes over from `+elected-leader`. */
  #startElectedFailovers(): void {
    for (const [name, m] of this.#election.masters) {
      const entry = this.#masters.get(name);
      const attempt = m.failover;
      if (entry === undefined || attempt === null || attempt.phase !== "elected" || entry.planner.phase !== "none") continue;
      const result = this.#planner.step(entry.planner, { type: "failover-command" }, this.#context(entry, attempt.epoch - 1));
      const refused = result.effects.some((e) => e.kind === "reply" && !e.reply.ok);
      if (refused) {
        const details = `master ${name} ${entry.master.address.host} ${entry.master.address.port}`;
        this.#event("+failover-state-select-slave", "warning", details, name);
        this.#event("-failover-abort-no-good-slave", "warning", details, name);
        this.#election = endFailover(this.#election, name);
        continue;
      }
      this.#applyPlanner(entry, result.state, result.effects, true);
    }
  }

  // ------------------------------------------------------------------ planner

  #context(entry: MasterEntry, currentEpoch: number): Parameters<FailoverPlanner["step"]>[2] {
    return { now: this.#now, master: this.#plannerView(entry), currentEpoch, tilt: this.#tiltSince !== null, random: this.#random };
  }

  #plannerView(entry: MasterEntry): PlannerMasterView {
    const snap = entry.master.health.snapshot();
    const cfg = entry.config;
    return {
      name: cfg.name,
      addr: entry.master.address,
      sDown: snap.sdown,
      // The election owns ODOWN and the start of an attempt; the planner acts from +elected-leader.
      oDown: false,
      sDownSince: snap.sdownSince ?? 0,
      role: snap.roleReported ?? "unknown",
      infoRefresh: snap.infoRefresh ?? 0,
      downAfter: cfg.downAfterMilliseconds,
      failoverTimeout: cfg.failoverTimeout,
      parallelSyncs: cfg.parallelSyncs,
      renamedCommands: Object.fromEntries(cfg.renamedCommands.map((r) => [r.command, r.renamed])),
      replicas: [...entry.replicas.values()].map((r) => replicaView(r)),
    };
  }

  #plannerStep(name: string, input: PlannerInput): void {
    const entry = this.#masters.get(name);
    if (entry === undefined) return;
    const result = this.#planner.step(entry.planner, input, this.#context(entry, this.#election.currentEpoch));
    this.#applyPlanner(entry, result.state, result.effects, false);
  }

  #applyPlanner(entry: MasterEntry, state: FailoverState, effects: readonly PlannerEffect[], starting: boolean): void {
    const name = entry.config.name;
    const before = entry.planner.phase;
    entry.planner = state;
    entry.plannerWake = null;
    let switched = false;
    for (const e of effects) {
      switch (e.kind) {
        case "event":
          // The election already announced the epoch, the attempt and the win.
          if (starting && (e.type === "+new-epoch" || e.type === "+try-failover" || e.type === "+elected-leader")) break;
          this.#event(e.type, e.level, e.payload, name);
          break;
        case "send":
          this.#sendTo(entry, e.to, e.commands, e.purpose === "probe-role" ? { kind: "role", master: name, address: e.to } : { kind: "none" });
          break;
        case "set-config-epoch": {
          entry.config = { ...entry.config, configEpoch: e.epoch };
          const promoted = entry.planner.promoted ?? entry.master.address;
          this.#gossip.promote(name, e.epoch, promoted);
          break;
        }
        case "persist":
          this.#persist();
          break;
        case "client-reconfig-script":
          this.#reconfigScript(name, "leader", e.from, e.to);
          break;
        case "force-hello":
          this.#gossip.forceHelloUpdate(name);
          break;
        case "reset-master":
          this.#switchTo(entry, e.to, e.replicas);
          switched = true;
          break;
        case "wake":
          entry.plannerWake = e.at;
          break;
        case "set-current-epoch":
        case "ask-sentinels":
        case "reply":
          break;
      }
    }
    if (!switched && before !== "none" && entry.planner.phase === "none") {
      this.#election = endFailover(this.#election, name);
    }
    if (switched) this.#gossipEffects(this.#gossip.tick(this.#now));
  }

  #sendTo(entry: MasterEntry, to: Address, commands: readonly (readonly string[])[], expect: Expectation): void {
    const inst = sameAddress(entry.master.address, to)
      ? entry.master
      : entry.replicas.get(formatAddress(to.host, to.port));
    if (inst === undefined) return;
    commands.forEach((command, i) => {
      this.#fx.push({ type: "send", link: inst.link, command, expect: i === commands.length - 1 ? expect : { kind: "none" } });
    });
  }

  // ------------------------------------------------------------------ commands

  #reply(token: number, result: CommandResult, onSaveFailure?: CommandResult): void {
    this.#fx.push({ type: "reply", token, result, ...(onSaveFailure !== undefined ? { onSaveFailure } : {}) });
  }

  #command(token: number, command: MutationCommand): void {
    const failed: CommandResult = { type: "action", result: { ok: false, error: SAVE_FAILED } };
    switch (command.type) {
      case "monitor": {
        if (this.#masters.has(command.name)) {
          this.#reply(token, { type: "action", result: { ok: false, error: "ERR Duplicate master name." } });
          return;
        }
        if (!this.#config.resolveHostnames && !isIpLiteral(command.host)) {
          this.#reply(token, { type: "action", result: { ok: false, error: "ERR Invalid IP address or hostname specified" } });
          return;
        }
        this.#addMaster(newMasterConfig(command.name, command.host, command.port, command.quorum), true);
        this.#persist();
        this.#reply(token, NO_RESULT_ACTION, failed);
        return;
      }
      case "remove": {
        const entry = this.#masters.get(command.name);
        if (entry === undefined) {
          this.#reply(token, { type: "action", result: { ok: false, error: "ERR No such master with that name" } });
          return;
        }
        this.#event("-monitor", "warning", `master ${command.name} ${entry.master.address.host} ${entry.master.address.port}`, command.name);
        this.#dropInstances(entry);
        this.#masters.delete(command.name);
        this.#election = removeMaster(this.#election, command.name);
        this.#gossipEffects(this.#gossip.remove(command.name));
        this.#persist();
        this.#reply(token, NO_RESULT_ACTION, failed);
        return;
      }
      case "set":
        this.#setOptions(token, command.name, command.changes);
        return;
      case "reset": {
        let count = 0;
        for (const entry of [...this.#masters.values()]) {
          if (!globMatch(command.pattern, entry.config.name)) continue;
          count++;
          const name = entry.config.name;
          this.#gossipEffects(this.#gossip.reset(name));
          entry.config = { ...entry.config, knownReplicas: [], knownSentinels: [] };
          this.#rebuild(entry);
          entry.planner = this.#planner.initialState();
          entry.plannerWake = null;
          this.#election = resetMaster(this.#election, name, { keepPeers: false });
          this.#event("+reset-master", "warning", `master ${name} ${entry.master.address.host} ${entry.master.address.port}`, name);
          this.#syncPeers();
        }
        this.#reply(token, { type: "count", count });
        return;
      }
      case "failover":
        this.#failover(token, command.name);
        return;
      case "set-timings":
        this.#setTimings(command.timings);
        this.#reply(token, NO_RESULT_ACTION);
        return;
      case "flushconfig":
        this.#persist();
        this.#reply(token, { type: "flushed", ok: true }, { type: "flushed", ok: false });
        return;
      case "config-set":
        this.#configSet(token, command.changes);
        return;
      case "is-master-down": {
        const noVote = { down: false, leader: null, leaderEpoch: 0 };
        let runId: ReturnType<typeof toSentinelId> | "*" = "*";
        if (command.runid !== "*") {
          if (!isSentinelId(command.runid)) {
            this.#reply(token, { type: "is-master-down", reply: noVote });
            return;
          }
          runId = toSentinelId(command.runid);
        }
        const step = handleIsMasterDownRequest(
          this.#election,
          { ip: command.ip, port: command.port, epoch: command.epoch, runId },
          String(token),
          this.#now,
          toRandomInt(this.#random),
        );
        this.#applyElection(step, token);
        return;
      }
    }
  }

  #failover(token: number, name: string): void {
    const entry = this.#masters.get(name);
    const m = this.#election.masters.get(name);
    if (entry === undefined || m === undefined) {
      this.#reply(token, { type: "action", result: { ok: false, error: "ERR No such master with that name" } });
      return;
    }
    if (m.failover !== null || entry.planner.phase !== "none") {
      this.#reply(token, { type: "failover", outcome: "INPROG" });
      return;
    }
    if (selectReplica(this.#plannerView(entry), this.#now, this.#planner.timings) === null) {
      this.#reply(token, { type: "failover", outcome: "NOGOODSLAVE" });
      return;
    }
    this.#log("warning", `Executing user requested FAILOVER of '${name}'`);
    this.#applyElection(forceFailover(this.#election, name, this.#now, toRandomInt(this.#random)));
    this.#reply(token, { type: "failover", outcome: "OK" });
    this.#electionTick();
  }

  #setOptions(token: number, name: string, changes: readonly MasterOptionChange[]): void {
    const entry = this.#masters.get(name);
    if (entry === undefined) {
      this.#reply(token, { type: "action", result: { ok: false, error: "ERR No such master with that name" } });
      return;
    }
    let cfg = entry.config;
    let relink = false;
    let downAfter = false;
    const details = `master ${name} ${entry.master.address.host} ${entry.master.address.port}`;
    for (const change of changes) {
      switch (change.option) {
        case "down-after-milliseconds":
          cfg = { ...cfg, downAfterMilliseconds: change.value };
          downAfter = true;
          break;
        case "failover-timeout":
          cfg = { ...cfg, failoverTimeout: change.value };
          break;
        case "parallel-syncs":
          cfg = { ...cfg, parallelSyncs: change.value };
          break;
        case "quorum":
          cfg = { ...cfg, quorum: change.value };
          break;
        case "master-reboot-down-after-period":
          cfg = { ...cfg, masterRebootDownAfterPeriod: change.value };
          downAfter = true;
          break;
        case "notification-script":
        case "client-reconfig-script": {
          // The runtime checked deny-scripts-reconfig and executability (checkScriptSet).
          const key = change.option === "notification-script" ? "notificationScript" : "clientReconfigScript";
          const { [key]: _dropped, ...rest } = cfg;
          cfg = change.value === "" ? rest : { ...rest, [key]: change.value };
          break;
        }
        case "auth-pass": {
          const { authPass: _old, ...rest } = cfg;
          cfg = change.value === "" ? rest : { ...rest, authPass: change.value };
          relink = true;
          break;
        }
        case "auth-user": {
          const { authUser: _old, ...rest } = cfg;
          cfg = change.value === "" ? rest : { ...rest, authUser: change.value };
          relink = true;
          break;
        }
        case "rename-command": {
          const others = cfg.renamedCommands.filter((r) => r.command.toLowerCase() !== change.command.toLowerCase());
          cfg = { ...cfg, renamedCommands: [...others, { command: change.command, renamed: change.renamed }] };
          break;
        }
      }
      const shown =
        change.option === "rename-command"
          ? `${change.command} ${change.renamed}`
          : change.option === "auth-pass"
            ? "******"
            : String(change.value);
      this.#event("+set", "warning", `${details} ${change.option} ${shown}`, name);
    }
    entry.config = cfg;
    this.#election = setMasterOptions(this.#election, name, { quorum: cfg.quorum, failoverTimeoutMs: cfg.failoverTimeout });
    if (downAfter) this.#setDownAfter(entry);
    if (relink) this.#relink(entry);
    this.#persist();
    this.#reply(token, NO_RESULT_ACTION, { type: "action", result: { ok: false, error: SAVE_FAILED } });
  }

  #configSet(token: number, changes: readonly GlobalConfigChange[]): void {
    let c = this.#config;
    for (const change of changes) {
      switch (change.option) {
        case "resolve-hostnames":
          c = { ...c, resolveHostnames: change.value };
          break;
        case "announce-hostnames":
          c = { ...c, announceHostnames: change.value };
          break;
        case "announce-ip": {
          const { announceIp: _old, ...rest } = c;
          c = change.value === "" ? rest : { ...rest, announceIp: change.value };
          break;
        }
        case "announce-port":
          c = { ...c, announcePort: change.value };
          break;
        case "sentinel-user": {
          const { sentinelUser: _old, ...rest } = c;
          c = change.value === "" ? rest : { ...rest, sentinelUser: change.value };
          break;
        }
        case "sentinel-pass": {
          const { sentinelPass: _old, ...rest } = c;
          c = change.value === "" ? rest : { ...rest, sentinelPass: change.value };
          break;
        }
        case "loglevel":
          if (change.value !== "nothing") c = { ...c, server: { ...c.server, loglevel: change.value } };
          this.#fx.push({ type: "set-loglevel", level: change.value });
          break;
      }
    }
    this.#config = c;
    this.#persist();
    this.#reply(token, NO_RESULT_ACTION, { type: "action", result: { ok: false, error: SAVE_FAILED } });
  }

  // ------------------------------------------------------------------ output

  /** Publishes and logs an event; a WARNING about a master also runs its notification-script (SPEC §3). */
  #event(name: string, level: string, payload: string, master: string | undefined): void {
    this.#fx.push({ type: "event", name, level: levelOf(level), payload });
    const script = master === undefined ? undefined : this.#masters.get(master)?.config.notificationScript;
    const call = notificationScriptCall(script, { level, name, payload });
    if (call !== null) this.#fx.push({ type: "run-script", path: call.path, args: call.args });
  }

  #log(level: CoreLogLevel, message: string): void {
    this.#fx.push({ type: "log", level, message });
  }

  /** `sentinelCallClientReconfScript`: `<master> <leader|observer> start <from-ip> <from-port> <to-ip> <to-port>`. */
  #reconfigScript(master: string, role: "leader" | "observer", from: Address, to: Address): void {
    const script = this.#masters.get(master)?.config.clientReconfigScript;
    const call = clientReconfigScriptCall(script, { masterName: master, role, from: { ip: from.host, port: from.port }, to: { ip: to.host, port: to.port } });
    if (call !== null) this.#fx.push({ type: "run-script", path: call.path, args: call.args });
  }

  #persist(): void {
    if (this.#persistAt < 0) this.#persistAt = this.#fx.length;
  }

  #buildConfig(): SentinelConfig {
    const masters: MasterConfig[] = [];
    for (const [name, entry] of this.#masters) {
      const g = this.#gossip.master(name);
      const e = this.#election.masters.get(name);
      const current = currentMasterAddress(entry.planner, entry.master.address);
      const replicas = [...entry.replicas.values()].map((r) =>
        sameAddress(r.address, current) && !sameAddress(current, entry.master.address) ? entry.master.address : r.address,
      );
      masters.push({
        ...entry.config,
        host: current.host,
        port: current.port,
        configEpoch: g?.configEpoch ?? entry.config.configEpoch,
        leaderEpoch: e?.leaderEpoch ?? entry.config.leaderEpoch,
        knownReplicas: replicas.map((r) => ({ host: r.host, port: r.port })),
        knownSentinels: this.#gossip.sentinelsOf(name).map((p) => ({ host: p.address.host, port: p.address.port, runId: p.runid })),
      });
    }
    return { ...this.#config, currentEpoch: this.#election.currentEpoch, masters };
  }

  #nextWake(): number | null {
    let at = Infinity;
    for (const entry of this.#masters.values()) {
      at = Math.min(at, entry.master.due);
      for (const r of entry.replicas.values()) at = Math.min(at, r.due);
      if (entry.plannerWake !== null) at = Math.min(at, entry.plannerWake);
    }
    for (const peer of this.#peers.values()) at = Math.min(at, peer.due);
    at = Math.min(at, this.#gossip.nextDueAt() ?? Infinity);
    at = Math.min(at, nextWake(this.#election, this.#now) ?? Infinity);
    if (this.#startHold !== null) at = Math.min(at, this.#startHold);
    if (this.#lastTick !== null) at = Math.min(at, this.#lastTick + TILT_CHECK_PERIOD_MS);
    return Number.isFinite(at) ? Math.max(at, this.#now) : null;
  }
}

// sentinelSendHello: announce-port, else the TLS port when links use TLS, else the port.
function helloPort(config: SentinelConfig): number {
  if (config.announcePort !== 0) return config.announcePort;
  return config.server.tlsReplication && config.server.tlsPort !== 0 ? config.server.tlsPort : config.server.port;
}
