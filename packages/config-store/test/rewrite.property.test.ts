// load(rewrite(state)) equals state (SPEC §2.2: "it is safe to stop and restart Sentinel
// processes"), over random states and random update sequences, each rewrite applied to the
// file the previous one wrote; and no rewrite ever writes a line twice (redis/redis#1980,
// #8313, #8480, valkey-io/valkey#4530 are duplicate-line bugs).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SERVER_CONFIG,
  emptySentinelConfig,
  formatLine,
  loadConfig,
  newMasterConfig,
  REWRITE_SIGNATURE,
  rewriteConfig,
  type MasterConfig,
  type SentinelConfig,
} from "../src/index.js";

const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const word = fc.string({ unit: byte, minLength: 1, maxLength: 8 });
const ip = fc.oneof(fc.ipV4(), fc.constantFrom("::1", "fe80::1", "2001:db8::7"));
const port = fc.integer({ min: 0, max: 65535 });
const runId = fc.stringMatching(/^[0-9a-f]{40}$/);
const epoch = fc.integer({ min: 0, max: 1_000_000 });
const positive = fc.integer({ min: 1, max: 2_000_000 });

type Op =
  | { op: "addMaster"; name: string; host: string; port: number; quorum: number }
  | { op: "removeMaster"; index: number }
  | { op: "setOptions"; index: number; patch: Partial<MasterConfig> }
  | { op: "clearOption"; index: number; key: "authPass" | "authUser" | "notificationScript" | "clientReconfigScript" }
  | { op: "addReplica"; index: number; host: string; port: number }
  | { op: "addSentinel"; index: number; host: string; port: number; runId: string }
  | { op: "configEpoch"; index: number; epoch: number }
  | { op: "leaderEpoch"; index: number; epoch: number }
  | { op: "currentEpoch"; epoch: number }
  | { op: "failover"; index: number }
  | { op: "globals"; patch: Partial<SentinelConfig> };

const masterPatch = fc.record(
  {
    quorum: positive,
    downAfterMilliseconds: positive,
    failoverTimeout: positive,
    parallelSyncs: fc.integer({ min: -5, max: 10 }),
    masterRebootDownAfterPeriod: fc.integer({ min: 0, max: 100_000 }),
    authPass: word,
    authUser: word,
    notificationScript: word,
    clientReconfigScript: word,
    renamedCommands: fc.uniqueArray(fc.record({ command: word, renamed: word }), {
      maxLength: 3,
      selector: (r) => r.command.toLowerCase(),
    }),
  },
  { requiredKeys: [] },
);

const globalsPatch = fc.record(
  {
    myid: fc.stringMatching(/^[0-9a-fA-F]{40}$/),
    announceIp: word,
    announcePort: port,
    denyScriptsReconfig: fc.boolean(),
    announceHostnames: fc.boolean(),
    resolveHostnames: fc.boolean(),
    sentinelUser: word,
    sentinelPass: word,
    server: fc.record({
      port,
      protectedMode: fc.boolean(),
      logfile: fc.string({ unit: byte, maxLength: 6 }),
      loglevel: fc.constantFrom("debug", "verbose", "notice", "warning" as const),
      tlsReplication: fc.boolean(),
      requirepass: word,
      bind: fc.array(ip, { minLength: 1, maxLength: 2 }),
      users: fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
    }).map((s) => ({ ...DEFAULT_SERVER_CONFIG, ...s })),
  },
  { requiredKeys: [] },
);

const index = fc.nat(20);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("addMaster" as const), name: word, host: ip, port, quorum: positive }),
  fc.record({ op: fc.constant("removeMaster" as const), index }),
  fc.record({ op: fc.constant("setOptions" as const), index, patch: masterPatch }),
  fc.record({
    op: fc.constant("clearOption" as const),
    index,
    key: fc.constantFrom("authPass", "authUser", "notificationScript", "clientReconfigScript" as const),
  }),
  fc.record({ op: fc.constant("addReplica" as const), index, host: ip, port }),
  fc.record({ op: fc.constant("addSentinel" as const), index, host: ip, port, runId }),
  fc.record({ op: fc.constant("configEpoch" as const), index, epoch }),
  fc.record({ op: fc.constant("leaderEpoch" as const), index, epoch }),
  fc.record({ op: fc.constant("currentEpoch" as const), epoch }),
  fc.record({ op: fc.constant("failover" as const), index }),
  fc.record({ op: fc.constant("globals" as const), patch: globalsPatch }),
);

const addrKey = (host: string, p: number): string => `${host}:${p}`;

/** Applies one update the way Sentinel's own state changes would, keeping Redis's invariants. */
function apply(state: SentinelConfig, op: Op): SentinelConfig {
  const masters = [...state.masters];
  const at = (i: number): number => (masters.length === 0 ? -1 : i % masters.length);
  const put = (i: number, f: (m: MasterConfig) => MasterConfig): SentinelConfig => {
    const k = at(i);
    const m = masters[k];
    if (m === undefined) return state;
    masters[k] = f(m);
    return { ...state, masters };
  };
  switch (op.op) {
    case "addMaster":
      if (masters.some((m) => m.name === op.name)) return state;
      return { ...state, masters: [...masters, newMasterConfig(op.name, op.host, op.port, op.quorum)] };
    case "removeMaster": {
      const k = at(op.index);
      return k < 0 ? state : { ...state, masters: masters.filter((_, i) => i !== k) };
    }
    case "setOptions":
      return put(op.index, (m) => ({ ...m, ...op.patch }));
    case "clearOption":
      return put(op.index, (m) => {
        const copy: Partial<MasterConfig> = { ...m };
        delete copy[op.key];
        return copy as MasterConfig;
      });
    case "addReplica":
      return put(op.index, (m) =>
        m.knownReplicas.some((r) => addrKey(r.host, r.port) === addrKey(op.host, op.port))
          ? m
          : { ...m, knownReplicas: [...m.knownReplicas, { host: op.host, port: op.port }] },
      );
    case "addSentinel":
      return put(op.index, (m) =>
        m.knownSentinels.some((s) => s.runId === op.runId)
          ? m
          : { ...m, knownSentinels: [...m.knownSentinels, { host: op.host, port: op.port, runId: op.runId }] },
      );
    case "configEpoch": {
      const next = put(op.index, (m) => ({ ...m, configEpoch: op.epoch }));
      return { ...next, currentEpoch: Math.max(next.currentEpoch, op.epoch) };
    }
    case "leaderEpoch":
      return put(op.index, (m) => ({ ...m, leaderEpoch: op.epoch }));
    case "currentEpoch":
      return { ...state, currentEpoch: Math.max(state.currentEpoch, op.epoch) };
    case "failover": {
      // The promoted replica becomes the master; the old master becomes a known replica.
      const next = put(op.index, (m) => {
        const [promoted, ...rest] = m.knownReplicas;
        if (promoted === undefined) return m;
        const old = { host: m.host, port: m.port };
        const replicas = rest.some((r) => addrKey(r.host, r.port) === addrKey(old.host, old.port)) ? rest : [...rest, old];
        return { ...m, host: promoted.host, port: promoted.port, configEpoch: state.currentEpoch + 1, knownReplicas: replicas };
      });
      return next === state ? state : { ...next, currentEpoch: state.currentEpoch + 1 };
    }
    case "globals":
      return { ...state, ...op.patch };
  }
}

/** Non-empty directive lines must all differ, and the signature must appear at most once. */
function expectNoDuplicates(text: string): void {
  const lines = text.split("\n");
  const directives = lines.filter((l) => l !== "" && !l.startsWith("#"));
  expect(new Set(directives).size).toBe(directives.length);
  expect(lines.filter((l) => l === REWRITE_SIGNATURE).length).toBeLessThanOrEqual(1);
}

/** A hand-written file for `state`, in shuffled order, mixed case and with comments. */
function userFile(state: SentinelConfig, order: number[], slave: boolean[]): string {
  const lines: string[] = [];
  for (const m of state.masters) {
    lines.push(formatLine(["SENTINEL", "Monitor", m.name, m.host, String(m.port), String(m.quorum)]));
    lines.push(formatLine(["sentinel", "config-epoch", m.name, String(m.configEpoch)]));
    m.knownReplicas.forEach((r, i) =>
      lines.push(formatLine(["sentinel", slave[i % slave.length] === true ? "known-slave" : "known-replica", m.name, r.host, String(r.port)])),
    );
  }
  lines.push(`sentinel current-epoch ${state.currentEpoch}`);
  const shuffled = lines.map((l, i) => ({ l, k: order[i % order.length] ?? 0 })).sort((a, b) => a.k - b.k);
  return ["# sentinel.conf written by hand", "", ...shuffled.flatMap(({ l }, i) => (i % 3 === 0 ? [`# note ${i}`, l] : [l]))].join("\n");
}

function normalized(state: SentinelConfig): SentinelConfig {
  const by = <T,>(key: (t: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    ...state,
    masters: [...state.masters]
      .map((m) => ({ ...m, knownReplicas: [...m.knownReplicas].sort(by((r) => addrKey(r.host, r.port))) }))
      .sort(by((m) => m.name)),
  };
}

describe("rewrite round trip (property)", () => {
  it("load(rewrite(state)) equals state after every update, and no line is ever duplicated", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 12 }),
        fc.array(opArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.nat(100), { minLength: 1, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        (initialOps, updates, order, slave) => {
          // The initial state only has what userFile writes: monitor, config-epoch, replicas.
          const initial = initialOps
            .filter((o) => o.op === "addMaster" || o.op === "addReplica" || o.op === "configEpoch")
            .reduce(apply, emptySentinelConfig());
          let loaded = loadConfig(userFile(initial, order, slave));
          // Shuffling reorders masters and replicas (the model keeps file order), nothing else.
          expect(normalized(loaded.config)).toEqual(normalized(initial));
          let state = loaded.config;
          for (const op of updates) {
            state = apply(state, op);
            const text = rewriteConfig(loaded.document, state, { verify: true });
            expectNoDuplicates(text);
            loaded = loadConfig(text);
            expect(loaded.config).toEqual(state);
            expect(text).not.toMatch(/known-slave/);
            expect(text).toContain("# sentinel.conf written by hand");
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("omitSecrets round trip (property, redis/redis#10085)", () => {
  it("secrets kept in an included file never reach the main file, and the state still loads back whole", () => {
    const secretOps = opArb.filter((o) => o.op !== "removeMaster" && o.op !== "globals" && o.op !== "clearOption" && !(o.op === "setOptions" && "authPass" in o.patch));
    fc.assert(
      fc.property(
        fc.array(opArb.filter((o) => o.op === "addMaster"), { minLength: 1, maxLength: 4 }),
        fc.array(secretOps, { maxLength: 15 }),
        word,
        (adds, updates, secret) => {
          const masters = adds.reduce(apply, emptySentinelConfig()).masters;
          const secrets = [
            ...masters.map((m) => formatLine(["sentinel", "auth-pass", m.name, `${secret}-${m.name}`])),
            formatLine(["sentinel", "sentinel-pass", secret]),
            formatLine(["requirepass", secret]),
          ].join("\n");
          const files = new Map([["/etc/sentinel-secrets.conf", secrets]]);
          const readInclude = (path: string): string => files.get(path) ?? "";
          const main = ["include /etc/sentinel-secrets.conf", ...masters.map((m) => formatLine(["sentinel", "monitor", m.name, m.host, String(m.port), String(m.quorum)]))].join("\n");
          let loaded = loadConfig(main, { readInclude });
          let state = loaded.config;
          expect(state.sentinelPass).toBe(secret);
          for (const op of updates) {
            state = apply(state, op);
            const text = rewriteConfig(loaded.document, state, { omitSecrets: true, includes: loaded.includes });
            expect(text).not.toMatch(/auth-pass|sentinel-pass|requirepass/);
            expectNoDuplicates(text);
            loaded = loadConfig(text, { readInclude });
            expect(loaded.config).toEqual(state);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
