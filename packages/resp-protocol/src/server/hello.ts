/**
 * The HELLO reply's fields, shaped as Redis 7.0's `helloCommand` shapes them.
 *
 * @module
 */
import type { RespValue } from "../values.js";
import { bulk, integer } from "./replies.js";
import type { RespClientContext } from "./types.js";

/** What a server says about itself in its HELLO reply. */
export interface HelloInfo {
  /** The `server` field; `redis` by default, as clients such as ioredis expect. */
  readonly server?: string;
  /** The `version` field, e.g. `7.0.15`. */
  readonly version: string;
  /** The `mode` field: `standalone`, `cluster` or `sentinel`. */
  readonly mode: string;
  /** The `role` field (`master` or `replica`); leave it out for a sentinel, whose reply has no role. */
  readonly role?: string;
}

/**
 * Builds HELLO's fields in Redis's order: server, version, proto, id, mode, role (left out
 * in sentinel mode, hence 6 fields there and 7 otherwise), modules (an empty array).
 *
 * @param client - The client the reply is for; its protocol is already switched.
 * @param info - What the server says about itself.
 */
export function helloFields(client: RespClientContext, info: HelloInfo): Array<readonly [string, RespValue]> {
  const fields: Array<readonly [string, RespValue]> = [
    ["server", bulk(info.server ?? "redis")],
    ["version", bulk(info.version)],
    ["proto", integer(client.protocol)],
    ["id", integer(client.id)],
    ["mode", bulk(info.mode)],
  ];
  if (info.role !== undefined) fields.push(["role", bulk(info.role)]);
  fields.push(["modules", { kind: "array", value: [] }]);
  return fields;
}
