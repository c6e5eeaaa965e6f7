import { freePort, startRedis, type RedisServer } from "@sentinel-kit/testkit";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IoredisLink, LinkConnectError, RespLink, type InstanceLink, type LinkOptions } from "../src/index.js";

// SPEC §4.2 / S6: links pass TLS options through (Redis's tls-replication).
const IMPLEMENTATIONS: [string, (options: LinkOptions) => InstanceLink][] = [
  ["RespLink", (options) => new RespLink(options)],
  ["IoredisLink", (options) => new IoredisLink(options)],
];

describe.each(IMPLEMENTATIONS)("%s over TLS", (_name, create) => {
  let server: RedisServer;
  let tlsPort: number;
  let ca: Buffer;
  const certDir = mkdtempSync(join(tmpdir(), "health-monitor-tls-"));
  const links: InstanceLink[] = [];

  beforeAll(async () => {
    const key = join(certDir, "key.pem");
    const cert = join(certDir, "cert.pem");
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
      "-keyout", key, "-out", cert, "-subj", "/CN=localhost",
      "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ], { stdio: "pipe" });
    ca = readFileSync(cert);
    tlsPort = await freePort();
    server = await startRedis({
      args: [
        "--tls-port", String(tlsPort), "--tls-cert-file", cert, "--tls-key-file", key,
        "--tls-ca-cert-file", cert, "--tls-auth-clients", "no",
      ],
    });
  });

  afterAll(async () => {
    for (const link of links) link.destroy();
    await server?.stop();
    rmSync(certDir, { recursive: true, force: true });
  });

  const link = (options: { bindSourceAddr?: string; trusted?: boolean }) => {
    const created = create({
      host: "127.0.0.1",
      port: tlsPort,
      tls: options.trusted === false ? {} : { ca },
      sentinelId: "7150000000000000",
      ...(options.bindSourceAddr !== undefined ? { bindSourceAddr: options.bindSourceAddr } : {}),
    });
    links.push(created);
    return created;
  };

  it("connects with the given CA and names the connection", async () => {
    const tls = link({});
    await tls.connect("cmd");
    expect(await tls.command(["PING"])).toBe("PONG");
    expect(await tls.command(["CLIENT", "GETNAME"])).toBe("sentinel-71500000-cmd");
  });

  it("connects over TLS from bind-source-addr", async () => {
    const tls = link({ bindSourceAddr: "127.0.0.1" });
    await tls.connect("cmd");
    expect(await tls.command(["PING"])).toBe("PONG");
  });

  it("refuses a server certificate it cannot verify", async () => {
    await expect(link({ trusted: false }).connect("cmd")).rejects.toBeInstanceOf(LinkConnectError);
  });
});
