export { parseInfo, type InfoReplicaEntry, type ParsedInfo, type ReportedRole } from "./info.js";
