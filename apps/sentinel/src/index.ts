export { SentinelCore, parseRoleReply, type InstanceEntry, type MasterEntry, type PeerEntry, type SentinelCoreOptions } from "./core/sentinel-core.js";
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
