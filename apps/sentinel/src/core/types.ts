import type { SentinelConfig } from "@sentinel-kit/config-store";
import type { Address, HelloDraft, PublishTarget } from "@sentinel-kit/gossip";
import type { ConnectionKind, PingReply } from "@sentinel-kit/health-monitor";
import type { ActionResult, DebugTimings, GlobalConfigChange, IsMasterDownReply, MasterOptionChange } from "../commands/view.js";

/**
 * A link the core asked the runtime to create. Numbers are never reused, so a reply that
 * arrives on a link the core has since destroyed (after a switch, say) is recognised and dropped.
 */
export type LinkId = number;

/** Log levels of the daemon, Redis's names. */
export type CoreLogLevel = "debug" | "verbose" | "notice" | "warning";

/** What a command sent on a link is for, so its reply can be routed back as an event. */
export type Expectation =
  | {
      /** A reply nobody waits for (the SLAVEOF transaction, SCRIPT KILL). */
      readonly kind: "none";
    }
  | {
      /** PING for the health state. */
      readonly kind: "ping";
    }
  | {
      /** INFO for the health state. */
      readonly kind: "info";
    }
  | {
      /** A ROLE probe of the planner's fast promotion confirmation. */
      readonly kind: "role";
      /** The master whose failover asked for it. */
      readonly master: string;
      /** The probed instance. */
      readonly address: Address;
    }
  | {
      /** SENTINEL is-master-down-by-addr asked to a peer. */
      readonly kind: "is-master-down";
      /** The master asked about. */
      readonly master: string;
      /** The peer asked. */
      readonly runid: string;
    };

/** A mutation asked by a command; the answer comes back as a `reply` effect with the same token. */
export type MutationCommand =
  | {
      /** SENTINEL MONITOR. */
      readonly type: "monitor";
      /** Master name. */
      readonly name: string;
      /** Its host. */
      readonly host: string;
      /** Its port. */
      readonly port: number;
      /** Its quorum. */
      readonly quorum: number;
    }
  | {
      /** SENTINEL REMOVE. */
      readonly type: "remove";
      /** Master name. */
      readonly name: string;
    }
  | {
      /** SENTINEL SET. */
      readonly type: "set";
      /** Master name. */
      readonly name: string;
      /** The changes, in order. */
      readonly changes: readonly MasterOptionChange[];
    }
  | {
      /** SENTINEL RESET. */
      readonly type: "reset";
      /** The glob over master names. */
      readonly pattern: string;
    }
  | {
      /** SENTINEL FAILOVER. */
      readonly type: "failover";
      /** Master name. */
      readonly name: string;
    }
  | {
      /** SENTINEL DEBUG with pairs: new timing parameters. */
      readonly type: "set-timings";
      /** The parameters given, ms. */
      readonly timings: Partial<DebugTimings>;
    }
  | {
      /** SENTINEL FLUSHCONFIG. */
      readonly type: "flushconfig";
    }
  | {
      /** SENTINEL CONFIG SET. */
      readonly type: "config-set";
      /** The changes. */
      readonly changes: readonly GlobalConfigChange[];
    }
  | {
      /** SENTINEL IS-MASTER-DOWN-BY-ADDR from a peer. */
      readonly type: "is-master-down";
      /** Master ip. */
      readonly ip: string;
      /** Master port. */
      readonly port: number;
      /** The epoch asked for. */
      readonly epoch: number;
      /** The candidate, or `*`. */
      readonly runid: string;
    };

/** The answer to a {@link MutationCommand}. */
export type CommandResult =
  | {
      /** MONITOR, REMOVE, SET, CONFIG SET. */
      readonly type: "action";
      /** The outcome. */
      readonly result: ActionResult;
    }
  | {
      /** RESET: how many masters were reset. */
      readonly type: "count";
      /** The count. */
      readonly count: number;
    }
  | {
      /** FAILOVER. */
      readonly type: "failover";
      /** The outcome. */
      readonly outcome: "OK" | "INPROG" | "NOGOODSLAVE";
    }
  | {
      /** FLUSHCONFIG. */
      readonly type: "flushed";
      /** Whether the config was saved. */
      readonly ok: boolean;
    }
  | {
      /** IS-MASTER-DOWN-BY-ADDR. */
      readonly type: "is-master-down";
      /** The answer. */
      readonly reply: IsMasterDownReply;
    };

/** Everything that can happen to the daemon: the only door into the core. */
export type CoreEvent =
  | {
      /** A wake-up time came (or any periodic check). */
      readonly type: "tick";
      /** Unanswered commands per link, for the pending-commands cap (SPEC §4.3). */
      readonly pending?: ReadonlyMap<LinkId, number>;
    }
  | {
      /** A connection of a link opened. */
      readonly type: "link-connected";
      /** The link. */
      readonly link: LinkId;
      /** Which connection. */
      readonly connection: ConnectionKind;
    }
  | {
      /** A connection of a link failed to open or was lost. */
      readonly type: "link-disconnected";
      /** The link. */
      readonly link: LinkId;
      /** Which connection. */
      readonly connection: ConnectionKind;
    }
  | {
      /** A reply (or an error reply, as text) to a command sent with an expectation. */
      readonly type: "command-reply";
      /** The link it came on. */
      readonly link: LinkId;
      /** What the command was for. */
      readonly expect: Expectation;
      /** The reply, or `{ error }` for an error reply; `undefined` when no reply came (link closed). */
      readonly reply: unknown;
      /** The error text of an error reply (without `-`). */
      readonly error?: string;
    }
  | {
      /** A message on a link's pub/sub connection (or a subscription confirmation when `channel` is null). */
      readonly type: "pubsub-message";
      /** The link. */
      readonly link: LinkId;
      /** The channel, or null for other pub/sub activity. */
      readonly channel: string | null;
      /** The payload. */
      readonly message: string;
    }
  | {
      /** The reply to a published hello. */
      readonly type: "hello-published";
      /** Where it went. */
      readonly target: PublishTarget;
      /** Whether the reply was not an error. */
      readonly ok: boolean;
    }
  | {
      /** `PUBLISH __sentinel__:hello <payload>` received from a client (a peer sentinel). */
      readonly type: "hello-received";
      /** The payload. */
      readonly payload: string;
    }
  | {
      /** A mutation asked by a command. */
      readonly type: "command";
      /** Correlates the `reply` effect. */
      readonly token: number;
      /** The mutation. */
      readonly command: MutationCommand;
    };

/** What the runtime must do, in the order given. */
export type CoreEffect =
  | {
      /** Create a link to a Redis instance (command + pub/sub, subscribed to hellos) or a peer (command only). */
      readonly type: "create-link";
      /** Its id. */
      readonly link: LinkId;
      /** `instance` for masters and replicas, `sentinel` for peers. */
      readonly kind: "instance" | "sentinel";
      /** Where. */
      readonly address: Address;
      /** auth-pass (instances) or sentinel-pass/requirepass (peers). */
      readonly authPass?: string;
      /** auth-user or sentinel-user. */
      readonly authUser?: string;
    }
  | {
      /** Close a link for good; later replies on it are ignored. */
      readonly type: "destroy-link";
      /** The link. */
      readonly link: LinkId;
    }
  | {
      /** Open one connection of a link; report `link-connected` or `link-disconnected`. */
      readonly type: "connect";
      /** The link. */
      readonly link: LinkId;
      /** Which connection. */
      readonly connection: ConnectionKind;
    }
  | {
      /** Close one connection without reporting it. */
      readonly type: "close";
      /** The link. */
      readonly link: LinkId;
      /** Which connection. */
      readonly connection: ConnectionKind;
    }
  | {
      /** Send a command on the link's command connection; report the reply unless `expect` is `none`. */
      readonly type: "send";
      /** The link. */
      readonly link: LinkId;
      /** The command. */
      readonly command: readonly string[];
      /** What it is for. */
      readonly expect: Expectation;
    }
  | {
      /** Complete the hello with the link's local address unless announced, PUBLISH it, report `hello-published`. */
      readonly type: "publish-hello";
      /** The link. */
      readonly link: LinkId;
      /** Where it goes (reported back). */
      readonly target: PublishTarget;
      /** The hello. */
      readonly hello: HelloDraft;
      /** `PUBLISH`, or its new name under the master's `rename-command`. */
      readonly command: string;
    }
  | {
      /** Rewrite sentinel.conf with this state; everything after waits for it. */
      readonly type: "persist";
      /** The state to save. */
      readonly config: SentinelConfig;
    }
  | {
      /** Publish on the channel `name` (unless debug level) and log `<name> <payload>`. */
      readonly type: "event";
      /** Event name and channel. */
      readonly name: string;
      /** Its level. */
      readonly level: CoreLogLevel;
      /** The payload, Redis's text. */
      readonly payload: string;
    }
  | {
      /** A log line. */
      readonly type: "log";
      /** Its level. */
      readonly level: CoreLogLevel;
      /** The text. */
      readonly message: string;
    }
  | {
      /** Answer a command; when a persist before it in the same batch failed, answer `onSaveFailure` instead. */
      readonly type: "reply";
      /** The command's token. */
      readonly token: number;
      /** The answer. */
      readonly result: CommandResult;
      /** The answer to give when the config could not be saved. */
      readonly onSaveFailure?: CommandResult;
    }
  | {
      /** Queue a user script (notification-script, client-reconfig-script) with Redis's limits and retries. */
      readonly type: "run-script";
      /** The executable. */
      readonly path: string;
      /** Its arguments. */
      readonly args: readonly string[];
    }
  | {
      /** Change the log verbosity. */
      readonly type: "set-loglevel";
      /** The new level. */
      readonly level: CoreLogLevel | "nothing";
    }
  | {
      /** Step the core with a `tick` at this time (the one timer). */
      readonly type: "wake";
      /** Absolute time, ms. */
      readonly at: number;
    };

/** The result of {@link SentinelCore.step}. */
export interface CoreStep {
  /** What to do, in order. */
  readonly effects: readonly CoreEffect[];
}

/** A random source in [0, 1), injected: the core never calls Math.random. */
export type Random = () => number;

/** A ping reply as the health state classifies it; re-exported for the runtime. */
export type { PingReply };
