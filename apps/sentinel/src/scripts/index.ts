export {
  clientReconfigScriptCall,
  notificationScriptCall,
  type ClientReconfig,
  type NotifiableEvent,
  type ScriptAddress,
  type ScriptCall,
} from "./script-args.js";
export {
  DENY_SCRIPTS_RECONFIG_ERROR,
  ScriptNotExecutableError,
  assertScriptExecutable,
  checkScriptSet,
  isExecutable,
  isExecutableSync,
  scriptNotExecutableConfigError,
  scriptNotExecutableReply,
  type ScriptOption,
} from "./script-check.js";
export {
  DEFAULT_SCRIPT_MAX_RUNTIME,
  DEFAULT_SCRIPT_RETRY_DELAY,
  FORK_FAILURE_SIGNAL,
  SCRIPT_FORK_RETRY_PERIOD,
  SCRIPT_MAX_QUEUE,
  SCRIPT_MAX_RETRY,
  SCRIPT_MAX_RUNNING,
  ScriptQueue,
  scriptRetryDelay,
  type PendingScript,
  type ScheduleResult,
  type ScriptCounts,
  type ScriptEvent,
  type ScriptJob,
  type ScriptQueueOptions,
  type ScriptTimeout,
  type ScriptTimings,
} from "./script-queue.js";
export { ScriptRunner, type ScriptRunnerOptions, type ScriptSpawn } from "./script-runner.js";
