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
 * The channel Redis publishes when the promoted replica is confirmed and the failover
 * moves to reconfiguring the other replicas (SPEC §3, §4.10). From then on
 * GET-MASTER-ADDR-BY-NAME already answers the new master (SPEC §1.2), which can be a
 * second or more before `+switch-master`, once every replica has resynced.
 */
export const RECONF_SLAVES_CHANNEL = "+failover-state-reconf-slaves";

/**
 * The channel the failover leader publishes on just before it sends REPLICAOF NO ONE to
 * the chosen replica (SPEC §3, §4.10); the payload is replica details, the old master
 * after the `@`. Writes the old master acknowledges from then on may be lost.
 */
export const PROMOTING_CHANNEL = "+failover-state-send-slaveof-noone";

/** The channels {@link SentinelDiscovery} subscribes to for hints. */
export const HINT_CHANNELS: readonly string[] = [SWITCH_MASTER_CHANNEL, RECONF_SLAVES_CHANNEL, PROMOTING_CHANNEL];

/** A sentinel event that suggests resolving again. */
export interface SentinelHint {
  /** The channel (event name) it came on. */
  readonly channel: string;
  /** The master it is about. */
  readonly masterName: string;
  /** The raw payload. */
  readonly message: string;
  /** The master being replaced, when the payload names it (`+switch-master`, replica details). */
  readonly oldMaster?: Address;
}

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

/**
 * Reads a hint from an event: `+switch-master` (name first) or an event whose payload is
 * master details `master <name> <ip> <port>` (SPEC §3 "instance details"). `undefined`
 * for other channels or shapes.
 */
export function parseHint(channel: string, message: string): SentinelHint | undefined {
  if (channel === SWITCH_MASTER_CHANNEL) {
    const event = parseSwitchMaster(message);
    return event && { channel, masterName: event.masterName, message, oldMaster: event.from };
  }
  if (channel === PROMOTING_CHANNEL) {
    // Replica details: `slave <ip:port> <ip> <port> @ <master-name> <master-ip> <master-port>`.
    const parts = message.split(" ");
    const at = parts.indexOf("@");
    const [masterName, host, portText] = parts.slice(at + 1);
    const port = Number(portText);
    if (parts[0] !== "slave" || at < 0 || !masterName || !host || !Number.isInteger(port)) return undefined;
    return { channel, masterName, message, oldMaster: { host, port } };
  }
  if (channel === RECONF_SLAVES_CHANNEL) {
    const [type, masterName] = message.split(" ");
    return type === "master" && masterName ? { channel, masterName, message } : undefined;
  }
  return undefined;
}
