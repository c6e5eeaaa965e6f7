// Random states written by config-store, given to Debian's redis-sentinel 7.0.15: it must
// start on every one, report the same masters, and write back (SENTINEL FLUSHCONFIG) a file
// that loads into the same state (SPEC §2.2; hash-table order aside). Generated values stay
// within what Redis can write back: names without spaces (it writes them raw), addresses in
// TEST-NET ranges that nothing answers on, so that Sentinel learns nothing new meanwhile.
import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { startRedisSentinel } from "@sentinel-kit/testkit";
import { describe, expect, it } from "vitest";
import {
  emptySentinelConfig,
  loadConfig,
  MASTER_DEFAULTS,
  parseDocument,
  rewriteConfig,
  type MasterConfig,
  type SentinelConfig,
} from "../src/index.js";

const token = fc.stringMatching(/^[a-zA-Z0-9_-]{1,8}$/);
const host = fc.oneof(
  fc.integer({ min: 1, max: 254 }).map((i) => `192.0.2.${i}`),
  fc.integer({ min: 1, max: 254 }).map((i) => `2001:db8::${i.toString(16)}`),
);
const port = fc.integer({ min: 1, max: 65535 });
const epoch = fc.integer({ min: 0, max: 1000 });
const addr = fc.record({ host, port });

const master: fc.Arbitrary<MasterConfig> = fc
  .record({
    name: token,
    host,
    port,
    quorum: fc.integer({ min: 1, max: 5 }),
    downAfterMilliseconds: fc.oneof(fc.constant(MASTER_DEFAULTS.downAfterMilliseconds), fc.integer({ min: 1, max: 1_000_000 })),
    failoverTimeout: fc.oneof(fc.constant(MASTER_DEFAULTS.failoverTimeout), fc.integer({ min: 1, max: 1_000_000 })),
    parallelSyncs: fc.integer({ min: 0, max: 10 }),
    masterRebootDownAfterPeriod: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 })),
    configEpoch: epoch,
    leaderEpoch: epoch,
    knownReplicas: fc.uniqueArray(addr, { maxLength: 3, selector: (a) => `${a.host}:${a.port}` }),
    knownSentinels: fc.uniqueArray(
      fc.record({ host, port, runId: fc.stringMatching(/^[0-9a-f]{40}$/) }),
      { maxLength: 3, selector: (s) => s.runId },
    ),
    renamedCommands: fc.uniqueArray(fc.record({ command: token, renamed: token }), {
      maxLength: 2,
      selector: (r) => r.command.toLowerCase(),
    }),
    authPass: fc.option(token, { nil: undefined }),
    authUser: fc.option(token, { nil: undefined }),
    notificationScript: fc.option(fc.constant("/bin/true"), { nil: undefined }),
  })
  .map((m) => {
    const { authPass, authUser, notificationScript, ...rest } = m;
    return {
      ...rest,
      // A replica at the master's own address is written back as the master (sentinel.c).
      knownReplicas: m.knownReplicas.filter((r) => r.host !== m.host || r.port !== m.port),
      ...(authPass === undefined ? {} : { authPass }),
      ...(authUser === undefined ? {} : { authUser }),
      ...(notificationScript === undefined ? {} : { notificationScript }),
    };
  });

const state: fc.Arbitrary<SentinelConfig> = fc
  .record({
    masters: fc.uniqueArray(master, { minLength: 1, maxLength: 4, selector: (m) => m.name }),
    extraEpoch: epoch,
    denyScriptsReconfig: fc.boolean(),
    resolveHostnames: fc.boolean(),
    announcePort: fc.oneof(fc.constant(0), port),
    announceHostnames: fc.boolean(),
    sentinelUser: fc.option(token, { nil: undefined }),
    sentinelPass: fc.option(token, { nil: undefined }),
    announceIp: fc.option(host, { nil: undefined }),
  })
  .map(({ masters, extraEpoch, sentinelUser, sentinelPass, announceIp, ...globals }) => ({
    ...emptySentinelConfig(),
    ...globals,
    ...(sentinelUser === undefined ? {} : { sentinelUser }),
    ...(sentinelPass === undefined ? {} : { sentinelPass }),
    ...(announceIp === undefined ? {} : { announceIp }),
    myid: "5e17e1c0".repeat(5),
    currentEpoch: Math.max(extraEpoch, ...masters.map((m) => m.configEpoch)),
    masters,
  }));

/** Hash-table order aside: masters, replicas, sentinels and renames sorted. */
function normalized(c: SentinelConfig): SentinelConfig {
  const by = <T>(key: (t: T) => string) => (a: T, b: T): number => key(a).localeCompare(key(b));
  return {
    ...c,
    masters: [...c.masters]
      .map((m) => ({
        ...m,
        knownReplicas: [...m.knownReplicas].sort(by((r) => `${r.host}:${r.port}`)),
        knownSentinels: [...m.knownSentinels].sort(by((s) => s.runId)),
        renamedCommands: [...m.renamedCommands].sort(by((r) => r.command)),
      }))
      .sort(by((m) => m.name)),
  };
}

describe("random config-store files through redis-sentinel", () => {
  it("start it, and come back from its rewrite as the same state", async () => {
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const text = rewriteConfig(parseDocument("", "sentinel.conf"), s, { verify: true });
        const sentinel = await startRedisSentinel({ config: text });
        try {
          const names = (await sentinel.cli("SENTINEL", "MASTERS")).split("\n").filter((_, i, all) => all[i - 1] === "name");
          expect(names.sort()).toEqual(s.masters.map((m) => m.name).sort());
          expect(await sentinel.cli("SENTINEL", "FLUSHCONFIG")).toBe("OK");
          const back = loadConfig(await readFile(sentinel.configPath, "latin1")).config;
          expect(normalized({ ...back, server: s.server })).toEqual(normalized(s));
        } finally {
          await sentinel.stop();
        }
      }),
      { numRuns: 25, seed: 4242, endOnFailure: true },
    );
  }, 120_000);
});
