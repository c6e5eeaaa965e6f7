// The daemon as a library: the pure core, the runtime that carries its effects out, and the
// command line. The executable is bin/sentinel-kit.js.
export { parseRoleReply } from "./core/role-reply.js";
export {
  SentinelCore,
  type InstanceEntry,
  type MasterEntry,
  type PeerEntry,
  type SentinelCoreOptions,
} from "./core/sentinel-core.js";
export type {
  CommandResult,
  CoreEffect,
  CoreEvent,
  CoreLogLevel,
  CoreStep,
  Expectation,
  LinkId,
  MutationCommand,
  Random,
} from "./core/types.js";
export { ListenError, SentinelDaemon, type CommandDispatcher, type SentinelDaemonOptions } from "./runtime/daemon.js";
export { TlsConfigError } from "./runtime/tls.js";
export { type HostLookup } from "./runtime/host-resolver.js";
export { RedisLog, formatRedisLogLine, redisLogTime, type LogVerbosity } from "./runtime/logger.js";
export { REDIS_DEBUG_TIMINGS, globalConfigView, masterView, type PendingOf } from "./runtime/view.js";
export { SENTINEL_KIT_VERSION, UsageError, parseArgs, runSentinel, type ParsedArgs } from "./cli.js";
export { dispatchCommand } from "./commands/dispatch.js";
export {
  INSTANCE_FLAG_ORDER,
  type ActionResult,
  type ClientControl,
  type CommandContext,
  type DebugTimings,
  type FailoverStateName,
  type GlobalConfigChange,
  type InstanceFlag,
  type InstanceView,
  type IsMasterDownReply,
  type LogLevelName,
  type MasterOptionChange,
  type MasterView,
  type RedisInstanceView,
  type ReplicaView,
  type ScriptJobView,
  type SentinelActions,
  type SentinelGlobalConfig,
  type SentinelPeerView,
  type SentinelView,
  type ServerInfoView,
  type ShutdownOptions,
  type SimulateFailureFlags,
} from "./commands/view.js";
export type { HostFacts } from "./commands/info.js";
export type { TrackingState } from "./commands/client-tracking.js";
export type { PauseMode, PauseRequest } from "./commands/client-pause.js";
