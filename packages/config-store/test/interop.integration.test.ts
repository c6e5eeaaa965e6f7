// Interop with Debian's redis-sentinel 7.0.15 (SPEC §2: the same sentinel.conf is read and
// written by both). Every process is started through the test kit and stopped by pid.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  startRedis,
  startRedisSentinel,
  waitFor,
  type RedisServer,
  type RedisSentinel,
} from "@sentinel-kit/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  checkConfigWritable,
  ConfigError,
  ConfigNotWritableError,
  emptySentinelConfig,
  loadConfig,
  newMasterConfig,
  parseDocument,
  rewriteConfig,
  strerror,
  type SentinelConfig,
} from "../src/index.js";

const started: (RedisServer | RedisSentinel)[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

async function track<T extends RedisServer | RedisSentinel>(p: Promise<T>): Promise<T> {
  const process = await p;
  started.push(process);
  return process;
}

/** redis-cli's raw output of an array of flat field/value arrays, as records. */
function records(output: string): Record<string, string>[] {
  const lines = output === "" ? [] : output.split("\n");
  const out: Record<string, string>[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [key, value] = [lines[i] as string, lines[i + 1] as string];
    if (key === "name") out.push({});
    const last = out[out.length - 1];
    if (last !== undefined) last[key] = value;
  }
  return out;
}

async function loadFile(path: string): Promise<SentinelConfig> {
  return loadConfig(await readFile(path, "latin1"), { file: path }).config;
}

describe("files written by redis-sentinel load into the same model", () => {
  it("after SENTINEL MONITOR, SENTINEL SET, replica discovery and a forced failover", async () => {
    const master = await track(startRedis());
    const replica = await track(startRedis({ replicaOf: { host: "127.0.0.1", port: master.port } }));
    const sentinel = await track(startRedisSentinel({ config: "# written by the test\n" }));

    expect(await sentinel.cli("SENTINEL", "MONITOR", "mymaster", "127.0.0.1", String(master.port), "1")).toBe("OK");
    expect(
      await sentinel.cli(
        "SENTINEL", "SET", "mymaster",
        "down-after-milliseconds", "1000",
        "failover-timeout", "5000",
        "parallel-syncs", "2",
        "master-reboot-down-after-period", "500",
        "auth-user", "alice",
      ),
    ).toBe("OK");
    const myid = await sentinel.cli("SENTINEL", "MYID");

    // The replica shows up through the master's INFO, and Sentinel flushes its config.
    await waitFor(async () => (await readFile(sentinel.configPath, "utf8")).includes(`known-replica mymaster 127.0.0.1 ${replica.port}`), {
      timeoutMs: 15_000,
      what: "redis-sentinel to record the replica",
    });
    const before = await loadFile(sentinel.configPath);
    expect(before.myid).toBe(myid);
    expect(before.server.port).toBe(sentinel.port);
    expect(before.masters).toHaveLength(1);
    expect(before.masters[0]).toMatchObject({
      name: "mymaster",
      host: "127.0.0.1",
      port: master.port,
      quorum: 1,
      downAfterMilliseconds: 1000,
      failoverTimeout: 5000,
      parallelSyncs: 2,
      masterRebootDownAfterPeriod: 500,
      authUser: "alice",
      configEpoch: 0,
      knownReplicas: [{ host: "127.0.0.1", port: replica.port }],
    });

    // The replica can be promoted once Sentinel has a fresh INFO from it over a live link;
    // until then FAILOVER answers NOGOODSLAVE.
    await waitFor(async () => (await sentinel.cli("SENTINEL", "FAILOVER", "mymaster")) === "OK", {
      timeoutMs: 15_000,
      intervalMs: 200,
      what: "SENTINEL FAILOVER to be accepted",
    });
    await waitFor(
      async () => {
        const text = await readFile(sentinel.configPath, "utf8");
        return text.includes(`sentinel monitor mymaster 127.0.0.1 ${replica.port} 1`) &&
          text.includes(`known-replica mymaster 127.0.0.1 ${master.port}`);
      },
      { timeoutMs: 20_000, what: "redis-sentinel to record the failover" },
    );
    const after = await loadFile(sentinel.configPath);
    expect(after.masters[0]).toMatchObject({ port: replica.port, knownReplicas: [{ host: "127.0.0.1", port: master.port }] });
    expect(after.masters[0]?.configEpoch).toBeGreaterThanOrEqual(1);
    expect(after.currentEpoch).toBe(after.masters[0]?.configEpoch);
    expect(after.masters[0]?.leaderEpoch).toBe(after.currentEpoch);
  }, 60_000);

  it("rewrites a file exactly as redis-sentinel does, but for the generic server lines it adds", async () => {
    const [mport, rport] = [await freePort(), await freePort()];
    const input = [
      "# my sentinel",
      "SENTINEL monitor m 127.0.0.1 " + mport + " 2",
      "",
      "sentinel known-replica m 127.0.0.1 " + rport,
      "sentinel down-after-milliseconds m 30000",
      "sentinel failover-timeout m 60000",
      "sentinel myid " + "ab".repeat(20),
      "sentinel auth-pass m secret",
      "sentinel current-epoch 4",
      "loglevel verbose",
    ].join("\n");
    const sentinel = await track(startRedisSentinel({ config: input }));
    const original = await readFile(sentinel.configPath, "latin1");
    // Each command makes redis-sentinel flush its config; config-store rewrites after the
    // same model change each time, so both files go through the same sequence of rewrites.
    const steps: [string[], (c: SentinelConfig) => SentinelConfig][] = [
      [
        ["SENTINEL", "SET", "m", "master-reboot-down-after-period", "5", "auth-user", "bob", "parallel-syncs", "3"],
        (c) => ({
          ...c,
          masters: c.masters.map((m) => ({ ...m, masterRebootDownAfterPeriod: 5, authUser: "bob", parallelSyncs: 3 })),
        }),
      ],
      [["SENTINEL", "CONFIG", "SET", "announce-ip", "10.9.8.7"], (c) => ({ ...c, announceIp: "10.9.8.7" })],
      [["SENTINEL", "CONFIG", "SET", "announce-port", "5000"], (c) => ({ ...c, announcePort: 5000 })],
      [["SENTINEL", "CONFIG", "SET", "resolve-hostnames", "yes"], (c) => ({ ...c, resolveHostnames: true })],
      [["SENTINEL", "CONFIG", "SET", "announce-hostnames", "yes"], (c) => ({ ...c, announceHostnames: true })],
      [["SENTINEL", "CONFIG", "SET", "sentinel-user", "su"], (c) => ({ ...c, sentinelUser: "su" })],
      [["SENTINEL", "CONFIG", "SET", "sentinel-pass", "sp"], (c) => ({ ...c, sentinelPass: "sp" })],
      [["SENTINEL", "FLUSHCONFIG"], (c) => c],
    ];
    let { document, config } = loadConfig(original);
    let ours = original;
    for (const [command, update] of steps) {
      expect(await sentinel.cli(...command)).toBe("OK");
      config = update(config);
      ours = rewriteConfig(document, config);
      document = parseDocument(ours, "sentinel.conf");
    }
    const byRedis = await readFile(sentinel.configPath, "latin1");
    // Redis 7.0.15 also writes every generic option that differs from its config table.
    const generic = /^(latency-tracking-info-percentiles|user default|protected-mode)\b/;
    expect(ours).toBe(byRedis.split("\n").filter((l) => !generic.test(l)).join("\n"));
  }, 30_000);
});

describe("files written by config-store are accepted by redis-sentinel", () => {
  it("which reports the same masters, quorums, epochs and known instances", async () => {
    const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
    const [p0, p1, p2, p3, p4, p5] = ports as [number, number, number, number, number, number];
    const state: SentinelConfig = {
      ...emptySentinelConfig(),
      myid: "0123456789abcdef0123456789abcdef01234567",
      currentEpoch: 12,
      masters: [
        {
          ...newMasterConfig("alpha", "127.0.0.1", p0, 2),
          downAfterMilliseconds: 7000,
          failoverTimeout: 90000,
          parallelSyncs: 3,
          configEpoch: 11,
          leaderEpoch: 12,
          knownReplicas: [
            { host: "127.0.0.1", port: p1 },
            { host: "127.0.0.1", port: p2 },
          ],
          knownSentinels: [{ host: "127.0.0.1", port: p3, runId: "f".repeat(40) }],
          renamedCommands: [{ command: "CONFIG", renamed: "MYCONFIG" }],
        },
        {
          ...newMasterConfig("beta", "127.0.0.1", p4, 1),
          configEpoch: 5,
          leaderEpoch: 3,
          knownSentinels: [{ host: "127.0.0.1", port: p5, runId: "e".repeat(40) }],
        },
      ],
    };
    const text = rewriteConfig(parseDocument("", "sentinel.conf"), state);
    const sentinel = await track(startRedisSentinel({ config: text }));

    expect(await sentinel.cli("SENTINEL", "MYID")).toBe(state.myid);
    const masters = records(await sentinel.cli("SENTINEL", "MASTERS")).sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
    expect(masters.map((m) => [m.name, m.ip, Number(m.port), Number(m.quorum), Number(m["config-epoch"])])).toEqual(
      state.masters.map((m) => [m.name, m.host, m.port, m.quorum, m.configEpoch]),
    );
    expect(masters[0]).toMatchObject({ "down-after-milliseconds": "7000", "failover-timeout": "90000", "parallel-syncs": "3" });
    const replicas = records(await sentinel.cli("SENTINEL", "REPLICAS", "alpha"));
    expect(replicas.map((r) => Number(r.port)).sort()).toEqual([p1, p2].sort());
    for (const m of state.masters) {
      const sentinels = records(await sentinel.cli("SENTINEL", "SENTINELS", m.name));
      expect(sentinels.map((s) => [s.name, s.ip, Number(s.port)])).toEqual(m.knownSentinels.map((s) => [s.runId, s.host, s.port]));
    }

    // And what it writes back loads into the state we wrote (masters in its own order).
    expect(await sentinel.cli("SENTINEL", "FLUSHCONFIG")).toBe("OK");
    const back = await loadFile(sentinel.configPath);
    // Redis keeps masters and replicas in hash tables, so only their order may differ.
    const byName = (c: SentinelConfig): SentinelConfig => ({
      ...c,
      masters: [...c.masters]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((m) => ({ ...m, knownReplicas: [...m.knownReplicas].sort((a, b) => a.port - b.port) })),
    });
    // The kit added port, bind and dir lines, so the server part differs on purpose.
    expect(back.server.port).toBe(sentinel.port);
    expect(byName({ ...back, server: state.server })).toEqual(byName(state));
  }, 30_000);
});

describe("names with spaces", () => {
  it("config-store quotes them; redis-sentinel writes them raw and cannot read its own file back", async () => {
    const state: SentinelConfig = {
      ...emptySentinelConfig(),
      myid: "0123456789abcdef0123456789abcdef01234567",
      masters: [newMasterConfig("two words", "127.0.0.1", await freePort(), 1)],
    };
    const text = rewriteConfig(parseDocument("", "sentinel.conf"), state);
    expect(text).toContain('sentinel monitor "two words" 127.0.0.1');
    const sentinel = await track(startRedisSentinel({ config: text }));
    expect(records(await sentinel.cli("SENTINEL", "MASTERS")).map((m) => m.name)).toEqual(["two words"]);
    expect(await sentinel.cli("SENTINEL", "FLUSHCONFIG")).toBe("OK");
    const byRedis = await readFile(sentinel.configPath, "latin1");
    expect(byRedis).toContain("sentinel monitor two words 127.0.0.1");
    expect(() => loadConfig(byRedis)).toThrow("Unrecognized sentinel configuration statement.");
  }, 30_000);
});

describe("redis-sentinel and config-store refuse the same files", () => {
  const cases = [
    "sentinel bogus x",
    "sentinel monitor m 127.0.0.1 6379 1\nsentinel monitor m 127.0.0.1 6380 1",
    "sentinel monitor m 127.0.0.1 6379 0",
    "sentinel monitor m 127.0.0.1 70000 2",
    "sentinel monitor m host.example 6379 2",
    "sentinel myid abc",
    "# c\n\nsentinel known-replica m 10.0.0.1 1\nsentinel monitor m 127.0.0.1 1 1\nsentinel known-replica m 10.0.0.1 1",
    "sentinel down-after-milliseconds x 100",
    "sentinel monitor m 127.0.0.1 1 1\nsentinel rename-command m A B\nsentinel rename-command m A C",
    'sentinel monitor m "127.0.0.1 6379 2',
    "port 99999",
    "loglevel foo",
    "protected-mode maybe",
    "bogus directive",
    "include",
    "user",
    "daemonize yes yes",
    "tls-port 65536",
  ];

  it.each(cases)("%j", async (text) => {
    const dir = await mkdtemp(join(tmpdir(), "config-refuse-"));
    try {
      const path = join(dir, "sentinel.conf");
      await writeFile(path, `${text}\n`);
      const port = await freePort();
      // redis-sentinel exits at once with a FATAL CONFIG FILE ERROR; the timeout is a bound.
      const stderr = await new Promise<string>((resolve) => {
        execFile("redis-sentinel", [path, "--port", String(port)], { timeout: 5000 }, (_e, stdout, err) => resolve(stdout + err));
      });
      const fatal = /Reading the configuration file, at line (\d+)\n>>> '(.*)'\n(.*)\n/.exec(stderr);
      expect(fatal, stderr).not.toBeNull();
      let ours: ConfigError | undefined;
      try {
        loadConfig(`${text}\n`, { file: path });
      } catch (error) {
        if (error instanceof ConfigError) ours = error;
      }
      expect(ours).toBeDefined();
      expect([ours?.line, ours?.text, ours?.reason]).toEqual([Number(fatal?.[1]), fatal?.[2], fatal?.[3]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a config file that is not writable", () => {
  it("gets the message redis-sentinel prints before it exits (sentinel.c sentinelIsRunning)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "config-ro-"));
    try {
      const path = join(dir, "sentinel.conf");
      await writeFile(path, `port ${await freePort()}\nsentinel monitor m 127.0.0.1 6999 2\n`);
      await chmod(dir, 0o755);
      // root may write anything, so as root the file is made unwritable for `nobody` instead.
      const asRoot = process.getuid?.() === 0;
      await chmod(path, asRoot ? 0o644 : 0o444);
      const [command, args] = asRoot ? ["runuser", ["-u", "nobody", "--", "redis-sentinel", path]] : ["redis-sentinel", [path]];
      const output = await new Promise<string>((resolve) => {
        execFile(command, args, { timeout: 5000 }, (_e, stdout, stderr) => resolve(stdout + stderr));
      });
      const line = /# (Sentinel config file .* Exiting\.\.\.)/.exec(output)?.[1];
      expect(line, output).toBeDefined();
      const ours = asRoot
        ? new ConfigNotWritableError(path, "EACCES", strerror({ code: "EACCES" }))
        : await checkConfigWritable(path).then(() => undefined, (e: unknown) => e);
      expect(ours).toBeInstanceOf(ConfigNotWritableError);
      expect((ours as ConfigNotWritableError).message).toBe(line);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
