// Runs one row: topology up, observers and workload on, fault in, wait, heal, quiet, then
// the checker's figures. Every process and connection is released in `finally`.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "@sentinel-kit/config-store";
import { FaultProxy, waitFor } from "@sentinel-kit/testkit";
import { EventLog, type DaemonEvent } from "./event-log.js";
import type { RowFigures } from "./figures.js";
import { reportedMasterPort } from "./resp.js";
import { multiMaster, RoleSampler } from "./role-sampler.js";
import { Topology, type TopologyOptions } from "./topology.js";
import { lostOps, Workload, type AckedOp } from "./workload.js";

/** What a row's fault and check functions see. */
export interface ScenarioContext {
  /** The running topology. */
  topo: Topology;
  /** Every event of every daemon. */
  events: DaemonEvent[];
  /** The workload. */
  workload: Workload;
  /** When the fault was injected, ms since the epoch (set just before `inject`). */
  t0: number;
  /** The master's advertised port before the fault. */
  initialMaster: number;
  /** Row-specific observations, copied into the figures. */
  notes: string[];
  /** The workload's proxies to the daemons, when the spec asks for them. */
  clientProxies: FaultProxy[];
  /** Acknowledged ops the final master does not have (filled in before `check`). */
  lost: AckedOp[];
}

/** One row as data. */
export interface ScenarioSpec {
  /** FAULTS.md row. */
  row: number;
  /** Short name. */
  name: string;
  /** Level. */
  level?: "L1" | "L2";
  /** The topology. */
  topology: TopologyOptions;
  /** Number of workload clients; 3 by default. */
  clients?: number;
  /** Clients reach data nodes directly (on the node's side of any proxy fault); true by default. */
  clientsDirect?: boolean;
  /** The workload reaches the daemons through proxies of its own (`ctx.clientProxies`), so a row can cut clients off from the daemons. */
  clientProxies?: boolean;
  /** Keep the fault this long after the agreed failover, ms; 0 by default. */
  holdAfterFailoverMs?: number;
  /** Injects the fault; returns the heal. */
  inject: (ctx: ScenarioContext) => Promise<() => Promise<void>>;
  /** Wait for a failover (all daemons agreeing on another master) within this bound before healing; else hold `holdMs`. */
  failoverWithinMs?: number;
  /** How long the fault is held when no failover is awaited, ms. */
  holdMs?: number;
  /** Quiet time after the heal before the final checks, ms; 2000 by default. */
  quietMs?: number;
  /** Bound on the post-heal convergence (liveness, row 25), ms; 20 000 by default. */
  settleWithinMs?: number;
  /** Indexes of the daemons that must agree after the heal; all by default (row 20 leaves out the misconfigured one). */
  agreeing?: readonly number[];
  /** Row invariants on the figures; returns the violations. */
  check?: (f: RowFigures, ctx: ScenarioContext) => string[] | Promise<string[]>;
}

const since = (t0: number, at: number | undefined): number | null => (at === undefined ? null : at - t0);

/** Runs `spec` and returns its figures; throws only when the topology cannot be set up. */
export async function runScenario(spec: ScenarioSpec): Promise<RowFigures> {
  const topo = await Topology.start(spec.topology);
  const events: DaemonEvent[] = [];
  const logs: EventLog[] = [];
  const sampler = new RoleSampler(() => topo.nodePorts());
  let workload: Workload | undefined;
  const clientProxies: FaultProxy[] = [];
  try {
    if (spec.clientProxies === true) for (const d of topo.daemons) clientProxies.push(await FaultProxy.start({ target: { host: "127.0.0.1", port: d.port } }));
    for (const [i, d] of topo.daemons.entries()) logs.push(await EventLog.open(d.port, i, events));
    sampler.start();
    workload = Workload.start({ sentinelPorts: spec.clientProxies === true ? clientProxies.map((p) => p.port) : topo.daemons.map((d) => d.port), clients: spec.clients ?? 3, ...(spec.clientsDirect === false ? {} : { natMap: topo.natMap() }) });
    const w = workload;
    await waitFor(() => w.acked.length >= 20, { timeoutMs: 10_000, what: "the workload to get 20 acknowledgements" });
    const ctx: ScenarioContext = { topo, events, workload, t0: Date.now(), initialMaster: topo.advertisedPort(0), notes: [], lost: [], clientProxies };
    const violations: string[] = [];
    const heal = await spec.inject(ctx);
    let convergeAt: number | undefined;
    try {
      if (spec.failoverWithinMs !== undefined) {
        try {
          await waitFor(async () => {
            const ports = await Promise.all(topo.daemons.filter((d) => !d.process.exited).map((d) => reportedMasterPort(d.port)));
            const agreed = ports.length > 0 && ports.every((p) => p !== null && p !== ctx.initialMaster && p === ports[0]);
            if (agreed) convergeAt = Date.now();
            return agreed;
          }, { timeoutMs: spec.failoverWithinMs, what: "a failover agreed by every daemon" });
        } catch {
          violations.push(`no agreed failover within ${spec.failoverWithinMs} ms`);
        }
        await sleep(spec.holdAfterFailoverMs ?? 0);
      } else {
        await sleep(spec.holdMs ?? 3_000);
      }
    } finally {
      await heal();
    }
    await sleep(spec.quietMs ?? 2_000);
    // Liveness after chaos (row 25): one master, every daemon agrees on it, writes succeed.
    let finalMaster: number | null = null;
    try {
      await waitFor(async () => {
        const judged = spec.agreeing === undefined ? topo.daemons : topo.daemons.filter((_, i) => spec.agreeing!.includes(i));
        const ports = await Promise.all(judged.map((d) => reportedMasterPort(d.port)));
        const last = sampler.samples.at(-1);
        const agreed = ports.every((p) => p !== null && p === ports[0]);
        if (agreed && convergeAt === undefined && spec.failoverWithinMs === undefined) convergeAt = Date.now();
        finalMaster = agreed ? ports[0]! : null;
        const own = finalMaster === null ? -1 : topo.nodes[topo.nodeIndexOf(finalMaster)]?.server.port;
        return agreed && last !== undefined && last.at > Date.now() - 500 && last.masters.length === 1 && last.masters[0] === own;
      }, { timeoutMs: spec.settleWithinMs ?? 20_000, what: "one master agreed by every daemon after the heal" });
    } catch {
      violations.push("no single agreed master after heal and quiet");
    }
    const ackedBefore = w.acked.length;
    await waitFor(() => w.acked.length > ackedBefore, { timeoutMs: 10_000, what: "a write after the heal" }).catch(() => {
      violations.push("no acknowledged write after the heal");
    });
    await w.stop();
    sampler.stop();
    const finalIndex = finalMaster === null ? -1 : topo.nodeIndexOf(finalMaster);
    const lost = finalIndex < 0 ? [] : await lostOps(w.acked, topo.nodes[finalIndex]!.server.port);
    ctx.lost = lost;
    if (finalIndex < 0) violations.push("final master unknown: lost writes not counted");
    const first = (channel: string): number | undefined => events.find((e) => e.at >= ctx.t0 && e.channel === channel && e.message.startsWith("master mymaster"))?.at;
    const mm = multiMaster(sampler.samples.filter((s) => s.at >= ctx.t0));
    const figures: RowFigures = {
      row: spec.row,
      name: spec.name,
      level: spec.level ?? "L1",
      acked: w.acked.length,
      lost: lost.length,
      sdownMs: since(ctx.t0, first("+sdown")),
      odownMs: since(ctx.t0, first("+odown")),
      switchMs: since(ctx.t0, events.find((e) => e.at >= ctx.t0 && e.channel === "+switch-master")?.at),
      convergeMs: since(ctx.t0, convergeAt),
      multiMasterMoments: mm.moments,
      multiMasterMs: mm.durationMs,
      tilts: events.filter((e) => e.channel === "+tilt").length,
      failovers: new Set(events.filter((e) => e.channel === "+switch-master").map((e) => e.message)).size,
      parseFailures: parseFailures(topo),
      notes: ctx.notes,
      violations,
    };
    if (lost.length > 0) ctx.notes.push(`lost acks acknowledged by ${[...new Set(lost.map((l) => l.by))].join(", ")}, ${lost.filter((l) => l.at >= ctx.t0).length} after the fault`);
    const errors = new Map<string, number>();
    for (const e of w.failed) errors.set(e.error.split(" ")[0] ?? e.error, (errors.get(e.error.split(" ")[0] ?? e.error) ?? 0) + 1);
    if (w.failed.length > 0) ctx.notes.push(`${w.failed.length} ops failed (${[...errors].map(([k, v]) => `${k} ${v}`).join(", ")})${w.reconnects > 0 ? `, ${w.reconnects} ended ioredis clients replaced` : ""}`);
    if (figures.parseFailures > 0) violations.push(`${figures.parseFailures} sentinel.conf parse failures`);
    violations.push(...((await spec.check?.(figures, ctx)) ?? []));
    return figures;
  } finally {
    await workload?.stop();
    sampler.stop();
    for (const l of logs) l.close();
    await Promise.allSettled(clientProxies.map((p) => p.close()));
    await topo.stop();
  }
}

/** Loads every daemon's sentinel.conf with config-store; counts those that fail. */
export function parseFailures(topo: Topology): number {
  let failures = 0;
  for (const d of topo.daemons) {
    try {
      loadConfig(readFileSync(d.confPath, "utf8"), { file: d.confPath });
    } catch {
      failures++;
    }
  }
  return failures;
}
