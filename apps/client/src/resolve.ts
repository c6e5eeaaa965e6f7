import { formatAddress, SentinelDiscovery, type MasterTrustPolicy, type SentinelAttempt } from "@sentinel-kit/client-discovery";
import { discoveryOptions, positiveInt, type ConnectionFlags } from "./connection-options.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIO } from "./io.js";

/** Flags of `resolve`. */
export interface ResolveFlags extends ConnectionFlags {
  /** `--cross-check <n>`: require n sentinels agreeing at the highest config epoch. */
  crossCheck?: string;
  /** `--min-other-sentinels <n>`. */
  minOtherSentinels?: string;
}

/** What `resolve --json` prints. */
export interface ResolveReport {
  /** Master name. */
  readonly name: string;
  /** The ROLE-verified master, `host:port`. */
  readonly master: string;
  /** Its config epoch, when asked (cross-check or min-other-sentinels). */
  readonly configEpoch: number | null;
  /** The sentinels whose answers were used. */
  readonly agreeing: readonly string[];
  /** What each sentinel asked said. */
  readonly attempts: readonly SentinelAttempt[];
  /** The replicas a sentinel reports, with their flags and whether they are usable. */
  readonly replicas: readonly {
    /** `ip:port`. */
    readonly address: string;
    /** The sentinel's flags for it. */
    readonly flags: readonly string[];
    /** Whether client-discovery would pick it: not s_down, o_down or disconnected. */
    readonly usable: boolean;
  }[];
}

/** Builds the trust policy from the cross-check flags. */
export function trustFrom(flags: ResolveFlags): MasterTrustPolicy {
  const minAgreeing = flags.crossCheck === undefined ? undefined : positiveInt("--cross-check", flags.crossCheck, 1);
  const minOtherSentinels = positiveInt("--min-other-sentinels", flags.minOtherSentinels, 0);
  return { ...(minAgreeing === undefined ? {} : { minAgreeing }), ...(minOtherSentinels > 0 ? { minOtherSentinels } : {}) };
}

/** `resolve <name>`: the master by the client protocol (ROLE-verified), and the replicas. */
export async function runResolve(name: string, flags: ResolveFlags, io: CliIO): Promise<number> {
  const discovery = new SentinelDiscovery({ ...discoveryOptions(name, flags), trust: trustFrom(flags) });
  const resolution = await discovery.resolveMaster();
  const { replicas } = await discovery.listReplicas();
  const report: ResolveReport = {
    name,
    master: formatAddress(resolution.address),
    configEpoch: resolution.configEpoch ?? null,
    agreeing: resolution.agreeing.map(formatAddress),
    attempts: resolution.attempts,
    replicas: replicas.map((r) => ({
      address: formatAddress(r.address),
      flags: [...r.flags],
      usable: !["s_down", "o_down", "disconnected"].some((f) => r.flags.has(f)),
    })),
  };
  if (flags.json) {
    io.out(JSON.stringify(report) + "\n");
  } else {
    const epoch = report.configEpoch === null ? "" : ` epoch ${report.configEpoch}`;
    io.out(`master ${report.master}${epoch} (from ${report.agreeing.join(", ")})\n`);
    for (const r of report.replicas) io.out(`replica ${r.address} ${r.flags.join(",")}${r.usable ? "" : " (skipped)"}\n`);
  }
  return ExitCode.ok;
}
