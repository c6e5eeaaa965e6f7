import { instanceName, sameAddress } from "./address.js";
import type { FailoverState } from "./failover.js";
import type { Address } from "./types.js";

/**
 * The master flags the planner owns, in the order `SENTINEL MASTER` lists flags:
 * `failover_in_progress` and `force_failover`. The caller merges them with its own
 * (`s_down`, `o_down`, `master`, `disconnected`, ...).
 */
export function masterFailoverFlags(state: FailoverState): string[] {
  if (state.phase === "none") return [];
  return state.forced ? ["failover_in_progress", "force_failover"] : ["failover_in_progress"];
}

/**
 * The replica flags the planner owns, in Redis's order: `promoted`, `reconf_sent`,
 * `reconf_inprog`, `reconf_done`.
 */
export function replicaFailoverFlags(state: FailoverState, replica: Address): string[] {
  const flags: string[] = [];
  if (state.phase !== "none" && state.promoted !== null && sameAddress(state.promoted, replica)) {
    flags.push("promoted");
  }
  const p = state.reconf[instanceName(replica)];
  if (p?.sent === true) flags.push("reconf_sent");
  if (p?.inProgress === true) flags.push("reconf_inprog");
  if (p?.done === true) flags.push("reconf_done");
  return flags;
}

/**
 * `sentinelGetCurrentMasterAddress`: the promoted replica once the failover reached
 * RECONF_SLAVES (what GET-MASTER-ADDR-BY-NAME, hello messages and the config file show),
 * else the configured master address.
 */
export function currentMasterAddress(state: FailoverState, masterAddr: Address): Address {
  const late = state.phase === "reconf_slaves" || state.phase === "update_config";
  return late && state.promoted !== null ? state.promoted : masterAddr;
}
