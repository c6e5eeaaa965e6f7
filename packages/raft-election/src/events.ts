import type { Epoch, MasterName, SentinelId } from "./types.js";

/**
 * The Sentinel events the election emits, with Redis's names (SENTINEL-SPEC §3). All are
 * WARNING level in Redis: published on the channel of the same name, logged, and passed
 * to the master's notification script.
 */
export type ElectionEvent =
  | {
      /** `+new-epoch`: the current epoch went up; payload `<epoch>`. */
      readonly name: "+new-epoch";
      /** The master whose handling raised the epoch. */
      readonly master: MasterName;
      /** The new current epoch. */
      readonly epoch: Epoch;
    }
  | {
      /** `+vote-for-leader`: a vote was cast; payload `<runid> <epoch>`. */
      readonly name: "+vote-for-leader";
      /** The master the vote is about. */
      readonly master: MasterName;
      /** The Sentinel voted for. */
      readonly leader: SentinelId;
      /** The epoch of the vote. */
      readonly epoch: Epoch;
    }
  | {
      /** `+odown`: the quorum agrees the master is down; payload `<details> #quorum v/q`. */
      readonly name: "+odown";
      /** The master. */
      readonly master: MasterName;
      /** Sentinels reporting it down, this one included. */
      readonly votes: number;
      /** The configured quorum. */
      readonly quorum: number;
    }
  | {
      /** `-odown`: the master is no longer objectively down; payload `<details>`. */
      readonly name: "-odown";
      /** The master. */
      readonly master: MasterName;
    }
  | {
      /** `+try-failover`: a failover attempt (candidacy) started; payload `<details>`. */
      readonly name: "+try-failover";
      /** The master. */
      readonly master: MasterName;
      /** The failover epoch of the attempt. */
      readonly epoch: Epoch;
    }
  | {
      /** `+elected-leader`: this Sentinel won (or the failover is forced); payload `<details>`. */
      readonly name: "+elected-leader";
      /** The master. */
      readonly master: MasterName;
      /** The failover epoch this Sentinel leads. */
      readonly epoch: Epoch;
    }
  | {
      /** `-failover-abort-not-elected`: the candidacy timed out; payload `<details>`. */
      readonly name: "-failover-abort-not-elected";
      /** The master. */
      readonly master: MasterName;
      /** The failover epoch that was given up. */
      readonly epoch: Epoch;
    };

/** The names of {@link ElectionEvent}. */
export type ElectionEventName = ElectionEvent["name"];

/** The address part of Redis's `%@` instance details for a master. */
export interface MasterAddress {
  /** Master name. */
  readonly name: MasterName;
  /** Master ip (or hostname). */
  readonly ip: string;
  /** Master port. */
  readonly port: number;
}

/**
 * The message Redis publishes for `event` (the text after the channel name), e.g.
 * `master mymaster 127.0.0.1 6379 #quorum 2/2` for `+odown`. `+new-epoch` and
 * `+vote-for-leader` carry no instance details (`sentinelEvent(..., "%llu")`).
 */
export function formatEventMessage(event: ElectionEvent, master: MasterAddress): string {
  const details = `master ${master.name} ${master.ip} ${master.port}`;
  switch (event.name) {
    case "+new-epoch":
      return String(event.epoch);
    case "+vote-for-leader":
      return `${event.leader} ${event.epoch}`;
    case "+odown":
      return `${details} #quorum ${event.votes}/${event.quorum}`;
    case "-odown":
    case "+try-failover":
    case "+elected-leader":
    case "-failover-abort-not-elected":
      return details;
  }
}
