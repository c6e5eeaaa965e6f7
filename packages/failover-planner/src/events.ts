import { instanceName } from "./address.js";
import type { Address } from "./types.js";

/** Log level of a Sentinel event; both levels are published on the channel named after the event. */
export type EventLevel = "warning" | "notice";

/** The names of the events the planner publishes (SPEC §3). */
export type PlannerEventType =
  | "+new-epoch"
  | "+try-failover"
  | "+elected-leader"
  | "-failover-abort-not-elected"
  | "+failover-state-select-slave"
  | "-failover-abort-no-good-slave"
  | "+selected-slave"
  | "+failover-state-send-slaveof-noone"
  | "+failover-state-wait-promotion"
  | "-failover-abort-slave-timeout"
  | "+promoted-slave"
  | "+failover-state-reconf-slaves"
  | "+slave-reconf-sent"
  | "+slave-reconf-inprog"
  | "+slave-reconf-done"
  | "-slave-reconf-sent-timeout"
  | "+slave-reconf-sent-be"
  | "+failover-end-for-timeout"
  | "+failover-end"
  | "+switch-master"
  | "+slave"
  | "+convert-to-slave"
  | "+fix-slave-config";

/**
 * `%@` for a master (`sentinelEvent`): `master <name> <ip> <port>`.
 */
export function masterDetails(name: string, addr: Address): string {
  return `master ${name} ${addr.host} ${addr.port}`;
}

/**
 * `%@` for a replica: `slave <ip:port> <ip> <port> @ <master-name> <master-ip> <master-port>`.
 */
export function replicaDetails(replica: Address, masterName: string, masterAddr: Address): string {
  return `slave ${instanceName(replica)} ${replica.host} ${replica.port} @ ${masterName} ${masterAddr.host} ${masterAddr.port}`;
}

/**
 * The `+switch-master` payload, with no type prefix:
 * `<master-name> <old-ip> <old-port> <new-ip> <new-port>`.
 */
export function switchMasterPayload(name: string, from: Address, to: Address): string {
  return `${name} ${from.host} ${from.port} ${to.host} ${to.port}`;
}
