export {
  formatAddress,
  parseAddress,
  sameAddress,
  translateAddress,
  type Address,
  type AddressMap,
} from "./address.js";
export {
  createDiscoveryConnector,
  type ConnectorRole,
  type ConnectorState,
  type DiscoveryConnectorClass,
} from "./connector.js";
export { createRedis, type CreateRedisOptions, type DiscoveredRedis } from "./create-redis.js";
export {
  SentinelDiscovery,
  type ChangeListener,
  type DiscoveryOptions,
  type FenceListener,
  type HintListener,
  type MasterChange,
  type MasterResolution,
  type ReplicaListing,
  type ReplicaResolution,
} from "./discovery.js";
export { fenceAfterResolution, fenceBlocks, type Fence } from "./fence.js";
export {
  MasterFencedError,
  MasterUnknownError,
  NoAgreementError,
  NoReplicaAvailableError,
  NoSentinelReachableError,
  RoleMismatchError,
  type SentinelAttempt,
} from "./errors.js";
export {
  answerIsFinal,
  chooseMaster,
  type MasterAnswer,
  type MasterChoice,
  type MasterTrustPolicy,
} from "./master-choice.js";
export {
  instanceAddress,
  instanceFlags,
  parseInstanceFields,
  parseInstanceList,
  parseMasterAddrReply,
  parseRoleReply,
  type InstanceFields,
} from "./replies.js";
export {
  replicaUsable,
  selectReplica,
  UNUSABLE_REPLICA_FLAGS,
  type ReplicaChoice,
  type ReplicaInfo,
  type ReplicaPolicy,
  type ReplicaPreference,
} from "./replica-choice.js";
export { backoffRetryStrategy, type BackoffOptions, type RetryStrategy } from "./retry.js";
export { mergeSentinels, moveToFront } from "./sentinel-list.js";
export {
  exchange,
  openShortConnection,
  type ServerAuth,
  type ShortConnectionOptions,
} from "./short-connection.js";
export {
  HINT_CHANNELS,
  parseHint,
  parseSwitchMaster,
  PROMOTING_CHANNEL,
  RECONF_SLAVES_CHANNEL,
  SWITCH_MASTER_CHANNEL,
  type SentinelHint,
  type SwitchMaster,
} from "./switch-event.js";
export { startPingWatchdog, type WatchdogOptions } from "./watchdog.js";
