import type { Address } from "./address.js";

/** A parsed `+switch-master` message. */
export interface SwitchMaster {
  /** The master name. */
  readonly masterName: string;
  /** The replaced master. */
  readonly from: Address;
  /** The promoted replica. */
  readonly to: Address;
}

/** The channel Redis publishes a completed failover on (SPEC §3; the `+` is part of the name). */
export const SWITCH_MASTER_CHANNEL = "+switch-master";

/**
 * Parses the `+switch-master` payload `<master-name> <old-ip> <old-port> <new-ip> <new-port>`
 * (SPEC §3); `undefined` for anything else.
 */
export function parseSwitchMaster(message: string): SwitchMaster | undefined {
  const parts = message.trim().split(" ");
  if (parts.length !== 5) return undefined;
  const [masterName, fromHost, fromPort, toHost, toPort] = parts as [string, string, string, string, string];
  const from = Number(fromPort);
  const to = Number(toPort);
  if (!Number.isInteger(from) || !Number.isInteger(to)) return undefined;
  return { masterName, from: { host: fromHost, port: from }, to: { host: toHost, port: to } };
}
