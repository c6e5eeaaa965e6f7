/** A TCP endpoint: a Redis server or a sentinel. */
export interface Address {
  /** IP address or host name, as a sentinel reports it or as configured. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

/**
 * Address translation applied to every address a sentinel reports (masters, replicas and
 * discovered sentinels), like ioredis's `natMap`: a table keyed by `"host:port"`, or a
 * function returning the address to dial (or `undefined` to keep the reported one).
 */
export type AddressMap =
  | Readonly<Record<string, Address>>
  | ((reported: Address) => Address | undefined);

/** `"host:port"`, with IPv6 hosts in brackets (`"[::1]:6379"`). */
export function formatAddress(address: Address): string {
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The key under which an address is looked up in an {@link AddressMap} table: `host:port`, unbracketed. */
function mapKey(address: Address): string {
  return `${address.host}:${address.port}`;
}

/**
 * Parses `"host:port"`, `"[v6]:port"` or a bare `"host"` (then `defaultPort`).
 * Throws a `TypeError` naming the input when the port is not an integer in 1..65535.
 */
export function parseAddress(text: string, defaultPort = 26379): Address {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1] ?? "";
    portText = bracketed[2];
  } else {
    const colon = text.lastIndexOf(":");
    // More than one colon without brackets is a bare IPv6 address.
    if (colon === -1 || text.indexOf(":") !== colon) {
      host = text;
    } else {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  const port = portText === undefined ? defaultPort : Number(portText);
  if (host === "" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError(`invalid address "${text}": expected host:port`);
  }
  return { host, port };
}

/** Two addresses are the same endpoint (host compared as text, as sentinels report it). */
export function sameAddress(a: Address, b: Address): boolean {
  return a.host === b.host && a.port === b.port;
}

/** Applies an {@link AddressMap} to an address a sentinel reported. */
export function translateAddress(reported: Address, map: AddressMap | undefined): Address {
  if (map === undefined) return reported;
  if (typeof map === "function") return map(reported) ?? reported;
  return map[mapKey(reported)] ?? reported;
}
