import type { ElectionEvent } from "./events.js";
import type { IsMasterDownReply, IsMasterDownRequest } from "./messages.js";
import type { Epoch, MasterName, SentinelId } from "./types.js";

/** One master's durable election state: Redis writes `sentinel leader-epoch <name> <epoch>`. */
export interface PersistedVote {
  /** The master. */
  readonly master: MasterName;
  /** The last vote cast for this master, or `null` (Redis does not write the run id itself). */
  readonly leader: SentinelId | null;
  /** The epoch of the last vote: no second vote can be cast in it or below it. */
  readonly leaderEpoch: Epoch;
}

/** Everything the election needs on disk to keep "one vote per epoch" across restarts. */
export interface PersistentElectionState {
  /** `sentinel current-epoch`. */
  readonly currentEpoch: Epoch;
  /** The vote of every master, in the order the masters were added. */
  readonly votes: readonly PersistedVote[];
}

/**
 * Write this state durably (Redis: `sentinelFlushConfig`, a config rewrite with fsync).
 *
 * When present it is always the first effect of a step, and there is at most one. The
 * caller MUST finish it before carrying out any later effect of the same step: a reply
 * carrying a vote, a request carrying a new epoch, or an event announcing either must not
 * leave the process before the state that backs it is on disk (etcd-io/raft `Ready`:
 * persist HardState before sending messages). If the write fails, drop the later effects.
 */
export interface PersistEffect {
  /** Discriminant. */
  readonly type: "persist";
  /** The whole durable state after the step. */
  readonly snapshot: PersistentElectionState;
}

/** Send `SENTINEL is-master-down-by-addr` to a peer Sentinel and feed its reply back. */
export interface AskEffect {
  /** Discriminant. */
  readonly type: "ask";
  /** The peer to ask. */
  readonly to: SentinelId;
  /** The master the question is about (to route the reply back). */
  readonly master: MasterName;
  /** The request; {@link isMasterDownCommand} gives its argument vector. */
  readonly request: IsMasterDownRequest;
}

/** Answer an `is-master-down-by-addr` request (after any earlier persist completed). */
export interface ReplyEffect {
  /** Discriminant. */
  readonly type: "reply";
  /** The caller's correlation token, echoed from the request. */
  readonly replyTo: string;
  /** The 3-element answer. */
  readonly reply: IsMasterDownReply;
}

/** Publish and log a Sentinel event (all election events are WARNING level). */
export interface EventEffect {
  /** Discriminant. */
  readonly type: "event";
  /** Redis level of the event. */
  readonly level: "warning";
  /** The structured event. */
  readonly event: ElectionEvent;
  /** The published message text, exactly as Redis formats it. */
  readonly message: string;
}

/**
 * The master is ODOWN but the last attempt started less than 2 x failover-timeout ago.
 * Emitted once per attempt; Redis logs "Next failover delay: I will not start a failover
 * before <ctime of notBefore>".
 */
export interface FailoverDelayedEffect {
  /** Discriminant. */
  readonly type: "failover-delayed";
  /** The master. */
  readonly master: MasterName;
  /** Epoch ms before which no new attempt starts. */
  readonly notBefore: number;
}

/**
 * Call {@link tick} again no later than `at` (ms): the earliest deadline the state holds
 * (an election timeout, a reply expiry, the retry gate reopening, the next ask). Redis
 * simply runs its timer 10 to 19 times a second; calling `tick` more often is harmless.
 */
export interface WakeEffect {
  /** Discriminant. */
  readonly type: "wake";
  /** Epoch ms. */
  readonly at: number;
}

/** Everything a step can ask the caller to do, in the order it must be done. */
export type ElectionEffect =
  | PersistEffect
  | AskEffect
  | ReplyEffect
  | EventEffect
  | FailoverDelayedEffect
  | WakeEffect;
