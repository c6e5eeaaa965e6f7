export { formatAddressName, isIpLiteral, sameAddress, type Address } from "./address.js";
export { HELLO_CHANNEL, SENTINEL_PUBLISH_PERIOD_MS } from "./constants.js";
export type { GossipEffect, PersistReason, PublishTarget } from "./effects.js";
export {
  masterDetails,
  replicaDetails,
  sentinelDetails,
  type EventLevel,
  type SentinelEvent,
} from "./events.js";
export {
  Gossip,
  type GossipConfig,
  type HelloOutcome,
  type MasterConfig,
  type MasterState,
} from "./gossip.js";
export {
  formatHello,
  HELLO_FIELDS,
  helloPayload,
  MalformedHelloError,
  parseHello,
  type Hello,
  type HelloDraft,
  type HelloErrorReason,
  type HelloField,
  type HelloParseResult,
} from "./hello.js";
export { PeerTable, type Peer, type PeerOfMaster } from "./peers.js";
export { HELLO_RETRY_DELAY_MS, PublishSchedule, targetKey } from "./schedule.js";
