import type { Address } from "./address.js";
import { formatAddressName } from "./address.js";

/** Log level of an event; Redis publishes every level above DEBUG. */
export type EventLevel = "notice" | "warning";

/**
 * One Sentinel event (SPEC §3): published on the channel named `name` with `payload` as the
 * message, logged, and, at `warning` level, passed to the master's notification-script.
 */
export interface SentinelEvent {
  /** Channel and event name, e.g. `+sentinel`. */
  readonly name: string;
  /** Log level; `warning` events also run the master's notification-script. */
  readonly level: EventLevel;
  /** The message, byte for byte as Redis formats it. */
  readonly payload: string;
  /** The master the event is about, whose notification-script applies. */
  readonly master: string;
}

/** `master <name> <ip> <port>`: the `%@` details of a master. */
export function masterDetails(name: string, address: Address): string {
  return `master ${name} ${address.host} ${address.port}`;
}

/** `sentinel <runid> <ip> <port> @ <master> <master-ip> <master-port>`: a sentinel's `%@` details. */
export function sentinelDetails(runid: string, address: Address, masterName: string, masterAddress: Address): string {
  return `sentinel ${runid} ${address.host} ${address.port} @ ${masterName} ${masterAddress.host} ${masterAddress.port}`;
}

/** `slave <ip:port> <ip> <port> @ <master> <master-ip> <master-port>`: a replica's `%@` details. */
export function replicaDetails(address: Address, masterName: string, masterAddress: Address): string {
  return `slave ${formatAddressName(address)} ${address.host} ${address.port} @ ${masterName} ${masterAddress.host} ${masterAddress.port}`;
}
