import { retryGateOpensAt } from "@sentinel-kit/raft-election";
import type { Violation } from "./checker.js";
import { Prng } from "./prng.js";
import { SimWorld, type EffectFilter } from "./world.js";

/** The faults a seed may draw from. */
export const FAULT_KINDS = ["crash", "partition", "bridge", "oneway", "loss", "pause", "clock", "redis", "leader"] as const;

/**
 * One kind of fault: sentinel crash/restart, partition, bridge, one-way cut, delay and loss,
 * SIGSTOP, clock jump, Redis crash/stop, or the next sentinel to reach `+elected-leader` or
 * `+promoted-slave` crashing at once (`SENTINEL SIMULATE-FAILURE`, FAULTS.md row 3).
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** down-after-milliseconds in every simulated run, ms. */
export const DOWN_AFTER_MS = 1000;
/** failover-timeout in every simulated run, ms. */
export const FAILOVER_TIMEOUT_MS = 2000;
/** Period of hellos (Redis's SENTINEL_PUBLISH_PERIOD), ms. */
export const HELLO_PERIOD_MS = 2000;
/**
 * Liveness bound: with every sentinel connected, none in TILT, and good replicas, the
 * master's crash is followed by every sentinel switching within down-after, plus two
 * failover-timeouts (one attempt may be lost: split votes, or `-failover-abort-no-good-slave`
 * when the replicas' INFO is older than 5 s at that moment; Redis retries after 2 x
 * failover-timeout, SPEC §4.8, §4.11), plus a hello period for the new configuration to
 * reach every sentinel, plus 1 s of asking and promoting.
 */
export const LIVENESS_BOUND_MS = DOWN_AFTER_MS + 2 * FAILOVER_TIMEOUT_MS + HELLO_PERIOD_MS + 1000;

/** Options of {@link runSeed}. */
export interface SeedOptions {
  /** The seed: it decides everything. */
  readonly seed: number;
  /** 3, 5 or 7 sentinels. */
  readonly sentinels: number;
  /** The faults drawn from. */
  readonly faults: readonly FaultKind[];
  /** Called with the world at the end (for tests and debugging). */
  readonly inspect?: (world: SimWorld) => void;
  /** Rewrites sentinels' effects (a broken voter); see {@link SimWorld}. */
  readonly filter?: EffectFilter;
}

/** What one seed did. */
export interface SeedResult {
  /** The seed. */
  readonly seed: number;
  /** Every invariant broken. */
  readonly violations: readonly Violation[];
  /** Master crash to every sentinel switched, in the liveness phase, ms; null when it did not happen. */
  readonly failoverMs: number | null;
  /** Elections won during the run. */
  readonly elections: number;
  /** Faults injected, as a short log. */
  readonly faultLog: readonly string[];
  /** Virtual time simulated, ms. */
  readonly simulatedMs: number;
  /** Core steps run. */
  readonly steps: number;
  /** The command that replays this seed. */
  readonly replay: string;
}

const PORTS = [6379, 6380, 6381];
const NAME = "mymaster";
/** Length of the fault phase, ms. */
const FAULT_PHASE_MS = 8000;

/** The command line replaying one seed. */
export function replayCommand(seed: number, sentinels: number, faults: readonly FaultKind[]): string {
  return `pnpm sim --seed ${seed} --sentinels ${sentinels} --faults ${faults.join(",")}`;
}

/**
 * One seeded run: three Redis instances and `sentinels` sentinels settle; for 8 s faults
 * drawn from `faults` hit them (the master is always crashed or stopped once, so failovers
 * happen under the faults); then everything heals. The run checks the safety invariants at
 * every step, then that the sentinels converge (same master and config epoch, exactly one
 * master instance), then liveness: the master crashed in a quiet, connected world is failed
 * over within {@link LIVENESS_BOUND_MS}.
 */
export function runSeed(options: SeedOptions): SeedResult {
  const { seed, sentinels: k, faults } = options;
  const world = new SimWorld({ seed, ...(options.filter !== undefined ? { filter: options.filter } : {}) });
  const random = new Prng(seed).fork().fork();
  for (const port of PORTS) world.addRedis(port, port === 6379 ? null : 6379);
  const conf = monitorConf(6379, Math.floor(k / 2) + 1);
  for (let i = 0; i < k; i++) world.addSentinel(conf);
  const start = world.now;
  const log: string[] = [];
  world.run(3000);

  const crashed = new Set<number>();
  const masterHit = random.between(0, FAULT_PHASE_MS - 2000);
  let hit = false;
  for (let t = 0; t < FAULT_PHASE_MS; ) {
    const gap = random.between(300, 1200);
    world.run(gap);
    t += gap;
    if (!hit && t >= masterHit) {
      hit = true;
      const port = agreedPort(world) ?? 6379;
      if (faults.includes("redis") && random.chance(0.3)) {
        const ms = random.between(1500, 4000);
        world.pauseRedis(port, ms);
        log.push(`${t} stop redis ${port} ${ms}ms`);
      } else {
        world.crashRedis(port);
        log.push(`${t} crash redis ${port}`);
      }
      continue;
    }
    if (faults.length === 0) continue;
    log.push(`${t} ${inject(world, random, random.pick(faults), crashed)}`);
  }

  world.network.heal();
  world.crashOnEvent = null;
  for (const s of world.sentinels) if (s.core === null) world.restartSentinel(s.index);
  for (const r of world.redis.values()) if (!r.alive) world.restartRedis(r.port);
  log.push("heal");

  const converged = world.runUntil(() => convergence(world) === null, 60_000, 100);
  if (!converged) world.checker.report("no-convergence", world.now, convergence(world) ?? "");

  let failoverMs: number | null = null;
  if (converged) {
    // The precondition of liveness: no sentinel in TILT, every one sees a good replica, and
    // no retry gate of an earlier attempt or vote still closed (2 x failover-timeout).
    world.runUntil(() => livenessReady(world), 45_000, 250);
    const old = agreedPort(world);
    if (old !== null) {
      world.crashRedis(old);
      const t0 = world.now;
      const switched = world.runUntil(() => {
        const now = agreedPort(world);
        return now !== null && now !== old;
      }, LIVENESS_BOUND_MS, 10);
      if (switched) failoverMs = world.now - t0;
      else world.checker.report("liveness", world.now, `master ${old} crashed in a quiet world, no agreed switch within ${LIVENESS_BOUND_MS} ms`);
    }
  }
  options.inspect?.(world);
  return {
    seed,
    violations: world.checker.violations,
    failoverMs,
    elections: world.checker.leaders.length,
    faultLog: log,
    simulatedMs: world.now - start,
    steps: world.steps,
    replay: replayCommand(seed, k, faults),
  };
}

/** Whether no sentinel is in TILT, none is held by a retry gate, and each sees a good replica of the agreed master (SPEC §4.9's filters). */
export function livenessReady(world: SimWorld, name = NAME): boolean {
  const port = agreedPort(world, name);
  if (port === null) return false;
  return world.sentinels.every((s) => {
    const entry = s.core?.masters.get(name);
    if (s.core == null || s.core.tiltSince !== null || entry === undefined) return false;
    const election = s.core.election.masters.get(name);
    const gate = election === undefined ? null : retryGateOpensAt(election);
    if (gate !== null && gate > world.now + s.clockOffset) return false;
    return [...entry.replicas.values()].some((r) => {
      const h = r.health.snapshot();
      const real = world.redis.get(`${r.address.host}:${r.address.port}`);
      return !h.sdown && !h.disconnected && h.roleReported === "slave" && h.slaveMasterLinkStatus === "up" && h.slaveMasterPort === port && real?.alive === true && real.linkUp && real.masterOf?.port === port;
    });
  });
}

/** The config text of a simulated sentinel monitoring the master on `port`. */
export function monitorConf(port: number, quorum: number): string {
  return `sentinel monitor ${NAME} 10.0.0.1 ${port} ${quorum}
sentinel down-after-milliseconds ${NAME} ${DOWN_AFTER_MS}
sentinel failover-timeout ${NAME} ${FAILOVER_TIMEOUT_MS}
`;
}

/** The master port every running sentinel agrees on, or null. */
export function agreedPort(world: SimWorld, name = NAME): number | null {
  let port: number | null = null;
  for (const s of world.sentinels) {
    const p = s.core?.masters.get(name)?.master.address.port;
    if (p === undefined) return null;
    if (port !== null && p !== port) return null;
    port = p;
  }
  return port;
}

/**
 * Null when every sentinel runs and agrees on the master and its config epoch and exactly
 * one live instance is a master, the agreed one; else what is still wrong.
 */
export function convergence(world: SimWorld, name = NAME): string | null {
  const views = world.sentinels.map((s) => {
    const core = s.core;
    if (core === null) return null;
    return `${core.masters.get(name)?.master.address.port ?? "?"}@${core.gossip.master(name)?.configEpoch ?? "?"}`;
  });
  const masters = [...world.redis.values()].filter((r) => r.alive && r.role === "master").map((r) => r.port);
  const port = agreedPort(world, name);
  if (new Set(views).size === 1 && views[0] !== null && masters.length === 1 && masters[0] === port) return null;
  return `sentinels see ${views.map((v) => v ?? "down").join(" ")}; instances that are master: ${masters.join(",") || "none"}`;
}

function inject(world: SimWorld, random: Prng, kind: FaultKind, crashed: Set<number>): string {
  const k = world.sentinels.length;
  const nodes = world.nodes();
  switch (kind) {
    case "crash": {
      const i = random.int(k);
      if (crashed.has(i)) {
        crashed.delete(i);
        world.restartSentinel(i);
        return `restart sentinel ${i}`;
      }
      crashed.add(i);
      world.crashSentinel(i);
      return `crash sentinel ${i}`;
    }
    case "partition": {
      const shuffled = random.shuffle(nodes);
      const cut = random.between(1, shuffled.length - 1);
      world.network.heal();
      world.network.partition([shuffled.slice(0, cut), shuffled.slice(cut)]);
      return `partition ${shuffled.slice(0, cut).join(",")} | ${shuffled.slice(cut).join(",")}`;
    }
    case "bridge": {
      const shuffled = random.shuffle(nodes);
      const bridge = shuffled[0] ?? "";
      const rest = shuffled.slice(1);
      const cut = random.between(1, rest.length - 1);
      world.network.heal();
      world.network.partition([rest.slice(0, cut), rest.slice(cut)], [bridge]);
      return `bridge ${bridge} between ${rest.slice(0, cut).join(",")} | ${rest.slice(cut).join(",")}`;
    }
    case "oneway": {
      const a = random.pick(nodes);
      const b = random.pick(nodes.filter((n) => n !== a));
      world.network.cutOneWay(a, b);
      return `cut ${a} -> ${b}`;
    }
    case "loss": {
      const a = random.pick(nodes);
      const b = random.pick(nodes.filter((n) => n !== a));
      const fault = { delayMs: random.between(0, 400), loss: random.next() * 0.5 };
      world.network.degrade(a, b, fault);
      world.network.degrade(b, a, fault);
      return `degrade ${a} <-> ${b} ${fault.delayMs}ms ${(fault.loss * 100).toFixed(0)}%`;
    }
    case "pause": {
      const i = random.int(k);
      const ms = random.between(500, 3500);
      world.pauseSentinel(i, ms);
      return `stop sentinel ${i} ${ms}ms`;
    }
    case "clock": {
      const i = random.int(k);
      const ms = random.pick([-5000, -2500, -100, 2500, 5000]);
      world.jumpClock(i, ms);
      return `clock of sentinel ${i} ${ms > 0 ? "+" : ""}${ms}ms`;
    }
    case "leader": {
      world.crashOnEvent = random.pick(["+elected-leader", "+promoted-slave"]);
      return `crash the next sentinel at ${world.crashOnEvent}`;
    }
    case "redis": {
      const port = random.pick(PORTS.filter((p) => p !== agreedPort(world)));
      const r = world.instance(port);
      if (!r.alive) {
        world.restartRedis(port);
        return `restart redis ${port}`;
      }
      if (random.chance(0.5)) {
        world.crashRedis(port);
        return `crash redis ${port}`;
      }
      const ms = random.between(500, 3000);
      world.pauseRedis(port, ms);
      return `stop redis ${port} ${ms}ms`;
    }
  }
}
