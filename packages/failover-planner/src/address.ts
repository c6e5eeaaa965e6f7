import type { Address } from "./types.js";

/**
 * The instance name Sentinel gives a replica: `ip:port`, with an IPv6 address in brackets
 * (`announceSentinelAddrAndPort` in sentinel.c).
 */
export function instanceName(addr: Address): string {
  return addr.host.includes(":") ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
}

/**
 * Address equality as the planner applies it: same port and the same host, compared
 * case-insensitively. Redis resolves a hostname before comparing
 * (`sentinelAddrEqualsHostname`); resolution is I/O, so callers that need it pass
 * resolved addresses.
 */
export function sameAddress(a: Address, b: Address): boolean {
  return a.port === b.port && sameHost(a.host, b.host);
}

/** Case-insensitive host comparison (strcasecmp on the ip strings in sentinel.c). */
export function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
