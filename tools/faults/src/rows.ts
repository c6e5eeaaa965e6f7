// One function per FAULTS.md row that concerns processes (L1: loopback and FaultProxy;
// L2: namespaces). Each returns the row's figures, its invariants checked into `violations`.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "@sentinel-kit/config-store";
import { ask as askWithin, waitFor } from "@sentinel-kit/testkit";
import { skippedRow, type RowFigures } from "./figures.js";
import { ask, fields } from "./resp.js";
import { runScenario, type ScenarioContext } from "./scenario.js";
import { DAEMON_BIN, restartNode, type DaemonLauncher, type Topology, type TopologyOptions } from "./topology.js";

/** Options every row takes. */
export interface RowOptions {
  /** down-after-milliseconds for the row, ms; 1000 by default. */
  downAfterMs?: number;
}

/** A row function. */
export type RowRunner = (options?: RowOptions) => Promise<RowFigures>;

const base = (o: RowOptions | undefined, extra: TopologyOptions = {}): TopologyOptions => ({ downAfterMs: o?.downAfterMs ?? 1_000, failoverTimeoutMs: 3_000, ...extra });
const failoverBound = (o: RowOptions | undefined): number => (o?.downAfterMs ?? 1_000) + 3_000 + 6_000;
const lostAfter = (ctx: ScenarioContext, fromMs: number): string[] => {
  const late = ctx.lost.filter((a) => a.at >= ctx.t0 + fromMs).length;
  return late === 0 ? [] : [`${late} writes acknowledged after t0+${fromMs} ms lost`];
};
const oneFailover = (f: RowFigures): string[] => (f.failovers === 1 ? [] : [`${f.failovers} failovers (expected exactly 1)`]);
const noFailover = (f: RowFigures): string[] => (f.failovers === 0 ? [] : [`${f.failovers} failovers (expected none)`]);
const sdowns = (ctx: ScenarioContext): number => ctx.events.filter((e) => e.channel === "+sdown" && e.message.startsWith("master ")).length;

/** Row 1: master SIGKILL; restarted from its files afterwards. */
export const row1: RowRunner = (o) =>
  runScenario({
    row: 1, name: "master SIGKILL", topology: base(o), failoverWithinMs: failoverBound(o),
    inject: async ({ topo }) => {
      await topo.nodes[0]!.server.kill();
      return () => restartNode(topo, 0);
    },
    check: (f, ctx) => [...oneFailover(f), ...lostAfter(ctx, 0)],
  });

/** Row 2: master SIGSTOP until the failover, then SIGCONT: the old master is demoted. */
export const row2: RowRunner = (o) =>
  runScenario({
    row: 2, name: "master SIGSTOP/SIGCONT", topology: base(o), failoverWithinMs: failoverBound(o),
    inject: async ({ topo }) => {
      await topo.nodes[0]!.server.pause();
      return () => topo.nodes[0]!.server.resume();
    },
    check: async (f, { topo }) => {
      const role = (await topo.nodes[0]!.server.cli("ROLE")).split("\n")[0];
      return [...oneFailover(f), ...(role === "slave" ? [] : [`old master's role is ${role} after CONT`])];
    },
  });

/** Row 3: the leader crashes right after +elected-leader (SIMULATE-FAILURE); another daemon completes. */
export const row3: RowRunner = (o) =>
  runScenario({
    row: 3, name: "leader crash mid-failover", topology: base(o), failoverWithinMs: 4 * 3_000 + failoverBound(o),
    inject: async (ctx) => {
      const { topo } = ctx;
      for (const d of topo.daemons) await ask(d.port, "SENTINEL", "SIMULATE-FAILURE", "CRASH-AFTER-ELECTION");
      await topo.nodes[0]!.server.kill();
      let crashed = -1;
      await waitFor(() => (crashed = topo.daemons.findIndex((d) => d.process.exited)) >= 0, { timeoutMs: 15_000, what: "the elected leader to crash" });
      for (const d of topo.daemons) if (!d.process.exited) await ask(d.port, "SENTINEL", "SIMULATE-FAILURE", "HELP");
      ctx.notes.push(`daemon ${crashed} crashed after +elected-leader (exit ${topo.daemons[crashed]!.process.exitStatus?.code})`);
      return async () => {
        await topo.restartDaemon(crashed);
        await restartNode(topo, 0);
      };
    },
    check: async (f, { topo, notes }) => {
      // The crashed leader won epoch 1 and never finished: whoever completes must have won a
      // later epoch (epochs strictly increase), and only one +switch-master is ever seen.
      const epochs = await Promise.all(
        topo.daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").then((r) => Number(fields(r)["config-epoch"]))),
      );
      notes.push(`config-epoch after: ${epochs.join(",")}`);
      return [...oneFailover(f), ...(epochs.every((e) => e >= 2) ? [] : ["the completing failover did not use a later epoch than the crashed leader's"])];
    },
  });

/** Rows 4 and 5: the master cut off (proxy drops both ways) with its clients on its side. */
function minorityPartition(row: 4 | 5, o: RowOptions | undefined): Promise<RowFigures> {
  const bounded = row === 5;
  return runScenario({
    row,
    name: bounded ? "minority partition, min-replicas 1/10" : "minority partition of master",
    topology: base(o, { proxies: true, ...(bounded ? { redisArgs: ["--min-replicas-to-write", "1", "--min-replicas-max-lag", "10"] } : {}) }),
    failoverWithinMs: failoverBound(o),
    holdAfterFailoverMs: bounded ? 14_000 : 5_000,
    clientProxies: true,
    inject: async ({ topo, clientProxies }) => {
      // The clients are on the minority side: they reach the old master, not the daemons.
      topo.nodes[0]!.proxy!.drop();
      for (const p of clientProxies) p.drop();
      return async () => {
        topo.nodes[0]!.proxy!.pass();
        for (const p of clientProxies) p.pass();
      };
    },
    check: (f, ctx) => {
      const oldPort = ctx.topo.nodes[0]!.server.port;
      const onOld = ctx.workload.acked.filter((a) => a.at >= ctx.t0 && a.by.endsWith(`:${oldPort}`));
      const lastOnOld = onOld.at(-1);
      const byAddr = new Map<string, number[]>();
      for (const a of ctx.workload.acked.filter((x) => x.at >= ctx.t0)) byAddr.set(a.by, [...(byAddr.get(a.by) ?? []), a.at - ctx.t0]);
      ctx.notes.push(`acks after the fault: ${[...byAddr].map(([k, v]) => `${k} ${v.length} (t0+${v[0]}..${v.at(-1)} ms)`).join(", ")}`);
      ctx.notes.push(`${onOld.length} writes acked by the old master after the partition, the last at t0+${lastOnOld === undefined ? "-" : lastOnOld.at - ctx.t0} ms`);
      // Redis doc (replication, min-replicas-max-lag): the old master stops accepting writes
      // once its replicas' lag exceeds max-lag, so no ack from it later than max-lag + 1 s.
      const late = bounded ? onOld.filter((a) => a.at - ctx.t0 > 12_000).length : 0;
      const noReplicas = ctx.workload.failed.find((e) => e.at >= ctx.t0 && e.error.startsWith("NOREPLICAS"));
      if (bounded) ctx.notes.push(`first NOREPLICAS at t0+${noReplicas === undefined ? "never" : noReplicas.at - ctx.t0} ms`);
      // max-lag 10 s, plus up to 1 s for the replicas' last REPLCONF ACK and 1 s for Redis's cron.
      return [
        ...oneFailover(f),
        ...(late > 0 ? [`${late} writes acked by the old master later than max-lag + 2 s`] : []),
        ...(bounded && noReplicas === undefined ? ["the old master never answered NOREPLICAS"] : []),
      ];
    },
  });
}

/** Row 4: minority partition of the master; acked writes on the old master counted. */
export const row4: RowRunner = (o) => minorityPartition(4, o);
/** Row 5: the same with min-replicas-to-write 1, min-replicas-max-lag 10 on the data nodes. */
export const row5: RowRunner = (o) => minorityPartition(5, o);

/** Row 6: asymmetric partition: the master's replies to everyone are dropped, its requests pass. */
export const row6: RowRunner = (o) =>
  runScenario({
    row: 6, name: "asymmetric (master->all dropped)", topology: base(o, { proxies: true }), failoverWithinMs: failoverBound(o),
    inject: async ({ topo }) => {
      topo.nodes[0]!.proxy!.drop("server-to-client");
      return async () => topo.nodes[0]!.proxy!.pass();
    },
    check: (f) => oneFailover(f),
  });

/** Row 7: 5 daemons that cannot reach one another (1/1/1/1/1, stricter than 2/2/1), master hung. */
export const row7: RowRunner = (o) =>
  runScenario({
    row: 7, name: "sentinels split, no majority", topology: base(o, { proxies: true, sentinels: 5 }), holdMs: 8_000,
    inject: async (ctx) => {
      ctx.notes.push("every daemon isolated from its peers (1/1/1/1/1), data nodes reachable; master SIGSTOPped 8 s");
      for (const d of ctx.topo.daemons) d.proxy!.drop();
      await ctx.topo.nodes[0]!.server.pause();
      return async () => {
        await ctx.topo.nodes[0]!.server.resume();
        for (const d of ctx.topo.daemons) d.proxy!.pass();
      };
    },
    check: (f, { topo }) => {
      const epochs = topo.daemons.map((_, i) => Number(/^sentinel current-epoch (\d+)/m.exec(topo.readConf(i))?.[1] ?? 0));
      return [...noFailover(f), ...(f.odownMs === null ? [] : ["+odown without a quorum of reachable peers"]), ...(epochs.every((e) => e === 0) ? [] : [`epochs persisted: ${epochs.join(",")}`])];
    },
  });

/** Row 8: latency 200 ms ± 100 ms on every node and daemon proxy (below down-after). */
export const row8: RowRunner = (o) =>
  runScenario({
    row: 8, name: "latency 200±100 ms", topology: base(o, { proxies: true }), holdMs: 8_000, clientsDirect: false,
    inject: async ({ topo }) => {
      const proxies = [...topo.nodes.map((n) => n.proxy!), ...topo.daemons.map((d) => d.proxy!)];
      for (const p of proxies) p.delay(200, 100);
      return async () => proxies.forEach((p) => p.pass());
    },
    check: (f, ctx) => [...noFailover(f), ...(sdowns(ctx) <= 1 ? [] : [`${sdowns(ctx)} +sdown of the master (flapping)`])],
  });

/** Row 10: every link sliced into 1-byte writes. */
export const row10: RowRunner = (o) =>
  runScenario({
    row: 10, name: "slicer (1-byte chunks)", topology: base(o, { proxies: true }), holdMs: 5_000, clientsDirect: false,
    inject: async ({ topo }) => {
      const proxies = [...topo.nodes.map((n) => n.proxy!), ...topo.daemons.map((d) => d.proxy!)];
      for (const p of proxies) p.slice(1);
      return async () => proxies.forEach((p) => p.pass());
    },
    check: (f, ctx) => [...noFailover(f), ...(sdowns(ctx) === 0 ? [] : ["+sdown under slicing"]), ...(f.lost === 0 ? [] : [`${f.lost} writes lost`])],
  });

/** Row 11: half-open master: connections held open, nothing passes. */
export const row11: RowRunner = (o) =>
  runScenario({
    row: 11, name: "half-open master (blackhole)", topology: base(o, { proxies: true }), failoverWithinMs: failoverBound(o),
    inject: async ({ topo }) => {
      topo.nodes[0]!.proxy!.blackhole();
      return async () => topo.nodes[0]!.proxy!.pass();
    },
    check: async (f, { topo, notes }) => {
      const rss = vmRssKb(topo.daemons.map((d) => d.process.pid));
      notes.push(`daemon RSS after: ${rss.map((k) => `${Math.round(k / 1024)} MiB`).join(", ")}`);
      return [...oneFailover(f), ...(rss.every((k) => k < 300 * 1024) ? [] : ["daemon RSS above 300 MiB"])];
    },
  });

/** Row 12: connection resets to the master every 500 ms for 5 s (clients through the proxy too). */
export const row12: RowRunner = (o) =>
  runScenario({
    row: 12, name: "connection reset", topology: base(o, { proxies: true }), holdMs: 0, clientsDirect: false,
    inject: async ({ topo }) => {
      const proxy = topo.nodes[0]!.proxy!;
      for (let i = 0; i < 10; i++) {
        proxy.reset();
        await sleep(50);
        proxy.pass();
        await sleep(450);
      }
      return async () => proxy.pass();
    },
    check: async (f, ctx) => {
      // A retried INCR that had been applied counts twice: the counter ends above the acks.
      const incrs = ctx.workload.acked.filter((a) => a.kind === "incr");
      const keys = new Set(incrs.map((a) => a.key));
      const dupValues = incrs.length - new Set(incrs.map((a) => `${a.key}=${a.value}`)).size;
      ctx.notes.push(`${keys.size} counters, ${dupValues} INCR replies repeated`);
      return [...(dupValues === 0 ? [] : [`${dupValues} INCR replies reported twice`]), ...(f.failovers <= 1 ? [] : [`${f.failovers} failovers`])];
    },
  });

/** Row 13: a daemon SIGSTOPped 3 s: it enters TILT and does nothing while tilted. */
export const row13: RowRunner = (o) =>
  runScenario({
    row: 13, name: "daemon SIGSTOP 3 s (TILT)", topology: base(o), holdMs: 2_000,
    inject: async ({ topo }) => {
      await topo.daemons[0]!.process.pause();
      await sleep(3_000);
      await topo.daemons[0]!.process.resume();
      return async () => undefined;
    },
    check: (f) => [...noFailover(f), ...(f.tilts >= 1 ? [] : ["no +tilt after a 3 s stall"])],
  });

const inNamespace = (setup: string): DaemonLauncher => (node, bin, conf) => ({
  command: "unshare",
  args: ["-m", "--propagation", "private", "sh", "-c", `${setup} && exec ${node} ${bin} ${conf}`],
});

function canUnshare(): string | null {
  try {
    execFileSync("unshare", ["-m", "--propagation", "private", "true"], { stdio: "ignore", timeout: 5_000 });
    return null;
  } catch (error) {
    return `unshare -m not permitted here (${(error as Error).message.split("\n")[0]})`;
  }
}

const nsenter = (pid: number, ...cmd: string[]): string =>
  execFileSync("nsenter", ["-t", String(pid), "-m", ...cmd], { encoding: "utf8", timeout: 10_000 });

/** Row 14: daemon 0's config directory made read-only at runtime (bind mount in its own mount namespace), master killed. */
export const row14: RowRunner = async (o) => {
  const why = canUnshare();
  if (why !== null) return skippedRow(14, "config dir read-only", "L2", why);
  return runScenario({
    row: 14, name: "config dir read-only", level: "L2", failoverWithinMs: failoverBound(o),
    topology: base(o, { launcherOf: (i) => (i === 0 ? (node, bin, conf, confDir) => inNamespace(`mount --bind ${confDir} ${confDir}`)(node, bin, conf, confDir) : undefined) }),
    inject: async ({ topo }) => {
      const d = topo.daemons[0]!;
      nsenter(d.process.pid, "mount", "-o", "remount,bind,ro", d.confDir);
      await topo.nodes[0]!.server.kill();
      return async () => {
        nsenter(d.process.pid, "mount", "-o", "remount,bind,rw", d.confDir);
        await restartNode(topo, 0);
      };
    },
    check: (f, { topo, notes, events }) => {
      const log = readFileSync(`${topo.daemons[0]!.dir}/sentinel.log`, "utf8");
      const errors = log.split("\n").filter((l) => /not able to save|EROFS|read-only/i.test(l));
      notes.push(`daemon 0 logged ${errors.length} failed saves while read-only`);
      const votes = events.filter((e) => e.daemon === 0 && e.channel === "+vote-for-leader").length;
      if (votes > 0) notes.push(`daemon 0 still published ${votes} +vote-for-leader after a failed save (Redis votes too; FAULTS.md asks it not to)`);
      const boot = bootOnReadOnlyDir(topo.daemons[0]!.confPath, topo.daemons[0]!.confDir);
      notes.push(`start on a read-only dir: exit ${boot.status}, "${boot.message}"`);
      return [
        ...oneFailover(f),
        ...(errors.length > 0 ? [] : ["the unpersisted state change was not surfaced in the log"]),
        ...(boot.status === 1 ? [] : [`a start on a read-only config dir exited ${boot.status}, not 1`]),
      ];
    },
  });
};

/** Starts a second daemon on a copy of the config in a read-only bind mount: it must refuse (exit 1). */
function bootOnReadOnlyDir(confPath: string, confDir: string): { status: number | null; message: string } {
  const dir = `${confDir}-ro`;
  execFileSync("mkdir", ["-p", dir]);
  execFileSync("cp", [confPath, `${dir}/sentinel.conf`]);
  // A free port is not needed: the daemon must exit before it listens.
  const result = spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", `mount --bind ${dir} ${dir} && mount -o remount,bind,ro ${dir} && exec ${process.execPath} ${DAEMON_BIN} ${dir}/sentinel.conf --port 0 --logfile ""`], {
    encoding: "utf8",
    timeout: 10_000,
  });
  const message = `${result.stdout}${result.stderr}`.split("\n").find((l) => l.trim() !== "") ?? "";
  return { status: result.status, message: message.trim().slice(0, 160) };
}

/** Row 15: daemon 0's config directory on a 64 KiB tmpfs, filled, master killed. */
export const row15: RowRunner = async (o) => {
  const why = canUnshare();
  if (why !== null) return skippedRow(15, "disk full", "L2", why);
  return runScenario({
    row: 15, name: "disk full (64k tmpfs)", level: "L2", failoverWithinMs: failoverBound(o),
    topology: base(o, {
      launcherOf: (i) =>
        i === 0
          ? (node, bin, conf, confDir) => inNamespace(`cp ${conf} ${confDir}.orig && mount -t tmpfs -o size=64k tmpfs ${confDir} && cp ${confDir}.orig ${conf}`)(node, bin, conf, confDir)
          : undefined,
    }),
    inject: async ({ topo }) => {
      const d = topo.daemons[0]!;
      try {
        nsenter(d.process.pid, "dd", "if=/dev/zero", `of=${d.confDir}/fill`, "bs=1k", "count=128");
      } catch {
        // dd fails with ENOSPC once the tmpfs is full: that is the point.
      }
      await topo.nodes[0]!.server.kill();
      return async () => {
        nsenter(d.process.pid, "rm", "-f", `${d.confDir}/fill`);
        await restartNode(topo, 0);
      };
    },
    check: (f, { topo, notes }) => {
      const d = topo.daemons[0]!;
      const text = nsenter(d.process.pid, "cat", d.confPath);
      const stale = nsenter(d.process.pid, "ls", d.confDir).split("\n").filter((n) => n.includes("tmp")).length;
      let parses = true;
      try {
        loadConfig(text);
      } catch {
        parses = false;
      }
      notes.push(`config on the full tmpfs: ${text.length} bytes, parses: ${parses}, temp files left: ${stale}`);
      return [...oneFailover(f), ...(parses ? [] : ["the config on the full disk does not parse"])];
    },
  });
};

/** Row 16: daemon 0 SIGKILLed at random moments while it rewrites its config (SENTINEL SET bursts), 20 times. */
export const row16: RowRunner = (o) =>
  runScenario({
    row: 16, name: "crash during config rewrite x20", topology: base(o), holdMs: 0,
    inject: async ({ topo, notes }) => {
      const d = topo.daemons[0]!;
      let failures = 0;
      for (let i = 0; i < 20; i++) {
        const burst = Array.from({ length: 20 }, (_, k) => ask(d.port, "SENTINEL", "SET", "mymaster", "notification-script", "", "failover-timeout", String(3_000 + k)).catch(() => null));
        await sleep(Math.floor(Math.random() * 15));
        await d.process.kill();
        await Promise.allSettled(burst);
        try {
          loadConfig(readFileSync(d.confPath, "utf8"));
        } catch {
          failures++;
        }
        await topo.restartDaemon(0);
      }
      notes.push(`20 kills mid-rewrite, ${failures} unloadable files between kills`);
      return async () => undefined;
    },
    check: (f, { notes }) => (notes.some((n) => n.includes(", 0 unloadable")) ? [] : ["an unloadable config after a kill"]),
  });

/** Row 19: the killed master restarted from scratch (empty data, role master) after the failover. */
export const row19: RowRunner = (o) =>
  runScenario({
    row: 19, name: "master back empty, stale role", topology: base(o), failoverWithinMs: failoverBound(o),
    inject: async ({ topo }) => {
      await topo.nodes[0]!.server.kill();
      return () => restartNode(topo, 0, true);
    },
    check: async (f, { topo }) => {
      const role = (await topo.nodes[0]!.server.cli("ROLE")).split("\n")[0];
      return [...oneFailover(f), ...(role === "slave" ? [] : [`restarted node is ${role}`])];
    },
  });

/** Row 20: daemon 2 started monitoring a replica instead of the master. */
export const row20: RowRunner = (o) =>
  runScenario({
    row: 20, name: "inconsistent initial configs", topology: base(o, { monitorNodeOf: (i) => (i === 2 ? 1 : 0), skipDiscovery: true }), holdMs: 5_000,
    inject: async ({ topo, notes }) => {
      await sleep(3_000);
      const views = await Promise.all(topo.daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").then(fields).catch(() => ({}) as Record<string, string>)));
      notes.push(`daemons report: ${views.map((v, i) => `#${i} ${v["port"] ?? "?"} ${v["flags"] ?? ""}`).join(", ")}`);
      return async () => undefined;
    },
    agreeing: [0, 1],
    check: (f, ctx) => {
      // Redis flags a master that reports the replica role as SDOWN (SPEC §4.3): that is the report.
      const flagged = ctx.events.some((e) => e.daemon === 2 && e.channel === "+sdown" && e.message.startsWith("master "));
      ctx.notes.push(`events from the divergent daemon: ${[...new Set(ctx.events.filter((e) => e.daemon === 2).map((e) => e.channel))].join(" ") || "none"}`);
      return [...noFailover(f), ...(f.multiMasterMoments === 0 ? [] : [">1 master"]), ...(flagged ? [] : ["divergence not reported: daemon 2 never flagged its master"])];
    },
  });

/** Rows 22 and 23: malformed and oversized RESP at a daemon's port; it stays up with bounded memory. */
export const row22: RowRunner = (o) =>
  runScenario({
    row: 22, name: "malformed + oversized RESP", topology: base(o), holdMs: 0,
    inject: async ({ topo, notes }) => {
      const d = topo.daemons[0]!;
      const before = vmRssKb([d.process.pid])[0] ?? 0;
      const payloads: (string | Buffer)[] = [
        "A\r\n", "*-5\r\n", "*2\r\n$-7\r\n", "$2147483647\r\n", "*2147483647\r\n", "*1000000\r\n", "*1\r\n".repeat(10_000),
        "*1\r\n$4\r\nPING", "*3\r\n$7\r\nPUBLISH\r\n$17\r\n__sentinel__:hello\r\n$104857600\r\n", Buffer.alloc(20 * 1024 * 1024, "x"),
        "\0\0\0\r\n", "*1\r\n*1\r\n*1\r\n", "+OK\r\n", ":1\r\n",
      ];
      let sent = 0;
      // Each round sends every payload on its own connection, all at once.
      for (let round = 0; round < 5; round++) for (const n of await Promise.all(payloads.map((p) => sendAndClose(d.port, p)))) sent += n;
      const pong = await ask(d.port, "PING").catch((e: Error) => e.message);
      const after = vmRssKb([d.process.pid])[0] ?? 0;
      notes.push(`${sent} bytes of bad input on ${5 * payloads.length} connections; PING -> ${String(pong)}; RSS ${Math.round(before / 1024)} -> ${Math.round(after / 1024)} MiB`);
      if (pong !== "PONG") notes.push("VIOLATION: daemon not answering");
      if (after - before > 200 * 1024) notes.push("VIOLATION: RSS grew by more than 200 MiB");
      return async () => undefined;
    },
    check: (f, { topo, notes }) => [
      ...noFailover(f),
      ...(topo.daemons[0]!.process.exited ? ["daemon exited"] : []),
      ...notes.filter((n) => n.startsWith("VIOLATION")).map((n) => n.slice(11)),
    ],
  });

/** Row 24: after a SENTINEL FAILOVER (so there is an epoch to keep), all daemons SIGTERMed and restarted: same master, same epoch. */
export const row24: RowRunner = (o) =>
  runScenario({
    row: 24, name: "all sentinels restart", topology: base(o), holdMs: 2_000,
    inject: async (ctx) => {
      const { topo } = ctx;
      await ask(topo.daemons[0]!.port, "SENTINEL", "FAILOVER", "mymaster");
      await waitFor(async () => {
        const views = await Promise.all(topo.daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").then(fields).catch(() => ({}) as Record<string, string>)));
        return views.every((v) => v["config-epoch"] === "1" && Number(v["port"]) !== ctx.initialMaster);
      }, { timeoutMs: 15_000, what: "SENTINEL FAILOVER to complete on every daemon" });
      const before = await Promise.all(topo.daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").then(fields)));
      await Promise.all(topo.daemons.map((d) => d.process.stop(5_000)));
      for (let i = 0; i < topo.daemons.length; i++) await topo.restartDaemon(i);
      const after = await Promise.all(topo.daemons.map((d) => ask(d.port, "SENTINEL", "MASTER", "mymaster").then(fields)));
      const same = after.every((a, i) => a["port"] === before[i]!["port"] && a["config-epoch"] === before[i]!["config-epoch"]);
      ctx.notes.push(`after SENTINEL FAILOVER and a restart of all: ports ${after.map((a) => a["port"]).join(",")}, epochs ${after.map((a) => a["config-epoch"]).join(",")}${same ? "" : " (CHANGED)"}`);
      return async () => undefined;
    },
    check: (f, { notes }) => [...oneFailover(f), ...(notes.some((n) => n.includes("CHANGED")) ? ["master or epoch changed across the restart"] : [])],
  });

/** Row 25: liveness after a mix of faults (master paused, replica killed and restarted, latency), then quiet. */
export const row25: RowRunner = (o) =>
  runScenario({
    row: 25, name: "liveness after chaos", topology: base(o, { proxies: true }), holdMs: 0, quietMs: 5_000,
    inject: async ({ topo }) => {
      for (const p of topo.daemons.map((d) => d.proxy!)) p.delay(50, 50);
      await topo.nodes[0]!.server.pause();
      await sleep(600);
      await topo.nodes[0]!.server.resume();
      await topo.nodes[2]!.server.kill();
      topo.nodes[1]!.proxy!.reset();
      await sleep(300);
      topo.nodes[1]!.proxy!.pass();
      // Restarted without --replicaof, as if its redis.conf had lost it: it boots as a master
      // until the daemons reconfigure it (counted in the >1 master figure).
      await restartNode(topo, 2);
      return async () => topo.daemons.forEach((d) => d.proxy!.pass());
    },
  });

/**
 * How row 9 loses packets on the namespace's `lo`: `netem` (`tc qdisc add dev lo root netem
 * loss 30%`) where the kernel has sch_netem, else the iptables `statistic` match dropping
 * 30 % of what arrives on lo (`-A INPUT -i lo -m statistic --mode random --probability 0.3 -j DROP`).
 */
export type PacketLoss = "netem" | "iptables";

const LOSS = "30%";
const LOSS_PROBABILITY = "0.3";
const row9Name = (loss: PacketLoss | "?"): string => `packet loss ${LOSS} (netns+${loss === "?" ? "netem/iptables" : loss})`;

// Each packet on lo crosses OUTPUT once and INPUT once: one rule on one chain drops 30 % of
// them, as netem does. INPUT, because a drop in OUTPUT is reported to the sender (connect and
// send fail with EPERM at once) where a lost packet is silent; INPUT's drop is silent, like
// netem's, and TCP sees only missing segments and retransmits.
const IPTABLES_COUNT = ["INPUT", "-i", "lo"];
const IPTABLES_DROP = ["INPUT", "-i", "lo", "-m", "statistic", "--mode", "random", "--probability", LOSS_PROBABILITY, "-j", "DROP"];

/** The commands that add (`-A`) or delete (`-D`) row 9's loss; run inside the namespace. */
function lossCommands(loss: PacketLoss, op: "add" | "del"): string[][] {
  if (loss === "netem") return [op === "add" ? ["tc", "qdisc", "add", "dev", "lo", "root", "netem", "loss", LOSS] : ["tc", "qdisc", "del", "dev", "lo", "root"]];
  const flag = op === "add" ? "-A" : "-D";
  // A rule with no target only counts: it gives the number of packets the drop rule saw.
  return [["iptables", flag, ...IPTABLES_COUNT], ["iptables", flag, ...IPTABLES_DROP]];
}

/** Packets seen and dropped on lo by the iptables rules (their counters), for the notes. */
function iptablesDropped(): { seen: number; dropped: number } {
  const out = execFileSync("iptables", ["-L", "INPUT", "-n", "-v", "-x"], { encoding: "utf8", timeout: 5_000 });
  const rows = out.split("\n").filter((l) => /^\s*\d+\s+\d+\s/.test(l)).map((l) => l.trim().split(/\s+/));
  const seen = Number(rows.find((r) => r[2] !== "DROP")?.[0] ?? 0);
  const dropped = Number(rows.find((r) => r[2] === "DROP")?.[0] ?? 0);
  return { seen, dropped };
}

/** Daemon `port`'s peer table: how many peers it lists and the age of each one's last hello, ms; null when the ask is lost. */
async function helloAges(port: number, timeoutMs: number): Promise<{ peers: number; ages: number[] } | null> {
  try {
    const peers = ((await askWithin({ port, timeoutMs }, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).map(fields);
    return { peers: peers.length, ages: peers.map((p) => Number(p["last-hello-message"])) };
  } catch {
    return null;
  }
}

/** Puts row 9's loss on the namespace's `lo`; returns its removal, which first notes the iptables counters. */
function addLoss(loss: PacketLoss, notes: string[]): () => void {
  execFileSync("ip", ["link", "set", "lo", "up"]);
  for (const cmd of lossCommands(loss, "add")) execFileSync(cmd[0]!, cmd.slice(1), { stdio: "pipe", timeout: 5_000 });
  return () => {
    if (loss === "iptables") {
      const { seen, dropped } = iptablesDropped();
      notes.push(`${dropped} of ${seen} packets on lo dropped (${seen === 0 ? 0 : ((100 * dropped) / seen).toFixed(1)} %)`);
    }
    for (const cmd of lossCommands(loss, "del")) execFileSync(cmd[0]!, cmd.slice(1), { stdio: "pipe", timeout: 5_000 });
  };
}

/** `+sdown` events after the fault, by kind of instance. */
function sdownsByKind(ctx: ScenarioContext): string {
  const kinds = ctx.events.filter((e) => e.at >= ctx.t0 && e.channel === "+sdown").map((e) => e.message.split(" ")[0]);
  return ["master", "slave", "sentinel"].map((k) => `${k} ${kinds.filter((x) => x === k).length}`).join(", ");
}

/** Row 9's down-after-milliseconds, ms (see {@link row9Inside}). */
const ROW9_DOWN_AFTER_MS = 5_000;

/** `redis-sentinel -v`'s version, or null when Debian's redis-sentinel is not installed. */
function redisSentinelVersion(): string | null {
  const run = spawnSync("redis-sentinel", ["-v"], { encoding: "utf8", timeout: 5_000 });
  return run.status === 0 ? (/v=(\S+)/.exec(run.stdout)?.[1] ?? "?") : null;
}

/**
 * Row 9 inside a network namespace (L2): the whole topology runs in it, so the loss on its
 * own `lo` touches no one else's traffic; 30 % loss for 10 s once the workload runs. FAULTS.md:
 * gossip (hello) still converges within bound, and no spurious ODOWN with quorum 2. The bound
 * on the age of every peer's last hello is row 1's convergence bound, down-after +
 * failover-timeout. Then, where Debian's redis-sentinel is installed, the same run with it in
 * the daemons' place, side by side (its figures in the notes, not in the verdict): whether
 * Redis itself meets the row under the same loss. This function is what runs inside;
 * {@link row9} makes the namespace, chooses `loss` and re-runs this program in it.
 */
export const row9Inside = async (loss: PacketLoss, o?: RowOptions): Promise<RowFigures> => {
  // 5 s, the down-after of Redis's own sentinel.conf examples, not the matrix's 1 s: at 30 %
  // loss one lost SYN costs TCP 1 s and a lost reply 200 ms or more, so at 1 s both our
  // daemon (5 of 19 runs) and redis-sentinel 7.0.15 (3 of 10) reach a spurious ODOWN; no
  // sentinel can tell such loss from a dead master inside one retransmission timeout.
  const topology = base({ downAfterMs: o?.downAfterMs ?? ROW9_DOWN_AFTER_MS });
  const helloBoundMs = topology.downAfterMs! + topology.failoverTimeoutMs!;
  let maxAge = 0;
  let samples = 0;
  let missed = 0;
  const tables = new Set<string>();
  const figures = await runScenario({
    row: 9, name: row9Name(loss), level: "L2", topology, holdMs: 10_000, clientsDirect: false,
    inject: async ({ topo, notes }) => {
      const removeLoss = addLoss(loss, notes);
      notes.push(loss === "netem" ? `tc netem loss ${LOSS} on the namespace's lo for 10 s` : `iptables statistic match, ${LOSS} of the packets arriving on the namespace's lo dropped (INPUT) for 10 s`);
      let sampling = true;
      // One sampler per daemon. The observer's own connections cross the lossy lo too (a
      // lost SYN alone costs 1 s): asks get 3 s, and a lost one is no figure, only counted.
      const samplers = topo.daemons.map(async (d) => {
        while (sampling) {
          const s = await helloAges(d.port, 3_000);
          if (s === null) missed++;
          else {
            samples++;
            tables.add(String(s.peers));
            maxAge = Math.max(maxAge, ...s.ages);
          }
          await sleep(250);
        }
      });
      return async () => {
        sampling = false;
        await Promise.all(samplers);
        removeLoss();
      };
    },
    check: async (f, ctx) => {
      const { topo, notes } = ctx;
      notes.push(`peer tables under loss: ${samples} samples (${missed} asks lost), peers listed ${[...tables].join("/")}, oldest hello ${maxAge} ms (bound ${helloBoundMs} ms)`);
      notes.push(`+sdown under loss: ${sdownsByKind(ctx)}`);
      const after = await Promise.all(topo.daemons.map((d) => helloAges(d.port, 3_000)));
      const converged = after.every((s) => s !== null && s.peers === topo.daemons.length - 1 && s.ages.every((a) => a <= helloBoundMs));
      return [
        ...(f.odownMs === null ? [] : [`spurious +odown under packet loss with quorum ${topo.options.quorum}`]),
        ...noFailover(f),
        ...(samples > 0 ? [] : ["no peer table could be read under loss"]),
        ...(tables.size === 1 && tables.has(String(topo.daemons.length - 1)) ? [] : [`peer tables listed ${[...tables].join("/")} peers, not ${topo.daemons.length - 1}`]),
        ...(maxAge <= helloBoundMs ? [] : [`a peer's last hello ${maxAge} ms old under loss (bound ${helloBoundMs} ms)`]),
        ...(converged ? [] : ["peer tables not complete and fresh after the heal"]),
      ];
    },
  });
  const version = redisSentinelVersion();
  if (version === null) {
    figures.notes.push("redis-sentinel not installed: no side-by-side run");
    return figures;
  }
  let sdowns = "";
  try {
    const ref = await runScenario({
      row: 9, name: "reference", level: "L2", holdMs: 10_000, clientsDirect: false,
      topology: { ...topology, launcherOf: () => (_node, _bin, conf) => ({ command: "redis-sentinel", args: [conf] }) },
      inject: async () => {
        const removeLoss = addLoss(loss, []);
        return async () => removeLoss();
      },
      check: (_f, ctx) => {
        sdowns = sdownsByKind(ctx);
        return [];
      },
    });
    figures.notes.push(`side by side, redis-sentinel ${version} under the same loss: +sdown ${sdowns}; +odown ${ref.odownMs === null ? "none" : `at ${ref.odownMs} ms`}; ${ref.failovers} failovers${ref.violations.length > 0 ? ` (${ref.violations.join(", ")})` : ""}`);
  } catch (error) {
    figures.notes.push(`side-by-side run with redis-sentinel ${version} failed: ${(error as Error).message.split("\n")[0]}`);
  }
  return figures;
};

/** Runs `cmd` in namespace `ns`; null when it worked, else its first line of error. */
function inNetns(ns: string, cmd: readonly string[]): string | null {
  try {
    execFileSync("ip", ["netns", "exec", ns, ...cmd], { stdio: "pipe", timeout: 5_000 });
    return null;
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim().split("\n")[0] ?? "";
  }
}

/** The first of netem and the iptables statistic match that works in `ns` (tried and undone there), or why neither does. */
function choosePacketLoss(ns: string): PacketLoss | string {
  const why: string[] = [];
  for (const loss of ["netem", "iptables"] as const) {
    const failed = lossCommands(loss, "add").map((cmd) => inNetns(ns, cmd)).find((e) => e !== null);
    for (const cmd of lossCommands(loss, "del")) inNetns(ns, cmd);
    if (failed === undefined) return loss;
    why.push(loss === "netem" ? `\`tc qdisc add ... netem\` fails ("${failed}": no sch_netem)` : `\`iptables -m statistic\` fails ("${failed}"; \`pnpm faults\` installs Debian's iptables)`);
  }
  return `\`ip netns add\` works but ${why.join(" and ")}`;
}

/** Row 9: makes a network namespace, chooses netem or iptables there, runs {@link row9Inside} in it (`ip netns exec`), removes the namespace. */
export const row9: RowRunner = async () => {
  const ns = `sentinel-kit-faults-${process.pid}`;
  try {
    execFileSync("ip", ["netns", "add", ns], { stdio: "pipe", timeout: 5_000 });
  } catch (error) {
    return skippedRow(9, row9Name("?"), "L2", `\`ip netns add\` not permitted here (${String((error as Error).message).split("\n")[0]})`);
  }
  // Deleting the namespace also deletes its lo, qdisc and iptables rules, whatever happened inside.
  try {
    execFileSync("ip", ["netns", "exec", ns, "ip", "link", "set", "lo", "up"], { timeout: 5_000 });
    const loss = choosePacketLoss(ns);
    if (loss !== "netem" && loss !== "iptables") return skippedRow(9, row9Name("?"), "L2", loss);
    const main = new URL("./main.js", import.meta.url).pathname;
    const run = spawnSync("ip", ["netns", "exec", ns, process.execPath, main, "--inside", "9", loss], { encoding: "utf8", timeout: 180_000 });
    const line = run.stdout.split("\n").find((l) => l.startsWith("FIGURES "));
    if (line === undefined) {
      const f = skippedRow(9, row9Name(loss), "L2", `the run inside the namespace gave no figures (exit ${run.status}): ${run.stderr.split("\n").slice(-3).join(" ")}`);
      f.violations.push("could not run");
      return f;
    }
    return JSON.parse(line.slice("FIGURES ".length)) as RowFigures;
  } finally {
    execFileSync("ip", ["netns", "del", ns], { stdio: "ignore", timeout: 5_000 });
  }
};

/** Rows that need what this machine may not have, with why they cannot run as processes here. */
export const NOT_PROCESS_ROWS: Readonly<Record<number, string>> = {
  17: "L0/property test (config-store), not a process row",
  18: "hostname/DNS flaps need a resolver stub inside the daemon; loopback IPs have no resolution to fail",
  21: "L0 simulation row (membership change during failure)",
};

/** Every process row by number. */
export const ROWS: Readonly<Record<number, RowRunner>> = {
  1: row1, 2: row2, 3: row3, 4: row4, 5: row5, 6: row6, 7: row7, 8: row8, 9: row9, 10: row10, 11: row11, 12: row12,
  13: row13, 14: row14, 15: row15, 16: row16, 19: row19, 20: row20, 22: row22, 24: row24, 25: row25,
};

function vmRssKb(pids: readonly number[]): number[] {
  return pids.map((pid) => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      return 0;
    }
  });
}

/** Writes `payload` on a new connection, waits up to 500 ms for the daemon to answer or close, closes. */
function sendAndClose(port: number, payload: string | Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(typeof payload === "string" ? payload.length : payload.length);
    };
    const timer = setTimeout(done, 500);
    socket.on("error", done);
    socket.on("close", done);
    socket.on("connect", () => socket.write(payload));
  });
}
