import type { CommandArgs } from "./commands.js";
import type { EventLevel, PlannerEventType } from "./events.js";
import type { Address } from "./types.js";

/** Why the planner sends commands to an instance. */
export type SendPurpose =
  | "promote"
  | "reconf"
  | "reconf-best-effort"
  | "convert-to-slave"
  | "fix-slave-config"
  | "probe-role";

/**
 * What the caller must do after a step, in the order given. Persist effects come before
 * the events and sends that depend on them.
 */
export type PlannerEffect =
  | {
      /** Publish a Sentinel event on the channel `type`, and log it. */
      readonly kind: "event";
      /** The event name, which is also the pub/sub channel. */
      readonly type: PlannerEventType;
      /** The log level: warning events also run the notification script. */
      readonly level: EventLevel;
      /** The message text, exactly as Redis formats it. */
      readonly payload: string;
    }
  | {
      /** Send these commands, in order, on the command link of the instance at `to`; replies are not awaited except ROLE probes. */
      readonly kind: "send";
      /** The instance. */
      readonly to: Address;
      /** Why (for logs and metrics). */
      readonly purpose: SendPurpose;
      /** The commands, names already renamed. */
      readonly commands: readonly CommandArgs[];
    }
  | {
      /** Set Sentinel's current epoch to `epoch` (a failover attempt took the next epoch). */
      readonly kind: "set-current-epoch";
      /** The new current epoch. */
      readonly epoch: number;
    }
  | {
      /** Ask every other sentinel `SENTINEL is-master-down-by-addr` now, with our run id, for `epoch` (`SENTINEL_ASK_FORCED`). */
      readonly kind: "ask-sentinels";
      /** The epoch of the election. */
      readonly epoch: number;
    }
  | {
      /** Set the master's config epoch: the promotion is confirmed and this configuration now wins. */
      readonly kind: "set-config-epoch";
      /** The failover epoch. */
      readonly epoch: number;
    }
  | {
      /** Reset the master to its new address (`sentinelResetMasterAndChangeAddress`): keep the sentinels, replace the replicas. */
      readonly kind: "reset-master";
      /** The old master address. */
      readonly from: Address;
      /** The new master address. */
      readonly to: Address;
      /** The replicas of the new master, the old master included. */
      readonly replicas: readonly Address[];
    }
  | {
      /** Write the configuration file (`sentinelFlushConfig`). */
      readonly kind: "persist";
    }
  | {
      /** Run the master's client-reconfig-script, if one is set, with `<name> leader start <from> <to>`. */
      readonly kind: "client-reconfig-script";
      /** Always `leader` here; observers call it from the gossip side. */
      readonly role: "leader";
      /** The old master address. */
      readonly from: Address;
      /** The promoted replica's address. */
      readonly to: Address;
    }
  | {
      /** Send the next hello for this master at once (`sentinelForceHelloUpdateForMaster`). */
      readonly kind: "force-hello";
    }
  | {
      /** The reply to `SENTINEL FAILOVER`. */
      readonly kind: "reply";
      /** The outcome. */
      readonly reply: FailoverCommandReply;
    }
  | {
      /** Step the planner again (with a `tick`) at `at` ms; time-based decisions change then. */
      readonly kind: "wake";
      /** Absolute time, ms. */
      readonly at: number;
    };

/** `SENTINEL FAILOVER`'s reply: `+OK`, `-INPROG …` or `-NOGOODSLAVE …`. */
export type FailoverCommandReply =
  | {
      /** The failover started. */
      readonly ok: true;
    }
  | {
      /** It did not. */
      readonly ok: false;
      /** The error code (the first word of the error reply). */
      readonly code: "INPROG" | "NOGOODSLAVE";
      /** The rest of the error reply. */
      readonly message: string;
    };
