import {
  exchange,
  formatAddress,
  instanceAddress,
  instanceFlags,
  parseInstanceList,
  type Address,
  type InstanceFields,
} from "@sentinel-kit/client-discovery";
import { discoveryOptions, type ConnectionFlags } from "./connection-options.js";
import { ExitCode } from "./exit-codes.js";
import { paint, type CliIO } from "./io.js";
import { renderTable } from "./table.js";

/** One sentinel's view of one master in a {@link StatusReport}. */
export interface MasterView {
  /** The sentinel. */
  readonly sentinel: string;
  /** The master address it reports. */
  readonly address: string;
  /** Its config epoch for this master. */
  readonly configEpoch: number;
  /** Its flags for the master. */
  readonly flags: readonly string[];
}

/** One master in a {@link StatusReport}, detailed from the first sentinel that answered. */
export interface MasterStatus {
  /** Master name. */
  readonly name: string;
  /** Address. */
  readonly address: string;
  /** Flags (SPEC §1.3). */
  readonly flags: readonly string[];
  /** config-epoch. */
  readonly configEpoch: number;
  /** quorum. */
  readonly quorum: number;
  /** failover-state, when a failover is in progress. */
  readonly failoverState: string | undefined;
  /** Replicas: address, flags, link status, replication offset, priority. */
  readonly replicas: readonly {
    /** `ip:port`. */
    readonly address: string;
    /** The sentinel's flags for it, e.g. `slave`, `s_down`. */
    readonly flags: readonly string[];
    /** master-link-status as the replica reports it: `ok` or `err`. */
    readonly link: string;
    /** slave-repl-offset. */
    readonly offset: number;
    /** slave-priority. */
    readonly priority: number;
  }[];
  /** The other sentinels the first sentinel knows: address, run id, flags. */
  readonly sentinels: readonly {
    /** `ip:port`. */
    readonly address: string;
    /** Its run id. */
    readonly runid: string;
    /** The first sentinel's flags for it. */
    readonly flags: readonly string[];
  }[];
  /** Each reachable sentinel's view (address, epoch), to spot a stale one. */
  readonly views: readonly MasterView[];
}

/** What `status --json` prints. */
export interface StatusReport {
  /** Every sentinel asked, and whether it answered. */
  readonly sentinels: readonly {
    /** `host:port` as given. */
    readonly address: string;
    /** Whether it answered. */
    readonly reachable: boolean;
    /** What went wrong when it did not. */
    readonly error?: string;
  }[];
  /** Every master the first answering sentinel monitors. */
  readonly masters: readonly MasterStatus[];
}

const flagsOf = (fields: InstanceFields) => [...instanceFlags(fields)];
const addressOf = (fields: InstanceFields) => {
  const a = instanceAddress(fields);
  return a ? formatAddress(a) : "?";
};

/** Gathers a {@link StatusReport}: SENTINEL MASTERS from every sentinel, replicas and sentinels from the first. */
export async function gatherStatus(flags: ConnectionFlags): Promise<StatusReport> {
  const options = discoveryOptions("-", flags);
  const auth = options.sentinelAuth ?? {};
  const timeout = options.sentinelTimeoutMs ?? 300;
  const answers = await Promise.all(
    options.sentinels.map(async (sentinel: Address) => {
      try {
        const [reply] = await exchange(sentinel, auth, timeout, [["SENTINEL", "MASTERS"]]);
        if (reply instanceof Error) throw reply;
        return { sentinel, masters: parseInstanceList(reply) };
      } catch (error) {
        return { sentinel, error: (error as Error).message };
      }
    }),
  );
  const sentinels = answers.map((a) => ({
    address: formatAddress(a.sentinel),
    reachable: a.masters !== undefined,
    ...(a.error === undefined ? {} : { error: a.error }),
  }));
  const first = answers.find((a) => a.masters !== undefined);
  if (first?.masters === undefined) return { sentinels, masters: [] };
  const masters: MasterStatus[] = [];
  for (const fields of first.masters) {
    const name = fields["name"] ?? "?";
    const [replicasReply, sentinelsReply] = await exchange(first.sentinel, auth, timeout, [
      ["SENTINEL", "REPLICAS", name],
      ["SENTINEL", "SENTINELS", name],
    ]);
    const views = answers.flatMap((a) =>
      (a.masters ?? [])
        .filter((m) => m["name"] === name)
        .map((m) => ({ sentinel: formatAddress(a.sentinel), address: addressOf(m), configEpoch: Number(m["config-epoch"] ?? 0), flags: flagsOf(m) })),
    );
    masters.push({
      name,
      address: addressOf(fields),
      flags: flagsOf(fields),
      configEpoch: Number(fields["config-epoch"] ?? 0),
      quorum: Number(fields["quorum"] ?? 0),
      failoverState: fields["failover-state"],
      replicas: parseInstanceList(replicasReply).map((r) => ({
        address: addressOf(r),
        flags: flagsOf(r),
        link: r["master-link-status"] ?? "?",
        offset: Number(r["slave-repl-offset"] ?? 0),
        priority: Number(r["slave-priority"] ?? 0),
      })),
      sentinels: parseInstanceList(sentinelsReply).map((s) => ({ address: addressOf(s), runid: s["runid"] ?? "?", flags: flagsOf(s) })),
      views,
    });
  }
  return { sentinels, masters };
}

function flagCell(io: CliIO, flags: readonly string[]): string {
  const text = flags.join(",");
  if (flags.some((f) => f === "s_down" || f === "o_down" || f === "disconnected")) return paint(io.colour, "red", text);
  if (flags.includes("failover_in_progress")) return paint(io.colour, "yellow", text);
  return paint(io.colour, "green", text);
}

/** `status`: prints the report as tables (coloured on a TTY) or JSON; exit 3 if no sentinel answered. */
export async function runStatus(flags: ConnectionFlags, io: CliIO): Promise<number> {
  const report = await gatherStatus(flags);
  if (flags.json) {
    io.out(JSON.stringify(report) + "\n");
  } else {
    for (const s of report.sentinels.filter((s) => !s.reachable)) io.err(`sentinel ${s.address} unreachable: ${s.error}\n`);
    for (const m of report.masters) {
      io.out(
        `${paint(io.colour, "bold", m.name)}  ${m.address}  ${flagCell(io, m.flags)}  epoch ${m.configEpoch}  quorum ${m.quorum}` +
          `${m.failoverState ? `  failover ${m.failoverState}` : ""}\n`,
      );
      const rows = [
        ...m.replicas.map((r) => ["replica", r.address, flagCell(io, r.flags), `link ${r.link}`, `offset ${r.offset}`, `priority ${r.priority}`]),
        ...m.sentinels.map((s) => ["sentinel", s.address, flagCell(io, s.flags), s.runid.slice(0, 8), "", ""]),
        ...m.views.map((v) => {
          const stale = v.configEpoch < m.configEpoch || v.address !== m.address;
          return ["view", v.sentinel, flagCell(io, v.flags), stale ? paint(io.colour, "red", v.address) : v.address, `epoch ${v.configEpoch}`, ""];
        }),
      ];
      io.out(renderTable(["KIND", "ADDRESS", "FLAGS", "DETAIL", "", ""], rows));
    }
  }
  return report.sentinels.some((s) => s.reachable) ? ExitCode.ok : ExitCode.noSentinel;
}
