/**
 * Replays scenario scripts against one Sentinel's election state. Run ids are written as
 * one capital letter (A is "111...1", B "222...2", ...), and printed back the same way.
 */
import {
  addMaster,
  createElectionState,
  endFailover,
  forceFailover,
  handleIsMasterDownRequest,
  observeEpoch,
  receiveIsMasterDownReply,
  resetMaster,
  restoreElectionState,
  setPeerConnected,
  setSubjectiveDown,
  setTilt,
  tick,
  toSentinelId,
  type ElectionEffect,
  type ElectionState,
  type ElectionStep,
  type MasterConfig,
  type PersistentElectionState,
  type SentinelId,
} from "../../src/index.js";

const ALIASES = "ABCDEFGHIJKLMNO";

export function idOf(alias: string): SentinelId {
  const i = ALIASES.indexOf(alias);
  if (alias.length !== 1 || i < 0) throw new Error(`unknown sentinel alias ${alias}`);
  return toSentinelId((i + 1).toString(16).repeat(40));
}

export function aliasOf(id: string): string {
  const i = parseInt(id.slice(0, 1), 16) - 1;
  const alias = ALIASES[i];
  return alias !== undefined && idOf(alias) === id ? alias : id;
}

function unalias(text: string): string {
  return text.replace(/\b([0-9a-f])\1{39}\b/g, (m) => aliasOf(m));
}

function args(parts: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of parts) {
    const eq = p.indexOf("=");
    if (eq < 0) m.set(p, "");
    else m.set(p.slice(0, eq), p.slice(eq + 1));
  }
  return m;
}

function need(a: Map<string, string>, key: string): string {
  const v = a.get(key);
  if (v === undefined) throw new Error(`missing ${key}=`);
  return v;
}

function num(a: Map<string, string>, key: string, fallback?: number): number {
  const v = a.get(key);
  if (v === undefined) {
    if (fallback === undefined) throw new Error(`missing ${key}=`);
    return fallback;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${key}= is not a number: ${v}`);
  return n;
}

export function formatEffect(e: ElectionEffect): string {
  switch (e.type) {
    case "persist":
      return `persist epoch=${e.snapshot.currentEpoch} votes=${e.snapshot.votes
        .map((v) => `${v.master}:${v.leader === null ? "*" : aliasOf(v.leader)}@${v.leaderEpoch}`)
        .join(",")}`;
    case "event":
      return `event ${e.event.name} ${unalias(e.message)}`;
    case "ask":
      return `ask ${aliasOf(e.to)}: SENTINEL is-master-down-by-addr ${e.request.ip} ${e.request.port} ${e.request.epoch} ${e.request.runId === "*" ? "*" : aliasOf(e.request.runId)}`;
    case "reply":
      return `reply ${e.replyTo}: ${e.reply.down ? 1 : 0} ${e.reply.leader === null ? "*" : aliasOf(e.reply.leader)} ${e.reply.leaderEpoch}`;
    case "failover-delayed":
      return `failover-delayed ${e.master} not-before=${e.notBefore}`;
    case "wake":
      return `wake ${e.at}`;
  }
}

function formatState(s: ElectionState): string {
  const out = [`epoch=${s.currentEpoch} tilt=${s.tilt ? 1 : 0}`];
  for (const m of s.masters.values()) {
    const f = m.failover === null ? "none" : `${m.failover.phase}@${m.failover.epoch}${m.failover.forced ? " forced" : ""}`;
    out.push(
      `${m.name}: vote=${m.leader === null ? "*" : aliasOf(m.leader)}@${m.leaderEpoch} sdown=${m.sdown ? 1 : 0} odown=${m.odown ? 1 : 0} failover=${f} start=${m.failoverStartTime}`,
    );
    for (const p of m.peers.values()) {
      out.push(
        `  ${aliasOf(p.id)}: down=${p.masterDown ? 1 : 0} vote=${p.leader === null ? "*" : aliasOf(p.leader)}@${p.leaderEpoch} last-reply=${p.lastReplyTime}${p.connected ? "" : " disconnected"}`,
      );
    }
  }
  return out.join("\n");
}

/** One scripted Sentinel. `run` executes one command line and returns its output. */
export class ScenarioNode {
  private state: ElectionState | null = null;
  private myId: SentinelId | null = null;
  private configs: MasterConfig[] = [];
  private persisted: PersistentElectionState | null = null;

  private get s(): ElectionState {
    if (this.state === null) throw new Error("run init first");
    return this.state;
  }

  private apply(step: ElectionStep): string {
    this.state = step.state;
    const first = step.effects[0];
    if (first !== undefined && first.type === "persist") this.persisted = first.snapshot;
    return step.effects.map(formatEffect).join("\n");
  }

  run(line: string): string {
    const [cmd = "", ...rest] = line.trim().split(/\s+/);
    const a = args(rest);
    const random = (bound: number): number => num(a, "rand", 0) % bound;
    try {
      switch (cmd) {
        case "init": {
          this.myId = idOf(need(a, "me"));
          this.state = createElectionState({
            myId: this.myId,
            currentEpoch: num(a, "epoch", 0),
            timings: {
              ...(a.has("ask-period") ? { askPeriodMs: num(a, "ask-period") } : {}),
              ...(a.has("election-timeout") ? { electionTimeoutMs: num(a, "election-timeout") } : {}),
            },
          });
          return "";
        }
        case "master": {
          const [ip = "", port = ""] = need(a, "addr").split(/:(?=\d+$)/);
          const peers = (a.get("peers") ?? "").split(",").filter((x) => x !== "").map(idOf);
          const config: MasterConfig = {
            name: need(a, "name"),
            ip,
            port: Number(port),
            quorum: num(a, "quorum"),
            failoverTimeoutMs: num(a, "failover-timeout", 180_000),
            leaderEpoch: num(a, "leader-epoch", 0),
            peers,
          };
          this.configs.push(config);
          this.state = addMaster(this.s, config);
          return "";
        }
        case "sdown":
          this.state = setSubjectiveDown(this.s, need(a, "master"), num(a, "down", 1) === 1);
          return "";
        case "tilt":
          this.state = setTilt(this.s, rest[0] === "on");
          return "";
        case "link":
          this.state = setPeerConnected(this.s, need(a, "master"), idOf(need(a, "peer")), a.has("up"));
          return "";
        case "tick":
          return this.apply(tick(this.s, num(a, "now"), random));
        case "request": {
          const [ip = "", port = ""] = need(a, "addr").split(/:(?=\d+$)/);
          const runid = need(a, "runid");
          return this.apply(
            handleIsMasterDownRequest(
              this.s,
              { ip, port: Number(port), epoch: num(a, "epoch"), runId: runid === "*" ? "*" : idOf(runid) },
              a.get("id") ?? "r",
              num(a, "now"),
              random,
            ),
          );
        }
        case "reply": {
          const leader = need(a, "leader");
          this.state = receiveIsMasterDownReply(
            this.s,
            need(a, "master"),
            idOf(need(a, "from")),
            { down: num(a, "down") === 1, leader: leader === "*" ? null : idOf(leader), leaderEpoch: num(a, "epoch") },
            num(a, "now"),
          );
          return "";
        }
        case "hello":
          return this.apply(observeEpoch(this.s, num(a, "epoch"), need(a, "master")));
        case "force":
          return this.apply(forceFailover(this.s, need(a, "master"), num(a, "now"), random));
        case "end-failover":
          this.state = endFailover(this.s, need(a, "master"));
          return "";
        case "reset":
          this.state = resetMaster(this.s, need(a, "master"), { keepPeers: a.has("keep-peers") });
          return "";
        case "restart": {
          if (this.myId === null) throw new Error("run init first");
          const snapshot = this.persisted ?? { currentEpoch: 0, votes: [] };
          this.state = restoreElectionState({ myId: this.myId, masters: this.configs, timings: this.s.timings }, snapshot);
          return formatState(this.s);
        }
        case "state":
          return formatState(this.s);
        default:
          throw new Error(`unknown command ${cmd}`);
      }
    } catch (e) {
      if (e instanceof Error && e.name !== "Error") return `error ${e.name}: ${e.message}`;
      throw e;
    }
  }
}
