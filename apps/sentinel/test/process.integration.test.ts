// The daemon behaves as a process the way redis-sentinel does: relative config path,
// directives from the command line, `dir`, PING soon after start, SIGTERM flushes and exits 0.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, pingOnce, waitFor } from "@sentinel-kit/testkit";
import { expect, it } from "vitest";
import { BIN, requireDist } from "./harness/processes.js";

it("runs on a relative config path with --port, moves to `dir`, answers PING, flushes on SIGTERM and exits 0", async () => {
  requireDist();
  const root = mkdtempSync(join(tmpdir(), "sentinel-kit-proc-"));
  const work = join(root, "work");
  mkdirSync(work);
  writeFileSync(join(root, "sentinel.conf"), `bind 127.0.0.1\ndir ${work}\nsentinel monitor mymaster 127.0.0.1 ${await freePort()} 2\n`);
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, "sentinel.conf", "--sentinel", "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // "close", not "exit": the output checked below may still be in the pipes at "exit".
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  try {
    await waitFor(() => pingOnce("127.0.0.1", port, 100), { timeoutMs: 10_000, intervalMs: 10, what: "the first PONG" });
    const firstPong = Date.now() - started;
    // Redis answers at once; a cold node start on a loaded machine takes most of a second.
    expect(firstPong).toBeLessThan(2500);
    expect(readFileSync(`/proc/${child.pid}/cwd/../sentinel.conf`, "utf8")).toContain("sentinel myid ");
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
  const saved = readFileSync(join(root, "sentinel.conf"), "utf8");
  expect(saved).toMatch(/^sentinel myid [0-9a-f]{40}$/m);
  expect(saved).toContain(`port ${port}`);
  expect(output).toContain("Received SIGTERM scheduling shutdown...");
  expect(output).toContain("+monitor master mymaster 127.0.0.1");
}, 30_000);

it("listens on every bind address, and exits 1 with Redis's message when the port is taken", async () => {
  requireDist();
  const root = mkdtempSync(join(tmpdir(), "sentinel-kit-bind-"));
  const port = await freePort();
  writeFileSync(join(root, "sentinel.conf"), `port ${port}\nbind 127.0.0.1 -::1\nsentinel monitor mymaster 127.0.0.1 ${await freePort()} 2\n`);
  const child = spawn(process.execPath, [BIN, join(root, "sentinel.conf")], { stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    await waitFor(() => pingOnce("127.0.0.1", port, 100), { timeoutMs: 10_000, intervalMs: 10, what: "PONG on 127.0.0.1" });
    // ::1 is optional ("-"): answered when the machine has IPv6 loopback.
    const hasV6 = await new Promise<boolean>((resolve) => {
      const probe = createServer().once("error", () => resolve(false));
      probe.listen({ port: 0, host: "::1" }, () => probe.close(() => resolve(true)));
    });
    if (hasV6) await waitFor(() => pingOnce("::1", port, 200), { timeoutMs: 10_000, intervalMs: 50, what: "PONG on ::1" });
    else expect(await pingOnce("::1", port, 200)).toBe(false);
    const second = spawnSync(process.execPath, [BIN, join(root, "sentinel.conf"), "--bind", "127.0.0.1"], { encoding: "utf8", timeout: 10_000 });
    expect(second.status).toBe(1);
    expect(second.stdout).toContain(`Could not create server TCP listening socket 127.0.0.1:${port}`);
    expect(second.stdout).toContain(`Failed listening on port ${port} (TCP), aborting.`);
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
}, 30_000);
