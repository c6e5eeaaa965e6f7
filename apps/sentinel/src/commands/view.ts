/**
 * The contract between the command layer and the daemon's core: {@link SentinelView} is the
 * read-only state the replies are computed from, {@link SentinelActions} the mutations the
 * commands ask for. Both are plain data and functions, so a test builds them from literals.
 *
 * Times are absolute milliseconds on the daemon's clock; the command layer turns them into
 * Redis's "ms ago" against the `now` it is given. `0` means "never" wherever Redis keeps a
 * zero timestamp for it (a ping never sent, INFO never received).
 *
 * @module
 */
import type { RespClientContext, RespReplyMode } from "@sentinel-kit/resp-protocol";
import type { PauseRequest } from "./client-pause.js";
import type { TrackingState } from "./client-tracking.js";
import type { HostFacts } from "./info.js";

/**
 * An instance flag, named as `addReplySentinelRedisInstance` prints it. The command layer
 * prints them in Redis's order (see {@link INSTANCE_FLAG_ORDER}), whatever the set's order.
 */
export type InstanceFlag =
  | "s_down"
  | "o_down"
  | "master"
  | "slave"
  | "sentinel"
  | "disconnected"
  | "master_down"
  | "failover_in_progress"
  | "promoted"
  | "reconf_sent"
  | "reconf_inprog"
  | "reconf_done"
  | "force_failover"
  | "script_kill_sent"
  | "master_reboot";

/** The order Redis 7.0 prints flags in (`addReplySentinelRedisInstance`), SPEC §1.3. */
export const INSTANCE_FLAG_ORDER: readonly InstanceFlag[] = [
  "s_down",
  "o_down",
  "master",
  "slave",
  "sentinel",
  "disconnected",
  "master_down",
  "failover_in_progress",
  "promoted",
  "reconf_sent",
  "reconf_inprog",
  "reconf_done",
  "force_failover",
  "script_kill_sent",
  "master_reboot",
];

/** A failover state as `sentinelFailoverStateStr` names it (SPEC §1.3, §4.10). */
export type FailoverStateName =
  | "none"
  | "wait_start"
  | "select_slave"
  | "send_slaveof_noone"
  | "wait_promotion"
  | "reconf_slaves"
  | "update_config";

/** What every instance (master, replica, sentinel) shows in its map (SPEC §1.3). */
export interface InstanceView {
  /** The instance name: the master's name, `ip:port` for a replica, the runid for a sentinel. */
  readonly name: string;
  /** The address as announced (a hostname when `announce-hostnames yes`). */
  readonly ip: string;
  /** The port. */
  readonly port: number;
  /** The run id last seen, or null before the first INFO/hello (printed as an empty string). */
  readonly runid: string | null;
  /** The instance's flags, in any order. */
  readonly flags: ReadonlySet<InstanceFlag>;
  /** Commands sent on the command link and not yet answered (`link-pending-commands`). */
  readonly linkPendingCommands: number;
  /** How many instances share the link (`link-refcount`); 1 for an unshared link. */
  readonly linkRefcount: number;
  /** When the PING now awaiting a reply was sent, 0 when none is pending (`act_ping_time`). */
  readonly lastPingSent: number;
  /** When the instance last answered a PING with an acceptable reply (`last_avail_time`). */
  readonly lastOkPingReply: number;
  /** When the instance last answered a PING with any reply (`last_pong_time`). */
  readonly lastPingReply: number;
  /** Since when the instance is subjectively down, or null when it is not. */
  readonly sDownSince: number | null;
  /** The down-after period in milliseconds that applies to the instance. */
  readonly downAfterMs: number;
}

/** What masters and replicas add: data from their INFO (SPEC §1.3). */
export interface RedisInstanceView extends InstanceView {
  /** When the last INFO reply was received, 0 when never (`info-refresh`). */
  readonly infoRefresh: number;
  /** The role the instance last reported in INFO (`role-reported`). */
  readonly roleReported: "master" | "slave";
  /** When the reported role last changed (`role-reported-time`). */
  readonly roleReportedTime: number;
  /** The last INFO text received, or null before the first (SENTINEL INFO-CACHE). */
  readonly infoText: string | null;
}

/** A replica of a monitored master (SPEC §1.3 replica fields). */
export interface ReplicaView extends RedisInstanceView {
  /** `master_link_down_since_seconds` from INFO, in milliseconds (`master-link-down-time`, not "ago"). */
  readonly masterLinkDownTime: number;
  /** Whether INFO says `master_link_status:up`. */
  readonly masterLinkUp: boolean;
  /** The master host the replica reports, null when unknown (printed `?`). */
  readonly masterHost: string | null;
  /** The master port the replica reports (0 when unknown). */
  readonly masterPort: number;
  /** `slave_priority` from INFO. */
  readonly slavePriority: number;
  /** `slave_repl_offset` from INFO. */
  readonly slaveReplOffset: number;
  /** `replica_announced` from INFO; a replica with false is left out of SENTINEL REPLICAS. */
  readonly replicaAnnounced: boolean;
}

/** Another sentinel monitoring the same master (SPEC §1.3 sentinel fields). */
export interface SentinelPeerView extends InstanceView {
  /** When the last hello from it was received (`last-hello-message`). */
  readonly lastHelloMessage: number;
  /** The leader it voted for, null when none is known (printed `?`). */
  readonly votedLeader: string | null;
  /** The epoch of that vote. */
  readonly votedLeaderEpoch: number;
}

/** A monitored master and everything hanging off it (SPEC §1.3 master fields). */
export interface MasterView extends RedisInstanceView {
  /** Since when the master is objectively down, or null when it is not. */
  readonly oDownSince: number | null;
  /** The failover state; `none` when no failover is in progress (then the field is not printed). */
  readonly failoverState: FailoverStateName;
  /** The master's config epoch. */
  readonly configEpoch: number;
  /** The quorum. */
  readonly quorum: number;
  /** `failover-timeout` in milliseconds. */
  readonly failoverTimeoutMs: number;
  /** `parallel-syncs`. */
  readonly parallelSyncs: number;
  /** `master-reboot-down-after-period` in milliseconds (0 = off). */
  readonly masterRebootDownAfterMs: number;
  /** The notification script path, or null when none. */
  readonly notificationScript: string | null;
  /** The client reconfiguration script path, or null when none. */
  readonly clientReconfigScript: string | null;
  /** Known replicas, in the order they were learned. */
  readonly replicas: readonly ReplicaView[];
  /** Other sentinels (never this one), in the order they were learned. */
  readonly sentinels: readonly SentinelPeerView[];
  /**
   * The address SENTINEL GET-MASTER-ADDR-BY-NAME answers: the promoted replica's once the
   * failover reached `reconf_slaves` (`sentinelGetCurrentMasterAddress`), the master's otherwise.
   */
  readonly currentAddress: {
    /** The address (a hostname when `announce-hostnames yes`). */
    readonly ip: string;
    /** The port. */
    readonly port: number;
  };
}

/** One script job (SENTINEL PENDING-SCRIPTS, `sentinelPendingScriptsCommand`). */
export interface ScriptJobView {
  /** The script and its arguments. */
  readonly argv: readonly string[];
  /** Whether it runs now. */
  readonly running: boolean;
  /** The child's pid while running, 0 otherwise. */
  readonly pid: number;
  /** When it started (running) or when it may start (scheduled). */
  readonly startTime: number;
  /** How many times it was retried. */
  readonly retryNum: number;
}

/** The 13 timing parameters SENTINEL DEBUG shows and sets, in milliseconds (SPEC §4.1). */
export interface DebugTimings {
  /** `sentinel_info_period`. */
  readonly infoPeriod: number;
  /** `sentinel_ping_period`. */
  readonly pingPeriod: number;
  /** `sentinel_ask_period`. */
  readonly askPeriod: number;
  /** `sentinel_publish_period`. */
  readonly publishPeriod: number;
  /** `sentinel_default_down_after`. */
  readonly defaultDownAfter: number;
  /** `sentinel_default_failover_timeout`. */
  readonly defaultFailoverTimeout: number;
  /** `sentinel_tilt_trigger`. */
  readonly tiltTrigger: number;
  /** `sentinel_tilt_period`. */
  readonly tiltPeriod: number;
  /** `sentinel_slave_reconf_timeout`. */
  readonly slaveReconfTimeout: number;
  /** `sentinel_min_link_reconnect_period`. */
  readonly minLinkReconnectPeriod: number;
  /** `sentinel_election_timeout`. */
  readonly electionTimeout: number;
  /** `sentinel_script_max_runtime`. */
  readonly scriptMaxRuntime: number;
  /** `sentinel_script_retry_delay`. */
  readonly scriptRetryDelay: number;
}

/** Redis's log verbosity names, as SENTINEL CONFIG takes them. */
export type LogLevelName = "debug" | "verbose" | "notice" | "warning" | "nothing";

/** The global options SENTINEL CONFIG GET shows and SENTINEL CONFIG SET changes. */
export interface SentinelGlobalConfig {
  /** `resolve-hostnames`. */
  readonly resolveHostnames: boolean;
  /** `announce-hostnames`. */
  readonly announceHostnames: boolean;
  /** `announce-ip`; empty when unset. */
  readonly announceIp: string;
  /** `announce-port`; 0 when unset. */
  readonly announcePort: number;
  /** `sentinel-user`; empty when unset. */
  readonly sentinelUser: string;
  /** `sentinel-pass`; empty when unset. */
  readonly sentinelPass: string;
  /** `loglevel` (Redis 7.0.15's SENTINEL CONFIG neither shows nor sets it; kept for the daemon's own use). */
  readonly loglevel: LogLevelName;
  /** `deny-scripts-reconfig` (SENTINEL SET refuses script changes while true). */
  readonly denyScriptsReconfig: boolean;
}

/** Which crashes SENTINEL SIMULATE-FAILURE armed. */
export interface SimulateFailureFlags {
  /** Exit with 99 right after winning an election. */
  readonly crashAfterElection: boolean;
  /** Exit with 99 right after the promoted replica is confirmed. */
  readonly crashAfterPromotion: boolean;
}

/** Process and server figures for INFO's server, clients, stats and cpu sections (SPEC §1.4). */
export interface ServerInfoView {
  /** `process_id`. */
  readonly processId: number;
  /** `run_id`: the server's random run id of this process (not the sentinel's myid). */
  readonly runId: string;
  /** `tcp_port`. */
  readonly tcpPort: number;
  /** When the process started, for `uptime_in_seconds` and `uptime_in_days`. */
  readonly startedAt: number;
  /** `executable`: absolute path of the program. */
  readonly executable: string;
  /** `config_file`: absolute path of sentinel.conf. */
  readonly configFile: string;
  /** `hz`: the timer's current frequency. */
  readonly hz: number;
  /** `connected_clients`. */
  readonly connectedClients: number;
  /** `maxclients`. */
  readonly maxClients: number;
  /** `total_connections_received`. */
  readonly totalConnectionsReceived: number;
  /** `total_commands_processed`. */
  readonly totalCommandsProcessed: number;
  /** `total_net_input_bytes`. */
  readonly totalNetInputBytes: number;
  /** `total_net_output_bytes`. */
  readonly totalNetOutputBytes: number;
  /** `rejected_connections`. */
  readonly rejectedConnections: number;
  /** `pubsub_channels`. */
  readonly pubsubChannels: number;
  /** `pubsub_patterns`. */
  readonly pubsubPatterns: number;
  /** `total_error_replies`. */
  readonly totalErrorReplies: number;
  /** `total_reads_processed`. */
  readonly totalReadsProcessed: number;
  /** `total_writes_processed`. */
  readonly totalWritesProcessed: number;
  /** `blocked_clients`: clients whose command a CLIENT PAUSE holds; 0 when absent. */
  readonly blockedClients?: number;
  /** `tracking_clients`: clients with CLIENT TRACKING on; 0 when absent. */
  readonly trackingClients?: number;
}

/** Everything the replies are computed from; a snapshot or live getters, read at reply time. */
export interface SentinelView {
  /** This sentinel's 40-hex-character id. */
  readonly myid: string;
  /** The current epoch. */
  readonly currentEpoch: number;
  /** Since when the sentinel is in TILT, or null when it is not. */
  readonly tiltSince: number | null;
  /** The monitored masters, in the order they were added. */
  readonly masters: readonly MasterView[];
  /** Script jobs, running first as Redis keeps them in its queue. */
  readonly scripts: readonly ScriptJobView[];
  /** Which failure simulations are armed. */
  readonly simulateFailure: SimulateFailureFlags;
  /** The timing parameters. */
  readonly debug: DebugTimings;
  /** The global options. */
  readonly config: SentinelGlobalConfig;
  /** Figures for INFO. */
  readonly server: ServerInfoView;
  /** The connected clients, for CLIENT LIST and CLIENT KILL. */
  readonly clients: () => readonly RespClientContext[];
}

/** The outcome of a mutation that can be refused: ok, or the error line to send (code included). */
export type ActionResult =
  | {
      /** Done. */
      readonly ok: true;
    }
  | {
      /** Refused. */
      readonly ok: false;
      /** The error line to reply, code included, e.g. `ERR Duplicate master name.`. */
      readonly error: string;
    };

/** One option change of SENTINEL SET, parsed and checked for its syntax by the command layer. */
export type MasterOptionChange =
  | {
      /** The option, as Redis names it. */
      readonly option: "down-after-milliseconds";
      /** The new value. */
      readonly value: number;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "failover-timeout";
      /** The new value. */
      readonly value: number;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "parallel-syncs";
      /** The new value. */
      readonly value: number;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "quorum";
      /** The new value. */
      readonly value: number;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "master-reboot-down-after-period";
      /** The new value. */
      readonly value: number;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "notification-script";
      /** The new value. */
      readonly value: string;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "client-reconfig-script";
      /** The new value. */
      readonly value: string;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "auth-pass";
      /** The new value. */
      readonly value: string;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "auth-user";
      /** The new value. */
      readonly value: string;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "rename-command";
      /** The command to rename. */
      readonly command: string;
      /** The name to send instead. */
      readonly renamed: string;
    };

/** One change of SENTINEL CONFIG SET, parsed and validated by the command layer. */
export type GlobalConfigChange =
  | {
      /** The option, as Redis names it. */
      readonly option: "resolve-hostnames";
      /** The new value. */
      readonly value: boolean;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "announce-hostnames";
      /** The new value. */
      readonly value: boolean;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "announce-ip";
      /** The new value. */
      readonly value: string;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "announce-port";
      /** The new value. */
      readonly value: number;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "sentinel-user";
      /** The new value. */
      readonly value: string;
    }
  | {
      /** The option, as Redis names it. */
      readonly option: "sentinel-pass";
      /** The new value. */
      readonly value: string;
    }
  /** Never produced by SENTINEL CONFIG SET, which refuses `loglevel` in Redis 7.0.15; for the daemon's own use. */
  | {
      /** The option, as Redis names it. */
      readonly option: "loglevel";
      /** The new value. */
      readonly value: LogLevelName;
    };

/** The answer to SENTINEL IS-MASTER-DOWN-BY-ADDR once the vote, if any, is on disk. */
export interface IsMasterDownReply {
  /** Whether this sentinel sees the master subjectively down (never while in TILT). */
  readonly down: boolean;
  /** The runid this sentinel voted for in `leaderEpoch`, or null (printed `*`). */
  readonly leader: string | null;
  /** The epoch of that vote, 0 when no vote was asked for. */
  readonly leaderEpoch: number;
}

/**
 * The mutations commands ask the core for. A result that needs the config on disk first
 * (MONITOR, REMOVE, SET, CONFIG SET, a vote) is a promise that settles after the flush.
 */
export interface SentinelActions {
  /**
   * SENTINEL MONITOR: the command layer has checked, in Redis's order, the quorum and port
   * syntax, quorum ≥ 1, the address (a numeric address unless `resolve-hostnames yes`,
   * passed normalized as Redis keeps it: `127.1` becomes `127.0.0.1`; with resolve-hostnames
   * the host as given, which the core resolves, answering `ERR Invalid IP address or
   * hostname specified` on failure),
   * the port range (`ERR Invalid port number.`) and the name (`ERR Duplicate master name.`).
   * The core adds the master, flushes (`ERR Failed to save config file. Check server logs.`
   * on failure, see FLUSH_FAILED_ERROR), then emits `+monitor`.
   */
  monitor(name: string, host: string, port: number, quorum: number): Promise<ActionResult>;
  /** SENTINEL REMOVE of a master the view has: emit `-monitor`, drop it, flush (its failure is an error result). */
  remove(name: string): Promise<ActionResult>;
  /**
   * SENTINEL SET on a master the view has, with every change parsed (and script changes
   * already refused under `deny-scripts-reconfig yes`). The core applies them in order,
   * emitting `+set` for each; a script that is not executable stops it there with Redis's
   * error (`ERR Notification script seems non existing or non executable`, `ERR Client
   * reconfiguration script seems non existing or non executable`), the changes before it
   * staying applied, as in `sentinelSetCommand`. It flushes if anything changed. On a syntax
   * error after valid options, the command layer passes the valid prefix and replies the
   * syntax error whatever this returns.
   */
  setMasterOptions(name: string, changes: readonly MasterOptionChange[]): Promise<ActionResult>;
  /** SENTINEL RESET: reset the masters whose name matches the glob; returns how many. */
  reset(pattern: string): number | Promise<number>;
  /**
   * SENTINEL FAILOVER on a master the view has: `INPROG` when a failover is in progress,
   * `NOGOODSLAVE` when `sentinelSelectSlave` finds no replica, else start a failover flagged
   * `force_failover` (no election needed) and answer `OK`.
   */
  failover(name: string): "OK" | "INPROG" | "NOGOODSLAVE" | Promise<"OK" | "INPROG" | "NOGOODSLAVE">;
  /** SENTINEL FLUSHCONFIG: rewrite the config; false when the save failed. */
  flushConfig(): Promise<boolean>;
  /**
   * SENTINEL IS-MASTER-DOWN-BY-ADDR: look the master up by address, vote for `runid` in
   * `epoch` unless it is `*`, persist the vote, then answer.
   */
  isMasterDownByAddr(ip: string, port: number, epoch: number, runid: string): Promise<IsMasterDownReply>;
  /** PUBLISH __sentinel__:hello: process a hello payload received from a client. */
  receiveHello(payload: string): void;
  /** SENTINEL CONFIG SET with every change validated: apply, flush. */
  configSet(changes: readonly GlobalConfigChange[]): Promise<ActionResult>;
  /** SENTINEL DEBUG with pairs: set the given timing parameters (validated, > 0). */
  setDebugTimings(changes: Partial<DebugTimings>): void;
  /** SENTINEL SIMULATE-FAILURE: replace the armed simulations. */
  simulateFailure(flags: SimulateFailureFlags): void;
  /**
   * SHUTDOWN: flush the config and exit. `nosave`/`save`/`now`/`force`/`abort` are parsed by
   * the command layer; a refused shutdown returns the error line, a successful one never returns.
   */
  shutdown(options: ShutdownOptions): Promise<ActionResult>;
  /** CLIENT KILL: close the given client after the current reply. */
  killClient(client: RespClientContext): void;
}

/** SHUTDOWN's modifiers (Redis 7.0 `shutdownCommand`). */
export interface ShutdownOptions {
  /** `NOSAVE`. */
  readonly nosave: boolean;
  /** `SAVE`. */
  readonly save: boolean;
  /** `NOW`. */
  readonly now: boolean;
  /** `FORCE`. */
  readonly force: boolean;
}

/**
 * The per-connection machinery behind CLIENT TRACKING, CACHING, PAUSE and REPLY, which the
 * RESP server and the daemon provide. A host without it gets those subcommands refused with
 * `ERR ... is not supported by sentinel-kit` (TRACKING OFF, GETREDIR, TRACKINGINFO, REPLY ON
 * and UNPAUSE still answer, as nothing was ever turned on).
 */
export interface ClientControl {
  /** The client's tracking state, all off until its first CLIENT TRACKING; changed in place. */
  tracking(client: RespClientContext): TrackingState;
  /** CLIENT PAUSE, already parsed: merged with the pause in force as Redis's `pauseClients`. */
  pause(request: PauseRequest): void;
  /** CLIENT UNPAUSE: end the pause; held commands run, in the order they arrived. */
  unpause(): void;
  /** CLIENT REPLY: what the client hears back, from the command being answered on. */
  setReplyMode(client: RespClientContext, mode: RespReplyMode): void;
  /** Whether a CLIENT PAUSE holds this client's command now (CLIENT LIST `flags=b`). */
  isHeld(client: RespClientContext): boolean;
}

/** What one call of the dispatcher sees: the state, the mutations, the clock and the caller. */
export interface CommandContext {
  /** The state replies are computed from. */
  readonly view: SentinelView;
  /** The mutations. */
  readonly actions: SentinelActions;
  /** The current time, in the clock of the view's timestamps. */
  readonly now: number;
  /** The client that sent the command. */
  readonly client: RespClientContext;
  /** Host facts for INFO (os, cpu); read from this process at reply time when absent. */
  readonly host?: HostFacts;
  /** Per-connection state and the server-wide pause (see {@link ClientControl}). */
  readonly clientControl?: ClientControl;
}
