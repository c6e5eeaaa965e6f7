import { isIP } from "node:net";
import { parseDocument, type ConfigDocument, type ConfigLine } from "./document.js";
import { ConfigError, strerror } from "./errors.js";
import {
  DEFAULT_SERVER_CONFIG,
  emptySentinelConfig,
  newMasterConfig,
  type KnownReplica,
  type KnownSentinel,
  type MasterConfig,
  type RenamedCommand,
  type SentinelConfig,
  type ServerConfig,
} from "./model.js";
import { applyServerDirective, isKnownDirective } from "./server-options.js";

/** The `sentinel <directive> <master-name> <value>` statements: one value for one master. */
export const SINGLE_VALUE_MASTER_DIRECTIVES = [
  "down-after-milliseconds",
  "failover-timeout",
  "parallel-syncs",
  "notification-script",
  "client-reconfig-script",
  "auth-pass",
  "auth-user",
  "master-reboot-down-after-period",
  "config-epoch",
  "leader-epoch",
] as const;

/** How {@link loadConfig} reaches outside the text it is given. */
export interface LoadOptions {
  /** The path of the main file, for error messages and relative includes. Default "sentinel.conf". */
  readonly file?: string;
  /**
   * Reads an `include`d file. Throwing an error with a `code` (ENOENT...) reports Redis's
   * "can't open config file" message. Without a reader, `include` lines are refused.
   */
  readonly readInclude?: (path: string, includedFrom: string) => string;
  /**
   * Checks that a notification or client-reconfig script is executable (Redis's
   * `access(path, X_OK)`). Without it, scripts are not checked.
   */
  readonly isExecutable?: (path: string) => boolean;
}

/** The result of {@link loadConfig}. */
export interface LoadedConfig {
  /** The typed model. */
  readonly config: SentinelConfig;
  /** The main file's lines, which a rewrite keeps. */
  readonly document: ConfigDocument;
  /** Included files' lines, in the order they were read; a rewrite never changes them. */
  readonly includes: readonly ConfigDocument[];
}

/** Redis 7.0's `preMonitorCfgName`: sentinel directives applied before any `monitor`. */
const PRE_MONITOR = new Set([
  "announce-ip",
  "announce-port",
  "deny-scripts-reconfig",
  "sentinel-user",
  "sentinel-pass",
  "current-epoch",
  "myid",
  "resolve-hostnames",
  "announce-hostnames",
]);

/** Includes nested deeper than this are refused: Redis has no limit and recurses forever. */
const MAX_INCLUDE_DEPTH = 16;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface MasterBuilder extends Mutable<Omit<MasterConfig, "knownReplicas" | "knownSentinels" | "renamedCommands">> {
  knownReplicas: KnownReplica[];
  knownSentinels: KnownSentinel[];
  renamedCommands: RenamedCommand[];
}

interface QueuedLine {
  readonly file: string;
  readonly line: ConfigLine;
  /** The arguments after `sentinel`. */
  readonly args: readonly string[];
}

/** C's `atoi` (glibc: `(int) strtol(s, NULL, 10)`): leading junk-tolerant, 0 on garbage. */
function atoi(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?[0-9]+)/.exec(s);
  if (m?.[1] === undefined) return 0;
  const INT64_MAX = 2n ** 63n - 1n;
  let v = BigInt(m[1]);
  if (v > INT64_MAX) v = INT64_MAX;
  if (v < -INT64_MAX - 1n) v = -INT64_MAX - 1n;
  return Number(BigInt.asIntN(32, v));
}

/**
 * C's `strtoull` for epochs, minus what it gets wrong: a negative value (which `strtoull`
 * wraps to near 2^64) and values above `Number.MAX_SAFE_INTEGER` are refused, where Redis
 * would take an epoch no other sentinel can ever exceed.
 */
function parseEpoch(s: string): number | string {
  const m = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)/.exec(s);
  if (m?.[2] === undefined) return 0;
  const v = BigInt(m[2]);
  if ((m[1] === "-" && v !== 0n) || v > BigInt(Number.MAX_SAFE_INTEGER)) return "Epoch out of range.";
  return Number(v);
}

/** Redis's `yesnotoi`. */
function yesNo(s: string): boolean | undefined {
  const lower = s.toLowerCase();
  return lower === "yes" ? true : lower === "no" ? false : undefined;
}

/** Redis's `anetFormatAddr`, the key of a replica in its master's table. */
function formatAddr(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

class SentinelLoader {
  readonly masters = new Map<string, MasterBuilder>();
  myid: string | undefined;
  currentEpoch = 0;
  announceIp: string | undefined;
  announcePort = 0;
  denyScriptsReconfig = true;
  resolveHostnames = false;
  announceHostnames = false;
  sentinelUser: string | undefined;
  sentinelPass: string | undefined;

  constructor(private readonly isExecutable: ((path: string) => boolean) | undefined) {}

  /** Redis's `createSentinelAddr` checks, as error texts. */
  private checkAddr(host: string, port: number): string | undefined {
    if (port < 0 || port > 65535) return "Invalid port number.";
    // Without resolve-hostnames Redis resolves with ANET_IP_ONLY; with it, any name that
    // resolves is taken. This pure loader cannot resolve, so it accepts any non-empty name.
    if (this.resolveHostnames ? host === "" : isIP(host) === 0) return "Can't resolve instance hostname.";
    return undefined;
  }

  private master(name: string): MasterBuilder | undefined {
    return this.masters.get(name);
  }

  /** `sentinelHandleConfiguration`: returns Redis's error text or `undefined`. */
  apply(argv: readonly string[]): string | undefined {
    const [directive = "", a1 = "", a2 = "", a3 = "", a4 = ""] = argv;
    const argc = argv.length;
    const d = directive.toLowerCase();
    if (d === "monitor" && argc === 5) {
      const quorum = atoi(a4);
      if (quorum <= 0) return "Quorum must be 1 or greater.";
      const port = atoi(a3);
      const bad = this.checkAddr(a2, port);
      if (bad !== undefined) return bad;
      if (this.masters.has(a1)) return "Duplicate master name.";
      const m = newMasterConfig(a1, a2, port, quorum);
      this.masters.set(a1, { ...m, knownReplicas: [], knownSentinels: [], renamedCommands: [] });
      return undefined;
    }
    if (d === "current-epoch" && argc === 2) {
      const epoch = parseEpoch(a1);
      if (typeof epoch === "string") return epoch;
      this.currentEpoch = Math.max(this.currentEpoch, epoch);
      return undefined;
    }
    if (d === "myid" && argc === 2) {
      // Redis checks the length only; an id that is not hex is corrupt all the same.
      if (!/^[0-9a-fA-F]{40}$/.test(a1)) return "Malformed Sentinel id in myid option.";
      this.myid = a1;
      return undefined;
    }
    if (d === "announce-ip" && argc === 2) {
      if (a1 !== "") this.announceIp = a1;
      return undefined;
    }
    if (d === "announce-port" && argc === 2) {
      this.announcePort = atoi(a1);
      return undefined;
    }
    if (d === "sentinel-user" && argc === 2) {
      if (a1 !== "") this.sentinelUser = a1;
      return undefined;
    }
    if (d === "sentinel-pass" && argc === 2) {
      if (a1 !== "") this.sentinelPass = a1;
      return undefined;
    }
    if ((d === "deny-scripts-reconfig" || d === "resolve-hostnames" || d === "announce-hostnames") && argc === 2) {
      const v = yesNo(a1);
      if (v === undefined) {
        return d === "deny-scripts-reconfig"
          ? "Please specify yes or no for the deny-scripts-reconfig options."
          : `Please specify yes or no for the ${d} option.`;
      }
      if (d === "deny-scripts-reconfig") this.denyScriptsReconfig = v;
      else if (d === "resolve-hostnames") this.resolveHostnames = v;
      else this.announceHostnames = v;
      return undefined;
    }
    return this.applyMasterDirective(d, argv);
  }

  private applyMasterDirective(d: string, argv: readonly string[]): string | undefined {
    const [, name = "", a2 = "", a3 = "", a4 = ""] = argv;
    const argc = argv.length;
    const known =
      (argc === 3 && (SINGLE_VALUE_MASTER_DIRECTIVES as readonly string[]).includes(d)) ||
      (argc === 4 && (d === "known-replica" || d === "known-slave" || d === "rename-command")) ||
      (d === "known-sentinel" && (argc === 4 || argc === 5));
    if (!known) return "Unrecognized sentinel configuration statement.";
    // The old 4-argument known-sentinel form (no run id) is ignored before any lookup.
    if (d === "known-sentinel" && argc === 4) return undefined;
    const m = this.master(name);
    if (m === undefined) return "No such master with specified name.";
    switch (d) {
      case "down-after-milliseconds":
      case "failover-timeout": {
        const ms = atoi(a2);
        if (ms <= 0) return "negative or zero time parameter.";
        if (d === "down-after-milliseconds") m.downAfterMilliseconds = ms;
        else m.failoverTimeout = ms;
        return undefined;
      }
      case "master-reboot-down-after-period": {
        const ms = atoi(a2);
        if (ms < 0) return "negative time parameter.";
        m.masterRebootDownAfterPeriod = ms;
        return undefined;
      }
      case "parallel-syncs":
        m.parallelSyncs = atoi(a2);
        return undefined;
      case "notification-script":
      case "client-reconfig-script":
        if (this.isExecutable !== undefined && !this.isExecutable(a2)) {
          return d === "notification-script"
            ? "Notification script seems non existing or non executable."
            : "Client reconfiguration script seems non existing or non executable.";
        }
        if (d === "notification-script") m.notificationScript = a2;
        else m.clientReconfigScript = a2;
        return undefined;
      case "auth-pass":
        m.authPass = a2;
        return undefined;
      case "auth-user":
        m.authUser = a2;
        return undefined;
      case "config-epoch":
      case "leader-epoch": {
        const epoch = parseEpoch(a2);
        if (typeof epoch === "string") return epoch;
        if (d === "leader-epoch") {
          m.leaderEpoch = epoch;
          return undefined;
        }
        m.configEpoch = epoch;
        this.currentEpoch = Math.max(this.currentEpoch, epoch);
        return undefined;
      }
      case "known-replica":
      case "known-slave": {
        const port = atoi(a3);
        const bad = this.checkAddr(a2, port);
        if (bad !== undefined) return bad;
        const key = formatAddr(a2, port);
        if (m.knownReplicas.some((r) => formatAddr(r.host, r.port) === key)) {
          return "Duplicate hostname and port for replica.";
        }
        m.knownReplicas.push({ host: a2, port });
        return undefined;
      }
      case "known-sentinel": {
        const port = atoi(a3);
        const bad = this.checkAddr(a2, port);
        if (bad !== undefined) return bad;
        if (m.knownSentinels.some((s) => s.runId === a4)) {
          return "Duplicate runid for sentinel.";
        }
        m.knownSentinels.push({ host: a2, port, runId: a4 });
        return undefined;
      }
      default: {
        // rename-command <master> <command> <renamed>; unlike instance names, command names
        // are compared case-insensitively (renamedCommandsDictType).
        if (m.renamedCommands.some((r) => r.command.toLowerCase() === a2.toLowerCase())) {
          return "Same command renamed multiple times with rename-command.";
        }
        m.renamedCommands.push({ command: a2, renamed: a3 });
        return undefined;
      }
    }
  }

  build(server: ServerConfig): SentinelConfig {
    const base = emptySentinelConfig();
    return {
      ...base,
      ...(this.myid === undefined ? {} : { myid: this.myid }),
      currentEpoch: this.currentEpoch,
      ...(this.announceIp === undefined ? {} : { announceIp: this.announceIp }),
      announcePort: this.announcePort,
      denyScriptsReconfig: this.denyScriptsReconfig,
      resolveHostnames: this.resolveHostnames,
      announceHostnames: this.announceHostnames,
      ...(this.sentinelUser === undefined ? {} : { sentinelUser: this.sentinelUser }),
      ...(this.sentinelPass === undefined ? {} : { sentinelPass: this.sentinelPass }),
      masters: [...this.masters.values()],
      server,
    };
  }
}

/**
 * Loads sentinel.conf text into the typed model, as Redis 7.0.15 does at start
 * (`loadServerConfigFromString`, then `loadSentinelConfigFromQueue`).
 *
 * Server directives are applied in file order; `sentinel` directives are queued and applied
 * after the whole file (and its includes) in three passes: global settings first, then
 * `monitor`, then everything that names a master, so line order does not matter.
 * Throws {@link ConfigError} for anything Redis refuses to start with.
 */
export function loadConfig(text: string, options: LoadOptions = {}): LoadedConfig {
  const file = options.file ?? "sentinel.conf";
  const server: Mutable<ServerConfig> = { ...DEFAULT_SERVER_CONFIG };
  const queue: QueuedLine[][] = [[], [], []];
  const includes: ConfigDocument[] = [];

  const readDocument = (doc: ConfigDocument, depth: number): void => {
    for (const line of doc.lines) {
      const fail = (reason: string): never => {
        throw new ConfigError({ file: doc.file, line: line.number, text: line.text, reason });
      };
      if (line.error !== undefined) return fail(line.error);
      const args = line.args;
      if (args === null) continue;
      const [directive = ""] = args;
      if (directive === "sentinel") {
        // A bare `sentinel` is how Redis is told to run as a sentinel; nothing to queue.
        if (args.length === 1) continue;
        const rest = args.slice(1);
        const name = (rest[0] ?? "").toLowerCase();
        const pass = name === "monitor" ? 1 : PRE_MONITOR.has(name) ? 0 : 2;
        queue[pass]?.push({ file: doc.file, line, args: rest });
        continue;
      }
      if (directive === "include") {
        // Redis only knows `include <path>`; other arities fall through to its generic error.
        const path = args.length === 2 ? args[1] : undefined;
        if (path === undefined) return fail("Bad directive or wrong number of arguments");
        const reader = options.readInclude;
        if (reader === undefined) return fail("include is not supported without a file reader");
        if (depth >= MAX_INCLUDE_DEPTH) return fail(`include nested more than ${MAX_INCLUDE_DEPTH} levels deep`);
        let included: string;
        try {
          included = reader(path, doc.file);
        } catch (error) {
          return fail(`can't open config file '${path}': ${strerror(error)}`);
        }
        const child = parseDocument(included, path);
        includes.push(child);
        readDocument(child, depth + 1);
        continue;
      }
      if (!isKnownDirective(directive)) return fail("Bad directive or wrong number of arguments");
      const error = applyServerDirective(server, args);
      if (error !== undefined) return fail(error);
    }
  };

  const document = parseDocument(text, file);
  readDocument(document, 0);

  const loader = new SentinelLoader(options.isExecutable);
  for (const pass of queue) {
    for (const entry of pass) {
      const reason = loader.apply(entry.args);
      if (reason !== undefined) {
        throw new ConfigError({ file: entry.file, line: entry.line.number, text: entry.line.text, reason });
      }
    }
  }
  return { config: loader.build(server), document, includes };
}
