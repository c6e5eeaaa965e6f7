export type {
  Address,
  FastConfirmationOptions,
  MasterView,
  PlannerOptions,
  PlannerTimings,
  ReplicaView,
  ReportedRole,
  RoleReply,
} from "./types.js";
export { DEFAULT_FAST_CONFIRMATION, DEFAULT_TIMINGS } from "./constants.js";
export { instanceName, sameAddress, sameHost } from "./address.js";
export type { EventLevel, PlannerEventType } from "./events.js";
export { masterDetails, replicaDetails, switchMasterPayload } from "./events.js";
export type { CommandArgs } from "./commands.js";
export { mapCommand, roleProbe, slaveOfTransaction } from "./commands.js";
export type { ExclusionReason } from "./replica-selection.js";
export {
  awaitsFreshInfo,
  compareReplicasForPromotion,
  exclusionReason,
  maxMasterLinkDownTime,
  selectReplica,
} from "./replica-selection.js";
export type { FailoverCommandReply, PlannerEffect, SendPurpose } from "./effects.js";
export { masterLooksSane, noDownFor, observeReplica, pointsElsewhere } from "./observer.js";
export type { ProbeSchedule } from "./promotion-confirmation.js";
export type {
  FailoverPhase,
  FailoverPlanner,
  FailoverState,
  PlannerInput,
  ReconfProgress,
  StepContext,
  StepResult,
} from "./failover.js";
export { createFailoverPlanner } from "./failover.js";
export { currentMasterAddress, masterFailoverFlags, replicaFailoverFlags } from "./flags.js";
export { PlannerInputError } from "./errors.js";
