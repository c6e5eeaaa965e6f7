// The daemon as a process facing bad input: malformed and oversized requests on its port,
// a broken config line, a missing or read-only config file (SPEC §1.1, §2.1).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ask, requireDist, startDaemon, type Daemon } from "./harness/processes.js";

const BAD_REQUESTS: readonly Buffer[] = [
  Buffer.from("*-5x\r\n"), // invalid multibulk length
  Buffer.from("*1\r\n$abc\r\n"), // invalid bulk length
  Buffer.from("*1\r\n$600000000\r\n"), // bulk over 512 MiB
  Buffer.from("*3000000000\r\n"), // multibulk over 2^31 - 1
  Buffer.from("*2\r\nfoo\r\n"), // expected '$'
  Buffer.alloc(70 * 1024, "a"), // inline request over 64 KiB, no newline
  Buffer.from('SENTINEL "unbalanced\r\n'), // unbalanced quotes
  Buffer.from([0xff, 0x00, 0x2a, 0x0d, 0x0a, 0x24, 0xfe, 0x0d, 0x0a]), // binary garbage
];

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
}

/** Sends one bad request on a fresh connection; resolves when the server closes it (or after 2 s). */
function badRequest(port: number, payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on("data", () => undefined);
    socket.write(payload, () => socket.end());
  });
}

describe("bad input", () => {
  let daemon: Daemon;

  beforeAll(async () => {
    requireDist();
    // A master nobody listens on: the daemon keeps trying, which is part of its normal load.
    daemon = await startDaemon(`sentinel monitor mymaster 127.0.0.1 ${await freePort()} 2\n`);
  }, 30_000);

  afterAll(async () => {
    await daemon.process.stop();
  });

  it("10,000 malformed or oversized requests: other clients are served, RSS stays bounded", async () => {
    const before = rssKiB(daemon.process.pid);
    let sent = 0;
    let pings = 0;
    let slowest = 0;
    let flooding = true;
    const pinger = (async () => {
      while (flooding) {
        const t = Date.now();
        expect(await ask(daemon.port, "PING")).toBe("PONG");
        slowest = Math.max(slowest, Date.now() - t);
        pings++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const workers = Array.from({ length: 50 }, async () => {
      while (sent < 10_000) {
        const payload = BAD_REQUESTS[sent % BAD_REQUESTS.length]!;
        sent++;
        await badRequest(daemon.port, payload);
      }
    });
    await Promise.all(workers);
    flooding = false;
    await pinger;
    const after = rssKiB(daemon.process.pid);
    expect(sent).toBe(10_000);
    expect(pings).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(1000);
    expect(daemon.process.exited).toBe(false);
    // Bounded: the flood leaves no per-request memory behind (limits are checked on headers).
    expect(after - before).toBeLessThan(100 * 1024);
    expect(await ask(daemon.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).toHaveLength(2);
  }, 120_000);
});

describe("the config file", () => {
  function run(...args: string[]): { status: number | null; output: string } {
    requireDist();
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 10_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it("a broken line: exit code 1, Redis's error with file and line, the file untouched", () => {
    const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-conf-"));
    const path = join(dir, "sentinel.conf");
    const text = "port 26999\nsentinel monitor mymaster 127.0.0.1 6379 0\n";
    writeFileSync(path, text);
    const { status, output } = run(path);
    expect(status).toBe(1);
    expect(output).toContain("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***");
    expect(output).toContain(`Reading the configuration file ${path}, at line 2`);
    expect(output).toContain("Quorum must be 1 or greater.");
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("no config file: Redis's message and exit code 1", () => {
    const { status, output } = run();
    expect(status).toBe(1);
    expect(output).toContain("Sentinel needs config file on disk to save state. Exiting...");
  });

  it("a missing config file: Redis's message and exit code 1", () => {
    const path = join(mkdtempSync(join(tmpdir(), "sentinel-kit-conf-")), "missing.conf");
    const { status, output } = run(path);
    expect(status).toBe(1);
    expect(output).toContain(`Fatal error, can't open config file '${path}': No such file or directory`);
  });

  // root may write anything: the permission check only bites for other users.
  it.skipIf(process.getuid?.() === 0)("a read-only config file: Redis's message and exit code 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-conf-"));
    const path = join(dir, "sentinel.conf");
    writeFileSync(path, "port 26999\n");
    chmodSync(path, 0o444);
    const { status, output } = run(path);
    expect(status).toBe(1);
    expect(output).toContain(`Sentinel config file ${path} is not writable: Permission denied. Exiting...`);
  });
});
