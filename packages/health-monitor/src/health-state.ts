import { isIP } from "node:net";
import {
  formatAddress,
  formatInstanceDetails,
  type EventLevel,
  type HealthEventType,
  type InstanceDetails,
  type SentinelEvent,
} from "./details.js";
import { parseInfo, type ReportedRole } from "./info.js";
import {
  commandConnectionDeadAt,
  commandConnectionIsDead,
  isValidPingReply,
  pingPeriod,
  pubsubConnectionDeadAt,
  pubsubConnectionIsDead,
  sdownDueAt,
  sdownReason,
  type PingReply,
  type SdownInput,
  type SdownReason,
} from "./sdown.js";
import { alignSendTime, sendGranularity } from "./send-grid.js";
import { DEFAULT_SLAVE_PRIORITY, DEFAULT_TIMINGS, type SentinelTimings } from "./timings.js";

/** The two connections of a link: commands, and pub/sub (masters and replicas only). */
export type ConnectionKind = "cmd" | "pubsub";

/** A connection as the health state sees it. */
export type ConnectionState = "closed" | "connecting" | "open";

/** Commands the health state asks the edge to send on the command connection. */
export type HealthCommand = "PING" | "INFO" | "SCRIPT KILL";

/** Inputs of {@link InstanceHealth.step}. */
export type HealthInput =
  | {
      /** Time passed: reconnect, send what is due, check dead links and SDOWN. */
      readonly type: "tick";
      /** Commands without a reply on the link now (SPEC §4.3 cap); 0 when omitted. */
      readonly pendingCommands?: number;
      /** True while the sentinel is in TILT (SPEC §4.13): SDOWN and link checks pause. */
      readonly tilt?: boolean;
    }
  | {
      /** A `connect` effect succeeded: the connection is ready for commands. */
      readonly type: "connected";
      /** Which connection. */
      readonly connection: ConnectionKind;
    }
  | {
      /** A connection failed to open or was closed by the peer or the network. */
      readonly type: "disconnected";
      /** Which connection. */
      readonly connection: ConnectionKind;
    }
  | {
      /** A reply to a PING this state asked for. */
      readonly type: "ping-reply";
      /** The reply, classified. */
      readonly reply: PingReply;
    }
  | {
      /** A reply to INFO: its text, or `undefined` for an error or a non-text reply. */
      readonly type: "info-reply";
      /** The INFO text. */
      readonly info: string | undefined;
    }
  | {
      /** A message (or a subscription reply) arrived on the pub/sub connection. */
      readonly type: "pubsub-activity";
    }
  | {
      /** For a replica: whether its master is now ODOWN or failing over (SPEC §4.3). */
      readonly type: "master-status";
      /** True while the master is ODOWN or a failover is in progress. */
      readonly odownOrFailover: boolean;
    }
  | {
      /**
       * New periods (`SENTINEL DEBUG`), applied in place: links, replies, SDOWN and every
       * last-send time stay. As Redis compares `last_ping_time`, `last_pong_time`,
       * `info_refresh`, `last_reconn_time` and `last_pub_time` with its globals on each tick,
       * the next PING, INFO and reconnect fall due one new period after the last one
       * (at once when that time has passed), never a new period after the change.
       */
      readonly type: "set-timings";
      /** The periods that change; the others keep their values. */
      readonly timings: Partial<SentinelTimings>;
    }
  | {
      /**
       * New down-after periods (`SENTINEL SET down-after-milliseconds` or
       * `master-reboot-down-after-period`), applied in place as Redis assigns
       * `down_after_period` (`sentinelPropagateDownAfterPeriod`) and
       * `master_reboot_down_after_period`: links, replies, SDOWN and every last-send time
       * stay; the ping period (min(down-after, ping period)) and the SDOWN rules use the new
       * values from now on.
       */
      readonly type: "set-down-after";
      /** down-after-milliseconds, ms; unchanged when absent. */
      readonly downAfterMs?: number;
      /** master-reboot-down-after-period, ms (0 disables the rule); unchanged when absent. */
      readonly masterRebootDownAfterMs?: number;
    };

/** What the edge must do after a step, in order. */
export type HealthEffect =
  | {
      /** Open this connection (AUTH, CLIENT SETNAME, subscriptions are the link's job). */
      readonly type: "connect";
      /** Which connection. */
      readonly connection: ConnectionKind;
    }
  | {
      /** Close this connection now, without reporting it back as `disconnected`. */
      readonly type: "close";
      /** Which connection. */
      readonly connection: ConnectionKind;
      /** The dead-link rule that fired (SPEC §4.3). */
      readonly reason: "ping-timeout" | "pubsub-idle";
    }
  | {
      /** Send this command on the command connection (queued while it is connecting). */
      readonly type: "send";
      /** The command. */
      readonly command: HealthCommand;
    }
  | {
      /** Publish and log this event. */
      readonly type: "event";
      /** The event. */
      readonly event: SentinelEvent;
    }
  | {
      /** A master's INFO listed a replica not known before: start monitoring it. */
      readonly type: "replica-discovered";
      /** Its details, named `ip:port`, with this master as its master. */
      readonly replica: InstanceDetails;
    };

/** The result of one {@link InstanceHealth.step}. */
export interface HealthStep {
  /** Effects in the order Redis Sentinel performs them. */
  readonly effects: readonly HealthEffect[];
  /**
   * When to call `step` with a `tick` next (an absolute time in the same clock as `now`),
   * unless another input comes first. Nothing changes on its own before then.
   */
  readonly nextDueAt: number;
}

/** Options of {@link InstanceHealth}. */
export interface InstanceHealthOptions {
  /** Who the instance is; used in event payloads. */
  readonly details: InstanceDetails;
  /** down-after-milliseconds for this instance (its master's for a replica). */
  readonly downAfterMs: number;
  /** master-reboot-down-after-period, ms; 0 (the default) disables the reboot rule. */
  readonly masterRebootDownAfterMs?: number;
  /** Periods and caps; Redis's by default. A `set-timings` input changes them in place. */
  readonly timings?: Partial<SentinelTimings>;
  /**
   * Grid, ms, to which the times of reconnects, PINGs and INFOs are rounded up (see
   * {@link alignSendTime}), at most half the ping period; dead-link and SDOWN deadlines
   * stay exact. 0 (the default here) sends at the exact due times; `HealthMonitor` passes
   * `DEFAULT_SEND_GRANULARITY_MS` (100).
   */
  readonly sendGranularityMs?: number;
  /**
   * Apply the pub/sub dead-link rule (SPEC §4.3). It presumes hellos are published every
   * publish period; turn it off when nothing publishes hellos. Default true.
   */
  readonly checkPubsubIdle?: boolean;
  /** The runid known from the configuration, if any. */
  readonly runId?: string;
  /**
   * Redis's `resolve-hostnames`: when false (the default), a replica listed under a
   * hostname instead of an IP literal is ignored, as `createSentinelAddr` refuses it.
   */
  readonly resolveHostnames?: boolean;
  /** For a master: replicas already known (from the configuration), not announced again. */
  readonly knownReplicas?: Iterable<{
    /** The replica's address. */
    readonly ip: string;
    /** The replica's port. */
    readonly port: number;
  }>;
}

/** A read-only view of everything the health state knows about the instance. */
export interface HealthSnapshot {
  /** True while the instance is subjectively down. */
  readonly sdown: boolean;
  /** The rule that holds while SDOWN. */
  readonly sdownReason: SdownReason | undefined;
  /** When SDOWN was last entered, or `undefined` when never. */
  readonly sdownSince: number | undefined;
  /** The last run_id seen in INFO. */
  readonly runId: string | undefined;
  /** The role INFO last reported (initially the configured one). */
  readonly roleReported: ReportedRole | undefined;
  /** When the reported role last changed. */
  readonly roleReportedTime: number;
  /** When INFO last arrived, or `undefined` when never. */
  readonly infoRefresh: number | undefined;
  /** The full text of the last INFO (for `INFO-CACHE`). */
  readonly info: string | undefined;
  /** The command connection. */
  readonly cmd: ConnectionState;
  /** The pub/sub connection (always `closed` for sentinels). */
  readonly pubsub: ConnectionState;
  /** True when a connection the instance kind needs is closed. */
  readonly disconnected: boolean;
  /** When the oldest unanswered PING was sent, or `undefined`. */
  readonly actPingTime: number | undefined;
  /** When the last PING was sent, or `undefined`. */
  readonly lastPingTime: number | undefined;
  /** When the last valid PING reply arrived (the link's creation time at first). */
  readonly lastAvailTime: number;
  /** When any PING reply last arrived (the link's creation time at first). */
  readonly lastPongTime: number;
  /** `master_link_down_since_seconds` × 1000 from the last INFO, 0 when absent. */
  readonly masterLinkDownTimeMs: number;
  /** Replica: `master_host` from INFO. */
  readonly slaveMasterHost: string | undefined;
  /** Replica: `master_port` from INFO (0 until known). */
  readonly slaveMasterPort: number;
  /** Replica: `master_link_status` from INFO (`down` until known). */
  readonly slaveMasterLinkStatus: "up" | "down";
  /** Replica: when its master host or port last changed, or it became a replica. */
  readonly slaveConfChangeTime: number;
  /** Replica: `slave_priority` (100 until known). */
  readonly slavePriority: number;
  /** Replica: `slave_repl_offset` (0 until known). */
  readonly slaveReplOffset: number;
  /** Replica: `replica_announced` (true until known). */
  readonly replicaAnnounced: boolean;
  /** Master: the replicas known, by `ip:port` name. */
  readonly replicas: readonly string[];
}

function event(type: HealthEventType, level: EventLevel, message: string): HealthEffect {
  return { type: "event", event: { type, level, message } };
}

/**
 * The health of one monitored instance, as Redis Sentinel keeps it in
 * `sentinelRedisInstance` and its `instanceLink`: a pure state machine. It reads no clock
 * and opens no socket; `now` comes with every input, and what to do comes out as effects
 * plus the time of the next tick. Implements SPEC §4.3 (schedule, reconnects, dead links,
 * pending cap), §4.4 (INFO, the observing half), §4.6 (SDOWN) and the events of §3.
 */
export class InstanceHealth {
  #timings: SentinelTimings;
  #downAfterMs: number;
  #rebootDownAfterMs: number;
  readonly #checkPubsubIdle: boolean;
  readonly #resolveHostnames: boolean;
  readonly #sendGranularityMs: number;
  #details: InstanceDetails;

  #cmd: ConnectionState = "closed";
  #pubsub: ConnectionState = "closed";
  #cmdConnTime = 0;
  #pubsubConnTime = 0;
  #pubsubLastActivity = 0;
  #lastReconnTime: number | undefined;
  #actPingTime: number | undefined;
  #lastPingTime: number | undefined;
  #lastAvailTime: number;
  #lastPongTime: number;
  #infoInFlight = false;
  #pendingCommands = 0;
  #tilt = false;

  #sdown = false;
  #sdownReason: SdownReason | undefined;
  #sdownSince: number | undefined;
  #scriptKillSent = false;
  #rebootSince: number | undefined;
  #runId: string | undefined;
  #roleReported: ReportedRole | undefined;
  #roleReportedTime: number;
  #infoRefresh: number | undefined;
  #info: string | undefined;
  #masterLinkDownTimeMs = 0;
  #masterOdownOrFailover = false;
  #slaveMasterHost: string | undefined;
  #slaveMasterPort = 0;
  #slaveMasterLinkStatus: "up" | "down" = "down";
  #slaveConfChangeTime: number;
  #slavePriority = DEFAULT_SLAVE_PRIORITY;
  #slaveReplOffset = 0;
  #replicaAnnounced = true;
  readonly #replicas = new Set<string>();

  /**
   * Creates the state at time `now`. As in Redis's `createInstanceLink`, a PING counts as
   * pending from creation, so an instance that can never be reached becomes SDOWN after
   * down-after.
   */
  constructor(options: InstanceHealthOptions, now: number) {
    this.#timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.#details = options.details;
    this.#downAfterMs = options.downAfterMs;
    this.#rebootDownAfterMs = options.masterRebootDownAfterMs ?? 0;
    this.#checkPubsubIdle = options.checkPubsubIdle ?? true;
    this.#resolveHostnames = options.resolveHostnames ?? false;
    this.#sendGranularityMs = options.sendGranularityMs ?? 0;
    this.#runId = options.runId;
    this.#actPingTime = now;
    this.#lastAvailTime = now;
    this.#lastPongTime = now;
    this.#roleReported = options.details.kind === "sentinel" ? undefined : options.details.kind;
    this.#roleReportedTime = now;
    this.#slaveConfChangeTime = now;
    for (const replica of options.knownReplicas ?? []) {
      this.#replicas.add(formatAddress(replica.ip, replica.port));
    }
  }

  /** The instance's details as used in event payloads. */
  get details(): InstanceDetails {
    return this.#details;
  }

  /** Replaces the details (after a failover moved the master, for example). */
  setDetails(details: InstanceDetails): void {
    this.#details = details;
  }

  /** The periods and caps in force (changed by a `set-timings` input). */
  get timings(): SentinelTimings {
    return this.#timings;
  }

  /** down-after-milliseconds in force (changed by a `set-down-after` input). */
  get downAfterMs(): number {
    return this.#downAfterMs;
  }

  /** master-reboot-down-after-period in force, ms (changed by a `set-down-after` input). */
  get masterRebootDownAfterMs(): number {
    return this.#rebootDownAfterMs;
  }

  /** `ping_period` for this instance: min(down-after, sentinel ping period). */
  get pingPeriodMs(): number {
    return pingPeriod(this.#downAfterMs, this.#timings.pingPeriodMs);
  }

  /** The current INFO period: fast for replicas that need a fresh view (SPEC §4.3). */
  get infoPeriodMs(): number {
    const fast =
      this.#details.kind === "slave" &&
      (this.#masterOdownOrFailover || this.#masterLinkDownTimeMs !== 0);
    return fast ? this.#timings.fastInfoPeriodMs : this.#timings.infoPeriodMs;
  }

  /** Everything known about the instance. */
  snapshot(): HealthSnapshot {
    return {
      sdown: this.#sdown,
      sdownReason: this.#sdownReason,
      sdownSince: this.#sdownSince,
      runId: this.#runId,
      roleReported: this.#roleReported,
      roleReportedTime: this.#roleReportedTime,
      infoRefresh: this.#infoRefresh,
      info: this.#info,
      cmd: this.#cmd,
      pubsub: this.#pubsub,
      disconnected: this.#disconnected(),
      actPingTime: this.#actPingTime,
      lastPingTime: this.#lastPingTime,
      lastAvailTime: this.#lastAvailTime,
      lastPongTime: this.#lastPongTime,
      masterLinkDownTimeMs: this.#masterLinkDownTimeMs,
      slaveMasterHost: this.#slaveMasterHost,
      slaveMasterPort: this.#slaveMasterPort,
      slaveMasterLinkStatus: this.#slaveMasterLinkStatus,
      slaveConfChangeTime: this.#slaveConfChangeTime,
      slavePriority: this.#slavePriority,
      slaveReplOffset: this.#slaveReplOffset,
      replicaAnnounced: this.#replicaAnnounced,
      replicas: [...this.#replicas],
    };
  }

  /** Feeds one input at time `now`; returns the effects and the next due time. */
  step(input: HealthInput, now: number): HealthStep {
    const effects: HealthEffect[] = [];
    switch (input.type) {
      case "tick":
        this.#pendingCommands = input.pendingCommands ?? 0;
        this.#tilt = input.tilt ?? false;
        this.#tick(now, effects);
        break;
      case "connected":
        this.#onConnected(input.connection, now, effects);
        break;
      case "disconnected":
        this.#setConnection(input.connection, "closed");
        break;
      case "ping-reply":
        this.#onPingReply(input.reply, now, effects);
        break;
      case "info-reply":
        this.#infoInFlight = false;
        if (input.info !== undefined) this.#onInfo(input.info, now, effects);
        break;
      case "pubsub-activity":
        this.#pubsubLastActivity = now;
        break;
      case "master-status":
        this.#masterOdownOrFailover = input.odownOrFailover;
        break;
      case "set-timings":
        // Nothing to do now: the due times below are derived from the last sends and the
        // periods, so they follow the new periods (a shorter one can make a send due at once).
        this.#timings = { ...this.#timings, ...input.timings };
        break;
      case "set-down-after":
        // As for set-timings: every due time and SDOWN verdict is derived on demand.
        if (input.downAfterMs !== undefined) this.#downAfterMs = input.downAfterMs;
        if (input.masterRebootDownAfterMs !== undefined) this.#rebootDownAfterMs = input.masterRebootDownAfterMs;
        break;
    }
    return { effects, nextDueAt: this.#nextDueAt(now) };
  }

  #needsPubsub(): boolean {
    return this.#details.kind !== "sentinel";
  }

  #disconnected(): boolean {
    return this.#cmd === "closed" || (this.#needsPubsub() && this.#pubsub === "closed");
  }

  #onConnected(connection: ConnectionKind, now: number, effects: HealthEffect[]): void {
    const wasConnecting = (connection === "cmd" ? this.#cmd : this.#pubsub) === "connecting";
    this.#setConnection(connection, "open");
    // sentinelReconnectInstance: "Send a PING ASAP when reconnecting".
    if (connection === "cmd" && wasConnecting) this.#sendPing(now, effects);
  }

  #setConnection(connection: ConnectionKind, state: ConnectionState): void {
    if (connection === "cmd") {
      if (state === "closed") this.#infoInFlight = false;
      if (this.#cmd !== "closed" || state !== "open") this.#cmd = state;
    } else if (this.#pubsub !== "closed" || state !== "open") {
      this.#pubsub = state;
    }
  }

  // sentinelHandleRedisInstance: reconnect, periodic commands, then (outside TILT) the
  // dead-link and SDOWN checks of sentinelCheckSubjectivelyDown.
  #tick(now: number, effects: HealthEffect[]): void {
    this.#reconnect(now, effects);
    this.#sendPeriodic(now, effects);
    if (this.#tilt) return;
    this.#closeDeadConnections(now, effects);
    this.#updateSdown(now, effects);
  }

  #reconnect(now: number, effects: HealthEffect[]): void {
    if (!this.#disconnected() || this.#details.port === 0) return;
    if (this.#lastReconnTime !== undefined && now - this.#lastReconnTime < this.#timings.pingPeriodMs) {
      return;
    }
    this.#lastReconnTime = now;
    if (this.#cmd === "closed") {
      this.#cmd = "connecting";
      this.#cmdConnTime = now;
      effects.push({ type: "connect", connection: "cmd" });
      // "Send a PING ASAP when reconnecting": Redis queues it on the new context before the
      // connection is up, so sentinelSendPing sets act_ping_time now (if no PING is pending)
      // even when the connect is refused. The PING itself leaves on "connected".
      this.#actPingTime ??= now;
    }
    if (this.#needsPubsub() && this.#pubsub === "closed") {
      this.#pubsub = "connecting";
      this.#pubsubConnTime = now;
      effects.push({ type: "connect", connection: "pubsub" });
    }
  }

  #sendPing(now: number, effects: HealthEffect[]): void {
    effects.push({ type: "send", command: "PING" });
    this.#lastPingTime = now;
    this.#actPingTime ??= now;
  }

  #pendingCapReached(): boolean {
    return this.#pendingCommands >= this.#timings.maxPendingCommands;
  }

  #infoDue(now: number): boolean {
    return (
      this.#details.kind !== "sentinel" &&
      !this.#infoInFlight &&
      (this.#infoRefresh === undefined || now - this.#infoRefresh > this.infoPeriodMs)
    );
  }

  #pingDue(now: number): boolean {
    const period = this.pingPeriodMs;
    return (
      now - this.#lastPongTime > period &&
      (this.#lastPingTime === undefined || now - this.#lastPingTime > Math.floor(period / 2))
    );
  }

  // sentinelSendPeriodicCommands, minus the hello (the gossip package's job).
  #sendPeriodic(now: number, effects: HealthEffect[]): void {
    if (this.#disconnected() || this.#cmd !== "open" || this.#pendingCapReached()) return;
    if (this.#infoDue(now)) {
      // One INFO in flight at a time: Redis resends on every 100 ms tick until a reply
      // comes; an event-driven loop would spin instead.
      this.#infoInFlight = true;
      effects.push({ type: "send", command: "INFO" });
    }
    if (this.#pingDue(now)) this.#sendPing(now, effects);
  }

  #commandConnectionTimes() {
    return {
      connectedSince: this.#cmdConnTime,
      actPingTime: this.#actPingTime,
      lastPongTime: this.#lastPongTime,
      downAfterMs: this.#downAfterMs,
      minLinkReconnectPeriodMs: this.#timings.minLinkReconnectPeriodMs,
    };
  }

  #pubsubConnectionTimes() {
    return {
      connectedSince: this.#pubsubConnTime,
      lastActivity: this.#pubsubLastActivity,
      publishPeriodMs: this.#timings.publishPeriodMs,
      minLinkReconnectPeriodMs: this.#timings.minLinkReconnectPeriodMs,
    };
  }

  #closeDeadConnections(now: number, effects: HealthEffect[]): void {
    if (this.#cmd !== "closed" && commandConnectionIsDead(this.#commandConnectionTimes(), now)) {
      this.#setConnection("cmd", "closed");
      effects.push({ type: "close", connection: "cmd", reason: "ping-timeout" });
    }
    if (
      this.#checkPubsubIdle &&
      this.#pubsub !== "closed" &&
      pubsubConnectionIsDead(this.#pubsubConnectionTimes(), now)
    ) {
      this.#setConnection("pubsub", "closed");
      effects.push({ type: "close", connection: "pubsub", reason: "pubsub-idle" });
    }
  }

  #sdownInput(): SdownInput {
    return {
      actPingTime: this.#actPingTime,
      // Redis's link->disconnected: sentinelReconnectInstance clears it as soon as the
      // contexts exist, so a connection still opening counts as present.
      disconnected: this.#disconnected(),
      lastAvailTime: this.#lastAvailTime,
      downAfterMs: this.#downAfterMs,
      isMaster: this.#details.kind === "master",
      roleReported: this.#roleReported,
      roleReportedTime: this.#roleReportedTime,
      infoPeriodMs: this.#timings.infoPeriodMs,
      rebootSince: this.#rebootSince,
      masterRebootDownAfterMs: this.#rebootDownAfterMs,
    };
  }

  #updateSdown(now: number, effects: HealthEffect[]): void {
    const reason = sdownReason(this.#sdownInput(), now);
    this.#sdownReason = reason;
    const details = formatInstanceDetails(this.#details);
    if (reason !== undefined && !this.#sdown) {
      this.#sdown = true;
      this.#sdownSince = now;
      effects.push(event("+sdown", "warning", details));
    } else if (reason === undefined && this.#sdown) {
      this.#sdown = false;
      this.#scriptKillSent = false;
      effects.push(event("-sdown", "warning", details));
    }
  }

  #onPingReply(reply: PingReply, now: number, effects: HealthEffect[]): void {
    if (isValidPingReply(reply)) {
      this.#lastAvailTime = now;
      this.#actPingTime = undefined;
      if (reply.kind === "status" && reply.text.startsWith("PONG")) this.#rebootSince = undefined;
    } else if (
      reply.kind !== "other" &&
      reply.text.startsWith("BUSY") &&
      this.#sdown &&
      !this.#scriptKillSent
    ) {
      // SPEC §4.6: a script holds the instance; kill it once per SDOWN period.
      this.#scriptKillSent = true;
      effects.push({ type: "send", command: "SCRIPT KILL" });
    }
    this.#lastPongTime = now;
  }

  // sentinelRefreshInstanceInfo, the observing half; the acting half (SPEC §4.12) belongs
  // to the failover logic.
  #onInfo(text: string, now: number, effects: HealthEffect[]): void {
    const info = parseInfo(text);
    const details = formatInstanceDetails(this.#details);
    this.#info = text;
    this.#masterLinkDownTimeMs = info.masterLinkDownTimeMs;

    if (info.runId !== undefined) {
      if (this.#runId !== undefined && this.#runId !== info.runId) {
        effects.push(event("+reboot", "notice", details));
        if (this.#details.kind === "master" && this.#rebootDownAfterMs !== 0) {
          this.#rebootSince = now;
        }
      }
      this.#runId = info.runId;
    }

    if (this.#details.kind === "master") {
      for (const replica of info.replicas) {
        if (replica.port < 0 || replica.port > 65535) continue;
        if (!this.#resolveHostnames && isIP(replica.ip) === 0) continue;
        const name = formatAddress(replica.ip, replica.port);
        if (this.#replicas.has(name)) continue;
        this.#replicas.add(name);
        const discovered: InstanceDetails = {
          kind: "slave",
          name,
          ip: replica.ip,
          port: replica.port,
          master: { name: this.#details.name, ip: this.#details.ip, port: this.#details.port },
        };
        effects.push(event("+slave", "notice", formatInstanceDetails(discovered)));
        effects.push({ type: "replica-discovered", replica: discovered });
      }
    }

    if (info.role === "slave") {
      if (
        info.masterHost !== undefined &&
        (this.#slaveMasterHost === undefined ||
          info.masterHost.toLowerCase() !== this.#slaveMasterHost.toLowerCase())
      ) {
        this.#slaveMasterHost = info.masterHost;
        this.#slaveConfChangeTime = now;
      }
      if (info.masterPort !== undefined && info.masterPort !== this.#slaveMasterPort) {
        this.#slaveMasterPort = info.masterPort;
        this.#slaveConfChangeTime = now;
      }
      if (info.masterLinkStatus !== undefined) this.#slaveMasterLinkStatus = info.masterLinkStatus;
      if (info.slavePriority !== undefined) this.#slavePriority = info.slavePriority;
      if (info.slaveReplOffset !== undefined) this.#slaveReplOffset = info.slaveReplOffset;
      if (info.replicaAnnounced !== undefined) this.#replicaAnnounced = info.replicaAnnounced;
    }
    this.#infoRefresh = now;

    if (info.role !== this.#roleReported) {
      this.#roleReported = info.role;
      this.#roleReportedTime = now;
      if (info.role === "slave") this.#slaveConfChangeTime = now;
      const coherent = info.role === this.#details.kind;
      // Redis prints "slave" for anything that is not role:master.
      const shown = info.role === "master" ? "master" : "slave";
      effects.push(
        event(
          coherent ? "+role-change" : "-role-change",
          "verbose",
          `${details} new reported role is ${shown}`,
        ),
      );
    }
  }

  #nextDueAt(now: number): number {
    let due = Infinity;
    if (this.#disconnected()) {
      due = this.#lastReconnTime === undefined ? now : this.#lastReconnTime + this.#timings.pingPeriodMs;
    } else if (this.#cmd !== "open") {
      // Still connecting: "connected" or "disconnected" comes next, or the SDOWN rule fires.
    } else if (this.#pendingCapReached()) {
      // Replies lower the count; look again one ping period later at the latest.
      due = now + this.pingPeriodMs;
    } else {
      if (this.#details.kind !== "sentinel" && !this.#infoInFlight) {
        due = Math.min(due, this.#infoRefresh === undefined ? now : this.#infoRefresh + this.infoPeriodMs + 1);
      }
      const period = this.pingPeriodMs;
      const pingAt = Math.max(
        this.#lastPongTime + period + 1,
        this.#lastPingTime === undefined ? -Infinity : this.#lastPingTime + Math.floor(period / 2) + 1,
      );
      due = Math.min(due, pingAt);
    }
    // Sends wait for the next grid slot (if not due already); deadlines below stay exact.
    if (due > now) due = alignSendTime(due, sendGranularity(this.#sendGranularityMs, this.pingPeriodMs));
    // In TILT the acting half waits: only the schedule above matters.
    if (this.#tilt) return Math.max(due, now);
    if (this.#cmd !== "closed") due = Math.min(due, commandConnectionDeadAt(this.#commandConnectionTimes()));
    if (this.#checkPubsubIdle && this.#pubsub !== "closed") {
      due = Math.min(due, pubsubConnectionDeadAt(this.#pubsubConnectionTimes()));
    }
    const input = this.#sdownInput();
    // A changed SDOWN verdict (a reply cleared it) is applied at once; else wait for a rule.
    if ((sdownReason(input, now) !== undefined) !== this.#sdown) return now;
    if (!this.#sdown) due = Math.min(due, sdownDueAt(input));
    return Math.max(due, now);
  }
}
