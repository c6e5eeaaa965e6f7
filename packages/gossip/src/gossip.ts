import type { Address } from "./address.js";
import { isIpLiteral, sameAddress } from "./address.js";
import { HELLO_CHANNEL, SENTINEL_PUBLISH_PERIOD_MS } from "./constants.js";
import type { GossipEffect, PersistReason, PublishTarget } from "./effects.js";
import type { EventLevel } from "./events.js";
import { masterDetails, replicaDetails, sentinelDetails } from "./events.js";
import type { Hello, MalformedHelloError } from "./hello.js";
import { parseHello } from "./hello.js";
import type { PeerOfMaster } from "./peers.js";
import { PeerTable } from "./peers.js";
import { PublishSchedule } from "./schedule.js";

/** A master this sentinel monitors, as the gossip core needs it. */
export interface MasterConfig {
  /** Master name. */
  readonly name: string;
  /** Its configured address. */
  readonly address: Address;
  /** The epoch of our configuration of it. */
  readonly configEpoch: number;
  /** Its known replicas, each also a hello target. */
  readonly replicas?: readonly Address[];
}

/** The state of a monitored master. */
export interface MasterState {
  /** Master name. */
  readonly name: string;
  /** Its configured address. */
  readonly address: Address;
  /** The epoch of our configuration of it; never goes down. */
  readonly configEpoch: number;
  /** Its known replicas. */
  readonly replicas: readonly Address[];
  /**
   * The address hellos announce when it differs from `address`: the promoted replica once a
   * failover we lead reached reconf-slaves (`sentinelGetCurrentMasterAddress`).
   */
  readonly helloAddress: Address | undefined;
}

/** Settings of a {@link Gossip} core. */
export interface GossipConfig {
  /** Our 40-hex-digit id (`myid`). */
  readonly myRunid: string;
  /** Our current epoch, as loaded from the config file. */
  readonly currentEpoch: number;
  /** The port we announce: announce-port, else tls-port with tls-replication, else port. */
  readonly announcePort: number;
  /** announce-ip; without it each hello carries the local address of the link it goes out on. */
  readonly announceIp?: string;
  /** The masters we monitor. */
  readonly masters: readonly MasterConfig[];
  /** Milliseconds between hellos to one target; 2000 as in Redis (SPEC §4.1). Tests may shorten it. */
  readonly publishPeriodMs?: number;
  /**
   * Whether hostnames are accepted as sentinel and master addresses (`resolve-hostnames`);
   * false as in Redis, where only IP literals are then valid.
   */
  readonly resolveHostnames?: boolean;
  /**
   * Whether a peer whose address changes evicts the other runids holding the new address in
   * the masters it watches (`+sentinel-invalid-addr`), as a new peer does. Off by default:
   * Redis only checks for a new peer, so after a switch two peers of a master can share an
   * address until one of them announces another.
   */
  readonly evictOnAddressSwitch?: boolean;
}

/** What became of a received hello. */
export type HelloOutcome =
  | {
      /** It was processed. */
      readonly status: "processed";
      /** The parsed hello. */
      readonly hello: Hello;
      /** What the caller must do, in order. */
      readonly effects: readonly GossipEffect[];
    }
  | {
      /** It carries our own runid, or names a master we do not monitor: ignored as Redis does. */
      readonly status: "own" | "unknown-master";
      /** Always empty. */
      readonly effects: readonly GossipEffect[];
    }
  | {
      /** It could not be parsed: dropped. */
      readonly status: "malformed";
      /** Why. */
      readonly error: MalformedHelloError;
      /** Always empty. */
      readonly effects: readonly GossipEffect[];
    };

interface MutableMaster {
  readonly name: string;
  address: Address;
  configEpoch: number;
  replicas: Address[];
  helloAddress: Address | undefined;
}

/**
 * The gossip core: the peer table, our current epoch and each master's config epoch, fed
 * received hellos and the time, returning effects (SPEC §4.5). It owns no link, timer or
 * clock: `now` comes in, due times and effects go out.
 */
export class Gossip {
  readonly #myRunid: string;
  readonly #announcePort: number;
  readonly #announceIp: string | null;
  readonly #resolveHostnames: boolean;
  readonly #evictOnAddressSwitch: boolean;
  readonly #masters = new Map<string, MutableMaster>();
  readonly #peers = new PeerTable();
  readonly #schedule: PublishSchedule;
  #currentEpoch: number;

  /** A core monitoring `config.masters` from `now` on; their first hellos are due one period later. */
  constructor(config: GossipConfig, now: number) {
    this.#myRunid = config.myRunid;
    this.#announcePort = config.announcePort;
    this.#announceIp = config.announceIp ?? null;
    this.#resolveHostnames = config.resolveHostnames ?? false;
    this.#evictOnAddressSwitch = config.evictOnAddressSwitch ?? false;
    this.#currentEpoch = config.currentEpoch;
    this.#schedule = new PublishSchedule(config.publishPeriodMs ?? SENTINEL_PUBLISH_PERIOD_MS);
    for (const master of config.masters) this.monitor(master, now);
  }

  /** Our current epoch; never goes down. */
  get currentEpoch(): number {
    return this.#currentEpoch;
  }

  /** The number of sentinel links: one per peer runid, whatever the number of masters. */
  get linkCount(): number {
    return this.#peers.size;
  }

  /** The peer table. */
  get peers(): PeerTable {
    return this.#peers;
  }

  /** A monitored master. */
  master(name: string): MasterState | undefined {
    const master = this.#masters.get(name);
    return master === undefined ? undefined : { ...master, replicas: [...master.replicas] };
  }

  /** The peers watching `master`, as `SENTINEL SENTINELS` lists them. */
  sentinelsOf(master: string): PeerOfMaster[] {
    return this.#peers.ofMaster(master);
  }

  /** Starts monitoring a master (`SENTINEL MONITOR`); does nothing if the name is taken. */
  monitor(config: MasterConfig, now: number): void {
    if (this.#masters.has(config.name)) return;
    const replicas = [...(config.replicas ?? [])];
    this.#masters.set(config.name, {
      name: config.name,
      address: config.address,
      configEpoch: config.configEpoch,
      replicas,
      helloAddress: undefined,
    });
    this.#schedule.add({ kind: "master", master: config.name }, now);
    for (const address of replicas) this.#schedule.add({ kind: "replica", master: config.name, address }, now);
  }

  /** Stops monitoring a master (`SENTINEL REMOVE`): links to peers left with no master close. */
  remove(master: string): GossipEffect[] {
    if (!this.#masters.delete(master)) return [];
    this.#schedule.removeOfMaster(master);
    return this.#peers.forgetMaster(master).map((runid) => ({ type: "close-sentinel-link", runid }));
  }

  /**
   * Forgets a master's replicas and sentinels (`SENTINEL RESET`, SPEC §4.15); links to peers
   * left with no master close.
   */
  reset(master: string): GossipEffect[] {
    const state = this.#masters.get(master);
    if (state === undefined) return [];
    state.replicas = [];
    state.helloAddress = undefined;
    this.#schedule.removeOfMaster(master, (target) => target.kind !== "master");
    return this.#peers.forgetMaster(master).map((runid) => ({ type: "close-sentinel-link", runid }));
  }

  /** Sets a master's replicas, as health monitoring discovers them; new ones get hellos one period later. */
  setReplicas(master: string, replicas: readonly Address[], now: number): void {
    const state = this.#masters.get(master);
    if (state === undefined) return;
    state.replicas = [...replicas];
    this.#schedule.removeOfMaster(
      master,
      (target) => target.kind === "replica" && !replicas.some((address) => sameAddress(address, target.address)),
    );
    for (const address of replicas) this.#schedule.add({ kind: "replica", master, address }, now);
  }

  /**
   * Adds a peer from the config file (`sentinel known-sentinel`), without events; returns
   * the link to open when the runid is new.
   */
  addKnownSentinel(master: string, runid: string, address: Address, now: number): GossipEffect[] {
    if (!this.#masters.has(master) || this.#peers.get(runid)?.masters.has(master)) return [];
    const created = this.#peers.addToMaster(runid, address, master, now);
    this.#schedule.add({ kind: "sentinel", master, runid }, now);
    return created ? [{ type: "open-sentinel-link", runid, address }] : [];
  }

  /**
   * Raises our current epoch (a vote or a failover of our own, elsewhere); a lower value is
   * ignored. Returns the `persist` to do first, and `+new-epoch`.
   */
  adoptEpoch(epoch: number, master: string): GossipEffect[] {
    if (epoch <= this.#currentEpoch) return [];
    this.#currentEpoch = epoch;
    return [persist("current-epoch"), event("+new-epoch", "warning", String(epoch), master)];
  }

  /**
   * Records a config change made by our own failover: the new config epoch (never lowered)
   * and the address hellos must announce, then makes every hello for that master due at
   * once (`sentinelForceHelloUpdateForMaster`).
   */
  promote(master: string, configEpoch: number, helloAddress: Address): GossipEffect[] {
    const state = this.#masters.get(master);
    if (state === undefined) return [];
    state.configEpoch = Math.max(state.configEpoch, configEpoch);
    state.helloAddress = helloAddress;
    this.forceHelloUpdate(master);
    return [persist("master-config")];
  }

  /**
   * Records that a master now lives at `address` with `replicas`, after our own failover
   * (`sentinelFailoverSwitchToPromotedSlave`, which emits `+switch-master` itself) or a
   * reconfiguration: hellos announce the new address from now on.
   */
  switchMaster(master: string, address: Address, replicas: readonly Address[], now: number): void {
    const state = this.#masters.get(master);
    if (state === undefined) return;
    state.address = address;
    state.helloAddress = undefined;
    this.setReplicas(master, replicas, now);
  }

  /** Milliseconds between hellos to one target. */
  get publishPeriodMs(): number {
    return this.#schedule.periodMs;
  }

  /**
   * Changes the hello period in place (`SENTINEL DEBUG publish-period`): every target's
   * next hello falls due one new period after its last successful one, as in Redis,
   * where the period is a global read on every tick.
   */
  setPublishPeriod(periodMs: number): void {
    this.#schedule.setPeriod(periodMs);
  }

  /** Makes every hello about `master` due at once (`sentinelForceHelloUpdateForMaster`). */
  forceHelloUpdate(master: string): void {
    this.#schedule.force(master);
  }

  /**
   * The hellos due at `now`, as `publish-hello` effects. Each stays in flight until
   * {@link Gossip.published} reports its reply.
   */
  tick(now: number): GossipEffect[] {
    const effects: GossipEffect[] = [];
    for (const target of this.#schedule.takeDue(now)) {
      const master = this.#masters.get(target.master);
      if (master === undefined) continue;
      const address = master.helloAddress ?? master.address;
      effects.push({
        type: "publish-hello",
        target,
        channel: HELLO_CHANNEL,
        hello: {
          sentinelIp: this.#announceIp,
          sentinelPort: this.#announcePort,
          runid: this.#myRunid,
          currentEpoch: this.#currentEpoch,
          masterName: master.name,
          masterIp: address.host,
          masterPort: address.port,
          masterConfigEpoch: master.configEpoch,
        },
      });
    }
    return effects;
  }

  /** Records the reply to a published hello: only a non-error reply counts as published. */
  published(target: PublishTarget, ok: boolean, now: number): void {
    this.#schedule.replied(target, ok, now);
  }

  /** When {@link Gossip.tick} next has something to send, or undefined if nothing is waiting. */
  nextDueAt(): number | undefined {
    return this.#schedule.nextDueAt();
  }

  /**
   * Processes a hello received on `__sentinel__:hello` of a master or replica, or through
   * our `PUBLISH` command. Never throws: a malformed payload is reported and dropped.
   * Follows `sentinelReceiveHelloMessages` and `sentinelProcessHelloMessage` (SPEC §4.5).
   */
  receiveHello(payload: string, now: number): HelloOutcome {
    // Redis drops any payload containing our id, wherever it appears.
    if (payload.includes(this.#myRunid)) return { status: "own", effects: [] };
    const parsed = parseHello(payload);
    if (!parsed.ok) return { status: "malformed", error: parsed.error, effects: [] };
    const hello = parsed.hello;
    const master = this.#masters.get(hello.masterName);
    if (master === undefined) return { status: "unknown-master", effects: [] };

    const effects: GossipEffect[] = [];
    const known = this.#learnSentinel(hello, master, now, effects);

    if (hello.currentEpoch > this.#currentEpoch) {
      effects.push(...this.adoptEpoch(hello.currentEpoch, master.name));
    }

    if (known && master.configEpoch < hello.masterConfigEpoch) {
      this.#adoptMasterConfig(hello, master, now, effects);
    }

    if (known) this.#peers.touch(hello.runid, master.name, now, hello.currentEpoch);
    return { status: "processed", hello, effects };
  }

  /** The sentinel half of `sentinelProcessHelloMessage`; returns whether the sender is now known. */
  #learnSentinel(hello: Hello, master: MutableMaster, now: number, effects: GossipEffect[]): boolean {
    const runid = hello.runid;
    const address: Address = { host: hello.sentinelIp, port: hello.sentinelPort };
    const valid = this.#resolvable(address.host);
    if (valid && this.#peers.findInMaster(master.name, address, runid) !== undefined) return true;

    const existing = this.#peers.get(runid);
    const switched = existing?.masters.has(master.name) ?? false;
    if (switched) {
      effects.push(
        event(
          "+sentinel-address-switch",
          "notice",
          `${masterDetails(master.name, master.address)} ip ${address.host} port ${address.port} for ${runid}`,
          master.name,
        ),
      );
    }
    // A new peer of this master evicts whoever held its address here (Redis checks this
    // master only, and not on an address switch).
    if (valid && !switched) this.#evictHolders(runid, address, [master.name], effects);

    if (!valid) {
      // Redis cannot create the instance (createSentinelAddr fails), after having removed
      // the old one on an address switch.
      if (switched) this.#dropFromMaster(runid, master.name, effects);
      return false;
    }

    if (existing === undefined) {
      this.#peers.addToMaster(runid, address, master.name, now);
      effects.push(this.#sentinelEvent("+sentinel", runid, address, master));
      effects.push({ type: "open-sentinel-link", runid, address });
    } else {
      this.#peers.addToMaster(runid, address, master.name, now);
      if (!switched) effects.push(this.#sentinelEvent("+sentinel", runid, address, master));
      if (!sameAddress(existing.address, address)) {
        // One entry per runid: the new address holds for every master it watches, as
        // sentinelUpdateSentinelAddressInAllMasters makes it in Redis.
        this.#peers.setAddress(runid, address);
        effects.push({ type: "close-sentinel-link", runid }, { type: "open-sentinel-link", runid, address });
        if (this.#evictOnAddressSwitch) this.#evictHolders(runid, address, [...existing.masters.keys()], effects);
        const others = existing.masters.size - 1;
        if (others > 0) {
          effects.push(
            event(
              "+sentinel-address-update",
              "notice",
              `${sentinelDetails(runid, address, master.name, master.address)} ${others} additional matching instances`,
              master.name,
            ),
          );
        }
      }
    }
    // Redis recreates the instance, so its hello timer restarts.
    this.#schedule.remove({ kind: "sentinel", master: master.name, runid });
    this.#schedule.add({ kind: "sentinel", master: master.name, runid }, now);
    effects.push(persist("sentinels"));
    return true;
  }

  /** The config half: a newer config epoch for the master, and a switch if its address differs. */
  #adoptMasterConfig(hello: Hello, master: MutableMaster, now: number, effects: GossipEffect[]): void {
    master.configEpoch = hello.masterConfigEpoch;
    const to: Address = { host: hello.masterIp, port: hello.masterPort };
    if (sameAddress(master.address, to) || !this.#resolvable(to.host)) {
      effects.push(persist("master-config"));
      return;
    }
    const from = master.address;
    const sender = this.#peers.get(hello.runid);
    if (sender !== undefined) {
      effects.push(this.#sentinelEvent("+config-update-from", sender.runid, sender.address, master, "warning"));
    }
    effects.push(
      event("+switch-master", "warning", `${master.name} ${from.host} ${from.port} ${to.host} ${to.port}`, master.name),
    );
    // sentinelResetMasterAndChangeAddress: the old replicas except the new master, plus the
    // old master, become the replicas of the new address.
    const replicas = master.replicas.filter((address) => !sameAddress(address, to));
    replicas.push(from);
    master.address = to;
    master.helloAddress = undefined;
    master.replicas = replicas;
    effects.push({ type: "reset-master", master: master.name, from, to, replicas: [...replicas] });
    this.#schedule.removeOfMaster(master.name, (target) => target.kind === "replica");
    for (const address of replicas) {
      this.#schedule.add({ kind: "replica", master: master.name, address }, now);
      effects.push(event("+slave", "notice", replicaDetails(address, master.name, to), master.name));
    }
    effects.push(persist("master-config"));
    effects.push({ type: "client-reconfig-script", master: master.name, role: "observer", state: "start", from, to });
  }

  /**
   * Drops, from every master, the peers other than `runid` that `masters` list at
   * `address`: `+sentinel-invalid-addr`, as sentinelUpdateSentinelAddressInAllMasters does
   * with the old holder after marking its port 0.
   */
  #evictHolders(runid: string, address: Address, masters: readonly string[], effects: GossipEffect[]): void {
    for (const name of masters) {
      const master = this.#masters.get(name);
      if (master === undefined) continue;
      for (const other of this.#peers.holdersInMaster(name, address)) {
        if (other.runid === runid) continue;
        effects.push(
          event("+sentinel-invalid-addr", "notice", sentinelDetails(other.runid, other.address, name, master.address), name),
        );
        for (const watched of other.masters.keys()) {
          this.#schedule.remove({ kind: "sentinel", master: watched, runid: other.runid });
        }
        this.#peers.remove(other.runid);
        effects.push({ type: "close-sentinel-link", runid: other.runid });
      }
    }
  }

  #dropFromMaster(runid: string, master: string, effects: GossipEffect[]): void {
    this.#schedule.remove({ kind: "sentinel", master, runid });
    if (this.#peers.removeFromMaster(runid, master)) effects.push({ type: "close-sentinel-link", runid });
  }

  #resolvable(host: string): boolean {
    return this.#resolveHostnames || isIpLiteral(host);
  }

  #sentinelEvent(
    name: string,
    runid: string,
    address: Address,
    master: MutableMaster,
    level: EventLevel = "notice",
  ): GossipEffect {
    return event(name, level, sentinelDetails(runid, address, master.name, master.address), master.name);
  }
}

function event(name: string, level: EventLevel, payload: string, master: string): GossipEffect {
  return { type: "event", event: { name, level, payload, master } };
}

function persist(reason: PersistReason): GossipEffect {
  return { type: "persist", reason };
}
