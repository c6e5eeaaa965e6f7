/**
 * The instance maps of SENTINEL MASTERS, MASTER, REPLICAS and SENTINELS, field for field as
 * Redis 7.0's `addReplySentinelRedisInstance` builds them (SPEC §1.3): fields in Redis's
 * order, every number a bulk string, times as "ms ago", `failover-state` only while a
 * failover is in progress, `s-down-time` / `o-down-time` only while down.
 *
 * @module
 */
import { resp, type RespValue } from "@sentinel-kit/resp-protocol";
import {
  INSTANCE_FLAG_ORDER,
  type InstanceFlag,
  type InstanceView,
  type MasterView,
  type RedisInstanceView,
  type ReplicaView,
  type SentinelPeerView,
} from "./view.js";

type Field = readonly [RespValue, RespValue];

// Redis 7.0.15 keeps a master_reboot flag but does not print it: its flag list ends at
// script_kill_sent (addReplySentinelRedisInstance in the 7.0 branch).
const PRINTED_FLAGS: ReadonlySet<InstanceFlag> = new Set(INSTANCE_FLAG_ORDER.filter((f) => f !== "master_reboot"));

/** The `flags` field: the instance's flags in Redis's order, comma separated. */
export function flagsText(flags: ReadonlySet<InstanceFlag>): string {
  return INSTANCE_FLAG_ORDER.filter((f) => PRINTED_FLAGS.has(f) && flags.has(f)).join(",");
}

function str(name: string, value: string): Field {
  return [resp.bulk(name), resp.bulk(value)];
}

function num(name: string, value: number): Field {
  return [resp.bulk(name), resp.bulk(String(Math.trunc(value)))];
}

function commonFields(ri: InstanceView, now: number, failoverState: MasterView["failoverState"] | null): Field[] {
  const fields: Field[] = [
    str("name", ri.name),
    str("ip", ri.ip),
    num("port", ri.port),
    str("runid", ri.runid ?? ""),
    str("flags", flagsText(ri.flags)),
    num("link-pending-commands", ri.linkPendingCommands),
    num("link-refcount", ri.linkRefcount),
  ];
  if (failoverState !== null && ri.flags.has("failover_in_progress")) fields.push(str("failover-state", failoverState));
  fields.push(
    num("last-ping-sent", ri.lastPingSent !== 0 ? now - ri.lastPingSent : 0),
    num("last-ok-ping-reply", now - ri.lastOkPingReply),
    num("last-ping-reply", now - ri.lastPingReply),
  );
  if (ri.flags.has("s_down") && ri.sDownSince !== null) fields.push(num("s-down-time", now - ri.sDownSince));
  return fields;
}

function redisFields(ri: RedisInstanceView, now: number): Field[] {
  return [
    num("info-refresh", ri.infoRefresh !== 0 ? now - ri.infoRefresh : 0),
    str("role-reported", ri.roleReported),
    num("role-reported-time", now - ri.roleReportedTime),
  ];
}

/** The map of one master (SENTINEL MASTER, one element of SENTINEL MASTERS). */
export function masterReply(master: MasterView, now: number): RespValue {
  const fields = commonFields(master, now, master.failoverState);
  if (master.flags.has("o_down") && master.oDownSince !== null) fields.push(num("o-down-time", now - master.oDownSince));
  fields.push(num("down-after-milliseconds", master.downAfterMs), ...redisFields(master, now));
  fields.push(
    num("config-epoch", master.configEpoch),
    num("num-slaves", master.replicas.length),
    num("num-other-sentinels", master.sentinels.length),
    num("quorum", master.quorum),
    num("failover-timeout", master.failoverTimeoutMs),
    num("parallel-syncs", master.parallelSyncs),
  );
  if (master.notificationScript !== null) fields.push(str("notification-script", master.notificationScript));
  if (master.clientReconfigScript !== null) fields.push(str("client-reconfig-script", master.clientReconfigScript));
  return resp.map(fields);
}

/** The map of one replica (one element of SENTINEL REPLICAS). */
export function replicaReply(replica: ReplicaView, now: number): RespValue {
  const fields = commonFields(replica, now, null);
  fields.push(num("down-after-milliseconds", replica.downAfterMs), ...redisFields(replica, now));
  fields.push(
    num("master-link-down-time", replica.masterLinkDownTime),
    str("master-link-status", replica.masterLinkUp ? "ok" : "err"),
    str("master-host", replica.masterHost ?? "?"),
    num("master-port", replica.masterPort),
    num("slave-priority", replica.slavePriority),
    num("slave-repl-offset", replica.slaveReplOffset),
    num("replica-announced", replica.replicaAnnounced ? 1 : 0),
  );
  return resp.map(fields);
}

/** The map of one other sentinel (one element of SENTINEL SENTINELS). */
export function sentinelPeerReply(peer: SentinelPeerView, now: number): RespValue {
  const fields = commonFields(peer, now, null);
  fields.push(
    num("down-after-milliseconds", peer.downAfterMs),
    num("last-hello-message", now - peer.lastHelloMessage),
    str("voted-leader", peer.votedLeader ?? "?"),
    num("voted-leader-epoch", peer.votedLeaderEpoch),
  );
  return resp.map(fields);
}

/** SENTINEL REPLICAS: the replicas, leaving out those whose INFO says `replica_announced:0` (`addReplyDictOfRedisInstances`). */
export function replicasReply(master: MasterView, now: number): RespValue {
  return resp.array(master.replicas.filter((r) => r.replicaAnnounced).map((r) => replicaReply(r, now)));
}
