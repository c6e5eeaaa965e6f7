import { randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { createServer as createTlsServer, type ConnectionOptions, type Server as TlsServer } from "node:tls";
import { mapCommand, type FastConfirmationOptions } from "@sentinel-kit/failover-planner";
import { FileConfigStore, SentinelConfigFile, strerror, writeFileAtomic, type ConfigStore, type SentinelConfig } from "@sentinel-kit/config-store";
import { helloPayload, isIpLiteral } from "@sentinel-kit/gossip";
import { LinkReplyError, RespLink, type InstanceLink, type LinkOptions, type SentinelTimings } from "@sentinel-kit/health-monitor";
import {
  RespServer,
  helloFields,
  type RespClientContext,
  type RespCommand,
  type RespValue,
} from "@sentinel-kit/resp-protocol";
import type {
  ActionResult,
  CommandContext,
  DebugTimings,
  IsMasterDownReply,
  LogLevelName,
  MasterView,
  SentinelActions,
  SentinelView,
  SimulateFailureFlags,
} from "../commands/view.js";
import { AclConfigError, AclGate, AclLog, AclUsers, aclCommand } from "../acl/index.js";
import { checkPermission, resolveCommand } from "../acl/permissions.js";
import { clientInfoLine } from "../commands/client-command.js";
import { isSentinelCommand } from "../commands/command-table.js";
import { dispatchCommand, lookupCommand } from "../commands/dispatch.js";
import { SentinelCore } from "../core/sentinel-core.js";
import type { CommandResult, CoreEffect, CoreEvent, CoreLogLevel, LinkId, MutationCommand } from "../core/types.js";
import { RedisLog, type LogVerbosity } from "./logger.js";
import { HostResolver, systemLookup, type HostLookup } from "./host-resolver.js";
import { loadTlsFiles, tlsClientOptions, tlsServerOptions, type TlsFiles } from "./tls.js";
import { ScriptRunner, checkScriptSet } from "../scripts/index.js";
import { REDIS_DEBUG_TIMINGS, globalConfigView, masterView } from "./view.js";
import { DaemonClientControl } from "./client-control.js";

/** The command layer's entry point: one command, its context, the reply (undefined: unknown command). */
export type CommandDispatcher = (
  command: RespCommand,
  context: CommandContext,
) => RespValue | undefined | Promise<RespValue | undefined>;

/** Options of {@link SentinelDaemon.open}. */
export interface SentinelDaemonOptions {
  /** Path of sentinel.conf (made absolute before any `dir` change, as Redis does). */
  readonly configPath: string;
  /** Extra configuration lines from the command line (`--port 26380` becomes `port 26380`). */
  readonly overrides?: readonly string[];
  /** The command layer; sentinel-kit's own (Redis 7.0.15's replies) by default. */
  readonly dispatch?: CommandDispatcher;
  /** Health timings; Redis's by default. */
  readonly timings?: Partial<SentinelTimings>;
  /** The planner's fast promotion confirmation; on by default. */
  readonly fastConfirmation?: FastConfirmationOptions | false;
  /** Resolves host names (`resolve-hostnames yes`); the system resolver (IPv4 first) by default. */
  readonly lookup?: HostLookup;
  /** Makes the link to a Redis instance or a peer sentinel; health-monitor's lean `RespLink` by default. */
  readonly createLink?: (options: LinkOptions) => InstanceLink;
  /** Called after SHUTDOWN flushed the config and closed the server; the process should exit. */
  readonly onShutdown?: () => void;
  /**
   * SENTINEL SIMULATE-FAILURE fired (`sentinelSimFailureCrash`): by default the process
   * exits with 99 at once, as Redis does, without carrying out anything after the event.
   */
  readonly onSimulatedCrash?: () => never;
}

/** A ConfigStore that reads the file followed by the command line's directives, as Redis loads them. */
class OverrideStore implements ConfigStore {
  readonly name: string;
  readonly #file: FileConfigStore;
  readonly #extra: string;

  constructor(path: string, overrides: readonly string[]) {
    this.#file = new FileConfigStore(path);
    this.name = path;
    this.#extra = overrides.length === 0 ? "" : `${overrides.join("\n")}\n`;
  }

  async read(): Promise<string> {
    const text = await this.#file.read();
    if (this.#extra === "") return text;
    return text === "" || text.endsWith("\n") ? text + this.#extra : `${text}\n${this.#extra}`;
  }

  write(content: string): Promise<void> {
    return this.#file.write(content);
  }

  checkWritable(): Promise<void> {
    return this.#file.checkWritable();
  }

  readInclude(path: string, includedFrom: string): string {
    return this.#file.readInclude(path);
  }
}

interface LinkSlot {
  readonly link: InstanceLink;
  readonly host: string;
  readonly unlisten: () => void;
}

const HELLO_CHANNEL = "__sentinel__:hello";

// What a RESP2 client with subscriptions may still send, among a sentinel's commands
// (processCommand's pub/sub context check).
const ALLOWED_WHILE_SUBSCRIBED = new Set(["ping", "subscribe", "unsubscribe", "psubscribe", "punsubscribe"]);

/**
 * The daemon: the core's effects carried out on real sockets, files and timers. Effects run
 * in order; a persist is awaited before anything after it, so a vote or an epoch is on disk
 * before the message that carries it leaves.
 */
export class SentinelDaemon {
  readonly #options: SentinelDaemonOptions;
  readonly #file: SentinelConfigFile;
  readonly #core: SentinelCore;
  readonly #log: RedisLog;
  readonly #links = new Map<LinkId, LinkSlot>();
  readonly #pendingReplies = new Map<number, (result: CommandResult) => void>();
  readonly #queue: CoreEffect[][] = [];
  readonly #server: RespServer;
  readonly #scripts: ScriptRunner;
  readonly #acl: AclGate;
  readonly #resolver: HostResolver;
  readonly #clientControl: DaemonClientControl;
  // One RespServer (one client table, one pub/sub registry) on the first listening socket;
  // the sockets of the other `bind` addresses hand their connections to it.
  readonly #net: Server = createServer({ allowHalfOpen: true });
  readonly #extraListeners: Server[] = [];
  // tls-port's listeners hand their clients to the same RespServer once the handshake is done.
  readonly #tlsListeners: TlsServer[] = [];
  // tls-replication: every outgoing link (masters, replicas, sentinels) uses TLS.
  #linkTls: ConnectionOptions | undefined;
  readonly #bind: readonly string[];
  readonly #port: number;
  readonly #startedAt = Date.now();
  readonly #serverRunId = randomBytes(20).toString("hex");
  #loglevel: LogLevelName;
  #draining = false;
  #timer: NodeJS.Timeout | undefined;
  #nextToken = 1;
  #stopped = false;
  #debug: DebugTimings = REDIS_DEBUG_TIMINGS;
  #simulateFailure: SimulateFailureFlags = { crashAfterElection: false, crashAfterPromotion: false };
  #stats = { connections: 0, commands: 0, errors: 0, rejected: 0 };
  #listenPort = 0;

  private constructor(options: SentinelDaemonOptions, file: SentinelConfigFile, config: SentinelConfig, log: RedisLog, users: AclUsers) {
    this.#options = options;
    this.#acl = new AclGate(users, new AclLog());
    this.#resolver = new HostResolver(options.lookup ?? systemLookup, (host) => this.#log.log("warning", `Failed to resolve hostname '${host}'`));
    this.#bind = config.server.bind;
    this.#port = config.server.port;
    this.#file = file;
    this.#log = log;
    this.#loglevel = config.server.loglevel;
    this.#core = new SentinelCore(
      {
        config,
        ...(options.timings !== undefined ? { timings: options.timings } : {}),
        ...(options.fastConfirmation !== undefined ? { fastConfirmation: options.fastConfirmation } : {}),
      },
      Date.now(),
    );
    // Script events have no instance: published (unless debug) and logged, never scripted.
    this.#scripts = new ScriptRunner({
      onEvent: (e) => {
        if (e.level !== "debug") this.#server.publish(e.name, e.payload);
        this.#log.log(e.level, `${e.name} ${e.payload}`);
      },
    });
    this.#clientControl = new DaemonClientControl({
      setReplyMode: (client, mode) => this.#server.setReplyMode(client, mode),
      reachesPauseCheck: (command, client) => this.#reachesPauseCheck(command, client),
      isClientSubcommand: (command) => command.name === "client" && lookupCommand(command.rawName, command.args).fullName !== undefined,
      now: () => Date.now(),
    });
    this.#server = new RespServer({
      handler: (command, client) => this.#handle(command, client),
      // CLIENT PAUSE holds commands here, before the server or the handler looks at them.
      beforeCommand: (command, client) => this.#clientControl.beforeCommand(command, client),
      // Redis's createClient: a connection must authenticate when the default user has a
      // password or is off, as the user table is when it connects (ACL SETUSER applies to new
      // connections); AUTH always goes through the table, so named users log in either way.
      authenticate: (user: string, password: string, client: RespClientContext, command: string) =>
        this.#acl.login(command, user, password, Date.now(), () => clientInfoLine(client, Date.now(), this.#clientControl)),
      authRequired: () => this.#acl.users.authRequired(),
      passwordOnlyAuth: () => this.#acl.passwordOnlyAuthAllowed(),
      // SUBSCRIBE and PSUBSCRIBE are answered by RespServer: the channel check runs there.
      canSubscribe: (client, command, targets) =>
        this.#acl.authorize(client.user ?? "default", [command, ...targets.map((t) => t.toString("utf8"))], Date.now(), () =>
          clientInfoLine(client, Date.now(), this.#clientControl),
        ),
      hello: (client) => helloFields(client, { version: "7.0.15", mode: "sentinel" }),
      isKnownCommand: isSentinelCommand,
      server: this.#net,
      onConnect: () => {
        this.#stats.connections++;
      },
      onDisconnect: (client) => this.#clientControl.forget(client),
      onError: (error) => this.#log.log("verbose", `client error: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  /**
   * Loads the configuration the way redis-sentinel does: refuses a file it could not write
   * (`ConfigNotWritableError`) or that has a bad line (`ConfigError`, file untouched).
   */
  static async open(options: SentinelDaemonOptions): Promise<SentinelDaemon> {
    const file = await SentinelConfigFile.open(new OverrideStore(options.configPath, options.overrides ?? []), {
      isExecutable: (path) => {
        try {
          accessSync(path, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      },
    });
    let config = file.config;
    const aclfile = config.server.aclfile;
    const users = AclUsers.fromConfig({
      requirepass: config.server.requirepass,
      userDirectives: config.server.users,
      aclFile: aclfile === "" ? undefined : { path: aclfile, text: await readAclFile(aclfile) },
    });
    const log = new RedisLog(config.server.logfile, config.server.loglevel);
    const generated = config.myid === undefined;
    if (generated) config = { ...config, myid: randomBytes(20).toString("hex") };
    const daemon = new SentinelDaemon(options, file, config, log, users);
    // sentinelIsRunning: a new id is flushed before anything else.
    if (generated) await file.save(daemon.#persisted(daemon.#core.config));
    return daemon;
  }

  /** The sentinel's id. */
  get myid(): string {
    return this.#core.myid;
  }

  /** The server directives (port, dir, pidfile, daemonize, ...) as loaded. */
  get serverConfig(): SentinelConfig["server"] {
    return this.#core.config.server;
  }

  /** Releases what {@link SentinelDaemon.open} took (the log) without starting. */
  async close(): Promise<void> {
    this.#stopped = true;
    await this.#server.close({ timeoutMs: 0 });
    this.#log.close();
  }

  /** Writes a line to the daemon's log (logfile or standard output), in Redis's form. */
  log(level: CoreLogLevel, message: string): void {
    this.#log.log(level, message);
  }

  /** The TCP port the daemon listens on; 0 when it listens on its TLS port only (`port 0`). */
  get port(): number {
    return this.#listenPort;
  }

  /** Starts serving and monitoring; resolves once the port is open. */
  async start(): Promise<void> {
    const server = this.#core.config.server;
    // Redis loads the certificates at start (after `dir`) and refuses to start without them.
    const files = server.tlsPort !== 0 || server.tlsReplication ? await loadTlsFiles(server) : undefined;
    if (files !== undefined && server.tlsReplication) this.#linkTls = tlsClientOptions(server, files);
    // `port 0` with a tls-port: TLS only, as Redis then listens on no TCP port.
    if (server.port !== 0 || server.tlsPort === 0) {
      await this.#listen();
      this.#listenPort = (await this.#server.listen()).port;
    }
    if (files !== undefined && server.tlsPort !== 0) await this.#listenTls(server.tlsPort, files);
    this.#log.log("warning", `Sentinel ID is ${this.#core.myid}`);
    this.#enqueue(this.#core.start(Date.now(), Math.random).effects);
  }

  /** Flushes the config, closes the server, every link and the log. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#waitDrained();
    try {
      await this.#file.save(this.#persisted(this.#core.config));
    } catch (error) {
      this.#log.log("warning", `WARNING: Sentinel was not able to save the new configuration on disk!!!: ${String(error)}`);
    }
    await this.#scripts.stop();
    for (const slot of this.#links.values()) {
      slot.unlisten();
      slot.link.destroy();
    }
    this.#links.clear();
    for (const extra of [...this.#extraListeners, ...this.#tlsListeners]) extra.close();
    // Commands a CLIENT PAUSE holds are answered, so their clients get their replies.
    this.#clientControl.stop();
    await this.#server.close({ timeoutMs: 500 });
    this.#log.log("warning", "Sentinel is now ready to exit, bye bye...");
    this.#log.close();
  }

  /** The state the command layer reads. */
  view(): SentinelView {
    const pending = (link: LinkId): number => this.#links.get(link)?.link.pendingCommands ?? 0;
    const core = this.#core;
    const server = this.#server;
    const daemon = this;
    return {
      myid: core.myid,
      currentEpoch: core.currentEpoch,
      get tiltSince() {
        return core.tiltSince;
      },
      get masters() {
        const masters = [...core.masters.values()].map((entry) => masterView(core, entry, pending));
        return core.config.announceHostnames ? masters : masters.map((m) => daemon.#resolvedView(m));
      },
      get scripts() {
        return daemon.#scripts.snapshot();
      },
      simulateFailure: this.#simulateFailure,
      debug: this.#debug,
      config: globalConfigView(core, this.#loglevel),
      get server() {
        return daemon.#serverInfo();
      },
      clients: () => server.clients(),
    };
  }

  /**
   * Listens on every `bind` address as Redis does: `*` is every IPv4 address, `::*` every
   * IPv6 one, and a leading `-` makes an address optional (skipped when it cannot be bound).
   */
  async #listen(): Promise<void> {
    let port = this.#port;
    for (const entry of this.#bind.length === 0 ? ["*"] : this.#bind) {
      const optional = entry.startsWith("-");
      const name = optional ? entry.slice(1) : entry;
      const host = name === "*" ? "0.0.0.0" : name === "::*" ? "::" : name;
      const server = this.#net.listening ? createServer({ allowHalfOpen: true }) : this.#net;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen({ port, host, ipv6Only: host.includes(":") }, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (error) {
        if (optional) continue;
        throw new ListenError(name, this.#port, error);
      }
      const bound = server.address();
      if (bound !== null && typeof bound !== "string") port = bound.port;
      if (server !== this.#net) {
        server.on("connection", (socket) => this.#net.emit("connection", socket));
        this.#extraListeners.push(server);
      }
    }
    if (!this.#net.listening) throw new ListenError(this.#bind.join(" "), this.#port, new Error("no address could be bound"));
  }

  /** `tls-port` on every `bind` address, as the TCP port is (listenToPort for the TLS port). */
  async #listenTls(tlsPort: number, files: TlsFiles): Promise<void> {
    const options = tlsServerOptions(this.#core.config.server, files);
    for (const entry of this.#bind.length === 0 ? ["*"] : this.#bind) {
      const optional = entry.startsWith("-");
      const name = optional ? entry.slice(1) : entry;
      const host = name === "*" ? "0.0.0.0" : name === "::*" ? "::" : name;
      const server = createTlsServer(options);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen({ port: tlsPort, host, ipv6Only: host.includes(":") }, () => {
            server.off("error", reject);
            resolve();
          });
        });
      } catch (error) {
        if (optional) continue;
        throw new ListenError(name, tlsPort, error);
      }
      server.on("secureConnection", (socket) => this.#net.emit("connection", socket));
      // A failed handshake (no client certificate, wrong CA) is the client's problem, logged as Redis does.
      server.on("tlsClientError", (error) => this.#log.log("verbose", `Error accepting a client connection: ${error.message}`));
      this.#tlsListeners.push(server);
    }
  }

  // processCommand's order: the ACL check, then the command (the ACL command itself is
  // answered by src/acl on the daemon's user table).
  #handle(command: RespCommand, client: RespClientContext): RespValue | undefined | Promise<RespValue | undefined> {
    this.#stats.commands++;
    const now = Date.now();
    const context = { view: this.view(), actions: this.#actions, now, client, clientControl: this.#clientControl };
    const dispatch = (): RespValue | undefined | Promise<RespValue | undefined> =>
      this.#options.dispatch === undefined
        ? dispatchCommand(command.rawName, command.args, context)
        : this.#options.dispatch(command, context);
    // Unknown command, unknown subcommand and arity come before the ACL check, as in Redis.
    if (!lookupCommand(command.rawName, command.args).ok) return dispatch();
    const argv = [command.name, ...command.args.map((a) => a.toString("utf8"))];
    const denied = this.#acl.authorize(client.user ?? "default", argv, now, () => clientInfoLine(client, now, this.#clientControl));
    if (denied !== undefined) return denied;
    if (command.name === "acl") {
      const aclfile = this.#core.config.server.aclfile;
      return aclCommand(argv.slice(1), {
        users: this.#acl.users,
        log: this.#acl.log,
        now,
        user: client.user ?? "default",
        randomBytes,
        aclFile:
          aclfile === ""
            ? undefined
            : { path: aclfile, read: () => readFile(aclfile, "utf8"), write: (text: string) => writeFileAtomic(aclfile, text) },
        dropUsers: (names) => {
          for (const c of this.#server.clients()) if (c.user !== undefined && names.includes(c.user)) setImmediate(() => c.close());
        },
        // ACLKillPubsubClientsIfNeeded: subscribers whose channels the user lost are disconnected.
        dropSubscribers: (user, mustDrop) => {
          for (const c of this.#server.clients()) {
            if (c.user !== user || c.subscriptionCount === 0) continue;
            const { channels, patterns } = this.#server.subscriptions(c);
            if (mustDrop({ channels: channels.map(String), patterns: patterns.map(String) })) setImmediate(() => c.close());
          }
        },
      });
    }
    return dispatch();
  }

  #serverInfo(): SentinelView["server"] {
    const clients = this.#server.clients();
    return {
      processId: process.pid,
      runId: this.#serverRunId,
      tcpPort: this.#listenPort,
      startedAt: this.#startedAt,
      executable: process.argv[1] ?? process.execPath,
      configFile: this.#options.configPath,
      hz: 10,
      connectedClients: clients.length,
      maxClients: 10_000,
      totalConnectionsReceived: this.#stats.connections,
      totalCommandsProcessed: this.#stats.commands,
      totalNetInputBytes: 0,
      totalNetOutputBytes: 0,
      rejectedConnections: this.#stats.rejected,
      pubsubChannels: clients.reduce((n, c) => n + c.channelCount, 0),
      pubsubPatterns: clients.reduce((n, c) => n + c.patternCount, 0),
      totalErrorReplies: this.#stats.errors,
      totalReadsProcessed: 0,
      totalWritesProcessed: 0,
      blockedClients: this.#clientControl.heldCount,
      trackingClients: this.#clientControl.trackingCount(clients),
    };
  }

  // processCommand's checks before its pause check: a command they refuse is answered at
  // once, paused or not (the ACL check here only looks: the handler logs the denial).
  #reachesPauseCheck(command: RespCommand, client: RespClientContext): boolean {
    if (command.name === "quit" || !lookupCommand(command.rawName, command.args).ok) return false;
    const noAuth = command.name === "auth" || command.name === "hello";
    if (!client.authenticated && !noAuth) return false;
    if (client.protocol === 2 && client.subscriptionCount > 0 && !ALLOWED_WHILE_SUBSCRIBED.has(command.name)) return false;
    if (noAuth) return true;
    const argv = [command.name, ...command.args.map((a) => a.toString("utf8"))];
    const resolved = resolveCommand(this.#acl.users.ctx.index, argv);
    const subject = this.#acl.users.get(client.user ?? "default") ?? this.#acl.users.defaultUser;
    return resolved === undefined || checkPermission(subject, resolved, argv) === undefined;
  }

  // ------------------------------------------------------------------ events in

  #feed(event: CoreEvent): void {
    if (this.#stopped) return;
    this.#enqueue(this.#core.step(event, Date.now(), Math.random).effects);
  }

  #request(command: MutationCommand): Promise<CommandResult> {
    const token = this.#nextToken++;
    return new Promise((resolve) => {
      this.#pendingReplies.set(token, resolve);
      this.#feed({ type: "command", token, command });
    });
  }

  readonly #actions: SentinelActions = {
    monitor: async (name, host, port, quorum) => {
      // createSentinelAddr: a name that does not resolve is refused (ENOENT).
      if (!isIpLiteral(host) && (await this.#resolver.refresh(host)) === undefined) {
        return { ok: false, error: "ERR Invalid IP address or hostname specified" };
      }
      return actionOf(await this.#request({ type: "monitor", name, host, port, quorum }));
    },
    remove: async (name) => actionOf(await this.#request({ type: "remove", name })),
    setMasterOptions: async (name, changes) => {
      for (const change of changes) {
        if (change.option !== "notification-script" && change.option !== "client-reconfig-script") continue;
        const refused = await checkScriptSet(change.option, change.value, this.#core.config.denyScriptsReconfig);
        if (refused !== null) return { ok: false, error: refused };
      }
      return actionOf(await this.#request({ type: "set", name, changes }));
    },
    reset: async (pattern) => {
      const result = await this.#request({ type: "reset", pattern });
      return result.type === "count" ? result.count : 0;
    },
    failover: async (name) => {
      const result = await this.#request({ type: "failover", name });
      return result.type === "failover" ? result.outcome : "INPROG";
    },
    flushConfig: async () => {
      const result = await this.#request({ type: "flushconfig" });
      return result.type === "flushed" && result.ok;
    },
    isMasterDownByAddr: async (ip, port, epoch, runid): Promise<IsMasterDownReply> => {
      const result = await this.#request({ type: "is-master-down", ip, port, epoch, runid });
      return result.type === "is-master-down" ? result.reply : { down: false, leader: null, leaderEpoch: 0 };
    },
    receiveHello: (payload) => this.#feed({ type: "hello-received", payload }),
    configSet: async (changes) => actionOf(await this.#request({ type: "config-set", changes })),
    setDebugTimings: (changes) => {
      this.#debug = { ...this.#debug, ...changes };
      this.#scripts.setTimings({ maxRuntime: this.#debug.scriptMaxRuntime, retryDelay: this.#debug.scriptRetryDelay });
      void this.#request({ type: "set-timings", timings: changes });
    },
    simulateFailure: (flags) => {
      this.#simulateFailure = flags;
    },
    shutdown: async () => {
      await this.stop();
      this.#options.onShutdown?.();
      return { ok: true };
    },
    killClient: (client: RespClientContext) => {
      setImmediate(() => client.close());
    },
  };

  // ------------------------------------------------------------------ effects out

  #enqueue(effects: readonly CoreEffect[]): void {
    if (effects.length === 0) return;
    this.#queue.push([...effects]);
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      for (let batch = this.#queue.shift(); batch !== undefined; batch = this.#queue.shift()) {
        let saveFailed = false;
        for (const effect of batch) {
          if (effect.type === "persist") {
            saveFailed = !(await this.#save(effect.config));
          } else {
            this.#perform(effect, saveFailed);
          }
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #waitDrained(): Promise<void> {
    for (let i = 0; i < 200 && (this.#draining || this.#queue.length > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * The config with the ACL table's users as `user` lines: Redis's rewrite writes every user
   * (default included, passwords as hashes) unless an aclfile holds them, so ACL SETUSER
   * changes survive the next flush (rewriteConfigUserOption).
   */
  #persisted(config: SentinelConfig): SentinelConfig {
    // announceSentinelAddr in the rewrite too: without announce-hostnames a name is saved as its address.
    const resolved = config.announceHostnames ? config : { ...config, masters: config.masters.map((m) => ({ ...m, host: this.#resolver.address(m.host) })) };
    if (config.server.aclfile !== "") return resolved;
    const users = this.#acl.users.list().map((line) => line.split(" ").slice(1));
    return { ...resolved, server: { ...config.server, users } };
  }

  // announceSentinelAddr: without announce-hostnames, replies give the resolved addresses.
  #resolvedView(m: MasterView): MasterView {
    const ip = (host: string): string => this.#resolver.address(host);
    return {
      ...m,
      ip: ip(m.ip),
      currentAddress: { ...m.currentAddress, ip: ip(m.currentAddress.ip) },
      replicas: m.replicas.map((r) => ({ ...r, ip: ip(r.ip) })),
      sentinels: m.sentinels.map((p) => ({ ...p, ip: ip(p.ip) })),
    };
  }

  async #save(config: SentinelConfig): Promise<boolean> {
    try {
      await this.#file.save(this.#persisted(config));
      return true;
    } catch (error) {
      this.#log.log("warning", "WARNING: Sentinel was not able to save the new configuration on disk!!!");
      this.#log.log("verbose", String(error));
      return false;
    }
  }

  #perform(effect: Exclude<CoreEffect, { type: "persist" }>, saveFailed: boolean): void {
    switch (effect.type) {
      case "create-link":
        this.#createLink(effect);
        return;
      case "destroy-link": {
        const slot = this.#links.get(effect.link);
        if (slot === undefined) return;
        this.#links.delete(effect.link);
        slot.unlisten();
        slot.link.destroy();
        return;
      }
      case "connect": {
        const slot = this.#links.get(effect.link);
        if (slot === undefined) return;
        const { link, connection } = effect;
        // Every (re)connection resolves a host name again (the socket does too, by name).
        if (connection === "cmd" && !isIpLiteral(slot.host)) void this.#resolver.refresh(slot.host);
        slot.link.connect(connection).then(
          () => this.#links.has(link) && this.#feed({ type: "link-connected", link, connection }),
          () => this.#links.has(link) && this.#feed({ type: "link-disconnected", link, connection }),
        );
        return;
      }
      case "close":
        this.#links.get(effect.link)?.link.close(effect.connection);
        return;
      case "send":
        this.#send(effect);
        return;
      case "publish-hello":
        this.#publishHello(effect);
        return;
      case "event":
        if (effect.level !== "debug") this.#server.publish(effect.name, effect.payload);
        this.#log.log(effect.level, `${effect.name} ${effect.payload}`);
        if (
          (effect.name === "+elected-leader" && this.#simulateFailure.crashAfterElection) ||
          (effect.name === "+promoted-slave" && this.#simulateFailure.crashAfterPromotion)
        ) {
          this.#log.log("warning", "Sentinel CRASH because of SENTINEL simulate-failure");
          (this.#options.onSimulatedCrash ?? (() => process.exit(99)))();
        }
        return;
      case "log":
        this.#log.log(effect.level, effect.message);
        return;
      case "reply": {
        const resolve = this.#pendingReplies.get(effect.token);
        if (resolve === undefined) return;
        this.#pendingReplies.delete(effect.token);
        resolve(saveFailed && effect.onSaveFailure !== undefined ? effect.onSaveFailure : effect.result);
        return;
      }
      case "run-script":
        this.#scripts.schedule(effect.path, effect.args);
        return;
      case "set-loglevel":
        this.#loglevel = effect.level;
        this.#log.setLevel(effect.level as LogVerbosity);
        return;
      case "wake":
        this.#setTimer(effect.at);
        return;
    }
  }

  #createLink(effect: Extract<CoreEffect, { type: "create-link" }>): void {
    const link = (this.#options.createLink ?? ((o: LinkOptions) => new RespLink(o)))({
      host: effect.address.host,
      port: effect.address.port,
      sentinelId: this.#core.myid,
      ...(this.#linkTls !== undefined ? { tls: this.#linkTls } : {}),
      ...(effect.authPass !== undefined ? { authPass: effect.authPass } : {}),
      ...(effect.authUser !== undefined ? { authUser: effect.authUser } : {}),
      ...this.#linkRenames(effect),
    });
    const id = effect.link;
    const unlisten = link.onEvent((event) => {
      if (!this.#links.has(id)) return;
      if (event.type === "closed") this.#feed({ type: "link-disconnected", link: id, connection: event.connection });
      else if (event.type === "message") this.#feed({ type: "pubsub-message", link: id, channel: event.channel, message: event.message });
      else this.#feed({ type: "pubsub-message", link: id, channel: null, message: "" });
    });
    this.#links.set(id, { link, host: effect.address.host, unlisten });
    if (effect.kind === "instance") link.subscribe(HELLO_CHANNEL).catch(() => undefined);
  }

  /**
   * `sentinelInstanceMapCommand` for the link's own AUTH, CLIENT SETNAME and SUBSCRIBE: a
   * master's `rename-command` table serves it and its replicas. It is read when each
   * connection opens, so `SENTINEL SET ... rename-command` applies from the next one, as in
   * Redis. Peer sentinel links use no table: see the README (rename-command).
   */
  #linkRenames(effect: Extract<CoreEffect, { type: "create-link" }>): Pick<LinkOptions, "mapCommand"> {
    if (effect.kind !== "instance") return {};
    // The core creates a link after the entry it serves, and a link serves one master for good.
    const owner = [...this.#core.masters].find(
      ([, entry]) => entry.master.link === effect.link || [...entry.replicas.values()].some((r) => r.link === effect.link),
    )?.[0];
    if (owner === undefined) return {};
    return {
      mapCommand: (command) => {
        const renamed = this.#core.masters.get(owner)?.config.renamedCommands ?? [];
        return mapCommand(Object.fromEntries(renamed.map((r) => [r.command, r.renamed])), command);
      },
    };
  }

  #send(effect: Extract<CoreEffect, { type: "send" }>): void {
    const slot = this.#links.get(effect.link);
    const { link, expect } = effect;
    if (slot === undefined) return;
    slot.link.command(effect.command).then(
      (reply) => {
        if (expect.kind !== "none" && this.#links.has(link)) this.#feed({ type: "command-reply", link, expect, reply });
      },
      (error: unknown) => {
        if (expect.kind === "none" || !this.#links.has(link)) return;
        if (error instanceof LinkReplyError) this.#feed({ type: "command-reply", link, expect, reply: undefined, error: error.reply });
      },
    );
  }

  #publishHello(effect: Extract<CoreEffect, { type: "publish-hello" }>): void {
    const slot = this.#links.get(effect.link);
    const { target } = effect;
    const local = slot?.link.localAddress();
    if (slot === undefined || (effect.hello.sentinelIp === null && local === undefined)) {
      this.#feed({ type: "hello-published", target, ok: false });
      return;
    }
    const payload = helloPayload(effect.hello, local ?? "");
    slot.link.command([effect.command, HELLO_CHANNEL, payload]).then(
      () => this.#feed({ type: "hello-published", target, ok: true }),
      () => this.#feed({ type: "hello-published", target, ok: false }),
    );
  }

  #setTimer(at: number): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const pending = new Map<LinkId, number>();
      for (const [id, slot] of this.#links) pending.set(id, slot.link.pendingCommands);
      this.#feed({ type: "tick", pending });
    }, Math.max(0, at - Date.now()));
  }
}

/** Reads `aclfile`; a missing file stops the start with Redis's message (`ACLLoadFromFile`). */
async function readAclFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new AclConfigError(
      `Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '${path}': ${strerror(error)}`,
    );
  }
}

function actionOf(result: CommandResult): ActionResult {
  return result.type === "action" ? result.result : { ok: true };
}

/** A `bind` address could not be listened on: Redis logs it and exits. */
export class ListenError extends Error {
  /** Always `ListenError`. */
  override readonly name = "ListenError";
  /** The address as configured. */
  readonly address: string;
  /** The port. */
  readonly port: number;

  /** Builds the error with Redis's text. */
  constructor(address: string, port: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Warning: Could not create server TCP listening socket ${address}:${port}: ${reason}\nFailed listening on port ${port} (TCP), aborting.`, { cause });
    this.address = address;
    this.port = port;
  }
}
