/** A script to queue: the path and the arguments after it. */
export interface ScriptCall {
  /** The script's path (argv[0]). */
  readonly path: string;
  /** Its arguments. */
  readonly args: readonly string[];
}

/** An event as the notification script sees it. */
export interface NotifiableEvent {
  /** The event's level; only `warning` runs the script. */
  readonly level: string;
  /** The event type, e.g. `+sdown`. */
  readonly name: string;
  /** The event message, e.g. `master mymaster 127.0.0.1 6379`. */
  readonly payload: string;
}

/**
 * The notification-script run for an event, or null when none runs (`sentinelEvent`): only
 * WARNING-level events about an instance run it, with `<event-type> <event-message>`.
 *
 * @param script - The `notification-script` of the master the event's instance belongs to
 *   (the instance itself when it is a master); null or undefined when the event has no
 *   instance or that master has no script.
 */
export function notificationScriptCall(
  script: string | null | undefined,
  event: NotifiableEvent,
): ScriptCall | null {
  if (script === null || script === undefined || script === "" || event.level !== "warning") return null;
  return { path: script, args: [event.name, event.payload] };
}

/** An address as the client reconfiguration script gets it. */
export interface ScriptAddress {
  /** The announced address: the hostname when announce-hostnames is on, the IP otherwise. */
  readonly ip: string;
  /** The port. */
  readonly port: number;
}

/** A failover as the client reconfiguration script sees it. */
export interface ClientReconfig {
  /** The master's name. */
  readonly masterName: string;
  /** `leader` when this sentinel led the failover, `observer` when it learned of it from a hello. */
  readonly role: "leader" | "observer";
  /** The old master's address. */
  readonly from: ScriptAddress;
  /** The new master's address. */
  readonly to: ScriptAddress;
}

/**
 * The client-reconfig-script run for a failover, or null when the master has none
 * (`sentinelCallClientReconfScript`): `<master-name> <leader|observer> start <from-ip>
 * <from-port> <to-ip> <to-port>`. Redis's state argument is always `start`.
 *
 * @param script - The master's `client-reconfig-script`; null or undefined when it has none.
 */
export function clientReconfigScriptCall(
  script: string | null | undefined,
  reconfig: ClientReconfig,
): ScriptCall | null {
  if (script === null || script === undefined || script === "") return null;
  return {
    path: script,
    args: [
      reconfig.masterName,
      reconfig.role,
      "start",
      reconfig.from.ip,
      String(reconfig.from.port),
      reconfig.to.ip,
      String(reconfig.to.port),
    ],
  };
}
