/**
 * INFO in sentinel mode (`sentinelInfoCommand`, SPEC §1.4): the server, clients, stats, cpu
 * and sentinel sections, in the order and with the fields Redis 7.0.15's redis-sentinel
 * prints (checked against it by the differential test).
 *
 * Fields we cannot know truthfully are printed the way Redis prints them when it has nothing
 * to say: `gcc_version:0.0.0` (Redis's value when not built by gcc), `redis_git_sha1:00000000`,
 * `redis_git_dirty:0`, a `redis_build_id` of zeros, and zero for the counters of features a
 * sentinel has no use for (keyspace, replication, eviction, defrag, tracking, forks).
 * `redis_version` is 7.0.15, the version whose behaviour we reproduce, because clients and
 * tools parse it to decide what they may send.
 *
 * @module
 */
import { arch, machine, release, type } from "node:os";
import type { SentinelView } from "./view.js";

/** The version we report in INFO and HELLO: the redis-sentinel whose behaviour we reproduce. */
export const REDIS_COMPAT_VERSION = "7.0.15";

/** Facts about the host process that INFO prints, read at reply time by default. */
export interface HostFacts {
  /** `os`: kernel name, release and machine, as `uname` gives them. */
  readonly os: string;
  /** `arch_bits`. */
  readonly archBits: number;
  /** CPU seconds of this process. */
  readonly cpu: {
    /** In system mode. */
    readonly sys: number;
    /** In user mode. */
    readonly user: number;
  };
}

/** The host facts of this process now. */
export function currentHostFacts(): HostFacts {
  const usage = process.cpuUsage();
  return {
    os: `${type()} ${release()} ${machine()}`,
    archBits: /64/.test(arch()) ? 64 : 32,
    cpu: { sys: usage.system / 1e6, user: usage.user / 1e6 },
  };
}

/** The sections a sentinel has, in the order Redis prints them (`genRedisInfoString`, then the sentinel part). */
export const SENTINEL_INFO_SECTIONS = ["server", "clients", "stats", "cpu", "sentinel"] as const;

/** A section name of {@link SENTINEL_INFO_SECTIONS}. */
export type SentinelInfoSection = (typeof SENTINEL_INFO_SECTIONS)[number];

/**
 * Which sections `INFO <args>` prints (`genInfoSectionDict` with the sentinel sections as
 * defaults): none given, `default`, `all` or `everything` mean all five; unknown names are
 * dropped; names are case-insensitive.
 */
export function selectSections(args: readonly string[]): ReadonlySet<SentinelInfoSection> {
  const wanted = new Set<string>();
  if (args.length === 0) return new Set(SENTINEL_INFO_SECTIONS);
  for (const arg of args) {
    const name = arg.toLowerCase();
    if (name === "default" || name === "all" || name === "everything") SENTINEL_INFO_SECTIONS.forEach((s) => wanted.add(s));
    else wanted.add(name);
  }
  return new Set(SENTINEL_INFO_SECTIONS.filter((s) => wanted.has(s)));
}

type Line = readonly [string, string | number];

// LRU_CLOCK_RESOLUTION is 1000 ms and the clock is 24 bits wide (server.h).
const LRU_CLOCK_MAX = (1 << 24) - 1;

function serverSection(view: SentinelView, host: HostFacts, now: number): Line[] {
  const s = view.server;
  const uptime = Math.max(0, Math.floor((now - s.startedAt) / 1000));
  return [
    ["redis_version", REDIS_COMPAT_VERSION],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0000000000000000"],
    ["redis_mode", "sentinel"],
    ["os", host.os],
    ["arch_bits", host.archBits],
    ["monotonic_clock", "POSIX clock_gettime"],
    ["multiplexing_api", "epoll"],
    ["atomicvar_api", "c11-builtin"],
    ["gcc_version", "0.0.0"],
    ["process_id", s.processId],
    ["process_supervised", "no"],
    ["run_id", s.runId],
    ["tcp_port", s.tcpPort],
    ["server_time_usec", Math.floor(now) * 1000],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", s.hz],
    ["configured_hz", 10],
    ["lru_clock", Math.floor(now / 1000) & LRU_CLOCK_MAX],
    ["executable", s.executable],
    ["config_file", s.configFile],
    ["io_threads_active", 0],
  ];
}

function clientsSection(view: SentinelView): Line[] {
  return [
    ["connected_clients", view.server.connectedClients],
    ["cluster_connections", 0],
    ["maxclients", view.server.maxClients],
    ["client_recent_max_input_buffer", 0],
    ["client_recent_max_output_buffer", 0],
    ["blocked_clients", view.server.blockedClients ?? 0],
    ["tracking_clients", view.server.trackingClients ?? 0],
    ["clients_in_timeout_table", 0],
  ];
}

function statsSection(view: SentinelView): Line[] {
  const s = view.server;
  return [
    ["total_connections_received", s.totalConnectionsReceived],
    ["total_commands_processed", s.totalCommandsProcessed],
    ["instantaneous_ops_per_sec", 0],
    ["total_net_input_bytes", s.totalNetInputBytes],
    ["total_net_output_bytes", s.totalNetOutputBytes],
    ["total_net_repl_input_bytes", 0],
    ["total_net_repl_output_bytes", 0],
    ["instantaneous_input_kbps", "0.00"],
    ["instantaneous_output_kbps", "0.00"],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", s.rejectedConnections],
    ["sync_full", 0],
    ["sync_partial_ok", 0],
    ["sync_partial_err", 0],
    ["expired_keys", 0],
    ["expired_stale_perc", "0.00"],
    ["expired_time_cap_reached_count", 0],
    ["expire_cycle_cpu_milliseconds", 0],
    ["evicted_keys", 0],
    ["evicted_clients", 0],
    ["total_eviction_exceeded_time", 0],
    ["current_eviction_exceeded_time", 0],
    ["keyspace_hits", 0],
    ["keyspace_misses", 0],
    ["pubsub_channels", s.pubsubChannels],
    ["pubsub_patterns", s.pubsubPatterns],
    ["pubsubshard_channels", 0],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", 0],
    ["active_defrag_misses", 0],
    ["active_defrag_key_hits", 0],
    ["active_defrag_key_misses", 0],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", 0],
    ["tracking_total_items", 0],
    ["tracking_total_prefixes", 0],
    ["unexpected_error_replies", 0],
    ["total_error_replies", s.totalErrorReplies],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", s.totalReadsProcessed],
    ["total_writes_processed", s.totalWritesProcessed],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", 0],
    ["reply_buffer_expands", 0],
  ];
}

function cpuSection(host: HostFacts): Line[] {
  // Node runs scripts in child processes it does not account for: children stay at zero.
  return [
    ["used_cpu_sys", host.cpu.sys.toFixed(6)],
    ["used_cpu_user", host.cpu.user.toFixed(6)],
    ["used_cpu_sys_children", "0.000000"],
    ["used_cpu_user_children", "0.000000"],
    ["used_cpu_sys_main_thread", host.cpu.sys.toFixed(6)],
    ["used_cpu_user_main_thread", host.cpu.user.toFixed(6)],
  ];
}

// SENTINEL_SIMFAILURE_CRASH_AFTER_ELECTION (1<<0) and _AFTER_PROMOTION (1<<1).
function simFailureFlags(view: SentinelView): number {
  return (view.simulateFailure.crashAfterElection ? 1 : 0) | (view.simulateFailure.crashAfterPromotion ? 2 : 0);
}

function sentinelSection(view: SentinelView, now: number): string[] {
  const running = view.scripts.filter((s) => s.running).length;
  const lines = [
    "# Sentinel",
    `sentinel_masters:${view.masters.length}`,
    `sentinel_tilt:${view.tiltSince !== null ? 1 : 0}`,
    `sentinel_tilt_since_seconds:${view.tiltSince !== null ? Math.trunc((now - view.tiltSince) / 1000) : -1}`,
    `sentinel_running_scripts:${running}`,
    `sentinel_scripts_queue_length:${view.scripts.length}`,
    `sentinel_simulate_failure_flags:${simFailureFlags(view)}`,
  ];
  view.masters.forEach((m, i) => {
    const status = m.flags.has("o_down") ? "odown" : m.flags.has("s_down") ? "sdown" : "ok";
    lines.push(
      `master${i}:name=${m.name},status=${status},address=${m.ip}:${m.port},slaves=${m.replicas.length},sentinels=${m.sentinels.length + 1}`,
    );
  });
  return lines;
}

function section(title: string, lines: readonly Line[]): string[] {
  return [`# ${title}`, ...lines.map(([k, v]) => `${k}:${v}`)];
}

/**
 * The INFO text for `args` (the arguments after INFO), CRLF-terminated lines, sections
 * separated by an empty line; empty when no known section is asked for.
 */
export function infoText(view: SentinelView, args: readonly string[], now: number, host: HostFacts): string {
  const wanted = selectSections(args);
  const blocks: string[][] = [];
  if (wanted.has("server")) blocks.push(section("Server", serverSection(view, host, now)));
  if (wanted.has("clients")) blocks.push(section("Clients", clientsSection(view)));
  if (wanted.has("stats")) blocks.push(section("Stats", statsSection(view)));
  if (wanted.has("cpu")) blocks.push(section("CPU", cpuSection(host)));
  if (wanted.has("sentinel")) blocks.push(sentinelSection(view, now));
  return blocks.map((b) => b.map((l) => `${l}\r\n`).join("")).join("\r\n");
}
