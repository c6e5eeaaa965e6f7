/** A host (an IP, or a hostname when announce-hostnames is on) and a TCP port. */
export interface Address {
  /** IP address or hostname, exactly as it is announced in events and sent in SLAVEOF. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

/** The role an instance last reported in INFO (`role_reported` in sentinel.c). */
export type ReportedRole = "master" | "slave" | "unknown";

/**
 * What the planner needs to know about one replica, as the health monitor sees it at the
 * moment of a step. Times are absolute milliseconds on the caller's clock; a time of 0
 * means "never", as in sentinel.c.
 */
export interface ReplicaView {
  /** The replica's address; its instance name is `ip:port` (see {@link instanceName}). */
  readonly addr: Address;
  /** `run_id` from INFO, or null if the replica never reported one. */
  readonly runId: string | null;
  /** Subjectively down (`SRI_S_DOWN`). */
  readonly sDown: boolean;
  /** Objectively down (`SRI_O_DOWN`). */
  readonly oDown: boolean;
  /** When SDOWN started (`s_down_since_time`), 0 if not down. */
  readonly sDownSince: number;
  /** When ODOWN started (`o_down_since_time`), 0 if not down. */
  readonly oDownSince: number;
  /** The command or pub/sub connection is missing (`link->disconnected`). */
  readonly disconnected: boolean;
  /** Last valid PING reply: PONG, LOADING or MASTERDOWN (`link->last_avail_time`). */
  readonly lastAvailTime: number;
  /** When the last INFO reply was parsed (`info_refresh`), 0 if never. */
  readonly infoRefresh: number;
  /** `slave_priority` from INFO (Redis default 100; 0 means "never promote"). */
  readonly priority: number;
  /** `slave_repl_offset` from INFO. */
  readonly replOffset: number;
  /** `master_link_down_since_seconds` from INFO, in milliseconds; 0 when the link is up. */
  readonly masterLinkDownTime: number;
  /** The role the replica last reported. */
  readonly role: ReportedRole;
  /** When the reported role last changed (`role_reported_time`). */
  readonly roleReportedTime: number;
  /** `master_host` from INFO, or null if not reported. */
  readonly masterHost: string | null;
  /** `master_port` from INFO, 0 if not reported. */
  readonly masterPort: number;
  /** `master_link_status:up` in INFO. */
  readonly masterLinkUp: boolean;
  /** When `master_host`/`master_port` last changed, or the role became slave (`slave_conf_change_time`). */
  readonly confChangeTime: number;
}

/** What the planner needs to know about a monitored master and its configuration. */
export interface MasterView {
  /** The master name from `sentinel monitor`. */
  readonly name: string;
  /** The configured master address (the old master until `+switch-master`). */
  readonly addr: Address;
  /** Subjectively down. */
  readonly sDown: boolean;
  /** Objectively down (the quorum agreed). */
  readonly oDown: boolean;
  /** When SDOWN started, 0 if not down. */
  readonly sDownSince: number;
  /** The role the master last reported. */
  readonly role: ReportedRole;
  /** When the master's last INFO reply was parsed, 0 if never. */
  readonly infoRefresh: number;
  /** `down-after-milliseconds`. */
  readonly downAfter: number;
  /** `failover-timeout` in milliseconds (all five uses: SPEC §4.11). */
  readonly failoverTimeout: number;
  /** `parallel-syncs`: how many replicas are reconfigured at the same time. */
  readonly parallelSyncs: number;
  /** `sentinel rename-command` entries: original command name (any case) to its new name. */
  readonly renamedCommands: Readonly<Record<string, string>>;
  /** The known replicas, in the order the caller keeps them (Redis's dict order). */
  readonly replicas: readonly ReplicaView[];
}

/**
 * Sentinel timing constants the planner uses (SPEC §4.1). Redis can change them at run
 * time with `SENTINEL DEBUG`; {@link DEFAULT_TIMINGS} holds the defaults.
 */
export interface PlannerTimings {
  /** `sentinel_ping_period`, ms: replicas whose last valid PING reply is older than 5 of these are not promoted. */
  readonly pingPeriod: number;
  /** `sentinel_info_period`, ms: INFO older than 3 of these excludes a replica; 2 of these bound "master looks sane". */
  readonly infoPeriod: number;
  /** `sentinel_publish_period`, ms: +convert-to-slave waits 4 of these. */
  readonly publishPeriod: number;
  /** `sentinel_election_timeout`, ms: the wait for an election, capped by failover-timeout. */
  readonly electionTimeout: number;
  /** `sentinel_slave_reconf_timeout`, ms: a replica sent SLAVEOF that makes no progress is given up after this. */
  readonly slaveReconfTimeout: number;
  /** `SENTINEL_MAX_DESYNC`, ms: the random delay added to the failover start time (SPEC §4.14). */
  readonly maxDesync: number;
  /**
   * Not in Redis, ms: how long SELECT_SLAVE waits, with the master SDOWN, for a fresh INFO
   * from replicas excluded only because their INFO is stale, before
   * `-failover-abort-no-good-slave`. Redis gets the same grace from its 100 ms tick; 0
   * aborts at once.
   */
  readonly staleInfoWait: number;
}

/**
 * The documented improvement over Redis: confirm the promotion (and each replica's
 * reconfiguration) by asking the instance `ROLE` instead of waiting for the next INFO.
 */
export interface FastConfirmationOptions {
  /** Milliseconds between two ROLE probes to the same instance. */
  readonly probeIntervalMs: number;
  /** Most probes sent to one instance per failover; after that only INFO (Redis's polling) counts. */
  readonly maxProbes: number;
}

/** Options of a planner; every field is optional. */
export interface PlannerOptions {
  /** Overrides of the Redis timing constants. */
  readonly timings?: Partial<PlannerTimings>;
  /**
   * Off (`false`, the default) behaves like Redis 7.0: one failover state per tick and
   * promotion seen through INFO. On, the planner moves through every state it can in one
   * step, pipelines `ROLE` probes after each SLAVEOF and acts on their replies at once.
   */
  readonly fastConfirmation?: FastConfirmationOptions | false;
}

/** The Redis reply to a `ROLE` probe, as the caller parsed it. */
export type RoleReply =
  | {
      /** The instance is a master. */
      readonly role: "master";
    }
  | {
      /** The instance is a replica. */
      readonly role: "slave";
      /** The master it replicates from. */
      readonly masterHost: string;
      /** The master port. */
      readonly masterPort: number;
      /** The replication state is `connected` (INFO's `master_link_status:up`). */
      readonly linkUp: boolean;
    };
