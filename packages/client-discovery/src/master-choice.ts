import { formatAddress, type Address } from "./address.js";

/** One sentinel's view of the master, as gathered by a resolution. */
export type MasterAnswer =
  | {
      /** The sentinel replied with an address. */
      readonly kind: "address";
      /** The sentinel asked. */
      readonly sentinel: Address;
      /** GET-MASTER-ADDR-BY-NAME's answer, after address translation. */
      readonly address: Address;
      /** `config-epoch` of SENTINEL MASTER, when it was asked (cross-check, minOtherSentinels). */
      readonly configEpoch?: number;
      /** `num-other-sentinels` of SENTINEL MASTER, when it was asked. */
      readonly otherSentinels?: number;
    }
  | {
      /** The sentinel replied null: it does not monitor this name. */
      readonly kind: "unknown-master";
      /** The sentinel asked. */
      readonly sentinel: Address;
    }
  | {
      /** No connection, timeout, or an error reply. */
      readonly kind: "unreachable" | "error";
      /** The sentinel asked. */
      readonly sentinel: Address;
      /** Why. */
      readonly message: string;
    };

/** How many sentinels must back an address before it is trusted. */
export interface MasterTrustPolicy {
  /**
   * Cross-check: ask every sentinel, keep the address reported at the highest
   * `config-epoch`, and require at least this many sentinels to report that same address
   * at that epoch. `undefined` follows S5: the first sentinel that answers wins.
   */
  readonly minAgreeing?: number;
  /**
   * Ignore an answer from a sentinel that sees fewer than this many other sentinels
   * (redis-py's `min_other_sentinels`): an isolated sentinel cannot have taken part in the
   * latest failover. 0 or `undefined` accepts every answer.
   */
  readonly minOtherSentinels?: number;
}

/** The outcome of {@link chooseMaster}. */
export type MasterChoice =
  | {
      /** An address is trusted. */
      readonly kind: "master";
      /** The master to connect to. */
      readonly address: Address;
      /** The highest config epoch seen for it, when epochs were asked. */
      readonly configEpoch: number | undefined;
      /** The sentinels that reported it (at that epoch, under cross-check). */
      readonly agreeing: readonly Address[];
    }
  | {
      /** No sentinel answered at all. */
      readonly kind: "unreachable";
    }
  | {
      /** Sentinels answered, and every one that answered said null. */
      readonly kind: "unknown-master";
    }
  | {
      /** Addresses came back, but not with enough agreement (or all from isolated sentinels). */
      readonly kind: "no-agreement";
    };

/** Whether the answers gathered so far are enough to stop asking further sentinels. */
export function answerIsFinal(answer: MasterAnswer, policy: MasterTrustPolicy): boolean {
  return policy.minAgreeing === undefined && usable(answer, policy);
}

function usable(answer: MasterAnswer, policy: MasterTrustPolicy): answer is Extract<MasterAnswer, { kind: "address" }> {
  if (answer.kind !== "address") return false;
  const min = policy.minOtherSentinels ?? 0;
  return min <= 0 || (answer.otherSentinels ?? 0) >= min;
}

/**
 * Picks the master from the sentinels' answers (SPEC §5.1 step 2, §5.3 "cross-check
 * config-epoch"). Without `minAgreeing`, the first usable answer in list order wins, as S5
 * prescribes. With it, the highest config epoch wins, so a partitioned sentinel that
 * missed a failover (its epoch is older) cannot send writes to the old master, and the
 * winner needs `minAgreeing` sentinels behind it.
 */
export function chooseMaster(answers: readonly MasterAnswer[], policy: MasterTrustPolicy): MasterChoice {
  const replies = answers.filter((a) => a.kind === "address" || a.kind === "unknown-master");
  if (replies.length === 0) return { kind: "unreachable" };
  const candidates = answers.filter((a) => usable(a, policy));
  if (candidates.length === 0) {
    return answers.some((a) => a.kind === "address") ? { kind: "no-agreement" } : { kind: "unknown-master" };
  }
  if (policy.minAgreeing === undefined) {
    const first = candidates[0]!;
    return { kind: "master", address: first.address, configEpoch: first.configEpoch, agreeing: [first.sentinel] };
  }
  const groups = new Map<string, { epoch: number; address: Address; sentinels: Address[] }>();
  for (const answer of candidates) {
    const epoch = answer.configEpoch ?? -1;
    const key = `${epoch} ${formatAddress(answer.address)}`;
    const group = groups.get(key) ?? { epoch, address: answer.address, sentinels: [] };
    group.sentinels.push(answer.sentinel);
    groups.set(key, group);
  }
  const ranked = [...groups.values()].sort((a, b) => b.epoch - a.epoch || b.sentinels.length - a.sentinels.length);
  const best = ranked[0]!;
  const rival = ranked[1];
  const tied = rival !== undefined && rival.epoch === best.epoch && rival.sentinels.length === best.sentinels.length;
  if (tied || best.sentinels.length < policy.minAgreeing) return { kind: "no-agreement" };
  return {
    kind: "master",
    address: best.address,
    configEpoch: best.epoch < 0 ? undefined : best.epoch,
    agreeing: best.sentinels,
  };
}
