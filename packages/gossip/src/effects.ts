import type { Address } from "./address.js";
import type { SentinelEvent } from "./events.js";
import type { HelloDraft } from "./hello.js";

/** Whom a hello is published to: the master itself, one of its replicas, or a peer sentinel. */
export type PublishTarget =
  | {
      /** The master's own `PUBLISH`. */
      readonly kind: "master";
      /** Master name. */
      readonly master: string;
    }
  | {
      /** A replica's `PUBLISH`. */
      readonly kind: "replica";
      /** Name of the replica's master. */
      readonly master: string;
      /** The replica's address. */
      readonly address: Address;
    }
  | {
      /** A peer sentinel's `PUBLISH` command, on the link shared by all its masters. */
      readonly kind: "sentinel";
      /** The master the hello is about. */
      readonly master: string;
      /** The peer's runid, which names its link. */
      readonly runid: string;
    };

/** Why state must be written to disk (`sentinelFlushConfig`). */
export type PersistReason = "sentinels" | "current-epoch" | "master-config";

/**
 * What the caller must do, in order. A `persist` comes before anything that depends on
 * the persisted state (an adopted epoch is on disk before it is announced).
 */
export type GossipEffect =
  | {
      /** Write the sentinel's state (`sentinelFlushConfig`) before going on. */
      readonly type: "persist";
      /** What changed. */
      readonly reason: PersistReason;
    }
  | {
      /** Publish, log and script an event. */
      readonly type: "event";
      /** The event. */
      readonly event: SentinelEvent;
    }
  | {
      /** Open the command link to a peer sentinel; one link per runid, shared by all masters. */
      readonly type: "open-sentinel-link";
      /** The peer's runid. */
      readonly runid: string;
      /** Where it listens. */
      readonly address: Address;
    }
  | {
      /** Close the link to a peer sentinel. */
      readonly type: "close-sentinel-link";
      /** The peer's runid. */
      readonly runid: string;
    }
  | {
      /**
       * `sentinelResetMasterAndChangeAddress`: forget the master's replicas and failover
       * state, and monitor `to` with `replicas` (old replicas minus `to`, plus `from`).
       */
      readonly type: "reset-master";
      /** Master name. */
      readonly master: string;
      /** The old address. */
      readonly from: Address;
      /** The new address. */
      readonly to: Address;
      /** The replicas to monitor after the reset. */
      readonly replicas: readonly Address[];
    }
  | {
      /** Run the master's client-reconfig-script, if any, as an observer. */
      readonly type: "client-reconfig-script";
      /** Master name. */
      readonly master: string;
      /** Always `observer` here: the switch was learnt from a hello. */
      readonly role: "observer";
      /** Always `start`. */
      readonly state: "start";
      /** The old address. */
      readonly from: Address;
      /** The new address. */
      readonly to: Address;
    }
  | {
      /** `PUBLISH __sentinel__:hello <payload>` through the target's command link. */
      readonly type: "publish-hello";
      /** Where to publish. */
      readonly target: PublishTarget;
      /** The channel, `__sentinel__:hello`. */
      readonly channel: string;
      /** The hello; complete it with {@link helloPayload}. */
      readonly hello: HelloDraft;
    };
