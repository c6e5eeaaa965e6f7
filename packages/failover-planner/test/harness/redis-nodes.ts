// Real redis-server processes on 127.0.0.1 for the integration tests, and a minimal
// runtime that carries the planner's effects out on them. Every process started here is
// tracked by pid and stopped by stopAll().
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import {
  createFailoverPlanner,
  type Address,
  type MasterView,
  type PlannerEffect,
  type PlannerInput,
  type ReplicaView,
  type RoleReply,
} from "@sentinel-kit/failover-planner";

export const HOST = "127.0.0.1";
const RENAMES = ["rename-command SLAVEOF rs-slaveof", "rename-command CONFIG rs-config"];
// Redis 7.0 waits 5 s before a diskless full sync by default; the test has no reason to.
const FAST_SYNC = ["repl-diskless-sync-delay 0"];

export interface Node {
  port: number;
  conf: string;
  proc: ChildProcess;
  client: Redis;
}

export const dir = mkdtempSync(join(tmpdir(), "failover-planner-"));
const nodes: Node[] = [];
const others: ChildProcess[] = [];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr !== null ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function startRedis(extra: string[]): Promise<Node> {
  // A free port can be taken between the probe and redis-server's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const conf = join(dir, `redis-${port}.conf`);
    writeFileSync(conf, [`port ${port}`, `bind ${HOST}`, `dir ${dir}`, 'save ""', "appendonly no", ...RENAMES, ...FAST_SYNC, ...extra, ""].join("\n"));
    const proc = spawn("redis-server", [conf], { stdio: "ignore" });
    const client = new Redis(port, HOST, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    // Refused connections while the server starts are expected; waitFor retries.
    client.on("error", () => undefined);
    const node: Node = { port, conf, proc, client };
    nodes.push(node);
    await waitFor(`redis-server on ${port}`, async () => {
      if (proc.exitCode !== null) return true;
      if (client.status === "wait") await client.connect();
      return (await client.ping()) === "PONG";
    });
    if (proc.exitCode === null) return node;
    client.disconnect();
    if (attempt >= 3) throw new Error(`redis-server on ${port} exited with code ${proc.exitCode}`);
  }
}

function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

export async function info(node: Node): Promise<Map<string, string>> {
  return parseInfo(String(await node.client.call("INFO")));
}

async function replicaView(node: Node, now: number): Promise<ReplicaView> {
  const f = await info(node);
  const role = f.get("role") === "master" ? "master" : "slave";
  return {
    addr: { host: HOST, port: node.port },
    runId: f.get("run_id") ?? null,
    sDown: false,
    oDown: false,
    sDownSince: 0,
    oDownSince: 0,
    disconnected: false,
    lastAvailTime: now,
    infoRefresh: now,
    priority: Number(f.get("slave_priority") ?? 100),
    replOffset: Number(f.get("slave_repl_offset") ?? 0),
    masterLinkDownTime: Number(f.get("master_link_down_since_seconds") ?? 0) * 1000,
    role,
    roleReportedTime: now - 60_000,
    masterHost: f.get("master_host") ?? null,
    masterPort: Number(f.get("master_port") ?? 0),
    masterLinkUp: f.get("master_link_status") === "up",
    confChangeTime: now - 60_000,
  };
}

function parseRole(reply: unknown): RoleReply {
  const [role, host, port, state] = reply as [string, string, number, string];
  return role === "master"
    ? { role: "master" }
    : { role: "slave", masterHost: host, masterPort: Number(port), linkUp: state === "connected" };
}

export interface FailoverRun {
  events: string[];
  sends: { to: number; purpose: string }[];
  ms: number;
  m: Node;
  r1: Node;
  r2: Node;
  appClosed: Promise<void>;
}

/** A master and two replicas, r1 preferred by replica-priority, replication up. */
export async function topology(): Promise<{ m: Node; r1: Node; r2: Node }> {
  const m = await startRedis([]);
  const r1 = await startRedis([`replicaof ${HOST} ${m.port}`, "replica-priority 10"]);
  const r2 = await startRedis([`replicaof ${HOST} ${m.port}`, "replica-priority 100"]);
  for (const r of [r1, r2]) {
    await waitFor("replication link up", async () => (await info(r)).get("master_link_status") === "up");
  }
  return { m, r1, r2 };
}

/** Stops a node's process by pid and waits (bounded) for it to exit. */
export async function kill(node: Node): Promise<void> {
  node.client.disconnect();
  await stop(node.proc);
}

/**
 * A failover of a fresh {@link topology}, driven through the planner by a minimal runtime:
 * ticks every 20 ms (fast) or 100 ms (Redis pacing, with INFO to each replica every
 * second, as Sentinel does during a failover). `trigger` is SENTINEL FAILOVER, or the
 * master's death (the runtime then reports it SDOWN and ODOWN, and this sentinel elected).
 */
export async function failover(fast: boolean, trigger: "command" | "odown" = "command"): Promise<FailoverRun> {
  const { m, r1, r2 } = await topology();
  // An application connection to r1 that CLIENT KILL TYPE normal must close.
  const app = new Socket();
  const appClosed = new Promise<void>((resolve) => app.once("close", () => resolve()));
  await new Promise<void>((resolve) => app.connect(r1.port, HOST, resolve));

  const byPort = new Map(nodes.map((n) => [n.port, n]));
  const diedAt = trigger === "odown" ? Date.now() : 0;
  if (trigger === "odown") await kill(m);
  const masterView = async (now: number): Promise<MasterView> => ({
    name: "mymaster",
    addr: { host: HOST, port: m.port },
    sDown: trigger === "odown",
    oDown: trigger === "odown",
    sDownSince: diedAt,
    role: "master",
    infoRefresh: trigger === "odown" ? diedAt : now,
    downAfter: 5000,
    failoverTimeout: 60_000,
    parallelSyncs: 1,
    renamedCommands: { slaveof: "rs-slaveof", config: "rs-config" },
    replicas: [await replicaView(r1, now), await replicaView(r2, now)],
  });

  const planner = createFailoverPlanner(
    fast ? { fastConfirmation: { probeIntervalMs: 20, maxProbes: 100 } } : {},
  );
  let state = planner.initialState();
  const events: string[] = [];
  const sends: { to: number; purpose: string }[] = [];
  const inputs: PlannerInput[] = [{ type: trigger === "odown" ? "tick" : "failover-command" }];
  let currentEpoch = 0;
  const started = Date.now();
  let nextInfo = started + 1000;
  let switchedAt: number | null = null;

  const run = async (effects: readonly PlannerEffect[]) => {
    for (const e of effects) {
      if (e.kind === "set-current-epoch") currentEpoch = e.epoch;
      // A sentinel alone with quorum 1 wins its own election at once.
      if (e.kind === "ask-sentinels") inputs.push({ type: "election", epoch: e.epoch, elected: true });
      if (e.kind === "event") {
        events.push(`${e.type} ${e.payload}`);
        if (e.type === "+switch-master") switchedAt = Date.now();
      }
      if (e.kind !== "send") continue;
      sends.push({ to: e.to.port, purpose: e.purpose });
      const node = byPort.get(e.to.port);
      if (node === undefined) throw new Error(`no node ${e.to.port}`);
      const replies = e.commands.map(([name = "", ...args]) => node.client.call(name, ...args));
      if (e.purpose === "probe-role") {
        const to: Address = e.to;
        inputs.push({ type: "role-reply", replica: to, reply: parseRole(await replies[0]) });
      } else {
        await Promise.all(replies);
      }
    }
  };

  const deadline = started + 15_000;
  while (switchedAt === null && Date.now() < deadline) {
    if (inputs.length === 0) {
      await new Promise((r) => setTimeout(r, fast ? 20 : 100));
      if (!fast && Date.now() >= nextInfo) {
        nextInfo += 1000;
        inputs.push({ type: "replica-info", replica: { host: HOST, port: r1.port } });
        inputs.push({ type: "replica-info", replica: { host: HOST, port: r2.port } });
      }
      inputs.push({ type: "tick" });
    }
    const input = inputs.shift() ?? { type: "tick" };
    const now = Date.now();
    const result = planner.step(state, input, { now, master: await masterView(now), currentEpoch, random: Math.random });
    state = result.state;
    await run(result.effects);
  }
  app.destroy();
  return { events, sends, ms: (switchedAt ?? Infinity) - started, m, r1, r2, appClosed };
}


/** Tracks a process this module's caller started, so stopAll() stops it too. */
export function track(proc: ChildProcess): void {
  others.push(proc);
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const exited = new Promise((r) => proc.once("exit", r));
  process.kill(proc.pid, "SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, "SIGKILL");
}

/** Stops every process started here, by pid, and removes the temporary directory. */
export async function stopAll(): Promise<void> {
  for (const n of nodes) {
    n.client.disconnect();
    await stop(n.proc);
  }
  for (const p of others) await stop(p);
  rmSync(dir, { recursive: true, force: true });
}
