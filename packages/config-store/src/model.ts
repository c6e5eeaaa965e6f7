// The typed state that a sentinel.conf holds. Defaults are Redis 7.0.15's (sentinel.c
// SENTINEL_DEFAULT_*, initSentinelConfig, and the config table of config.c in sentinel mode).

/** A replica that the sentinel remembers for a master (`sentinel known-replica`). */
export interface KnownReplica {
  /** IP address, or hostname when `resolve-hostnames` is on. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

/** Another sentinel that monitors the same master (`sentinel known-sentinel`). */
export interface KnownSentinel {
  /** IP address, or hostname when `resolve-hostnames` is on. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Its 40-character run id (its `myid`). */
  readonly runId: string;
}

/** One `sentinel rename-command <master> <command> <renamed>` entry. */
export interface RenamedCommand {
  /** The command's real name, e.g. `CONFIG`. */
  readonly command: string;
  /** The name it was renamed to on that master and its replicas. */
  readonly renamed: string;
}

/** Everything sentinel.conf says about one monitored master. */
export interface MasterConfig {
  /** The master's name (`sentinel monitor <name> ...`). */
  readonly name: string;
  /** Current address: IP, or hostname when `resolve-hostnames` is on. */
  readonly host: string;
  /** Current port. */
  readonly port: number;
  /** Sentinels that must agree the master is down (ODOWN); >= 1. */
  readonly quorum: number;
  /** Milliseconds without a valid reply before SDOWN; default 30000. */
  readonly downAfterMilliseconds: number;
  /** Milliseconds; the base of every failover timeout (SPEC §4.11); default 180000. */
  readonly failoverTimeout: number;
  /** Replicas reconfigured at the same time after a failover; default 1. */
  readonly parallelSyncs: number;
  /** Milliseconds a rebooted master is still considered down; 0 (default) turns it off. */
  readonly masterRebootDownAfterPeriod: number;
  /** Path of the script run on WARNING events, if any. */
  readonly notificationScript?: string;
  /** Path of the script run on failover address changes, if any. */
  readonly clientReconfigScript?: string;
  /** Password for the master and its replicas, if any. A secret. */
  readonly authPass?: string;
  /** ACL user for the master and its replicas, if any. */
  readonly authUser?: string;
  /** Epoch of the configuration this master's address comes from. State. */
  readonly configEpoch: number;
  /** Last epoch this sentinel voted in for this master. State. */
  readonly leaderEpoch: number;
  /** Replicas seen for this master, in file order. State. */
  readonly knownReplicas: readonly KnownReplica[];
  /** Other sentinels seen for this master, in file order. State. */
  readonly knownSentinels: readonly KnownSentinel[];
  /** Commands renamed on this master, in file order. */
  readonly renamedCommands: readonly RenamedCommand[];
}

/** Log verbosity (`loglevel`). */
export type LogLevel = "debug" | "verbose" | "notice" | "warning";

/** Whether TLS clients must present a certificate (`tls-auth-clients`). */
export type TlsAuthClients = "yes" | "no" | "optional";

/** The redis.conf directives that matter to a sentinel. */
export interface ServerConfig {
  /** `port`; 26379 in sentinel mode. */
  readonly port: number;
  /** `bind` addresses; Redis's default is `* -::*`. */
  readonly bind: readonly string[];
  /** `protected-mode`; off in sentinel mode. */
  readonly protectedMode: boolean;
  /** `daemonize`; default no. */
  readonly daemonize: boolean;
  /** `pidfile`; "" means none. */
  readonly pidfile: string;
  /** `logfile`; "" means standard output. */
  readonly logfile: string;
  /** `loglevel`; default notice. */
  readonly loglevel: LogLevel;
  /** `dir`, the working directory; `undefined` means the directory the process starts in. */
  readonly dir?: string;
  /** `requirepass`: inbound password, and outbound to sentinels without `sentinel-pass`. A secret. */
  readonly requirepass?: string;
  /** `user` lines: each the arguments after `user` (name, then ACL rules). */
  readonly users: readonly (readonly string[])[];
  /** `aclfile`; "" means none. */
  readonly aclfile: string;
  /** `bind-source-addr`: source address of outgoing links; "" means any. */
  readonly bindSourceAddr: string;
  /** `syslog-enabled`; default no. */
  readonly syslogEnabled: boolean;
  /** `syslog-ident`; default "redis". */
  readonly syslogIdent: string;
  /** `syslog-facility`; default local0. */
  readonly syslogFacility: string;
  /** `tls-port`; 0 means no TLS listener. */
  readonly tlsPort: number;
  /** `tls-cert-file`. */
  readonly tlsCertFile: string;
  /** `tls-key-file`. */
  readonly tlsKeyFile: string;
  /** `tls-key-file-pass`. A secret, but Redis keeps it in the file. */
  readonly tlsKeyFilePass: string;
  /** `tls-client-cert-file`: client certificate for outgoing links, when set. */
  readonly tlsClientCertFile: string;
  /** `tls-client-key-file`. */
  readonly tlsClientKeyFile: string;
  /** `tls-client-key-file-pass`. */
  readonly tlsClientKeyFilePass: string;
  /** `tls-ca-cert-file`. */
  readonly tlsCaCertFile: string;
  /** `tls-ca-cert-dir`. */
  readonly tlsCaCertDir: string;
  /** `tls-dh-params-file`. */
  readonly tlsDhParamsFile: string;
  /** `tls-protocols`, e.g. "TLSv1.2 TLSv1.3"; "" means the library default. */
  readonly tlsProtocols: string;
  /** `tls-ciphers` (TLS 1.2). */
  readonly tlsCiphers: string;
  /** `tls-ciphersuites` (TLS 1.3). */
  readonly tlsCiphersuites: string;
  /** `tls-prefer-server-ciphers`; default no. */
  readonly tlsPreferServerCiphers: boolean;
  /** `tls-auth-clients`; default yes. */
  readonly tlsAuthClients: TlsAuthClients;
  /** `tls-replication`: whether links to masters, replicas and sentinels use TLS (SPEC §2.1). */
  readonly tlsReplication: boolean;
}

/** The whole typed content of a sentinel.conf. */
export interface SentinelConfig {
  /** This sentinel's 40-hex-character id; `undefined` until one is generated at first start. */
  readonly myid?: string;
  /** Highest epoch seen. State. Never below any master's `configEpoch`. */
  readonly currentEpoch: number;
  /** `sentinel announce-ip`, if set. */
  readonly announceIp?: string;
  /** `sentinel announce-port`; 0 (default) means the listening port. */
  readonly announcePort: number;
  /** `sentinel deny-scripts-reconfig`; default yes. */
  readonly denyScriptsReconfig: boolean;
  /** `sentinel resolve-hostnames`; default no. */
  readonly resolveHostnames: boolean;
  /** `sentinel announce-hostnames`; default no. */
  readonly announceHostnames: boolean;
  /** `sentinel sentinel-user`: user for outgoing links to sentinels, if set. */
  readonly sentinelUser?: string;
  /** `sentinel sentinel-pass`: password for outgoing links to sentinels, if set. A secret. */
  readonly sentinelPass?: string;
  /** Monitored masters, in file order of their `monitor` lines. */
  readonly masters: readonly MasterConfig[];
  /** The redis.conf directives a sentinel uses. */
  readonly server: ServerConfig;
}

/** Redis's defaults for the server directives in sentinel mode. */
export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  port: 26379,
  bind: ["*", "-::*"],
  protectedMode: false,
  daemonize: false,
  pidfile: "",
  logfile: "",
  loglevel: "notice",
  users: [],
  aclfile: "",
  bindSourceAddr: "",
  syslogEnabled: false,
  syslogIdent: "redis",
  syslogFacility: "local0",
  tlsPort: 0,
  tlsCertFile: "",
  tlsKeyFile: "",
  tlsKeyFilePass: "",
  tlsClientCertFile: "",
  tlsClientKeyFile: "",
  tlsClientKeyFilePass: "",
  tlsCaCertFile: "",
  tlsCaCertDir: "",
  tlsDhParamsFile: "",
  tlsProtocols: "",
  tlsCiphers: "",
  tlsCiphersuites: "",
  tlsPreferServerCiphers: false,
  tlsAuthClients: "yes",
  tlsReplication: false,
};

/** Redis's per-master defaults (sentinel.c `SENTINEL_DEFAULT_*`). */
export const MASTER_DEFAULTS = {
  /** SENTINEL_DEFAULT_DOWN_AFTER, milliseconds. */
  downAfterMilliseconds: 30_000,
  /** SENTINEL_DEFAULT_FAILOVER_TIMEOUT, milliseconds. */
  failoverTimeout: 180_000,
  /** SENTINEL_DEFAULT_PARALLEL_SYNCS. */
  parallelSyncs: 1,
  /** Off. */
  masterRebootDownAfterPeriod: 0,
} as const;

/** A sentinel.conf with nothing in it, as Redis sees an empty file. */
export function emptySentinelConfig(): SentinelConfig {
  return {
    currentEpoch: 0,
    announcePort: 0,
    denyScriptsReconfig: true,
    resolveHostnames: false,
    announceHostnames: false,
    masters: [],
    server: DEFAULT_SERVER_CONFIG,
  };
}

/** A master as `sentinel monitor <name> <host> <port> <quorum>` creates it. */
export function newMasterConfig(name: string, host: string, port: number, quorum: number): MasterConfig {
  return {
    name,
    host,
    port,
    quorum,
    ...MASTER_DEFAULTS,
    configEpoch: 0,
    leaderEpoch: 0,
    knownReplicas: [],
    knownSentinels: [],
    renamedCommands: [],
  };
}
