export { DEFAULT_ELECTION_TIMINGS, DEFAULT_FAILOVER_TIMEOUT_MS, REPLY_VALIDITY_ASK_PERIODS } from "./constants.js";
export type { ElectionTimings } from "./constants.js";
export {
  DuplicateMasterError,
  FailoverInProgressError,
  InvalidEpochError,
  InvalidSentinelIdError,
  RandomSourceError,
  UnknownMasterError,
} from "./errors.js";
export type {
  AskEffect,
  ElectionEffect,
  EventEffect,
  FailoverDelayedEffect,
  PersistEffect,
  PersistedVote,
  PersistentElectionState,
  ReplyEffect,
  WakeEffect,
} from "./effects.js";
export { formatEventMessage } from "./events.js";
export type { ElectionEvent, ElectionEventName, MasterAddress } from "./events.js";
export { isMasterDownCommand, isMasterDownReplyValue, parseIsMasterDownReply } from "./messages.js";
export type { IsMasterDownReply, IsMasterDownRequest } from "./messages.js";
export {
  countVotes,
  electionWinner,
  electorate,
  isObjectivelyDown,
  leadingCandidate,
  majority,
  quorumReachable,
} from "./quorum.js";
export type { Electorate, QuorumReachability, TallyResult } from "./quorum.js";
export { jitteredStartTime, nextTimerHz, randomBelow } from "./random-delays.js";
export {
  addMaster,
  addPeer,
  createElectionState,
  endFailover,
  getMaster,
  persistentSnapshot,
  removeMaster,
  removePeer,
  resetMaster,
  restoreElectionState,
  setMasterOptions,
  setPeerConnected,
  setSubjectiveDown,
  setTilt,
  setTimings,
} from "./state.js";
export type {
  ElectionState,
  ElectionStateOptions,
  FailoverAttempt,
  FailoverPhase,
  MasterConfig,
  MasterElection,
  PeerView,
} from "./state.js";
export type { ElectionStep } from "./step.js";
export { abortsAfter, electionTimeoutFor, forceFailover, retryGateOpensAt } from "./candidate.js";
export { downReports, receiveIsMasterDownReply } from "./odown.js";
export { nextWake, tick } from "./tick.js";
export { handleIsMasterDownRequest, observeEpoch, voteLeader } from "./voter.js";
export type { HeldVote, VoteStep } from "./voter.js";
export { isSentinelId, toEpoch, toSentinelId } from "./types.js";
export type { Epoch, MasterName, RandomInt, SentinelId } from "./types.js";
