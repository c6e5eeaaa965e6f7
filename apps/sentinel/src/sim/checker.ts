/** Which invariant a violation breaks. */
export type ViolationKind =
  | "double-vote"
  | "two-leaders"
  | "leader-without-majority"
  | "two-promotions"
  | "epoch-decreased"
  | "epoch-sent-unpersisted"
  | "no-convergence"
  | "not-one-master"
  | "liveness";

/** One broken invariant, with when and where. */
export interface Violation {
  /** The invariant. */
  readonly kind: ViolationKind;
  /** Simulated time, ms. */
  readonly at: number;
  /** What was seen. */
  readonly message: string;
}

/** One leader election won, as observed. */
export interface LeaderRecord {
  /** The master. */
  readonly master: string;
  /** The epoch. */
  readonly epoch: number;
  /** The leader's run id. */
  readonly leader: string;
  /** Votes for it in that epoch in every sentinel's record, when it won. */
  readonly votes: number;
  /** Votes it needed by its own count of voters: max(quorum, voters/2+1); 0 when forced. */
  readonly needed: number;
  /** `SENTINEL FAILOVER`: the sentinel leads without asking for votes, as Redis does. */
  readonly forced: boolean;
}

/**
 * The safety invariants, checked as the world runs (SPEC §4.8-§4.11): one vote per sentinel
 * per (master, epoch), hence at most one leader per (master, epoch); a leader holds a
 * majority of the votes; one promotion per config epoch; epochs never go down and are on
 * disk before they leave. Votes are read from every sentinel's election state after every
 * step and from every `is-master-down-by-addr` reply on the wire, so a voter that lies in
 * its replies is caught as well as one whose state is wrong.
 */
export class InvariantChecker {
  /** Everything found so far, in order. */
  readonly violations: Violation[] = [];
  /** Elections won, in order. */
  readonly leaders: LeaderRecord[] = [];
  /** Promotions seen by the instances (SLAVEOF NO ONE executed), in order. */
  readonly promotions: { readonly master: string; readonly epoch: number; readonly by: string; readonly instance: string; readonly at: number }[] = [];
  readonly #votes = new Map<string, string>();
  readonly #tally = new Map<string, Map<string, number>>();
  readonly #leaderOf = new Map<string, string>();
  readonly #promotionOf = new Map<string, { by: string; instance: string }>();
  readonly #epoch = new Map<string, number>();
  readonly #live = new Set<string>();
  readonly #persisted = new Map<string, number>();
  readonly #sent = new Map<string, number>();

  /** Records that `voter` voted for `candidate` in `epoch` for `master`. */
  vote(at: number, master: string, epoch: number, voter: string, candidate: string): void {
    if (epoch <= 0) return;
    const key = `${master}|${epoch}|${voter}`;
    const before = this.#votes.get(key);
    if (before === candidate) return;
    if (before !== undefined) {
      this.#add("double-vote", at, `${short(voter)} voted for ${short(before)} and ${short(candidate)} in epoch ${epoch} (${master})`);
      return;
    }
    this.#votes.set(key, candidate);
    const round = `${master}|${epoch}`;
    const tally = this.#tally.get(round) ?? new Map<string, number>();
    tally.set(candidate, (tally.get(candidate) ?? 0) + 1);
    this.#tally.set(round, tally);
  }

  /**
   * Records `+elected-leader` by `leader`, who counted `voters` sentinels with quorum
   * `quorum`. A `forced` failover (`SENTINEL FAILOVER`) needs no votes: Redis's
   * sentinelFailoverWaitStart goes on with SRI_FORCE_FAILOVER without being elected; it
   * still may not share its epoch with another leader.
   */
  elected(at: number, master: string, epoch: number, leader: string, voters: number, quorum: number, forced = false): void {
    const round = `${master}|${epoch}`;
    const votes = this.#tally.get(round)?.get(leader) ?? 0;
    const needed = forced ? 0 : Math.max(quorum, Math.floor(voters / 2) + 1);
    this.leaders.push({ master, epoch, leader, votes, needed, forced });
    const other = this.#leaderOf.get(round);
    if (other !== undefined && other !== leader) {
      this.#add("two-leaders", at, `${short(other)} and ${short(leader)} both elected leader of ${master} in epoch ${epoch}`);
    }
    this.#leaderOf.set(round, leader);
    if (votes < needed) {
      this.#add("leader-without-majority", at, `${short(leader)} elected for ${master} in epoch ${epoch} with ${votes} recorded votes, needs ${needed}`);
    }
  }

  /** Records that `by` promoted `instance` (SLAVEOF NO ONE executed) in its failover epoch. */
  promoted(at: number, master: string, epoch: number, by: string, instance: string): void {
    this.promotions.push({ master, epoch, by, instance, at });
    const round = `${master}|${epoch}`;
    const before = this.#promotionOf.get(round);
    if (before !== undefined && (before.by !== by || before.instance !== instance)) {
      this.#add("two-promotions", at, `epoch ${epoch} of ${master}: ${short(before.by)} promoted ${before.instance}, ${short(by)} promoted ${instance}`);
    }
    this.#promotionOf.set(round, { by, instance });
  }

  /** A sentinel's current epoch after a step: never below what it announced, never down while it runs. */
  epoch(at: number, sentinel: string, epoch: number): void {
    const before = this.#epoch.get(sentinel) ?? 0;
    const sent = this.#sent.get(sentinel) ?? 0;
    if (epoch < before && epoch < sent) {
      this.#add("epoch-decreased", at, `${short(sentinel)} went from epoch ${Math.max(before, sent)} (announced) to ${epoch}`);
    } else if (epoch < before && this.#live.has(sentinel)) {
      this.#add("epoch-decreased", at, `${short(sentinel)} went from epoch ${before} to ${epoch} while running`);
    }
    this.#epoch.set(sentinel, epoch);
    this.#live.add(sentinel);
  }

  /** The sentinel crashed: its in-memory epoch may be lost, only what it announced counts. */
  crashed(sentinel: string): void {
    this.#live.delete(sentinel);
  }

  /** A sentinel saved its config with this current epoch. */
  persisted(sentinel: string, epoch: number): void {
    this.#persisted.set(sentinel, epoch);
  }

  /** A message leaving `sentinel` carries `epoch`: it must be on disk already. */
  sent(at: number, sentinel: string, epoch: number, what: string): void {
    const saved = this.#persisted.get(sentinel) ?? 0;
    if (epoch > saved) this.#add("epoch-sent-unpersisted", at, `${short(sentinel)} sent ${what} with epoch ${epoch}, saved epoch is ${saved}`);
    if (epoch > (this.#sent.get(sentinel) ?? 0)) this.#sent.set(sentinel, epoch);
  }

  /** A violation found outside the step checks (convergence, liveness). */
  report(kind: ViolationKind, at: number, message: string): void {
    this.#add(kind, at, message);
  }

  #add(kind: ViolationKind, at: number, message: string): void {
    this.violations.push({ kind, at, message });
  }
}

function short(runid: string): string {
  return runid.slice(0, 8);
}
