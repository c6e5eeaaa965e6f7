import type { Address } from "./address.js";

/** A replica as `SENTINEL REPLICAS` reports it (SPEC §1.3), after address translation. */
export interface ReplicaInfo {
  /** Where to connect. */
  readonly address: Address;
  /** The `flags` field, split. */
  readonly flags: ReadonlySet<string>;
  /** `slave-priority` (0 = never promoted; still readable). */
  readonly priority: number;
  /** `slave-repl-offset`: how far it has replicated. */
  readonly replOffset: number;
  /** `master-link-status` is `ok`. */
  readonly linkOk: boolean;
}

/** Flags that make a replica unusable (ioredis, go-redis; SPEC §5.2 "Read-only routing"). */
export const UNUSABLE_REPLICA_FLAGS: readonly string[] = ["s_down", "o_down", "disconnected"];

/**
 * Picks among usable replicas, in their reported order; returning `undefined` lets the
 * default (random) choice decide.
 */
export type ReplicaPreference = (candidates: readonly ReplicaInfo[]) => ReplicaInfo | undefined;

/** How to pick a replica. */
export interface ReplicaPolicy {
  /** Preference hook, applied to the usable replicas before the random pick. */
  readonly prefer?: ReplicaPreference;
  /** Use the master when no replica is usable (redis-py, go-redis; ioredis#131). */
  readonly fallbackToMaster?: boolean;
}

/** The outcome of {@link selectReplica}. */
export type ReplicaChoice =
  | {
      /** A replica, or the master as a fallback. */
      readonly kind: "replica" | "master";
      /** Where to connect. */
      readonly address: Address;
    }
  | {
      /** Nothing usable. */
      readonly kind: "none";
      /** Why each replica was rejected, as `host:port flags`. */
      readonly rejected: readonly string[];
    };

/** Whether a replica may serve reads: none of {@link UNUSABLE_REPLICA_FLAGS}. */
export function replicaUsable(replica: ReplicaInfo): boolean {
  return !UNUSABLE_REPLICA_FLAGS.some((flag) => replica.flags.has(flag));
}

/**
 * Chooses a replica (SPEC §5.1 step 5, §5.3): drops s_down, o_down and disconnected ones,
 * asks the preference hook, otherwise picks `candidates[floor(random * n)]`; with none
 * usable, falls back to `master` when the policy allows and a master is known.
 * `random` is a number in [0, 1) supplied by the caller so the choice stays testable.
 */
export function selectReplica(
  replicas: readonly ReplicaInfo[],
  policy: ReplicaPolicy,
  random: number,
  master: Address | undefined,
): ReplicaChoice {
  const candidates = replicas.filter(replicaUsable);
  if (candidates.length > 0) {
    const preferred = policy.prefer?.(candidates);
    const index = Math.min(candidates.length - 1, Math.max(0, Math.floor(random * candidates.length)));
    return { kind: "replica", address: (preferred ?? candidates[index]!).address };
  }
  if (policy.fallbackToMaster && master !== undefined) return { kind: "master", address: master };
  return {
    kind: "none",
    rejected: replicas.map((r) => `${r.address.host}:${r.address.port} ${[...r.flags].join(",")}`),
  };
}
