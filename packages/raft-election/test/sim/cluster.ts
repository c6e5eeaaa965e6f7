/**
 * An in-memory cluster of Sentinels running the election against one master that is down
 * for all of them. Message delay and loss, timer jitter, crashes and hello gossip are all
 * drawn from one seeded PRNG. Each node carries out its effects in order, completing the
 * persist first; a crashed node comes back from its last completed persist only.
 */
import {
  createElectionState,
  endFailover,
  handleIsMasterDownRequest,
  nextTimerHz,
  observeEpoch,
  receiveIsMasterDownReply,
  restoreElectionState,
  setSubjectiveDown,
  tick,
  toSentinelId,
  type ElectionState,
  type ElectionStep,
  type IsMasterDownReply,
  type IsMasterDownRequest,
  type MasterConfig,
  type PersistentElectionState,
  type SentinelId,
} from "../../src/index.js";
import { Prng } from "./prng.js";

export interface ClusterOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly quorum: number;
  /** failover-timeout, ms. */
  readonly failoverTimeoutMs: number;
  /** Simulated duration, ms. */
  readonly durationMs: number;
  /** Probability that a message is lost. */
  readonly loss: number;
  /** Messages take 0 to this many ms. */
  readonly maxDelayMs: number;
  /** Probability, per timer tick, that a node crashes (down for 0-3 s). */
  readonly crash: number;
  /** A leader finishes its failover after this long (then may run again 2 x timeout later). */
  readonly leaderHoldMs: number;
}

export interface ClusterResult {
  /** Sentinels that announced `+elected-leader`, by failover epoch. */
  readonly leadersByEpoch: ReadonlyMap<number, ReadonlySet<SentinelId>>;
  /** Every vote announced (`+vote-for-leader`), as "voter epoch -> leader". */
  readonly votes: ReadonlyMap<string, SentinelId>;
  /** Votes that contradicted an earlier vote of the same voter in the same epoch. */
  readonly doubleVotes: number;
  /** Effects carried out before the persist of their step completed. */
  readonly orderViolations: number;
  /** Highest epoch reached. */
  readonly maxEpoch: number;
  /** Time of the first election, or null. */
  readonly firstElectionAt: number | null;
}

type Message =
  | { kind: "ask"; at: number; from: number; to: number; request: IsMasterDownRequest }
  | { kind: "reply"; at: number; from: number; to: number; reply: IsMasterDownReply }
  | { kind: "hello"; at: number; from: number; to: number; epoch: number };

interface Node {
  readonly index: number;
  readonly id: SentinelId;
  state: ElectionState;
  persisted: PersistentElectionState | null;
  up: boolean;
  restartAt: number;
  nextTickAt: number;
  nextHelloAt: number;
  electedAt: number | null;
}

const MASTER = "mymaster";

export function nodeId(i: number): SentinelId {
  return toSentinelId((i + 1).toString(16).padStart(2, "0").repeat(20));
}

export function runCluster(o: ClusterOptions): ClusterResult {
  const rng = new Prng(o.seed);
  const random = (bound: number): number => rng.int(bound);
  const ids = Array.from({ length: o.nodes }, (_, i) => nodeId(i));
  const config = (me: number): MasterConfig => ({
    name: MASTER,
    ip: "127.0.0.1",
    port: 6379,
    quorum: o.quorum,
    failoverTimeoutMs: o.failoverTimeoutMs,
    peers: ids.filter((_, j) => j !== me),
  });
  const fresh = (i: number, persisted: PersistentElectionState | null): ElectionState => {
    const id = ids[i] as SentinelId;
    const s =
      persisted === null
        ? createElectionState({ myId: id, masters: [config(i)] })
        : restoreElectionState({ myId: id, masters: [config(i)] }, persisted);
    return setSubjectiveDown(s, MASTER, true);
  };
  const nodes: Node[] = ids.map((id, i) => ({
    index: i,
    id,
    state: fresh(i, null),
    persisted: null,
    up: true,
    restartAt: 0,
    nextTickAt: rng.int(100),
    nextHelloAt: rng.int(2000),
    electedAt: null,
  }));
  const queue: Message[] = [];
  const leadersByEpoch = new Map<number, Set<SentinelId>>();
  const votes = new Map<string, SentinelId>();
  let doubleVotes = 0;
  let orderViolations = 0;
  let firstElectionAt: number | null = null;

  const send = (m: Message): void => {
    if (!rng.chance(o.loss)) queue.push(m);
  };
  const delay = (): number => rng.int(o.maxDelayMs + 1);

  const carryOut = (n: Node, step: ElectionStep, now: number): void => {
    n.state = step.state;
    step.effects.forEach((e, k) => {
      if (e.type === "persist") {
        if (k !== 0) orderViolations++;
        n.persisted = e.snapshot;
        return;
      }
      const needsPersist = e.type === "reply" || e.type === "ask" || e.type === "event";
      if (needsPersist && n.persisted !== null && n.persisted.currentEpoch < n.state.currentEpoch) orderViolations++;
      switch (e.type) {
        case "ask": {
          const to = ids.indexOf(e.to);
          send({ kind: "ask", at: now + delay(), from: n.index, to, request: e.request });
          break;
        }
        case "reply":
          send({ kind: "reply", at: now + delay(), from: n.index, to: Number(e.replyTo), reply: e.reply });
          break;
        case "event":
          if (e.event.name === "+vote-for-leader") {
            const key = `${n.id} ${e.event.epoch}`;
            const before = votes.get(key);
            if (before !== undefined && before !== e.event.leader) doubleVotes++;
            votes.set(key, e.event.leader);
          } else if (e.event.name === "+elected-leader") {
            const set = leadersByEpoch.get(e.event.epoch) ?? new Set<SentinelId>();
            set.add(n.id);
            leadersByEpoch.set(e.event.epoch, set);
            n.electedAt = now;
            firstElectionAt ??= now;
          }
          break;
        default:
          break;
      }
    });
  };

  let now = 0;
  while (now <= o.durationMs) {
    // Deliver everything due now, in time order.
    queue.sort((a, b) => a.at - b.at);
    while (queue.length > 0 && (queue[0]?.at ?? Infinity) <= now) {
      const m = queue.shift() as Message;
      const n = nodes[m.to] as Node;
      if (!n.up) continue;
      if (m.kind === "ask") {
        carryOut(n, handleIsMasterDownRequest(n.state, m.request, String(m.from), now, random), now);
      } else if (m.kind === "reply") {
        n.state = receiveIsMasterDownReply(n.state, MASTER, ids[m.from] as SentinelId, m.reply, now);
      } else {
        carryOut(n, observeEpoch(n.state, m.epoch, MASTER), now);
      }
    }
    for (const n of nodes) {
      if (!n.up) {
        if (n.restartAt <= now) {
          n.up = true;
          n.state = fresh(n.index, n.persisted);
          n.nextTickAt = now;
        }
        continue;
      }
      if (n.nextHelloAt <= now) {
        for (const peer of nodes) {
          if (peer !== n) send({ kind: "hello", at: now + delay(), from: n.index, to: peer.index, epoch: n.state.currentEpoch });
        }
        n.nextHelloAt = now + 2000;
      }
      if (n.nextTickAt <= now) {
        if (rng.chance(o.crash)) {
          n.up = false;
          n.restartAt = now + rng.int(3000);
          n.electedAt = null;
          continue;
        }
        if (n.electedAt !== null && now - n.electedAt >= o.leaderHoldMs) {
          n.state = endFailover(n.state, MASTER);
          n.electedAt = null;
        }
        carryOut(n, tick(n.state, now, random), now);
        n.nextTickAt = now + Math.floor(1000 / nextTimerHz(random));
      }
    }
    let next = Infinity;
    for (const m of queue) next = Math.min(next, m.at);
    for (const n of nodes) next = Math.min(next, n.up ? Math.min(n.nextTickAt, n.nextHelloAt) : n.restartAt);
    now = Math.max(now + 1, next);
  }
  let maxEpoch = 0;
  for (const n of nodes) maxEpoch = Math.max(maxEpoch, n.state.currentEpoch);
  return { leadersByEpoch, votes, doubleVotes, orderViolations, maxEpoch, firstElectionAt };
}
