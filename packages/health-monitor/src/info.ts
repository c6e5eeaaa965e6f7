/**
 * A replica listed by a master's INFO (`slaveN:` line), in either of the two formats
 * Redis has used: `slave0:<ip>,<port>,<state>` (old) or
 * `slave0:ip=<ip>,port=<port>,state=<state>,offset=<n>,lag=<n>` (new).
 */
export interface InfoReplicaEntry {
  /** The address the replica announced: an IPv4 or IPv6 literal, or a hostname. */
  readonly ip: string;
  /**
   * The port, read like C's `atoi` (leading digits, 0 when there are none), as Redis
   * Sentinel does.
   */
  readonly port: number;
  /** `state=` (new format) or the third field (old format), e.g. `online`, `wait_bgsave`. */
  readonly state: string | undefined;
  /** `offset=` in the new format: the replication offset the replica acknowledged. */
  readonly offset: number | undefined;
  /** `lag=` in the new format: seconds since the replica's last acknowledgement. */
  readonly lag: number | undefined;
}

/** The role line of INFO: `role:master` or `role:slave`. */
export type ReportedRole = "master" | "slave";

/**
 * What Redis Sentinel reads from an instance's INFO (SPEC §4.4,
 * `sentinelRefreshInstanceInfo`). Fields absent from the text are `undefined`, except
 * {@link ParsedInfo.masterLinkDownTimeMs}, which Redis resets to 0 when absent.
 */
export interface ParsedInfo {
  /** `run_id`: its first 40 characters, as Redis keeps them; `undefined` when shorter. */
  readonly runId: string | undefined;
  /** `role:master` or `role:slave`; `undefined` when INFO has no role line. */
  readonly role: ReportedRole | undefined;
  /** `master_host` (replicas only): an IP literal or a hostname, IPv6 unbracketed. */
  readonly masterHost: string | undefined;
  /** `master_port` (replicas only). */
  readonly masterPort: number | undefined;
  /**
   * `master_link_status` (replicas only): `up` when the text is `up` (any case), else
   * `down`, as Redis compares it.
   */
  readonly masterLinkStatus: "up" | "down" | undefined;
  /**
   * `master_link_down_since_seconds` as printed: seconds since the replica lost its
   * master, or -1 when it never had a link. Printed only while the link is down.
   */
  readonly masterLinkDownSinceSeconds: number | undefined;
  /**
   * Redis's `master_link_down_time`: `master_link_down_since_seconds` × 1000, and 0 when
   * the line is absent (so -1 s becomes -1000 ms, which Redis treats as "down").
   */
  readonly masterLinkDownTimeMs: number;
  /**
   * `slave_priority` (what Redis 7.0 prints; `replica_priority` is accepted too), replicas
   * only. 0 means "never promote".
   */
  readonly slavePriority: number | undefined;
  /** `slave_repl_offset` (replicas only). */
  readonly slaveReplOffset: number | undefined;
  /** `replica_announced` (replicas only): false when `replica-announced no`. */
  readonly replicaAnnounced: boolean | undefined;
  /** The `slaveN:` lines, in order, those with a readable address only. */
  readonly replicas: readonly InfoReplicaEntry[];
}

const RUN_ID_LENGTH = 40;

// C's atoi/strtoll: optional sign, then leading digits; anything else reads as 0.
function atoi(text: string): number {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

function optionalNumber(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

function parseReplicaLine(value: string): InfoReplicaEntry | undefined {
  if (!value.includes("ip=")) {
    // Old format: ip,port,state. Redis requires the comma after the port.
    const [ip, port, state, ...rest] = value.split(",");
    if (ip === undefined || port === undefined || state === undefined) return undefined;
    return { ip, port: atoi(port), state: [state, ...rest].join(","), offset: undefined, lag: undefined };
  }
  const fields = new Map<string, string>();
  for (const pair of value.split(",")) {
    const eq = pair.indexOf("=");
    if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const ip = fields.get("ip");
  const port = fields.get("port");
  if (ip === undefined || port === undefined) return undefined;
  const offset = fields.get("offset");
  const lag = fields.get("lag");
  return {
    ip,
    port: atoi(port),
    state: fields.get("state"),
    offset: offset === undefined ? undefined : optionalNumber(offset),
    lag: lag === undefined ? undefined : optionalNumber(lag),
  };
}

/**
 * Parses the text of an `INFO` reply the way Redis Sentinel does (SPEC §4.4): lines split
 * on CRLF (a bare LF is accepted too), `key:value` split at the first colon, so IPv6
 * values such as `master_host:::1` keep their colons. Replica-side fields are read only
 * after a `role:slave` line, as in `sentinelRefreshInstanceInfo`.
 */
export function parseInfo(text: string): ParsedInfo {
  let runId: string | undefined;
  let role: ReportedRole | undefined;
  let masterHost: string | undefined;
  let masterPort: number | undefined;
  let masterLinkStatus: "up" | "down" | undefined;
  let masterLinkDownSinceSeconds: number | undefined;
  let slavePriority: number | undefined;
  let slaveReplOffset: number | undefined;
  let replicaAnnounced: boolean | undefined;
  const replicas: InfoReplicaEntry[] = [];

  for (const rawLine of text.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    const colon = line.indexOf(":");
    if (colon <= 0 || line.startsWith("#")) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);

    if (key === "run_id") {
      if (value.length >= RUN_ID_LENGTH) runId = value.slice(0, RUN_ID_LENGTH);
    } else if (/^slave\d/.test(key) && line.length >= 7) {
      const entry = parseReplicaLine(value);
      if (entry !== undefined) replicas.push(entry);
    } else if (key === "master_link_down_since_seconds") {
      masterLinkDownSinceSeconds = atoi(value);
    } else if (key === "role") {
      if (value.startsWith("master")) role = "master";
      else if (value.startsWith("slave")) role = "slave";
    } else if (role === "slave") {
      switch (key) {
        case "master_host":
          masterHost = value;
          break;
        case "master_port":
          masterPort = atoi(value);
          break;
        case "master_link_status":
          masterLinkStatus = value.toLowerCase() === "up" ? "up" : "down";
          break;
        case "slave_priority":
        case "replica_priority":
          slavePriority = atoi(value);
          break;
        case "slave_repl_offset":
          slaveReplOffset = atoi(value);
          break;
        case "replica_announced":
          replicaAnnounced = atoi(value) !== 0;
          break;
      }
    }
  }

  return {
    runId,
    role,
    masterHost,
    masterPort,
    masterLinkStatus,
    masterLinkDownSinceSeconds,
    masterLinkDownTimeMs:
      masterLinkDownSinceSeconds === undefined ? 0 : masterLinkDownSinceSeconds * 1000,
    slavePriority,
    slaveReplOffset,
    replicaAnnounced,
    replicas,
  };
}
