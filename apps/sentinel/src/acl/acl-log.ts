/**
 * The ACL security log (`addACLLogEntry`, `ACL LOG`): denied commands and channels and
 * failed authentications, newest first, bounded by `acllog-max-len`. An event like one of
 * the 10 newest entries (same reason, context, object and user, within 60 s) bumps that
 * entry's count instead of adding one. Time is an input.
 *
 * @module
 */
import { resp, type RespValue } from "@sentinel-kit/resp-protocol";

/** `acllog-max-len`'s default. */
export const DEFAULT_ACLLOG_MAX_LEN = 128;

// ACL_LOG_GROUPING_MAX_TIME_DELTA, and how many recent entries are searched for a match.
const GROUPING_MS = 60_000;
const GROUPING_SCAN = 10;

/** The `reason` field. */
export type AclLogReason = "command" | "key" | "channel" | "auth";

/** The `context` field; a sentinel has no MULTI or scripts, so always `toplevel` here. */
export type AclLogContext = "toplevel" | "multi" | "lua" | "module";

/** One denial to record. */
export interface AclLogEvent {
  /** Why. */
  readonly reason: AclLogReason;
  /** Where; `toplevel` when omitted. */
  readonly context?: AclLogContext;
  /**
   * What: the command's full name (`command`), the channel (`channel`), or the command name
   * as sent, e.g. `AUTH` or `HELLO` (`auth`).
   */
  readonly object: string;
  /** The user: the client's for denials, the one tried for `auth`. */
  readonly username: string;
  /** The client as `CLIENT INFO` prints it at the time, without the trailing newline. */
  readonly clientInfo: string;
}

/** One entry of the log. */
export interface AclLogEntry {
  /** How many matching events it stands for. */
  readonly count: number;
  /** Why. */
  readonly reason: AclLogReason;
  /** Where. */
  readonly context: AclLogContext;
  /** What. */
  readonly object: string;
  /** Who. */
  readonly username: string;
  /** When the last matching event happened, in milliseconds. */
  readonly updatedAt: number;
  /** The last matching event's client. */
  readonly clientInfo: string;
}

/** The bounded log. */
export class AclLog {
  #entries: AclLogEntry[] = [];
  #maxLen: number;

  /** @param maxLen - `acllog-max-len`. */
  constructor(maxLen: number = DEFAULT_ACLLOG_MAX_LEN) {
    this.#maxLen = maxLen;
  }

  /** `acllog-max-len`. A lower value trims the log at the next new entry, as in Redis. */
  get maxLen(): number {
    return this.#maxLen;
  }

  set maxLen(value: number) {
    this.#maxLen = value;
  }

  /** The number of entries. */
  get length(): number {
    return this.#entries.length;
  }

  /**
   * Records an event at `now` (milliseconds).
   *
   * @returns The entry that now stands for it (new, or bumped and moved to the front).
   */
  add(event: AclLogEvent, now: number): AclLogEntry {
    const context = event.context ?? "toplevel";
    const scan = Math.min(GROUPING_SCAN, this.#entries.length);
    for (let i = 0; i < scan; i++) {
      const e = this.#entries[i];
      if (e === undefined) continue;
      if (
        e.reason === event.reason &&
        e.context === context &&
        Math.abs(e.updatedAt - now) <= GROUPING_MS &&
        e.object === event.object &&
        e.username === event.username
      ) {
        const bumped: AclLogEntry = { ...e, count: e.count + 1, updatedAt: now, clientInfo: event.clientInfo };
        this.#entries.splice(i, 1);
        this.#entries.unshift(bumped);
        return bumped;
      }
    }
    const entry: AclLogEntry = {
      count: 1,
      reason: event.reason,
      context,
      object: event.object,
      username: event.username,
      updatedAt: now,
      clientInfo: event.clientInfo,
    };
    this.#entries.unshift(entry);
    if (this.#entries.length > this.#maxLen) this.#entries.length = Math.max(0, this.#maxLen);
    return entry;
  }

  /** The newest `count` entries (all by default), newest first. */
  entries(count: number = this.#entries.length): readonly AclLogEntry[] {
    return this.#entries.slice(0, Math.max(0, count));
  }

  /** `ACL LOG RESET`. */
  reset(): void {
    this.#entries = [];
  }
}

/** ACL LOG's reply for `entries` at `now`: one 7-field map per entry, as Redis 7.0.15 sends it. */
export function aclLogReply(entries: readonly AclLogEntry[], now: number): RespValue {
  return resp.array(
    entries.map((e) =>
      resp.map([
        [resp.bulk("count"), resp.integer(e.count)],
        [resp.bulk("reason"), resp.bulk(e.reason)],
        [resp.bulk("context"), resp.bulk(e.context)],
        [resp.bulk("object"), resp.bulk(e.object)],
        [resp.bulk("username"), resp.bulk(e.username)],
        [resp.bulk("age-seconds"), resp.double((now - e.updatedAt) / 1000)],
        [resp.bulk("client-info"), resp.bulk(e.clientInfo)],
      ]),
    ),
  );
}
