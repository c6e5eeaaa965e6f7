import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  freePort,
  MissingBinaryError,
  ProcessExitedError,
  redisCli,
  startProcess,
  startRedis,
  startRedisSentinel,
  WaitTimeoutError,
} from "../src/index.js";

const savedPath = process.env["PATH"];
afterEach(() => {
  process.env["PATH"] = savedPath;
});

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("missing binaries", () => {
  const install = "apt-get install -y redis-server redis-sentinel redis-tools";

  it.each([
    ["redis-server", () => startRedis()],
    ["redis-sentinel", () => startRedisSentinel({ config: "" })],
    ["redis-cli", () => redisCli(1, "PING")],
  ])("%s missing: the error says what to install", async (binary, start) => {
    process.env["PATH"] = mkdtempSync(join(tmpdir(), "empty-path-"));
    const error = await start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingBinaryError);
    expect((error as MissingBinaryError).binary).toBe(binary);
    expect((error as Error).message).toContain(install);
    expect((error as Error).message).toContain("pnpm test");
  });
});

describe("start failures", () => {
  it("a process that exits before it is ready fails with its log tail", async () => {
    const error = await startRedis({ args: ["--no-such-directive", "1"] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProcessExitedError);
    expect((error as ProcessExitedError).message).toContain("no-such-directive");
    expect((error as ProcessExitedError).exitCode).toBe(1);
  });

  it("a process that never becomes ready times out naming what was awaited, and is killed", async () => {
    const port = await freePort();
    let pid = 0;
    const error = await startProcess({
      command: "sh",
      args: ["-c", "echo hello-from-the-log; exec sleep 30"],
      port,
      readyTimeoutMs: 300,
      ready: async (p) => {
        pid = p.pid;
        return false;
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError;
    expect(timeout.name).toBe("WaitTimeoutError");
    expect(timeout.what).toBe(`sh on 127.0.0.1:${port} (pid ${pid}) to answer PING`);
    expect(timeout.message).toContain("hello-from-the-log");
    expect(pidAlive(pid)).toBe(false);
  });
});
