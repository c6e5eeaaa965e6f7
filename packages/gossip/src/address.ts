import { isIP } from "node:net";

/** A host (IP literal or hostname) and a TCP port. */
export interface Address {
  /** IP literal (IPv4 or IPv6, without brackets) or hostname. */
  readonly host: string;
  /** TCP port, 1 to 65535. */
  readonly port: number;
}

/**
 * Address equality as Redis compares instances: same port and same host, ignoring case,
 * which covers hostnames and the hex digits of IPv6 literals (`sentinelAddrIsEqual`
 * compares with `strcasecmp`). Hostnames are not resolved: this core does no I/O.
 */
export function sameAddress(a: Address, b: Address): boolean {
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}

/** Whether `host` is an IPv4 or IPv6 literal. */
export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}

/**
 * `ip:port`, with IPv6 literals in brackets: the name Redis gives a replica
 * (`announceSentinelAddrAndPort`).
 */
export function formatAddressName(address: Address): string {
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
