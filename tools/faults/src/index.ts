export { DaemonNotBuiltError, Topology, restartNode, DAEMON_BIN } from "./topology.js";
export type { DaemonLauncher, DaemonNode, DataNode, TopologyOptions } from "./topology.js";
export { Workload, lostOps } from "./workload.js";
export type { AckedOp, WorkloadOptions } from "./workload.js";
export { EventLog } from "./event-log.js";
export type { DaemonEvent } from "./event-log.js";
export { RoleSampler, multiMaster } from "./role-sampler.js";
export type { RoleSample } from "./role-sampler.js";
export { runScenario, parseFailures } from "./scenario.js";
export type { ScenarioContext, ScenarioSpec } from "./scenario.js";
export { COLUMNS, cells, markdownReport, mergeReport, skippedRow, tableLine } from "./figures.js";
export type { RowFigures } from "./figures.js";
export { ask, fields, reportedMasterPort } from "./resp.js";
export {
  NOT_PROCESS_ROWS, ROWS, row1, row2, row3, row4, row5, row6, row7, row8, row9, row9Inside, row10, row11, row12, row13, row14, row15, row16, row19, row20, row22,
  row24, row25,
} from "./rows.js";
export type { PacketLoss, RowOptions, RowRunner } from "./rows.js";
