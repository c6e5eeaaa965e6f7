/** The three kinds of instance Redis Sentinel tracks. */
export type InstanceKind = "master" | "slave" | "sentinel";

/** Who an instance is, as Redis Sentinel prints it in event payloads (`%@`, SPEC §3). */
export interface InstanceDetails {
  /** `master`, `slave` or `sentinel`. */
  readonly kind: InstanceKind;
  /** The master's name, a replica's `ip:port` ({@link formatAddress}), a sentinel's runid. */
  readonly name: string;
  /** The address (the hostname when hostnames are announced). */
  readonly ip: string;
  /** The port. */
  readonly port: number;
  /** For replicas and sentinels: the master they belong to, at its current address. */
  readonly master?: {
    /** The master's name. */
    readonly name: string;
    /** The master's current address. */
    readonly ip: string;
    /** The master's current port. */
    readonly port: number;
  };
}

/**
 * `ip:port`, with an IPv6 literal in brackets (`[::1]:6379`), as Redis's `anetFormatAddr`
 * writes it; this is a replica's name and its key in the master's replica table.
 */
export function formatAddress(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * `<kind> <name> <ip> <port>`, followed by ` @ <master-name> <master-ip> <master-port>`
 * for an instance that is not a master: Redis Sentinel's `%@` (SPEC §3).
 */
export function formatInstanceDetails(details: InstanceDetails): string {
  const own = `${details.kind} ${details.name} ${details.ip} ${details.port}`;
  if (details.kind === "master" || details.master === undefined) return own;
  const { master } = details;
  return `${own} @ ${master.name} ${master.ip} ${master.port}`;
}

/** Log levels of Sentinel events; `debug` events are logged only, never published. */
export type EventLevel = "debug" | "verbose" | "notice" | "warning";

/** The events this package emits (SPEC §3). */
export type HealthEventType = "+sdown" | "-sdown" | "+reboot" | "+role-change" | "-role-change" | "+slave";

/**
 * A Sentinel event: published on the channel named `type` with `message` as payload,
 * exactly as Redis Sentinel does (`sentinelEvent`).
 */
export interface SentinelEvent {
  /** The event name, which is also its pub/sub channel. */
  readonly type: HealthEventType;
  /** Redis's level for this event. */
  readonly level: EventLevel;
  /** The payload, e.g. `master mymaster 127.0.0.1 6379`. */
  readonly message: string;
}
