export { ACL_CATEGORIES, allCommands, buildCommandIndex, sentinelCommandIndex, type AclCommand, type AclCommandIndex, type AclCommandSource } from "./command-index.js";
export { AclRuleError, type AclRuleErrorReason } from "./errors.js";
export {
  AclSelector,
  AclUser,
  applyRule,
  applySelectorRule,
  createDefaultUser,
  hashPassword,
  hasSpacesOrNul,
  mergeSelectorArguments,
  setCategory,
  setCommandPermission,
  type AclKeyPattern,
  type AclRuleContext,
  type AclSanitizeFlag,
} from "./acl-rules.js";
export { describeChannels, describeCommandRules, describeKeys, describeSelector, describeUser, userFlags } from "./acl-describe.js";
export {
  AclConfigError,
  AclUserError,
  AclUsers,
  type AclLoadResult,
  type AclStartupConfig,
  type AclUserErrorReason,
  type AclUsersOptions,
} from "./users.js";
export {
  SENTINEL_PEER_COMMANDS,
  checkPermission,
  missingSentinelPeerPermissions,
  noPermissionError,
  resolveCommand,
  revokedSubscriptions,
  type AclDenial,
  type AclSubscriptions,
} from "./permissions.js";
export {
  AclLog,
  DEFAULT_ACLLOG_MAX_LEN,
  aclLogReply,
  type AclLogContext,
  type AclLogEntry,
  type AclLogEvent,
  type AclLogReason,
} from "./acl-log.js";
export { AUTH_WITHOUT_PASSWORD_ERROR, AclGate, WRONGPASS_ERROR } from "./acl-gate.js";
export { ACL_HELP, aclCommand, type AclCommandContext, type AclFileStore } from "./acl-command.js";
