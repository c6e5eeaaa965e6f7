/**
 * The SENTINEL command's subcommands, as Redis 7.0.15's `sentinelCommand` answers them
 * (SPEC §1.2). Arity and unknown subcommands are checked before, against the command table
 * (see `dispatch.ts`), as `processCommand` does.
 *
 * @module
 */
import { globMatch, resp, type RespValue } from "@sentinel-kit/resp-protocol";
import { SENTINEL_HELP, helpReply } from "./help.js";
import { masterReply, replicasReply, sentinelPeerReply } from "./instance-reply.js";
import {
  FLUSH_FAILED_ERROR,
  NOT_AN_INTEGER_ERROR,
  NO_SUCH_MASTER_ERROR,
  parseLongLong,
  parseNumericHost,
  parseYesNo,
} from "./parse.js";
import type {
  ActionResult,
  CommandContext,
  DebugTimings,
  GlobalConfigChange,
  MasterOptionChange,
  MasterView,
  SentinelView,
} from "./view.js";

type Reply = RespValue | Promise<RespValue>;

const OK = resp.simple("OK");

function err(text: string): RespValue {
  return resp.error(text);
}

function masterByName(view: SentinelView, name: string): MasterView | undefined {
  return view.masters.find((m) => m.name === name);
}

function resultReply(result: ActionResult): RespValue {
  return result.ok ? OK : err(result.error);
}

/** SENTINEL CKQUORUM's computation (`sentinelIsQuorumReachable`). */
export function ckquorumReply(master: MasterView): RespValue {
  const usable = 1 + master.sentinels.filter((s) => !s.flags.has("s_down") && !s.flags.has("o_down")).length;
  const voters = master.sentinels.length + 1;
  const noQuorum = usable < master.quorum;
  const noAuth = usable < Math.floor(voters / 2) + 1;
  if (!noQuorum && !noAuth) {
    return resp.simple(`OK ${usable} usable Sentinels. Quorum and failover authorization can be reached`);
  }
  const parts: string[] = [];
  if (noQuorum) parts.push("Not enough available Sentinels to reach the specified quorum for this master");
  if (noAuth) parts.push("Not enough available Sentinels to reach the majority and authorize a failover");
  return err(`NOQUORUM ${usable} usable Sentinels. ${parts.join(". ")}`);
}

// SENTINEL SET options taking one numeric value, with Redis's lower bound.
const NUMERIC_OPTIONS = new Map<string, { readonly min: number }>([
  ["down-after-milliseconds", { min: 1 }],
  ["failover-timeout", { min: 1 }],
  ["parallel-syncs", { min: 1 }],
  ["quorum", { min: 1 }],
  ["master-reboot-down-after-period", { min: 0 }],
]);

const SCRIPTS_DENIED_ERROR =
  "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration";

/** What {@link parseSetOptions} read. */
export interface ParsedSetOptions {
  /** The changes before the first error (all of them when there is none). */
  readonly changes: MasterOptionChange[];
  /** The first error line, or null. */
  readonly error: string | null;
}

/**
 * Parses SENTINEL SET's option/value pairs the way `sentinelSetCommand` walks them: each
 * option is applied before the next is read, so on an error the options before it stay
 * applied. Returns the changes up to the first error, and that error.
 */
export function parseSetOptions(args: readonly string[], denyScriptsReconfig: boolean): ParsedSetOptions {
  const changes: MasterOptionChange[] = [];
  for (let j = 0; j < args.length; j++) {
    const option = args[j] ?? "";
    const lower = option.toLowerCase();
    const moreArgs = args.length - 1 - j;
    const numeric = NUMERIC_OPTIONS.get(lower);
    if (numeric !== undefined && moreArgs > 0) {
      const raw = args[++j] ?? "";
      const value = parseLongLong(raw);
      if (value === null || value < numeric.min) {
        return { changes, error: `ERR Invalid argument '${raw}' for SENTINEL SET '${option}'` };
      }
      changes.push({ option: lower, value } as MasterOptionChange);
    } else if ((lower === "notification-script" || lower === "client-reconfig-script") && moreArgs > 0) {
      const value = args[++j] ?? "";
      if (denyScriptsReconfig) return { changes, error: SCRIPTS_DENIED_ERROR };
      changes.push({ option: lower, value });
    } else if ((lower === "auth-pass" || lower === "auth-user") && moreArgs > 0) {
      changes.push({ option: lower, value: args[++j] ?? "" });
    } else if (lower === "rename-command" && moreArgs > 1) {
      const command = args[++j] ?? "";
      const renamed = args[++j] ?? "";
      if (command.length === 0 || renamed.length === 0) {
        const bad = renamed.length !== 0 ? command : renamed;
        return { changes, error: `ERR Invalid argument '${bad}' for SENTINEL SET '${option}'` };
      }
      changes.push({ option: "rename-command", command, renamed });
    } else {
      return { changes, error: `ERR Unknown option or number of arguments for SENTINEL SET '${option}'` };
    }
  }
  return { changes, error: null };
}

async function setCommand(ctx: CommandContext, args: readonly string[]): Promise<RespValue> {
  const name = args[0] ?? "";
  if (masterByName(ctx.view, name) === undefined) return err(NO_SUCH_MASTER_ERROR);
  const { changes, error } = parseSetOptions(args.slice(1), ctx.view.config.denyScriptsReconfig);
  // Redis flushes what it applied before the bad option, but answers with the option's error.
  const applied = changes.length > 0 ? await ctx.actions.setMasterOptions(name, changes) : null;
  if (error !== null) return err(error);
  return applied === null ? OK : resultReply(applied);
}

const DEBUG_PARAMS: ReadonlyArray<readonly [string, keyof DebugTimings]> = [
  ["info-period", "infoPeriod"],
  ["ping-period", "pingPeriod"],
  ["ask-period", "askPeriod"],
  ["publish-period", "publishPeriod"],
  ["default-down-after", "defaultDownAfter"],
  ["default-failover-timeout", "defaultFailoverTimeout"],
  ["tilt-trigger", "tiltTrigger"],
  ["tilt-period", "tiltPeriod"],
  ["slave-reconf-timeout", "slaveReconfTimeout"],
  ["min-link-reconnect-period", "minLinkReconnectPeriod"],
  ["election-timeout", "electionTimeout"],
  ["script-max-runtime", "scriptMaxRuntime"],
  ["script-retry-delay", "scriptRetryDelay"],
];

function debugReply(timings: DebugTimings): RespValue {
  return resp.map(DEBUG_PARAMS.map(([name, key]) => [resp.bulk(name.toUpperCase()), resp.bulk(String(timings[key]))] as const));
}

function debugSet(ctx: CommandContext, args: readonly string[]): RespValue {
  const changes: Partial<Record<keyof DebugTimings, number>> = {};
  let error: string | null = null;
  for (let j = 0; j < args.length && error === null; j++) {
    const option = args[j] ?? "";
    const param = DEBUG_PARAMS.find(([name]) => name === option.toLowerCase());
    if (param === undefined || args.length - 1 - j === 0) {
      error = `ERR Unknown option or number of arguments for SENTINEL DEBUG '${option}'`;
      break;
    }
    const raw = args[++j] ?? "";
    const value = parseLongLong(raw);
    if (value === null || value <= 0) error = `ERR Invalid argument '${raw}' for SENTINEL DEBUG '${option}'`;
    else changes[param[1]] = value;
  }
  // Redis sets each parameter as it reads it: the ones before an error stay set.
  if (Object.keys(changes).length > 0) ctx.actions.setDebugTimings(changes);
  return error === null ? OK : err(error);
}

const CONFIG_ONLY_ERROR = "ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.";

function configGet(view: SentinelView, pattern: string): RespValue {
  const c = view.config;
  const all: ReadonlyArray<readonly [string, string]> = [
    ["resolve-hostnames", c.resolveHostnames ? "yes" : "no"],
    ["announce-hostnames", c.announceHostnames ? "yes" : "no"],
    ["announce-ip", c.announceIp],
    ["announce-port", String(c.announcePort)],
    ["sentinel-user", c.sentinelUser],
    ["sentinel-pass", c.sentinelPass],
  ];
  return resp.map(all.filter(([name]) => globMatch(pattern, name, true)).map(([k, v]) => [resp.bulk(k), resp.bulk(v)] as const));
}

/** Parses one SENTINEL CONFIG SET pair as Redis 7.0.15's `sentinelConfigSetCommand`; an error line or the change. */
export function parseConfigSet(option: string, value: string): GlobalConfigChange | string {
  const badValue = `ERR Invalid value '${value}' to SENTINEL CONFIG SET '${option}'`;
  switch (option.toLowerCase()) {
    case "resolve-hostnames":
    case "announce-hostnames": {
      const yes = parseYesNo(value);
      if (yes === null) return badValue;
      return { option: option.toLowerCase() as "resolve-hostnames" | "announce-hostnames", value: yes };
    }
    case "announce-ip":
      return { option: "announce-ip", value };
    case "announce-port": {
      const port = parseLongLong(value);
      if (port === null || port < 0 || port > 65535) return badValue;
      return { option: "announce-port", value: port };
    }
    case "sentinel-user":
      return { option: "sentinel-user", value };
    case "sentinel-pass":
      return { option: "sentinel-pass", value };
    default:
      return `ERR Invalid argument '${option}' to SENTINEL CONFIG SET`;
  }
}

function configCommand(ctx: CommandContext, args: readonly string[]): Reply {
  const verb = (args[0] ?? "").toLowerCase();
  if (verb === "get" && args.length === 2) return configGet(ctx.view, args[1] ?? "");
  if (verb === "set" && args.length === 3) {
    const change = parseConfigSet(args[1] ?? "", args[2] ?? "");
    if (typeof change === "string") return err(change);
    return ctx.actions.configSet([change]).then(resultReply);
  }
  return err(CONFIG_ONLY_ERROR);
}

function infoCacheReply(ctx: CommandContext, names: readonly string[]): RespValue {
  const { view, now } = ctx;
  // The table's arity (-3) makes at least one name mandatory in 7.0.15; unknown names are skipped.
  const masters: MasterView[] = [];
  for (const name of names) {
    const m = masterByName(view, name);
    if (m !== undefined && !masters.includes(m)) masters.push(m);
  }
  const out: RespValue[] = [];
  for (const m of masters) {
    const entry = (age: number, info: string | null): RespValue => resp.array([resp.integer(age), info === null ? resp.null() : resp.bulk(info)]);
    // Redis 7.0 tests the master's info_refresh before computing each replica's age: kept as is.
    const items = [entry(m.infoRefresh !== 0 ? now - m.infoRefresh : 0, m.infoText)];
    for (const r of m.replicas) items.push(entry(m.infoRefresh !== 0 ? now - r.infoRefresh : 0, r.infoText));
    out.push(resp.bulk(m.name), resp.array(items));
  }
  return resp.array(out);
}

function pendingScriptsReply(ctx: CommandContext): RespValue {
  return resp.array(
    ctx.view.scripts.map((job) => {
      const timing: readonly [RespValue, RespValue] = job.running
        ? [resp.bulk("run-time"), resp.bulk(String(ctx.now - job.startTime))]
        : [resp.bulk("run-delay"), resp.bulk(String(job.startTime !== 0 ? Math.max(0, job.startTime - ctx.now) : 0))];
      return resp.map([
        [resp.bulk("argv"), resp.bulkStrings(job.argv)],
        [resp.bulk("flags"), resp.bulk(job.running ? "running" : "scheduled")],
        [resp.bulk("pid"), resp.bulk(String(job.pid))],
        timing,
        [resp.bulk("retry-num"), resp.bulk(String(job.retryNum))],
      ]);
    }),
  );
}

function simulateFailure(ctx: CommandContext, args: readonly string[]): RespValue {
  // Redis clears the flags first and sets them as it reads: HELP or an unknown word leaves
  // the ones read before it armed.
  let crashAfterElection = false;
  let crashAfterPromotion = false;
  let reply: RespValue = OK;
  for (const arg of args) {
    const word = arg.toLowerCase();
    if (word === "crash-after-election") crashAfterElection = true;
    else if (word === "crash-after-promotion") crashAfterPromotion = true;
    else {
      reply = word === "help" ? resp.bulkStrings(["crash-after-election", "crash-after-promotion"]) : err("ERR Unknown failure simulation specified");
      break;
    }
  }
  ctx.actions.simulateFailure({ crashAfterElection, crashAfterPromotion });
  return reply;
}

async function monitor(ctx: CommandContext, args: readonly string[]): Promise<RespValue> {
  const [name = "", host = "", portText = "", quorumText = ""] = args;
  const quorum = parseLongLong(quorumText);
  if (quorum === null) return err("ERR Invalid quorum");
  const port = parseLongLong(portText);
  if (port === null) return err("ERR Invalid port");
  if (quorum <= 0) return err("ERR Quorum must be 1 or greater.");
  // Without resolve-hostnames Redis only accepts a numeric address (anetResolve ANET_IP_ONLY)
  // and keeps it in its normalized form; with it, the core resolves the name (I/O).
  const address = ctx.view.config.resolveHostnames ? host : parseNumericHost(host);
  if (address === null) return err("ERR Invalid IP address or hostname specified");
  if (port < 0 || port > 65535) return err("ERR Invalid port number.");
  if (masterByName(ctx.view, name) !== undefined) return err("ERR Duplicate master name.");
  return resultReply(await ctx.actions.monitor(name, address, port, quorum));
}

async function isMasterDownByAddr(ctx: CommandContext, args: readonly string[]): Promise<RespValue> {
  const [ip = "", portText = "", epochText = "", runid = ""] = args;
  const port = parseLongLong(portText);
  const epoch = port === null ? null : parseLongLong(epochText);
  if (port === null || epoch === null) return err(NOT_AN_INTEGER_ERROR);
  const answer = await ctx.actions.isMasterDownByAddr(ip, port, epoch, runid);
  return resp.array([resp.integer(answer.down ? 1 : 0), resp.bulk(answer.leader ?? "*"), resp.integer(answer.leaderEpoch)]);
}

function withMaster(ctx: CommandContext, name: string | undefined, then: (m: MasterView) => Reply): Reply {
  const m = masterByName(ctx.view, name ?? "");
  return m === undefined ? err(NO_SUCH_MASTER_ERROR) : then(m);
}

/**
 * Runs `SENTINEL <subcommand> <args...>` whose arity the dispatcher already checked.
 *
 * @param sub - The subcommand in lower case.
 * @param args - The arguments after the subcommand.
 */
export function sentinelSubcommand(sub: string, args: readonly string[], ctx: CommandContext): Reply {
  const { view, actions, now } = ctx;
  switch (sub) {
    case "help":
      return helpReply("SENTINEL", SENTINEL_HELP);
    case "masters":
      return resp.array(view.masters.map((m) => masterReply(m, now)));
    case "master":
      return withMaster(ctx, args[0], (m) => masterReply(m, now));
    case "replicas":
    case "slaves":
      return withMaster(ctx, args[0], (m) => replicasReply(m, now));
    case "sentinels":
      return withMaster(ctx, args[0], (m) => resp.array(m.sentinels.map((s) => sentinelPeerReply(s, now))));
    case "myid":
      return resp.bulk(view.myid);
    case "is-master-down-by-addr":
      return isMasterDownByAddr(ctx, args);
    case "reset": {
      const count = actions.reset(args[0] ?? "");
      return count instanceof Promise ? count.then((n) => resp.integer(n)) : resp.integer(count);
    }
    case "get-master-addr-by-name": {
      const m = masterByName(view, args[0] ?? "");
      if (m === undefined) return resp.nullArray();
      return resp.bulkStrings([m.currentAddress.ip, String(m.currentAddress.port)]);
    }
    case "failover":
      return withMaster(ctx, args[0], async (m) => {
        const outcome = await actions.failover(m.name);
        if (outcome === "INPROG") return err("INPROG Failover already in progress");
        if (outcome === "NOGOODSLAVE") return err("NOGOODSLAVE No suitable replica to promote");
        return OK;
      });
    case "pending-scripts":
      return pendingScriptsReply(ctx);
    case "monitor":
      return monitor(ctx, args);
    case "flushconfig":
      return actions.flushConfig().then((saved) => (saved ? OK : err(FLUSH_FAILED_ERROR)));
    case "remove":
      return withMaster(ctx, args[0], async (m) => resultReply(await actions.remove(m.name)));
    case "ckquorum":
      return withMaster(ctx, args[0], ckquorumReply);
    case "set":
      return setCommand(ctx, args);
    case "config":
      return configCommand(ctx, args);
    case "info-cache":
      return infoCacheReply(ctx, args);
    case "simulate-failure":
      return simulateFailure(ctx, args);
    case "debug":
      return args.length === 0 ? debugReply(view.debug) : debugSet(ctx, args);
    default:
      return err(`ERR unknown subcommand '${sub}'. Try SENTINEL HELP.`);
  }
}
