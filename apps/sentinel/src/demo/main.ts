// `pnpm demo`: a master, two replicas and three sentinel-kit daemons on free ports, a writer
// through ioredis's sentinel mode, the master SIGKILLed, and the failover as a timeline.
// Runs from the workspace (it starts processes with the private test kit).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startProcess, startRedis, waitFor, type ManagedProcess } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";

const BIN = fileURLToPath(new URL("../../bin/sentinel-kit.js", import.meta.url));
const DOWN_AFTER_MS = 1000;
const SHOWN = new Set(["+sdown", "+odown", "+try-failover", "+vote-for-leader", "+elected-leader", "+selected-slave", "+promoted-slave", "+switch-master", "+convert-to-slave"]);

const processes: ManagedProcess[] = [];
const clients: Redis[] = [];
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(processes.map((p) => p.stop().catch(() => undefined)));
  })();
  return cleaning;
}

function quiet(client: Redis): Redis {
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

async function main(): Promise<void> {
  console.log(`sentinel-kit demo: one master, two replicas, three sentinel-kit daemons, down-after ${DOWN_AFTER_MS} ms\n`);
  const master = await startRedis();
  processes.push(master);
  const replicas = [await startRedis({ replicaOf: master }), await startRedis({ replicaOf: master })];
  processes.push(...replicas);
  console.log(`  master    127.0.0.1:${master.port} (redis-server pid ${master.pid})`);
  console.log(`  replicas  ${replicas.map((r) => `127.0.0.1:${r.port}`).join(", ")}`);

  const sentinels: { port: number; label: string }[] = [];
  for (const label of ["A", "B", "C"]) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-demo-"));
    const conf = join(dir, "sentinel.conf");
    writeFileSync(
      conf,
      `port ${port}\nbind 127.0.0.1\nlogfile ${join(dir, "sentinel.log")}\n` +
        `sentinel monitor mymaster 127.0.0.1 ${master.port} 2\n` +
        `sentinel down-after-milliseconds mymaster ${DOWN_AFTER_MS}\nsentinel failover-timeout mymaster 10000\n`,
    );
    processes.push(await startProcess({ command: process.execPath, args: [BIN, conf], port, dir, name: `sentinel-kit ${label}` }));
    sentinels.push({ port, label });
  }
  console.log(`  sentinels ${sentinels.map((s) => `${s.label}=127.0.0.1:${s.port}`).join(", ")}`);

  const timeline: { at: number; text: string }[] = [];
  for (const s of sentinels) {
    const sub = quiet(new Redis({ port: s.port, host: "127.0.0.1", protocol: 2 }));
    sub.on("pmessage", (_p: string, channel: string, message: string) => {
      if (SHOWN.has(channel)) timeline.push({ at: Date.now(), text: `${s.label}  ${channel} ${message}` });
    });
    await sub.psubscribe("*");
  }
  const admin = quiet(new Redis({ port: sentinels[0]!.port, host: "127.0.0.1", protocol: 2 }));
  process.stdout.write("\nwaiting for the daemons to find the replicas and each other... ");
  await waitFor(
    async () => {
      const m = (await admin.call("SENTINEL", "MASTER", "mymaster")) as string[];
      const f = Object.fromEntries(m.flatMap((v, i) => (i % 2 === 0 ? [[v, m[i + 1]]] : [])));
      return f["num-slaves"] === "2" && f["num-other-sentinels"] === "2";
    },
    { timeoutMs: 20_000, what: "discovery" },
  );
  console.log("done");

  // The writer: one SET per millisecond or so, each acknowledged write remembered with the server that acknowledged it.
  const writer = quiet(new Redis({ sentinels: sentinels.map((s) => ({ host: "127.0.0.1", port: s.port })), name: "mymaster" }));
  const acked: { key: number; at: number; port: number | undefined }[] = [];
  let writing = true;
  let next = 0;
  const loop = (async () => {
    while (writing) {
      const key = next++;
      const ok = await writer.set(`demo:${key}`, String(key)).catch(() => null);
      if (ok === "OK") acked.push({ key, at: Date.now(), port: (writer as unknown as { stream?: { remotePort?: number } }).stream?.remotePort });
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  console.log(`writer: ${acked.length} writes acknowledged through ioredis in sentinel mode\n`);

  const killedAt = Date.now();
  timeline.push({ at: killedAt, text: `-- SIGKILL master 127.0.0.1:${master.port}` });
  await master.kill();
  let promoted = 0;
  await waitFor(
    async () => {
      const addr = (await admin.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")) as string[];
      promoted = Number(addr[1]);
      return promoted !== master.port && acked.some((a) => a.port === promoted);
    },
    { timeoutMs: 30_000, intervalMs: 10, what: "the switch and a write on the new master" },
  );
  const firstWrite = acked.find((a) => a.port === promoted)!;
  timeline.push({ at: firstWrite.at, text: `-- first acknowledged write on the new master 127.0.0.1:${promoted}` });
  await new Promise((resolve) => setTimeout(resolve, 500));
  writing = false;
  await loop;

  // Acknowledged by the old master but never replicated: lost.
  const reader = quiet(new Redis({ port: promoted, host: "127.0.0.1", protocol: 2 }));
  const before = acked.filter((a) => a.at <= killedAt);
  const present = await reader.exists(...before.map((a) => `demo:${a.key}`));
  const lost = before.length - present;

  for (const { at, text } of timeline.sort((a, b) => a.at - b.at)) {
    console.log(`${String(at - killedAt).padStart(6)} ms  ${text}`);
  }
  const switchAt = timeline.find((t) => t.text.includes("+switch-master"))?.at;
  console.log(`\nSIGKILL to +switch-master: ${switchAt === undefined ? "?" : `${switchAt - killedAt} ms`} (down-after ${DOWN_AFTER_MS} ms)`);
  console.log(`SIGKILL to first acknowledged write on the new master: ${firstWrite.at - killedAt} ms`);
  console.log(`acknowledged writes: ${acked.length}, acknowledged before the kill and lost: ${lost}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping every process the demo started...`);
    void cleanup().then(() => process.exit(130));
  });
}

try {
  await main();
  await cleanup();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await cleanup();
  process.exitCode = 1;
}
