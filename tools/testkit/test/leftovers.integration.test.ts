import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, killLeftovers, pingOnce, waitFor } from "../src/index.js";

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

// What a crashed worker leaves behind: a running process and its pid file, with nobody
// tracking it in memory. The global teardown calls killLeftovers on the run directory.
describe("killLeftovers", () => {
  it("kills processes recorded in pid files whose command line matches, and only those", async () => {
    const root = mkdtempSync(join(tmpdir(), "testkit-leftovers-"));
    try {
      mkdirSync(join(root, "pids"));
      const port = await freePort();
      const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", ""], {
        stdio: "ignore",
      });
      const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
      const redisPid = redis.pid ?? 0;
      const sleeperPid = sleeper.pid ?? 0;
      children.push(redisPid, sleeperPid);
      await waitFor(() => pingOnce("127.0.0.1", port, 200), { timeoutMs: 5_000, what: "leftover redis up" });
      writeFileSync(join(root, "pids", `${redisPid}.json`), JSON.stringify({ pid: redisPid, match: "redis-server" }));
      // A recycled pid: the record names redis-server but the pid now runs something else.
      writeFileSync(
        join(root, "pids", `${sleeperPid}.json`),
        JSON.stringify({ pid: sleeperPid, match: "redis-server" }),
      );

      const exited = once(redis, "exit");
      expect(killLeftovers(root)).toEqual([redisPid]);
      expect(await exited).toEqual([null, "SIGKILL"]);
      expect(sleeper.exitCode).toBeNull();
      expect(readdirSync(join(root, "pids"))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("returns nothing for a directory without pid files", () => {
    expect(killLeftovers(join(tmpdir(), "testkit-no-such-dir"))).toEqual([]);
  });
});
