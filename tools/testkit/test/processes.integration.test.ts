import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import {
  freePort,
  type ManagedProcess,
  pingOnce,
  redisCli,
  RUN_DIR_ENV,
  startRedis,
  startProcess,
  startRedisSentinel,
  waitFor,
} from "../src/index.js";

const started: ManagedProcess[] = [];
function own<T extends ManagedProcess>(process: T): T {
  started.push(process);
  return process;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.kill()));
});

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, "m").exec(info)?.[1]?.trim();
}

describe("startRedis", () => {
  it("starts a master and a replica that syncs from it", async () => {
    const master = own(await startRedis());
    const replica = own(await startRedis({ replicaOf: { host: master.host, port: master.port } }));
    expect(master.port).not.toBe(replica.port);

    await waitFor(async () => infoField(await replica.cli("INFO", "replication"), "master_link_status") === "up", {
      timeoutMs: 10_000,
      what: "replica link up",
    });
    const masterInfo = await master.cli("INFO", "replication");
    expect(infoField(masterInfo, "role")).toBe("master");
    expect(infoField(masterInfo, "connected_slaves")).toBe("1");
    expect(masterInfo).toContain(`port=${replica.port}`);

    await master.cli("SET", "k", "v");
    await waitFor(async () => (await redisCli(replica.port, "GET", "k")) === "v", {
      timeoutMs: 5_000,
      what: "k replicated",
    });
  });

  it("runs without persistence in its own directory", async () => {
    const server = own(await startRedis());
    expect(await server.cli("CONFIG", "GET", "dir")).toBe(`dir\n${server.dir}`);
    expect(await server.cli("CONFIG", "GET", "save")).toBe("save\n");
    expect(await server.cli("CONFIG", "GET", "appendonly")).toBe("appendonly\nno");
    expect(await server.cli("CONFIG", "GET", "bind")).toBe("bind\n127.0.0.1");
  });

  it("counts a server that wants a password (-NOAUTH) as ready", async () => {
    const server = own(await startRedis({ args: ["--requirepass", "s3cret"] }));
    expect(await server.cli("PING")).toContain("NOAUTH");
    expect(await server.cli("-a", "s3cret", "--no-auth-warning", "PING")).toBe("PONG");
  });

  it("keeps its directory under the run directory of the vitest global setup", async () => {
    const runDir = process.env[RUN_DIR_ENV];
    expect(runDir).toMatch(/sentinel-kit-run-/);
    const server = own(await startRedis());
    expect(server.dir.startsWith(`${runDir}/`)).toBe(true);
  });

  it("stop() ends the pid with SIGTERM; kill() with SIGKILL", async () => {
    const a = await startRedis();
    const b = await startRedis();
    await a.stop();
    await b.kill();
    expect(pidAlive(a.pid)).toBe(false);
    expect(pidAlive(b.pid)).toBe(false);
    expect(a.exitStatus).toEqual({ code: 0, signal: null });
    expect(b.exitStatus).toEqual({ code: null, signal: "SIGKILL" });
    expect(await pingOnce(a.host, a.port, 300)).toBe(false);
  });

  it("pause() stops answering, resume() answers again", async () => {
    const server = own(await startRedis());
    await server.pause();
    expect(await pingOnce(server.host, server.port, 300)).toBe(false);
    await server.resume();
    expect(await pingOnce(server.host, server.port, 1_000)).toBe(true);
  });

  it("stop() ends a paused process too", async () => {
    const server = await startRedis();
    await server.pause();
    await server.stop();
    expect(pidAlive(server.pid)).toBe(false);
  });

  it("restarts on the same port and directory", async () => {
    const first = await startRedis();
    await first.stop();
    const second = own(await startRedis({ port: first.port, dir: first.dir }));
    expect(second.port).toBe(first.port);
    expect(await second.cli("PING")).toBe("PONG");
  });
});

describe("startRedisSentinel", () => {
  it("runs Debian's redis-sentinel monitoring a master", async () => {
    const master = own(await startRedis());
    const sentinel = own(
      await startRedisSentinel({
        config: `sentinel monitor mymaster 127.0.0.1 ${master.port} 1\nsentinel down-after-milliseconds mymaster 5000\n`,
      }),
    );
    const masters = (await sentinel.cli("SENTINEL", "MASTERS")).split("\n");
    expect(masters.slice(0, 6)).toEqual(["name", "mymaster", "ip", "127.0.0.1", "port", String(master.port)]);
    expect(await sentinel.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).toBe(
      `127.0.0.1\n${master.port}`,
    );
    expect(sentinel.configPath.startsWith(sentinel.dir)).toBe(true);
  });
});

describe("startProcess", () => {
  it("starts any RESP-speaking program, ready once it answers PING, stopped by pid", async () => {
    const port = await freePort();
    const fixture = fileURLToPath(new URL("./fixtures/pong-server.mjs", import.meta.url));
    const daemon = own(await startProcess({ command: process.execPath, args: [fixture, String(port)], port }));
    expect(daemon.name).toBe("node");
    expect(await daemon.cli("PING")).toBe("PONG");
    expect(daemon.logTail()).toBe(`pong-server starting on ${port}`);
    await daemon.stop();
    expect(pidAlive(daemon.pid)).toBe(false);
    expect(daemon.exitStatus).toEqual({ code: null, signal: "SIGTERM" });
  });
});
