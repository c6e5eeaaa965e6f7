import { Redis } from "ioredis";
import { formatAddress, sameAddress, translateAddress, type Address, type AddressMap } from "./address.js";
import { fenceAfterResolution, fenceBlocks, type Fence } from "./fence.js";
import {
  MasterFencedError,
  MasterUnknownError,
  NoAgreementError,
  NoReplicaAvailableError,
  NoSentinelReachableError,
  RoleMismatchError,
  type SentinelAttempt,
} from "./errors.js";
import { answerIsFinal, chooseMaster, type MasterAnswer, type MasterTrustPolicy } from "./master-choice.js";
import {
  instanceAddress,
  instanceFlags,
  parseInstanceFields,
  parseInstanceList,
  parseMasterAddrReply,
  parseRoleReply,
} from "./replies.js";
import { selectReplica, type ReplicaInfo, type ReplicaPolicy } from "./replica-choice.js";
import { backoffRetryStrategy, type RetryStrategy } from "./retry.js";
import { mergeSentinels, moveToFront } from "./sentinel-list.js";
import { exchange, type ServerAuth } from "./short-connection.js";
import { HINT_CHANNELS, parseHint, PROMOTING_CHANNEL, type SentinelHint } from "./switch-event.js";

/** Settings of a {@link SentinelDiscovery}. */
export interface DiscoveryOptions {
  /** The master name the sentinels monitor. */
  readonly name: string;
  /** Seed sentinels, asked in this order (then move-to-front). */
  readonly sentinels: readonly Address[];
  /** Deadline for one sentinel exchange (connect + reply), ms. S5: "a few hundreds of milliseconds". Default 300. */
  readonly sentinelTimeoutMs?: number;
  /** Deadline for the ROLE check on a resolved address, ms. Default 500. */
  readonly roleTimeoutMs?: number;
  /** Credentials and TLS for sentinels, separate from the data nodes'. */
  readonly sentinelAuth?: ServerAuth;
  /** Credentials and TLS for the master and replicas (used by the ROLE check and the ioredis factory). */
  readonly nodeAuth?: ServerAuth;
  /** Address translation of every reported address. */
  readonly natMap?: AddressMap;
  /** Which answers to trust: first answer (S5), or a cross-check of config epochs. */
  readonly trust?: MasterTrustPolicy;
  /** Append sentinels from `SENTINEL SENTINELS` after each resolution. Default true. */
  readonly refreshSentinels?: boolean;
  /** Replica selection for {@link SentinelDiscovery.resolveReplica}. */
  readonly replicas?: ReplicaPolicy;
  /** Randomness in [0, 1) for the replica pick. Default `Math.random`. */
  readonly random?: () => number;
  /** Waits between failed resolutions in {@link SentinelDiscovery.resolveMasterWithRetry}. Default: 50 ms doubling to 1 s. */
  readonly retryStrategy?: RetryStrategy;
  /** How many sentinels {@link SentinelDiscovery.watch} subscribes to `+switch-master` on. Default 3. */
  readonly watchSentinels?: number;
  /** Re-resolve in the background this often while watching, ms (node-redis `scanInterval`); 0 = off. Default 0. */
  readonly rediscoverIntervalMs?: number;
  /**
   * Off by default (0). When a watched sentinel announces it is promoting a replica
   * (`+failover-state-send-slaveof-noone`), stop using the old master for up to this many
   * ms, or until the sentinels name another one: writes wait instead of landing on a
   * master whose acknowledged writes the failover will discard. Redis Sentinel does not
   * pause the old master, so without this, writes acknowledged in that window are lost.
   */
  readonly fenceOnFailoverMs?: number;
  /** Clock for the fence, ms. Default `performance.now`. */
  readonly now?: () => number;
}

/** A verified master. */
export interface MasterResolution {
  /** Where the master is (translated). */
  readonly address: Address;
  /** Config epoch, when sentinels were asked for it. */
  readonly configEpoch: number | undefined;
  /** The sentinels whose answers were used. */
  readonly agreeing: readonly Address[];
  /** What every sentinel asked did. */
  readonly attempts: readonly SentinelAttempt[];
}

/** A replica picked by {@link SentinelDiscovery.resolveReplica}. */
export interface ReplicaResolution {
  /** Where to connect (ROLE-verified). */
  readonly address: Address;
  /** `replica`, or `master` when no replica was usable and fallback is on. */
  readonly kind: "replica" | "master";
}

/** What {@link SentinelDiscovery.listReplicas} found. */
export interface ReplicaListing {
  /** Every replica the sentinel reports, translated, unfiltered. */
  readonly replicas: readonly ReplicaInfo[];
  /** The master address the same sentinel reports, if it knows one. */
  readonly master: Address | undefined;
  /** The sentinel that answered. */
  readonly sentinel: Address;
}

/** A change of master seen by this process. */
export interface MasterChange {
  /** The master before, if one was known. */
  readonly from: Address | undefined;
  /** The verified new master. */
  readonly to: Address;
  /** What made this process look: a resolution, a sentinel event hint, READONLY, or the periodic re-discovery. */
  readonly cause: "resolution" | "hint" | "readonly" | "rediscovery";
}

/** Listener of {@link SentinelDiscovery.onFence}: `address` must not be written to for now. */
export type FenceListener = (address: Address) => void;

/** Listener of {@link SentinelDiscovery.onChange}. */
export type ChangeListener = (change: MasterChange) => void;
/** Listener of {@link SentinelDiscovery.onHint}: a failover event for this name from `sentinel`. */
export type HintListener = (hint: SentinelHint, sentinel: Address) => void;

/**
 * Finds the master and replicas of one name through Redis Sentinel, following the client
 * protocol (SPEC §5.1) and the "exceed" list of §5.3. Sentinel exchanges are short-lived
 * connections with a hard deadline each; `watch()` adds long-lived `+switch-master`
 * subscriptions that only trigger a new resolution.
 */
export class SentinelDiscovery {
  /** The options given, with defaults applied where read. */
  readonly options: DiscoveryOptions;
  #sentinels: Address[];
  #master: Address | undefined;
  #inflight: Promise<MasterResolution> | undefined;
  #inflightCause: MasterChange["cause"] = "resolution";
  readonly #changeListeners = new Set<ChangeListener>();
  readonly #hintListeners = new Set<HintListener>();
  readonly #wakers = new Set<() => void>();
  readonly #fenceListeners = new Set<FenceListener>();
  #fence: Fence | undefined;
  readonly #subscribers: Redis[] = [];
  #rediscoverTimer: NodeJS.Timeout | undefined;
  #closed = false;

  /** @param options see {@link DiscoveryOptions} */
  constructor(options: DiscoveryOptions) {
    if (options.sentinels.length === 0) throw new TypeError("at least one sentinel address is required");
    this.options = options;
    this.#sentinels = [...options.sentinels];
  }

  /** The sentinel list in the order the next resolution will use. */
  get sentinels(): readonly Address[] {
    return this.#sentinels;
  }

  /** The last verified master, if any. */
  get master(): Address | undefined {
    return this.#master;
  }

  /** Calls `listener` whenever a verified master differs from the previous one; returns an unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Calls `listener` on every hint event for this name, before re-resolving; returns an unsubscribe function. */
  onHint(listener: HintListener): () => void {
    this.#hintListeners.add(listener);
    return () => this.#hintListeners.delete(listener);
  }

  /** Whether a failover fence forbids `address` right now (see `fenceOnFailoverMs`). */
  isFenced(address: Address): boolean {
    return fenceBlocks(this.#fence, address, this.#now());
  }

  /**
   * Calls `listener` when a failover fence starts (`fenceOnFailoverMs`): connections to
   * that address should close now. Returns an unsubscribe function.
   */
  onFence(listener: FenceListener): () => void {
    this.#fenceListeners.add(listener);
    return () => this.#fenceListeners.delete(listener);
  }

  /**
   * Resolves and verifies the master once: asks sentinels (S5 steps 1-2, or the cross-check),
   * then runs ROLE on the address (step 3). Concurrent calls share one resolution.
   * Throws {@link NoSentinelReachableError}, {@link MasterUnknownError},
   * {@link NoAgreementError}, {@link RoleMismatchError} or {@link MasterFencedError}.
   */
  resolveMaster(cause: MasterChange["cause"] = "resolution"): Promise<MasterResolution> {
    if (this.#inflight === undefined) {
      this.#inflightCause = cause;
      this.#inflight = this.#resolveOnce().finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  /**
   * {@link resolveMaster} until it succeeds, waiting as the retry strategy says between
   * attempts; a hint event cuts a wait short. `shouldContinue` is checked
   * before each attempt (the ioredis connector stops when the client disconnects).
   */
  async resolveMasterWithRetry(shouldContinue: () => boolean = () => !this.#closed): Promise<MasterResolution> {
    const strategy = this.options.retryStrategy ?? backoffRetryStrategy();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.resolveMaster();
      } catch (error) {
        const delay = strategy(attempt, error as Error);
        if (delay === null || !shouldContinue()) throw error;
        await this.#sleepUnlessHinted(delay);
        if (!shouldContinue()) throw error;
      }
    }
  }

  /**
   * Picks a replica (S5 step 5): `SENTINEL REPLICAS`, drops s_down/o_down/disconnected,
   * applies the preference hook, verifies ROLE is `slave`; with none usable, the master
   * if `fallbackToMaster` is set, else {@link NoReplicaAvailableError}.
   */
  async resolveReplica(): Promise<ReplicaResolution> {
    const { replicas, master } = await this.listReplicas();
    const choice = selectReplica(replicas, this.options.replicas ?? {}, (this.options.random ?? Math.random)(), master);
    if (choice.kind === "none") throw new NoReplicaAvailableError(this.options.name, choice.rejected);
    await this.verifyRole(choice.address, choice.kind === "replica" ? "slave" : "master");
    return { address: choice.address, kind: choice.kind };
  }

  /**
   * The replicas one sentinel reports (`SENTINEL REPLICAS`, translated, unfiltered) and
   * the master it reports, from the first sentinel that answers (then moved to the front).
   * Throws {@link NoSentinelReachableError} or {@link MasterUnknownError}.
   */
  async listReplicas(): Promise<ReplicaListing> {
    const { name } = this.options;
    const attempts: SentinelAttempt[] = [];
    for (const sentinel of this.#sentinels) {
      let replies: unknown[];
      try {
        replies = await exchange(sentinel, this.#sentinelAuth(), this.#sentinelTimeout(), [
          ["SENTINEL", "REPLICAS", name],
          ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name],
        ]);
      } catch (error) {
        attempts.push({ sentinel, outcome: "unreachable", detail: (error as Error).message });
        continue;
      }
      const [replicasReply, masterReply] = replies;
      if (replicasReply instanceof Error) {
        const unknown = /no such master/i.test(replicasReply.message);
        attempts.push({ sentinel, outcome: unknown ? "unknown-master" : "error", detail: replicasReply.message });
        continue;
      }
      const replicas = parseInstanceList(replicasReply).flatMap((fields): ReplicaInfo[] => {
        const reported = instanceAddress(fields);
        if (reported === undefined) return [];
        return [
          {
            address: translateAddress(reported, this.options.natMap),
            flags: instanceFlags(fields),
            priority: Number(fields["slave-priority"] ?? 100),
            replOffset: Number(fields["slave-repl-offset"] ?? 0),
            linkOk: fields["master-link-status"] === "ok",
          },
        ];
      });
      const reportedMaster = masterReply instanceof Error ? undefined : parseMasterAddrReply(masterReply);
      this.#sentinels = moveToFront(this.#sentinels, sentinel);
      return { replicas, master: reportedMaster && translateAddress(reportedMaster, this.options.natMap), sentinel };
    }
    if (attempts.some((a) => a.outcome === "unknown-master") && attempts.every((a) => a.outcome !== "error")) {
      throw new MasterUnknownError(name, attempts);
    }
    throw new NoSentinelReachableError(name, attempts);
  }

  /** Runs ROLE on `address` and throws {@link RoleMismatchError} unless it reports `expected` (S5 step 3). */
  async verifyRole(address: Address, expected: "master" | "slave"): Promise<void> {
    let role: string;
    try {
      const [reply] = await exchange(address, this.options.nodeAuth ?? {}, this.options.roleTimeoutMs ?? 500, [["ROLE"]]);
      if (reply instanceof Error) throw reply;
      role = parseRoleReply(reply);
    } catch (error) {
      throw new RoleMismatchError(address, expected, "unreachable", (error as Error).message);
    }
    if (role !== expected) throw new RoleMismatchError(address, expected, role);
  }

  /**
   * Tells discovery that the master connection answered READONLY: the address is a
   * replica now (SPEC §5.3). Starts a new resolution and returns it.
   */
  reportReadonly(): Promise<MasterResolution> {
    return this.resolveMaster("readonly");
  }

  /**
   * Subscribes to `+switch-master` and `+failover-state-reconf-slaves` on up to
   * `watchSentinels` sentinels (each message filtered by master name, then used only as a
   * hint to re-resolve, S5 step 9), and
   * starts the periodic re-discovery if configured. Idempotent.
   */
  watch(): void {
    if (this.#subscribers.length > 0 || this.#closed) return;
    const count = Math.min(this.options.watchSentinels ?? 3, this.#sentinels.length);
    const auth = this.#sentinelAuth();
    for (const sentinel of this.#sentinels.slice(0, count)) {
      const subscriber = new Redis({
        host: sentinel.host,
        port: sentinel.port,
        username: auth.username,
        password: auth.password,
        tls: auth.tls,
        connectTimeout: this.#sentinelTimeout(),
        enableReadyCheck: false,
        protocol: 2,
        // A sentinel that is down is retried slowly: the other subscriptions and the
        // resolution path carry on meanwhile.
        retryStrategy: (times) => Math.min(times * 200, 2000),
      });
      subscriber.on("error", () => undefined);
      subscriber.on("message", (channel: string, message: string) => {
        const hint = parseHint(channel, message);
        if (hint === undefined || hint.masterName !== this.options.name) return;
        for (const listener of this.#hintListeners) listener(hint, sentinel);
        this.#startFence(hint);
        this.#wakeWaiters();
        // A resolution already running may have asked before the switch: resolve again after it.
        const running = this.#inflight ?? Promise.resolve();
        running
          .catch(() => undefined)
          .then(() => this.resolveMaster("hint"))
          .catch(() => undefined);
      });
      subscriber.subscribe(...HINT_CHANNELS).catch(() => undefined);
      this.#subscribers.push(subscriber);
    }
    const interval = this.options.rediscoverIntervalMs ?? 0;
    if (interval > 0) {
      this.#rediscoverTimer = setInterval(() => {
        this.resolveMaster("rediscovery").catch(() => undefined);
      }, interval);
      this.#rediscoverTimer.unref();
    }
  }

  /** Stops the subscriptions and timers. Resolutions in progress finish on their own deadlines. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#rediscoverTimer);
    for (const subscriber of this.#subscribers.splice(0)) subscriber.disconnect();
    this.#wakeWaiters();
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  #now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  #startFence(hint: SentinelHint): void {
    const ms = this.options.fenceOnFailoverMs ?? 0;
    if (ms <= 0 || hint.channel !== PROMOTING_CHANNEL || hint.oldMaster === undefined) return;
    const address = translateAddress(hint.oldMaster, this.options.natMap);
    this.#fence = { address, until: this.#now() + ms };
    for (const listener of this.#fenceListeners) listener(address);
  }

  #sentinelAuth(): ServerAuth {
    return this.options.sentinelAuth ?? {};
  }

  #sentinelTimeout(): number {
    return this.options.sentinelTimeoutMs ?? 300;
  }

  async #resolveOnce(): Promise<MasterResolution> {
    const { name } = this.options;
    const policy = this.options.trust ?? {};
    const wantMasterInfo = policy.minAgreeing !== undefined || (policy.minOtherSentinels ?? 0) > 0;
    const commands: string[][] = [["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name]];
    if (wantMasterInfo) commands.push(["SENTINEL", "MASTER", name]);
    if (this.options.refreshSentinels ?? true) commands.push(["SENTINEL", "SENTINELS", name]);
    const ask = (sentinel: Address) => this.#ask(sentinel, commands, wantMasterInfo);
    const order = [...this.#sentinels];
    let results: { answer: MasterAnswer; sentinelsReply: unknown }[];
    if (policy.minAgreeing === undefined) {
      // S5 step 1: one at a time, stopping at the first usable answer.
      results = [];
      for (const sentinel of order) {
        const result = await ask(sentinel);
        results.push(result);
        if (answerIsFinal(result.answer, policy)) break;
      }
    } else {
      // The cross-check needs every sentinel's epoch; asking in parallel keeps the cost at one deadline.
      results = await Promise.all(order.map(ask));
    }
    const answers = results.map((r) => r.answer);
    const attempts = answers.map(toAttempt);
    const choice = chooseMaster(answers, policy);
    switch (choice.kind) {
      case "unreachable":
        throw new NoSentinelReachableError(name, attempts);
      case "unknown-master":
        throw new MasterUnknownError(name, attempts);
      case "no-agreement":
        throw new NoAgreementError(name, policy.minAgreeing ?? 1, attempts);
      case "master":
        break;
    }
    const first = choice.agreeing[0];
    if (first !== undefined) this.#sentinels = moveToFront(this.#sentinels, first);
    for (const result of results) {
      if (result.answer.kind !== "address" || result.sentinelsReply === undefined) continue;
      const discovered = parseInstanceList(result.sentinelsReply).flatMap((fields) => {
        const reported = instanceAddress(fields);
        return reported ? [{ address: translateAddress(reported, this.options.natMap), flags: instanceFlags(fields) }] : [];
      });
      this.#sentinels = mergeSentinels(this.#sentinels, discovered);
    }
    const now = this.#now();
    if (fenceBlocks(this.#fence, choice.address, now)) {
      throw new MasterFencedError(choice.address, Math.round(this.#fence!.until - now));
    }
    this.#fence = fenceAfterResolution(this.#fence, choice.address, now);
    await this.verifyRole(choice.address, "master");
    const previous = this.#master;
    this.#master = choice.address;
    if (previous === undefined || !sameAddress(previous, choice.address)) {
      const change: MasterChange = { from: previous, to: choice.address, cause: this.#inflightCause };
      for (const listener of this.#changeListeners) listener(change);
    }
    return { address: choice.address, configEpoch: choice.configEpoch, agreeing: choice.agreeing, attempts };
  }

  async #ask(
    sentinel: Address,
    commands: readonly string[][],
    wantMasterInfo: boolean,
  ): Promise<{ answer: MasterAnswer; sentinelsReply: unknown }> {
    let replies: unknown[];
    try {
      replies = await exchange(sentinel, this.#sentinelAuth(), this.#sentinelTimeout(), commands);
    } catch (error) {
      return { answer: { kind: "unreachable", sentinel, message: (error as Error).message }, sentinelsReply: undefined };
    }
    const [addrReply, ...rest] = replies;
    if (addrReply instanceof Error) {
      return { answer: { kind: "error", sentinel, message: addrReply.message }, sentinelsReply: undefined };
    }
    const reported = parseMasterAddrReply(addrReply);
    if (reported === undefined) return { answer: { kind: "unknown-master", sentinel }, sentinelsReply: undefined };
    const masterReply = wantMasterInfo ? rest.shift() : undefined;
    const sentinelsReply = rest.shift();
    const fields = masterReply === undefined || masterReply instanceof Error ? undefined : parseInstanceFields(masterReply);
    const epoch = fields?.["config-epoch"];
    const others = fields?.["num-other-sentinels"];
    return {
      answer: {
        kind: "address",
        sentinel,
        address: translateAddress(reported, this.options.natMap),
        ...(epoch === undefined ? {} : { configEpoch: Number(epoch) }),
        ...(others === undefined ? {} : { otherSentinels: Number(others) }),
      },
      sentinelsReply: sentinelsReply instanceof Error ? undefined : sentinelsReply,
    };
  }

  #sleepUnlessHinted(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }

  #wakeWaiters(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}

function toAttempt(answer: MasterAnswer): SentinelAttempt {
  switch (answer.kind) {
    case "address":
      return {
        sentinel: answer.sentinel,
        outcome: "answered",
        detail: `${formatAddress(answer.address)}${answer.configEpoch === undefined ? "" : ` epoch ${answer.configEpoch}`}`,
      };
    case "unknown-master":
      return { sentinel: answer.sentinel, outcome: "unknown-master", detail: "" };
    case "unreachable":
    case "error":
      return { sentinel: answer.sentinel, outcome: answer.kind, detail: answer.message };
  }
}
