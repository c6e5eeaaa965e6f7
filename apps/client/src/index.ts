export { ExitCode, exitCodeFor, type ExitCodeValue } from "./exit-codes.js";
export { paint, processIO, type CliIO } from "./io.js";
export { runCli } from "./program.js";
export { describeDrill, errorKind, runDrill, type DrillFlags, type DrillReport } from "./drill.js";
export { formatReply, runExec, type ExecFlags } from "./exec.js";
export { runResolve, trustFrom, type ResolveFlags, type ResolveReport } from "./resolve.js";
export { gatherStatus, runStatus, type MasterStatus, type MasterView, type StatusReport } from "./status.js";
export { eventNamesMaster, runWatch, type WatchEvent, type WatchFlags } from "./watch.js";
export {
  addConnectionOptions,
  discoveryOptions,
  positiveInt,
  sentinelAddresses,
  UsageError,
  type ConnectionFlags,
} from "./connection-options.js";
export { renderTable } from "./table.js";
