// The world a scenario script drives: one master, its replicas, a clock, and a planner.
// Views handed to the planner are rebuilt before every step, so "fresh" replicas have
// just answered PING and INFO unless a script pins an age.
import {
  createFailoverPlanner,
  instanceName,
  type Address,
  type FailoverPlanner,
  type FailoverState,
  type MasterView,
  type PlannerEffect,
  type PlannerInput,
  type ReplicaView,
  type ReportedRole,
} from "@sentinel-kit/failover-planner";
import { parseArgs } from "./datadriven.js";

interface SimInstance {
  addr: Address;
  runId: string | null;
  sDown: boolean;
  sDownSince: number;
  disconnected: boolean;
  priority: number;
  replOffset: number;
  masterLinkDownTime: number;
  role: ReportedRole;
  roleReportedTime: number;
  masterHost: string | null;
  masterPort: number;
  masterLinkUp: boolean;
  confChangeTime: number;
  /** null = answered INFO just now; else INFO is this many ms old. */
  infoAge: number | null;
  /** null = answered PING just now; else the last valid reply is this many ms old. */
  availAge: number | null;
}

export function parseAddr(text: string): Address {
  const at = text.lastIndexOf(":");
  if (at < 0) throw new Error(`bad address ${text}`);
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

const fmtAddr = (a: Address): string => instanceName(a);

export class SimWorld {
  now = 1_000_000;
  currentEpoch = 0;
  tilt = false;
  randomValue = 0.5;
  planner: FailoverPlanner = createFailoverPlanner();
  state: FailoverState = this.planner.initialState();
  master: SimInstance & {
    name: string;
    oDown: boolean;
    downAfter: number;
    failoverTimeout: number;
    parallelSyncs: number;
    renamed: Record<string, string>;
  } = {
    ...blank({ host: "10.0.0.1", port: 6379 }, 0),
    role: "master",
    name: "mymaster",
    oDown: false,
    downAfter: 5000,
    failoverTimeout: 60_000,
    parallelSyncs: 1,
    renamed: {},
  };
  replicas: SimInstance[] = [];
  /** Every effect ever returned, for property checks. */
  readonly history: { now: number; input: PlannerInput; effects: readonly PlannerEffect[] }[] = [];

  masterView(): MasterView {
    const m = this.master;
    return {
      name: m.name,
      addr: m.addr,
      sDown: m.sDown,
      oDown: m.oDown,
      sDownSince: m.sDownSince,
      role: m.role,
      infoRefresh: m.infoAge === null ? this.now : this.now - m.infoAge,
      downAfter: m.downAfter,
      failoverTimeout: m.failoverTimeout,
      parallelSyncs: m.parallelSyncs,
      renamedCommands: m.renamed,
      replicas: this.replicas.map((r) => this.replicaView(r)),
    };
  }

  private replicaView(r: SimInstance): ReplicaView {
    return {
      addr: r.addr,
      runId: r.runId,
      sDown: r.sDown,
      oDown: false,
      sDownSince: r.sDownSince,
      oDownSince: 0,
      disconnected: r.disconnected,
      lastAvailTime: r.availAge === null ? this.now : this.now - r.availAge,
      infoRefresh: r.infoAge === null ? this.now : this.now - r.infoAge,
      priority: r.priority,
      replOffset: r.replOffset,
      masterLinkDownTime: r.masterLinkDownTime,
      role: r.role,
      roleReportedTime: r.roleReportedTime,
      masterHost: r.masterHost,
      masterPort: r.masterPort,
      masterLinkUp: r.masterLinkUp,
      confChangeTime: r.confChangeTime,
    };
  }

  step(input: PlannerInput): readonly PlannerEffect[] {
    const result = this.planner.step(this.state, input, {
      now: this.now,
      master: this.masterView(),
      currentEpoch: this.currentEpoch,
      tilt: this.tilt,
      random: () => this.randomValue,
    });
    this.state = result.state;
    this.history.push({ now: this.now, input, effects: result.effects });
    for (const e of result.effects) this.absorb(e);
    return result.effects;
  }

  /** What the composing daemon would do with the effects that change the world's config. */
  private absorb(e: PlannerEffect): void {
    if (e.kind === "set-current-epoch") this.currentEpoch = e.epoch;
    if (e.kind === "reset-master") {
      const old = this.master;
      const promoted = this.find(e.to);
      const keep = new Map(this.replicas.map((r) => [fmtAddr(r.addr), r]));
      this.replicas = e.replicas.map((a) => {
        const known = keep.get(fmtAddr(a));
        if (known !== undefined) return known;
        const demoted = blank(a, this.now);
        demoted.role = old.role;
        demoted.sDown = old.sDown;
        demoted.sDownSince = old.sDownSince;
        demoted.disconnected = old.disconnected;
        demoted.runId = old.runId;
        return demoted;
      });
      Object.assign(this.master, blank(e.to, this.now), {
        role: promoted?.role ?? "master",
        runId: promoted?.runId ?? null,
        oDown: false,
      });
    }
  }

  find(addr: Address): SimInstance | undefined {
    return this.replicas.find((r) => r.addr.host === addr.host && r.addr.port === addr.port);
  }

  /** Runs one script directive and returns its output lines. */
  run(line: string): string[] {
    const { cmd, pos, kv } = parseArgs(line);
    const t = kv.get("t");
    if (t !== undefined) {
      const next = Number(t);
      if (next < this.now) throw new Error(`time goes back: ${t} < ${this.now}`);
      this.now = next;
    }
    switch (cmd) {
      case "planner": {
        const fast = pos.includes("fast");
        const wait = kv.get("stale-info-wait");
        this.planner = createFailoverPlanner({
          ...(fast
            ? {
                fastConfirmation: {
                  probeIntervalMs: Number(kv.get("interval") ?? 20),
                  maxProbes: Number(kv.get("max-probes") ?? 100),
                },
              }
            : {}),
          ...(wait !== undefined ? { timings: { staleInfoWait: Number(wait) } } : {}),
        });
        this.state = this.planner.initialState();
        if (kv.has("rand")) this.randomValue = Number(kv.get("rand"));
        return [];
      }
      case "master": {
        const m = this.master;
        m.name = kv.get("name") ?? m.name;
        if (kv.has("addr")) m.addr = parseAddr(kv.get("addr") ?? "");
        m.downAfter = Number(kv.get("down-after") ?? m.downAfter);
        m.failoverTimeout = Number(kv.get("failover-timeout") ?? m.failoverTimeout);
        m.parallelSyncs = Number(kv.get("parallel-syncs") ?? m.parallelSyncs);
        const rename = kv.get("rename");
        if (rename !== undefined) {
          for (const pair of rename.split(",")) {
            const [from = "", to = ""] = pair.split(":");
            m.renamed[from] = to;
          }
        }
        return [];
      }
      case "replica": {
        const r = blank(parseAddr(kv.get("addr") ?? ""), this.now);
        r.masterHost = this.master.addr.host;
        r.masterPort = this.master.addr.port;
        r.runId = kv.get("runid") ?? null;
        r.replOffset = Number(kv.get("offset") ?? 0);
        r.priority = Number(kv.get("priority") ?? 100);
        this.replicas.push(r);
        return [];
      }
      case "set":
        this.set(pos, kv);
        return [];
      case "tick":
        return this.render(this.step({ type: "tick" }));
      case "elected":
      case "not-elected":
        return this.render(
          this.step({
            type: "election",
            epoch: Number(kv.get("epoch") ?? this.currentEpoch),
            elected: cmd === "elected",
          }),
        );
      case "info":
        return this.render(this.step({ type: "replica-info", replica: parseAddr(pos[0] ?? "") }));
      case "role": {
        const replica = parseAddr(pos[0] ?? "");
        const role = kv.get("role");
        const of = kv.get("master");
        const reply =
          role === "master"
            ? ({ role: "master" } as const)
            : {
                role: "slave" as const,
                masterHost: of === undefined ? "?" : parseAddr(of).host,
                masterPort: of === undefined ? 0 : parseAddr(of).port,
                linkUp: kv.get("link") === "up",
              };
        return this.render(this.step({ type: "role-reply", replica, reply }));
      }
      case "failover":
        return this.render(this.step({ type: "failover-command" }));
      default:
        throw new Error(`unknown directive ${cmd}`);
    }
  }

  private set(pos: string[], kv: Map<string, string>): void {
    const who = pos[0] ?? "";
    const target = who === "master" ? this.master : this.find(parseAddr(who));
    if (target === undefined) throw new Error(`no instance ${who}`);
    for (const [key, value] of kv) {
      switch (key) {
        case "t":
          break;
        case "sdown":
          target.sDown = value === "1";
          target.sDownSince = target.sDown ? this.now : target.sDownSince;
          break;
        case "sdown-since":
          target.sDownSince = Number(value);
          break;
        case "odown":
          if (target !== this.master) throw new Error("odown is for the master");
          this.master.oDown = value === "1";
          break;
        case "disconnected":
          target.disconnected = value === "1";
          break;
        case "role":
          if (value !== target.role) {
            target.role = value as ReportedRole;
            target.roleReportedTime = this.now;
            if (value === "slave") target.confChangeTime = this.now;
          }
          break;
        case "of": {
          const a = parseAddr(value);
          if (a.host !== target.masterHost || a.port !== target.masterPort) {
            target.masterHost = a.host;
            target.masterPort = a.port;
            target.confChangeTime = this.now;
          }
          break;
        }
        case "link":
          target.masterLinkUp = value === "up";
          break;
        case "link-down-ms":
          target.masterLinkDownTime = Number(value);
          break;
        case "priority":
          target.priority = Number(value);
          break;
        case "offset":
          target.replOffset = Number(value);
          break;
        case "info-age":
          target.infoAge = value === "fresh" ? null : Number(value);
          break;
        case "avail-age":
          target.availAge = value === "fresh" ? null : Number(value);
          break;
        case "tilt":
          this.tilt = value === "1";
          break;
        default:
          throw new Error(`unknown key ${key}`);
      }
    }
  }

  render(effects: readonly PlannerEffect[]): string[] {
    const lines = effects.map(renderEffect);
    lines.push(`phase ${this.state.phase}`);
    return lines;
  }
}

function blank(addr: Address, now: number): SimInstance {
  return {
    addr,
    runId: null,
    sDown: false,
    sDownSince: 0,
    disconnected: false,
    priority: 100,
    replOffset: 0,
    masterLinkDownTime: 0,
    role: "slave",
    roleReportedTime: now,
    masterHost: null,
    masterPort: 0,
    masterLinkUp: true,
    confChangeTime: now,
    infoAge: null,
    availAge: null,
  };
}

export function renderEffect(e: PlannerEffect): string {
  switch (e.kind) {
    case "event":
      return `${e.level} ${e.type} ${e.payload}`;
    case "send":
      return `send ${fmtAddr(e.to)} ${e.purpose}: ${e.commands.map((c) => c.join(" ")).join(" | ")}`;
    case "set-current-epoch":
      return `set-current-epoch ${e.epoch}`;
    case "ask-sentinels":
      return `ask-sentinels epoch=${e.epoch}`;
    case "set-config-epoch":
      return `set-config-epoch ${e.epoch}`;
    case "reset-master":
      return `reset-master ${fmtAddr(e.from)} -> ${fmtAddr(e.to)} replicas ${e.replicas.map(fmtAddr).join(" ")}`;
    case "persist":
      return "persist";
    case "client-reconfig-script":
      return `client-reconfig-script ${e.role} start ${fmtAddr(e.from)} -> ${fmtAddr(e.to)}`;
    case "force-hello":
      return "force-hello";
    case "reply":
      return e.reply.ok ? "reply +OK" : `reply -${e.reply.code} ${e.reply.message}`;
    case "wake":
      return `wake ${e.at}`;
  }
}
