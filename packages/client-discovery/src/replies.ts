import type { Address } from "./address.js";

/**
 * One instance map of `SENTINEL MASTER`, `SENTINEL REPLICAS` or `SENTINEL SENTINELS`
 * (SPEC §1.3): field names to values, every number sent as a string.
 */
export type InstanceFields = Readonly<Record<string, string>>;

/**
 * Reads one instance map: a RESP2 flat `[field, value, ...]` array or a RESP3 map
 * (which ioredis delivers as an object or a `Map`).
 */
export function parseInstanceFields(reply: unknown): InstanceFields {
  const fields: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  } else if (reply instanceof Map) {
    for (const [key, value] of reply) fields[String(key)] = String(value);
  } else if (reply !== null && typeof reply === "object") {
    for (const [key, value] of Object.entries(reply)) fields[key] = String(value);
  }
  return fields;
}

/** Reads an array of instance maps (`SENTINEL REPLICAS`, `SENTINEL SENTINELS`, `SENTINEL MASTERS`). */
export function parseInstanceList(reply: unknown): InstanceFields[] {
  return Array.isArray(reply) ? reply.map(parseInstanceFields) : [];
}

/** The `flags` field split on commas (SPEC §1.3: `s_down,o_down,master,...`). */
export function instanceFlags(fields: InstanceFields): ReadonlySet<string> {
  return new Set((fields["flags"] ?? "").split(",").filter((flag) => flag !== ""));
}

/** The `ip` and `port` fields as an address, or `undefined` when either is missing or bad. */
export function instanceAddress(fields: InstanceFields): Address | undefined {
  const host = fields["ip"];
  const port = Number(fields["port"]);
  if (host === undefined || !Number.isInteger(port) || port <= 0) return undefined;
  return { host, port };
}

/**
 * Reads `SENTINEL GET-MASTER-ADDR-BY-NAME`: `[ip, port]`, or `undefined` for the null
 * array a sentinel sends when it does not know the name (SPEC §1.2).
 */
export function parseMasterAddrReply(reply: unknown): Address | undefined {
  if (!Array.isArray(reply) || reply.length !== 2) return undefined;
  const port = Number(reply[1]);
  if (!Number.isInteger(port) || port <= 0) return undefined;
  return { host: String(reply[0]), port };
}

/** What `ROLE` says about a server: `master`, `slave`, `sentinel` (or another string). */
export function parseRoleReply(reply: unknown): string {
  return Array.isArray(reply) && reply.length > 0 ? String(reply[0]) : "unknown";
}
