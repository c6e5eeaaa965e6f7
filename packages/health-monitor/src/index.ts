export {
  formatAddress,
  formatInstanceDetails,
  type EventLevel,
  type HealthEventType,
  type InstanceDetails,
  type InstanceKind,
  type SentinelEvent,
} from "./details.js";
export {
  InstanceHealth,
  type ConnectionKind,
  type ConnectionState,
  type HealthCommand,
  type HealthEffect,
  type HealthInput,
  type HealthSnapshot,
  type HealthStep,
  type InstanceHealthOptions,
} from "./health-state.js";
export { parseInfo, type InfoReplicaEntry, type ParsedInfo, type ReportedRole } from "./info.js";
export {
  commandConnectionDeadAt,
  commandConnectionIsDead,
  isValidPingReply,
  pingPeriod,
  pubsubConnectionDeadAt,
  pubsubConnectionIsDead,
  sdownDueAt,
  sdownReason,
  unresponsiveFor,
  type CommandConnectionTimes,
  type LinkTimes,
  type PingReply,
  type PubsubConnectionTimes,
  type SdownInput,
  type SdownReason,
} from "./sdown.js";
export {
  DEFAULT_DOWN_AFTER_MS,
  DEFAULT_SLAVE_PRIORITY,
  DEFAULT_TIMINGS,
  type SentinelTimings,
} from "./timings.js";
export { IoredisLink } from "./ioredis-link.js";
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  LinkClosedError,
  LinkConnectError,
  LinkRenameError,
  LinkReplyError,
  commandRenamer,
  linkClientName,
  type InstanceLink,
  type LinkEvent,
  type LinkOptions,
  type LinkReply,
} from "./link.js";
export { MemoryLink, MemoryRedis } from "./memory-link.js";
export { RespLink } from "./resp-link.js";
export { alignSendTime, DEFAULT_SEND_GRANULARITY_MS, sendGranularity } from "./send-grid.js";
export {
  HealthMonitor,
  SYSTEM_CLOCK,
  type HealthMonitorOptions,
  type MonitorClock,
  type MonitoredInstance,
} from "./monitor.js";
