// TLS (SPEC §2.1, §4.5; Redis's tls.c and sentinelSendHello): Debian's redis-server with TLS
// only (`--port 0`), certificates made by the test with Debian's openssl; a sentinel-kit daemon
// monitors it with tls-replication, serves clients on tls-port (client certificates
// required, tls-auth-clients yes), announces its tls-port in hellos (a Debian redis-sentinel
// with the same TLS settings lists it at that port, and it lists redis-sentinel at its own)
// and, with it, fails the master over to its TLS replica.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { freePort, redisCli, startProcess, startRedisSentinel, waitFor, type ManagedProcess, type RedisSentinel } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeCerts, type TestCerts } from "./harness/certs.js";
import { BIN, startDaemon, type Daemon } from "./harness/processes.js";

let certs: TestCerts;
let master: ManagedProcess;
let replica: ManagedProcess;
let daemon: Daemon;
let peer: RedisSentinel | undefined;
let masterTls: number;
let replicaTls: number;
let daemonTls: number;
let peerTls: number;

// One PING over TLS with the client certificate: readiness of a TLS-only redis-server.
function tlsPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, ca: readFileSync(certs.caCert), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey), checkServerIdentity: () => undefined });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("secureConnect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => done(chunk.toString().startsWith("+PONG")));
  });
}

function tlsArgs(): string[] {
  return ["--tls-cert-file", certs.serverCert, "--tls-key-file", certs.serverKey, "--tls-ca-cert-file", certs.caCert];
}

async function startTlsRedis(tlsPort: number, replicaOf?: number): Promise<ManagedProcess> {
  const args = ["--port", "0", "--tls-port", String(tlsPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0", "--tls-replication", "yes", ...tlsArgs()];
  if (replicaOf !== undefined) args.push("--replicaof", "127.0.0.1", String(replicaOf));
  return startProcess({ command: "redis-server", args, port: tlsPort, name: "redis-server-tls", ready: (p) => tlsPing(p.port) });
}

// redis-cli over TLS with the client certificate, as a user runs it.
function tlsCli(port: number, ...args: string[]): Promise<string> {
  return redisCli(port, "--tls", "--cacert", certs.caCert, "--cert", certs.clientCert, "--key", certs.clientKey, ...args);
}

function tlsConfig(tlsPort: number): string {
  return `tls-port ${tlsPort}\ntls-cert-file ${certs.serverCert}\ntls-key-file ${certs.serverKey}\ntls-ca-cert-file ${certs.caCert}\ntls-replication yes\n`;
}

beforeAll(async () => {
  certs = makeCerts();
  masterTls = await freePort();
  master = await startTlsRedis(masterTls);
  replicaTls = await freePort();
  replica = await startTlsRedis(replicaTls, masterTls);
  daemonTls = await freePort();
  daemon = await startDaemon(
    `${tlsConfig(daemonTls)}sentinel monitor mymaster 127.0.0.1 ${masterTls} 1\nsentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 10000\n`,
  );
}, 60_000);

afterAll(async () => {
  await peer?.stop();
  await daemon?.process.stop();
  await replica?.stop();
  await master?.stop();
});

it("monitors a TLS-only master and discovers its replica over TLS links", async () => {
  await waitFor(
    async () => {
      const out = await tlsCli(daemonTls, "SENTINEL", "replicas", "mymaster");
      return out.includes(String(replicaTls)) && /\nflags\nslave\n/.test(out);
    },
    { timeoutMs: 30_000, intervalMs: 100, what: "the replica listed as a healthy slave" },
  );
  const masters = await tlsCli(daemonTls, "SENTINEL", "masters");
  expect(masters).toMatch(/\nflags\nmaster\n/);
  expect(masters).toMatch(/\nnum-slaves\n1\n/);
}, 45_000);

it("serves clients on tls-port and requires a client certificate (tls-auth-clients yes)", async () => {
  expect(await tlsCli(daemonTls, "PING")).toBe("PONG");
  await expect(redisCli(daemonTls, "--tls", "--cacert", certs.caCert, "PING")).rejects.toThrow();
  // The plain port still answers, as redis-sentinel's does next to its tls-port.
  expect(await redisCli(daemon.port, "PING")).toBe("PONG");
});

it("hellos announce tls-port: redis-sentinel 7.0.15 and sentinel-kit list each other at their TLS ports", async () => {
  peerTls = await freePort();
  peer = await startRedisSentinel({ config: `${tlsConfig(peerTls)}sentinel monitor mymaster 127.0.0.1 ${masterTls} 1\nsentinel down-after-milliseconds mymaster 1000\n` });
  await waitFor(
    async () => (await tlsCli(peerTls, "SENTINEL", "sentinels", "mymaster")).includes(`\nport\n${daemonTls}\n`),
    { timeoutMs: 20_000, intervalMs: 100, what: "redis-sentinel to list sentinel-kit at its tls-port" },
  );
  await waitFor(
    async () => (await tlsCli(daemonTls, "SENTINEL", "sentinels", "mymaster")).includes(`\nport\n${peerTls}\n`),
    { timeoutMs: 20_000, intervalMs: 100, what: "sentinel-kit to list redis-sentinel at its tls-port" },
  );
  // Each reaches the other over TLS: the link, made when the first hello arrived, comes up
  // (the disconnected flag goes) once its TLS handshake is done.
  await waitFor(
    async () => /\nflags\nsentinel\n/.test(await tlsCli(daemonTls, "SENTINEL", "sentinels", "mymaster")),
    { timeoutMs: 15_000, intervalMs: 100, what: "sentinel-kit's TLS link to redis-sentinel to come up" },
  );
  await waitFor(
    async () => /\nflags\nsentinel\n/.test(await tlsCli(peerTls, "SENTINEL", "sentinels", "mymaster")),
    { timeoutMs: 15_000, intervalMs: 100, what: "redis-sentinel's TLS link to sentinel-kit to come up" },
  );
}, 90_000);

it("with port 0 it listens on tls-port only, as redis-sentinel does", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-tls-only-"));
  const confPath = join(dir, "sentinel.conf");
  const tlsPort = await freePort();
  writeFileSync(confPath, `port 0\nbind 127.0.0.1\nlogfile ${join(dir, "sentinel.log")}\n${tlsConfig(tlsPort)}sentinel monitor other 127.0.0.1 ${masterTls} 2\n`);
  const only = await startProcess({ command: process.execPath, args: [BIN, confPath], port: tlsPort, dir, name: "sentinel-kit-tls-only", ready: (p) => tlsPing(p.port) });
  try {
    const info = await tlsCli(tlsPort, "INFO", "server");
    expect(info).toMatch(/\r?\ntcp_port:0\r?\n/);
    await waitFor(async () => /\nflags\nmaster\n/.test(await tlsCli(tlsPort, "SENTINEL", "MASTER", "other")), { timeoutMs: 20_000, intervalMs: 100, what: "the master seen over TLS" });
  } finally {
    await only.stop();
  }
}, 45_000);

it("fails the TLS master over to its TLS replica, both sentinels agreeing (votes asked over TLS)", async () => {
  await master.kill();
  await waitFor(
    async () => {
      const seen = await Promise.all([daemonTls, peerTls].map((port) => tlsCli(port, "SENTINEL", "get-master-addr-by-name", "mymaster")));
      return seen.every((addr) => addr.endsWith(String(replicaTls)));
    },
    { timeoutMs: 40_000, intervalMs: 100, what: "+switch-master to the replica on both sentinels" },
  );
  expect(await tlsCli(replicaTls, "ROLE")).toMatch(/^master/);
}, 60_000);

it("a certificate that cannot be read stops the start with exit code 1, as Redis's tlsConfigure failure does", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-tls-bad-"));
  const confPath = join(dir, "sentinel.conf");
  writeFileSync(confPath, `port ${await freePort()}\nbind 127.0.0.1\ntls-port ${await freePort()}\ntls-cert-file ${join(dir, "missing.crt")}\ntls-key-file ${certs.serverKey}\n`);
  const run = spawnSync(process.execPath, [BIN, confPath], { encoding: "utf8", timeout: 10_000 });
  expect(run.status).toBe(1);
  expect(run.stdout + run.stderr).toContain(`Failed to configure TLS: tls-cert-file: ${join(dir, "missing.crt")}`);
});
