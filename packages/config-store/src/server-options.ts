// The redis.conf half of a sentinel.conf: which directives exist (Redis 7.0.15's config
// table, from `CONFIG GET *` on redis-server 7.0.15) and the typed ones a sentinel uses.
import type { LogLevel, ServerConfig, TlsAuthClients } from "./model.js";

/** Every directive name Redis 7.0.15 accepts in a config file; others are refused. */
const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set([
  ...`acl-pubsub-default aclfile acllog-max-len active-defrag-cycle-max active-defrag-cycle-min active-defrag-ignore-bytes active-defrag-max-scan-fields active-defrag-threshold-lower active-defrag-threshold-upper active-expire-effort activedefrag activerehashing always-show-logo aof-disable-auto-gc aof-load-truncated aof-rewrite-incremental-fsync aof-timestamp-enabled aof-use-rdb-preamble aof_rewrite_cpulist appenddirname appendfilename appendfsync appendonly auto-aof-rewrite-min-size auto-aof-rewrite-percentage bgsave_cpulist bind bind-source-addr bio_cpulist busy-reply-threshold client-output-buffer-limit client-query-buffer-limit cluster-allow-pubsubshard-when-down cluster-allow-reads-when-down cluster-allow-replica-migration cluster-announce-bus-port cluster-announce-hostname cluster-announce-ip cluster-announce-port cluster-announce-tls-port cluster-config-file cluster-enabled cluster-link-sendbuf-limit cluster-migration-barrier cluster-node-timeout cluster-port cluster-preferred-endpoint-type cluster-replica-no-failover cluster-replica-validity-factor cluster-require-full-coverage cluster-slave-no-failover cluster-slave-validity-factor crash-log-enabled crash-memcheck-enabled daemonize databases dbfilename dir disable-thp dynamic-hz enable-debug-command enable-module-command enable-protected-configs hash-max-listpack-entries hash-max-listpack-value hash-max-ziplist-entries hash-max-ziplist-value hll-sparse-max-bytes hz ignore-warnings io-threads io-threads-do-reads jemalloc-bg-thread latency-monitor-threshold latency-tracking latency-tracking-info-percentiles lazyfree-lazy-eviction lazyfree-lazy-expire lazyfree-lazy-server-del lazyfree-lazy-user-del lazyfree-lazy-user-flush lfu-decay-time lfu-log-factor list-compress-depth list-max-listpack-size list-max-ziplist-size logfile loglevel lua-time-limit masterauth masteruser maxclients maxmemory maxmemory-clients maxmemory-eviction-tenacity maxmemory-policy maxmemory-samples min-replicas-max-lag min-replicas-to-write min-slaves-max-lag min-slaves-to-write no-appendfsync-on-rewrite notify-keyspace-events oom-score-adj oom-score-adj-values pidfile port proc-title-template propagation-error-behavior protected-mode proto-max-bulk-len rdb-del-sync-files rdb-save-incremental-fsync rdbchecksum rdbcompression repl-backlog-size repl-backlog-ttl repl-disable-tcp-nodelay repl-diskless-load repl-diskless-sync repl-diskless-sync-delay repl-diskless-sync-max-replicas repl-ping-replica-period repl-ping-slave-period repl-timeout replica-announce-ip replica-announce-port replica-announced replica-ignore-disk-write-errors replica-ignore-maxmemory replica-lazy-flush replica-priority replica-read-only replica-serve-stale-data replicaof requirepass sanitize-dump-payload save server_cpulist set-max-intset-entries set-proc-title shutdown-on-sigint shutdown-on-sigterm shutdown-timeout slave-announce-ip slave-announce-port slave-ignore-maxmemory slave-lazy-flush slave-priority slave-read-only slave-serve-stale-data slaveof slowlog-log-slower-than slowlog-max-len socket-mark-id stop-writes-on-bgsave-error stream-node-max-bytes stream-node-max-entries supervised syslog-enabled syslog-facility syslog-ident tcp-backlog tcp-keepalive timeout tls-auth-clients tls-ca-cert-dir tls-ca-cert-file tls-cert-file tls-ciphers tls-ciphersuites tls-client-cert-file tls-client-key-file tls-client-key-file-pass tls-cluster tls-dh-params-file tls-key-file tls-key-file-pass tls-port tls-prefer-server-ciphers tls-protocols tls-replication tls-session-cache-size tls-session-cache-timeout tls-session-caching tracking-table-max-keys unixsocket unixsocketperm zset-max-listpack-entries zset-max-listpack-value zset-max-ziplist-entries zset-max-ziplist-value `.trim().split(" "),
  // Handled by loadServerConfigFromString itself, outside the config table.
  "include",
  "rename-command",
  "user",
  "loadmodule",
  "sentinel",
  // Deprecated; Redis 7.0 accepts and ignores them.
  "list-max-ziplist-entries",
  "list-max-ziplist-value",
  "lua-replicate-commands",
]);

/** Whether Redis 7.0.15 knows the (lower-case) directive. */
export function isKnownDirective(name: string): boolean {
  return KNOWN_DIRECTIVES.has(name);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** How one single-valued server directive is read and written. */
export type ServerOptionKind =
  | {
      /** `yes` or `no`, case-insensitive. */
      readonly type: "bool";
    }
  | {
      /** An integer from 0 to 65535. */
      readonly type: "port";
    }
  | {
      /** Any single argument. */
      readonly type: "string";
    }
  | {
      /** One of `values`, case-insensitive. */
      readonly type: "enum";
      /** The accepted values, lower-case, in Redis's order (used in its error text). */
      readonly values: readonly string[];
    };

/** A single-valued server directive and the model field it fills. */
export interface ServerOption {
  /** The directive, lower-case. */
  readonly directive: string;
  /** The {@link ServerConfig} field. */
  readonly key: keyof ServerConfig;
  /** Its value type. */
  readonly kind: ServerOptionKind;
}

const bool = { type: "bool" } as const;
const port = { type: "port" } as const;
const str = { type: "string" } as const;

/** The single-valued server directives, in the order a rewrite writes them. */
export const SERVER_OPTIONS: readonly ServerOption[] = [
  { directive: "port", key: "port", kind: port },
  { directive: "protected-mode", key: "protectedMode", kind: bool },
  { directive: "daemonize", key: "daemonize", kind: bool },
  { directive: "pidfile", key: "pidfile", kind: str },
  { directive: "logfile", key: "logfile", kind: str },
  { directive: "loglevel", key: "loglevel", kind: { type: "enum", values: ["debug", "verbose", "notice", "warning"] } },
  { directive: "aclfile", key: "aclfile", kind: str },
  { directive: "bind-source-addr", key: "bindSourceAddr", kind: str },
  { directive: "syslog-enabled", key: "syslogEnabled", kind: bool },
  { directive: "syslog-ident", key: "syslogIdent", kind: str },
  {
    directive: "syslog-facility",
    key: "syslogFacility",
    kind: { type: "enum", values: ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"] },
  },
  { directive: "tls-port", key: "tlsPort", kind: port },
  { directive: "tls-cert-file", key: "tlsCertFile", kind: str },
  { directive: "tls-key-file", key: "tlsKeyFile", kind: str },
  { directive: "tls-key-file-pass", key: "tlsKeyFilePass", kind: str },
  { directive: "tls-client-cert-file", key: "tlsClientCertFile", kind: str },
  { directive: "tls-client-key-file", key: "tlsClientKeyFile", kind: str },
  { directive: "tls-client-key-file-pass", key: "tlsClientKeyFilePass", kind: str },
  { directive: "tls-ca-cert-file", key: "tlsCaCertFile", kind: str },
  { directive: "tls-ca-cert-dir", key: "tlsCaCertDir", kind: str },
  { directive: "tls-dh-params-file", key: "tlsDhParamsFile", kind: str },
  { directive: "tls-protocols", key: "tlsProtocols", kind: str },
  { directive: "tls-ciphers", key: "tlsCiphers", kind: str },
  { directive: "tls-ciphersuites", key: "tlsCiphersuites", kind: str },
  { directive: "tls-prefer-server-ciphers", key: "tlsPreferServerCiphers", kind: bool },
  { directive: "tls-auth-clients", key: "tlsAuthClients", kind: { type: "enum", values: ["no", "yes", "optional"] } },
  { directive: "tls-replication", key: "tlsReplication", kind: bool },
];

const OPTION_BY_DIRECTIVE = new Map(SERVER_OPTIONS.map((o) => [o.directive, o]));

/** Redis's `string2ll`: an optional minus, then digits without leading zeros. */
function parseStrictInteger(value: string): number | undefined {
  return /^(0|-?[1-9][0-9]{0,17})$/.test(value) ? Number(value) : undefined;
}

/**
 * Applies one server directive to the mutable server config. Returns Redis's error text
 * when the value is refused, `undefined` otherwise (also for directives not typed here).
 */
export function applyServerDirective(server: Mutable<ServerConfig>, args: readonly string[]): string | undefined {
  const [directive, ...values] = args;
  if (directive === "bind") {
    server.bind = values;
    return undefined;
  }
  if (directive === "user") {
    // Handled outside the config table, like `include`: a bare `user` is not a directive.
    if (values.length < 1) return "Bad directive or wrong number of arguments";
    server.users = [...server.users, values];
    return undefined;
  }
  if (directive === "requirepass" || directive === "dir") {
    const [value] = values;
    if (value === undefined || values.length !== 1) return "wrong number of arguments";
    if (directive === "dir") server.dir = value;
    else if (value === "") delete server.requirepass;
    else server.requirepass = value;
    return undefined;
  }
  const option = directive === undefined ? undefined : OPTION_BY_DIRECTIVE.get(directive);
  if (option === undefined) return undefined;
  const [value] = values;
  if (value === undefined || values.length !== 1) return "wrong number of arguments";
  const target = server as Record<keyof ServerConfig, unknown>;
  switch (option.kind.type) {
    case "bool": {
      const lower = value.toLowerCase();
      if (lower !== "yes" && lower !== "no") return "argument must be 'yes' or 'no'";
      target[option.key] = lower === "yes";
      return undefined;
    }
    case "port": {
      const n = parseStrictInteger(value);
      if (n === undefined) return "argument couldn't be parsed into an integer";
      if (n < 0 || n > 65535) return "argument must be between 0 and 65535 inclusive";
      target[option.key] = n;
      return undefined;
    }
    case "enum": {
      const lower = value.toLowerCase();
      if (!option.kind.values.includes(lower)) {
        return `argument(s) must be one of the following: ${option.kind.values.join(", ")}`;
      }
      target[option.key] = lower as LogLevel | TlsAuthClients;
      return undefined;
    }
    case "string":
      target[option.key] = value;
      return undefined;
  }
}
