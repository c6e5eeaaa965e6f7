// issue 6, Done when: "`redis-cli -p <port> SENTINEL masters` (and the other commands above)
// prints what it prints against redis-sentinel, field for field, apart from values that
// differ by nature (runids, times, ports)". Debian's redis-sentinel 7.0.15 and our built
// daemon monitor the same real master and replica, and know each other; redis-cli asks both
// the same things, in RESP2 and RESP3, and the printed lines are compared once each side's
// own identity and the other's are named SELF and PEER.
import type { RespValue } from "@sentinel-kit/resp-protocol";
import { plainClient, redisCli, startRedis, startRedisSentinel, waitFor, type ManagedProcess } from "@sentinel-kit/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConf, startDaemon, type Daemon } from "./harness/processes.js";
import { RawClient } from "./harness/raw-client.js";
import { VOLATILE_FIELDS, blankVolatileLines } from "./harness/volatile.js";

const processes: ManagedProcess[] = [];
let daemon: Daemon | undefined;
let realPort = 0;
let oursPort = 0;
let realId = "";
let oursId = "";

/** Names each side's own identity SELF and the other's PEER, and blanks volatile values. */
function normalize(output: string, self: "real" | "ours"): string[] {
  const [me, peer] = self === "real" ? [realId, oursId] : [oursId, realId];
  const [myPort, peerPort] = self === "real" ? [realPort, oursPort] : [oursPort, realPort];
  const lines = output.split("\n").map((l) =>
    l
      .replaceAll(me, "SELF")
      .replaceAll(peer, "PEER")
      .replace(new RegExp(`\\b${myPort}\\b`, "g"), "SELF_PORT")
      .replace(new RegExp(`\\b${peerPort}\\b`, "g"), "PEER_PORT"),
  );
  return blankVolatileLines(lines);
}

async function cliBoth(args: string[]): Promise<[string[], string[]]> {
  const [real, ours] = await Promise.all([redisCli(realPort, ...args), redisCli(oursPort, ...args)]);
  return [normalize(real, "real"), normalize(ours, "ours")];
}

/** A reply as typed lines (`+`, `-`, `:`, `$`, `*N`, `%N`, `~N`, `_`), for comparing two servers. */
function render(v: RespValue, out: string[] = []): string[] {
  switch (v.kind) {
    case "simple":
      out.push(`+${v.value}`);
      break;
    case "error":
      out.push(`-${v.value}`);
      break;
    case "integer":
      out.push(`:${v.value}`);
      break;
    case "bulk":
      out.push(`$${v.value.toString("utf8")}`);
      break;
    case "verbatim":
      out.push(`=${v.format}:${v.value}`);
      break;
    case "array":
    case "set":
    case "push":
      out.push(`${v.kind === "array" ? "*" : v.kind === "set" ? "~" : ">"}${v.value.length}`);
      for (const e of v.value) render(e, out);
      break;
    case "map":
      out.push(`%${v.value.length}`);
      for (const [k, e] of v.value) {
        render(k, out);
        render(e, out);
      }
      break;
    default:
      out.push(`<${v.kind}>`);
  }
  return out;
}

beforeAll(async () => {
  const master = await startRedis();
  processes.push(master);
  processes.push(await startRedis({ replicaOf: { host: "127.0.0.1", port: master.port } }));
  const conf = `sentinel monitor mymaster 127.0.0.1 ${master.port} 2\nsentinel down-after-milliseconds mymaster 5000\n`;
  const real = await startRedisSentinel({ config: conf });
  processes.push(real);
  realPort = real.port;
  daemon = await startDaemon(conf);
  oursPort = daemon.port;
  realId = await redisCli(realPort, "SENTINEL", "MYID");
  oursId = await redisCli(oursPort, "SENTINEL", "MYID");
  // Both must know the replica (with its runid) and each other, with the link to the other
  // up (no `disconnected` flag: the link is made after the first hello), before they can agree.
  for (const port of [realPort, oursPort]) {
    await waitFor(
      async () => {
        const replicas = await redisCli(port, "SENTINEL", "REPLICAS", "mymaster");
        const sentinels = await redisCli(port, "SENTINEL", "SENTINELS", "mymaster");
        return /runid\n[0-9a-f]{40}/.test(replicas) && /master-link-status\nok/.test(replicas) && /\nflags\nsentinel\n/.test(sentinels);
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `the sentinel on ${port} to know the replica and be linked to the other sentinel` },
    );
  }
}, 90_000);

afterAll(async () => {
  await daemon?.process.stop();
  for (const p of processes.reverse()) await p.stop();
});

const COMMANDS: string[][] = [
  ["PING"],
  ["ROLE"],
  ["SENTINEL", "MASTERS"],
  ["SENTINEL", "MASTER", "mymaster"],
  ["SENTINEL", "REPLICAS", "mymaster"],
  ["SENTINEL", "SLAVES", "mymaster"],
  ["SENTINEL", "SENTINELS", "mymaster"],
  ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"],
  ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nope"],
  ["SENTINEL", "CKQUORUM", "mymaster"],
  ["SENTINEL", "MYID"],
  ["SENTINEL", "DEBUG"],
  ["SENTINEL", "CONFIG", "GET", "*"],
  ["SENTINEL", "PENDING-SCRIPTS"],
  ["SENTINEL", "RESET", "nomatch"],
  ["SENTINEL", "INFO-CACHE", "nope"],
  ["SENTINEL", "MASTER", "nope"],
  ["SENTINEL", "SET", "mymaster", "foo", "1"],
  ["SENTINEL", "MONITOR", "mymaster", "127.0.0.1", "1", "1"],
  ["SENTINEL", "foo"],
  ["SENTINEL", "HELP"],
  ["INFO", "sentinel"],
  ["PUBLISH", "foo", "bar"],
  ["CLIENT", "GETNAME"],
  ["COMMAND", "COUNT"],
  ["GET", "x"],
];

describe("redis-cli prints the same against sentinel-kit as against redis-sentinel 7.0.15", () => {
  for (const proto of [[], ["-3"]] as const) {
    it(`prints the same lines${proto.length > 0 ? " in RESP3" : ""}`, async () => {
      const mismatches: string[] = [];
      for (const command of COMMANDS) {
        const [real, ours] = await cliBoth([...proto, ...command]);
        if (JSON.stringify(real) !== JSON.stringify(ours)) {
          mismatches.push(`${command.join(" ")}\n--- redis-sentinel\n${real.join("\n")}\n--- sentinel-kit\n${ours.join("\n")}`);
        }
      }
      expect(mismatches).toEqual([]);
    }, 60_000);
  }

  it("answers generated commands alike over RESP, connection for connection (fast-check, fixed seed)", async () => {
    // Everything but what changes either side's state, what differs by nature (client ids
    // and lists, INFO figures, INFO-CACHE ages, random passwords), SUBSCRIBE (whose messages
    // arrive on their own schedule) and QUIT (see below).
    const subcommands: Record<string, readonly string[]> = {
      sentinel: ["masters", "master", "replicas", "slaves", "sentinels", "get-master-addr-by-name", "myid", "ckquorum", "pending-scripts", "config", "help", "debug", "nosuch"],
      client: ["help", "getredir", "trackinginfo", "no-evict", "unblock", "getname", "setname", "nosuch"],
      command: ["count", "info", "docs", "getkeys", "help", "nosuch"],
      acl: ["whoami", "users", "help", "deluser", "load", "nosuch"],
    };
    const tokens = ["mymaster", "", "0", "1", "2", "3", "-1", "x", "help", "get", "*", "announce-*", "ping", "AUTH", "default", "SETNAME", "name", "sentinel|master"];
    const arg = fc.oneof(fc.constantFrom(...tokens), fc.stringMatching(/^[a-z0-9.-]{0,6}$/));
    const command = fc.oneof(
      fc.tuple(fc.constantFrom(...Object.keys(subcommands)), fc.array(arg, { maxLength: 4 })).chain(([c, rest]) =>
        fc.constantFrom(...(subcommands[c] ?? [])).map((sub) => [c, sub, ...rest]),
      ),
      fc.tuple(fc.constantFrom("ping", "role", "publish", "hello", "auth", "get", "config", "Sentinel"), fc.array(arg, { maxLength: 4 })).map(([c, rest]) => [c, ...rest]),
    );
    const [real, ours] = [await RawClient.open(realPort), await RawClient.open(oursPort)];
    // redis-sentinel's HELLO id and CLIENT-level values are its own; the rest must match.
    const volatile = new Set([...VOLATILE_FIELDS, "id"]);
    const normalized = (v: RespValue, self: "real" | "ours") => {
      const lines = normalize(render(v).join("\n"), self);
      return lines.map((l, i) => (i > 0 && volatile.has((lines[i - 1] ?? "").slice(1)) ? "<n>" : l)).join("\n");
    };
    try {
      await fc.assert(
        fc.asyncProperty(command, async (argv) => {
          const [r, o] = await Promise.all([real.call(argv), ours.call(argv)]);
          // Whole command tables come in each process's dict order: their lines are compared as a multiset.
          const table = (argv[0] ?? "").toLowerCase() === "command";
          const form = (v: RespValue, self: "real" | "ours") => (table ? normalized(v, self).split("\n").sort().join("\n") : normalized(v, self));
          expect(form(o, "ours")).toBe(form(r, "real"));
        }),
        { numRuns: Number(process.env.SENTINEL_FUZZ_RUNS ?? 300), seed: Number(process.env.SENTINEL_FUZZ_SEED ?? 20260603) },
      );
    } finally {
      real.close();
      ours.close();
    }
  }, 60_000);

  it("answers IS-MASTER-DOWN-BY-ADDR about a healthy master alike, without a vote", async () => {
    const master = processes[0];
    const [real, ours] = await cliBoth(["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", String(master?.port), "0", "*"]);
    expect(ours).toEqual(real);
  });

  it("answers the same mutations alike, and shows their effect alike", async () => {
    // Runs last but one: it changes both sentinels' state the same way.
    const steps: string[][] = [
      ["SENTINEL", "SET", "mymaster", "quorum", "1", "parallel-syncs", "2"],
      ["SENTINEL", "SET", "mymaster", "failover-timeout", "60000", "quorum", "0"],
      ["SENTINEL", "MASTER", "mymaster"],
      ["SENTINEL", "FLUSHCONFIG"],
      ["SENTINEL", "CONFIG", "SET", "announce-port", "0"],
      ["SENTINEL", "CONFIG", "GET", "announce-*"],
      ["SENTINEL", "DEBUG", "info-period", "10000", "ping-period", "x"],
      ["SENTINEL", "DEBUG"],
      ["SENTINEL", "SIMULATE-FAILURE"],
      ["INFO", "sentinel"],
      ["SENTINEL", "MONITOR", "other", "127.0.0.1", "1", "1"],
      ["ROLE"],
      ["SENTINEL", "MASTER", "other"],
      ["SENTINEL", "REMOVE", "other"],
      // Redis keeps a numeric host the way inet_aton reads it.
      ["SENTINEL", "MONITOR", "short", "127.1", "2", "1"],
      ["SENTINEL", "MONITOR", "hex", "0x7f.0.0.2", "2", "1"],
      ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "short"],
      ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "hex"],
      ["SENTINEL", "RESET", "sh*"],
      ["SENTINEL", "REMOVE", "short"],
      ["SENTINEL", "REMOVE", "hex"],
      ["SENTINEL", "MASTERS"],
      // The event shows auth-pass as ******.
      ["SENTINEL", "SET", "mymaster", "auth-pass", "hunter2", "auth-pass", ""],
      ["SENTINEL", "SET", "mymaster", "quorum", "2", "parallel-syncs", "1", "failover-timeout", "180000"],
    ];
    // The events these commands publish (SPEC §3), on both sides, in order.
    const channels = new Set(["+set", "+monitor", "-monitor", "+reset-master"]);
    const listeners = await Promise.all(
      [realPort, oursPort].map(async (port) => {
        const sub = plainClient({ port, protocol: 3 });
        const events: string[] = [];
        sub.on("pmessage", (_p: string, channel: string, message: string) => {
          if (channels.has(channel)) events.push(`${channel} ${message}`);
        });
        await sub.connect();
        await sub.psubscribe("*");
        return { sub, events };
      }),
    );
    const mismatches: string[] = [];
    try {
      for (const step of steps) {
        let [real, ours] = await cliBoth(step);
        // Redis lists masters in its dict's order, which is random per process.
        if (step[0] === "ROLE") [real, ours] = [[...real].sort(), [...ours].sort()];
        // Nothing listens on port 1: each side's link to "other" is connecting or just
        // refused when asked (Redis clears the flag when it starts the connect, sets it again
        // on the refusal), so the disconnected flag is a race on both sides.
        if (step.join(" ") === "SENTINEL MASTER other") {
          [real, ours] = [real, ours].map((lines) => lines.map((l) => (l === "master,disconnected" ? "master" : l))) as [string[], string[]];
        }
        if (JSON.stringify(real) !== JSON.stringify(ours)) mismatches.push(`${step.join(" ")}\n--- redis-sentinel\n${real.join("\n")}\n--- sentinel-kit\n${ours.join("\n")}`);
      }
      expect(mismatches).toEqual([]);
      const [realEvents, ourEvents] = listeners.map((l) => l.events);
      // One event per option set, per master added, reset or removed: 15 in all.
      await waitFor(() => realEvents?.length === 15 && ourEvents?.length === 15, {
        timeoutMs: 15_000,
        what: "both sentinels' events",
        detail: () => JSON.stringify({ realEvents, ourEvents }, null, 1),
      });
      expect(ourEvents).toEqual(realEvents);
      expect(realEvents).toContain(`+set master mymaster 127.0.0.1 ${processes[0]?.port} auth-pass ******`);
    } finally {
      for (const l of listeners) l.sub.disconnect();
    }
  }, 60_000);

  it("votes alike when asked for a vote in a new epoch (the vote is on disk before the reply)", async () => {
    const master = processes[0];
    const candidate = "c".repeat(40);
    const [real, ours] = await cliBoth(["SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", String(master?.port), "7", candidate]);
    expect(real).toEqual(["0", candidate, "7"]);
    expect(ours).toEqual(real);
    const conf = readConf(daemon as Daemon);
    expect(conf).toMatch(/^sentinel current-epoch 7$/m);
    expect(conf).toMatch(new RegExp(`^sentinel leader-epoch mymaster 7$`, "m"));
  });

  it("prints CLIENT INFO and CLIENT LIST lines with the same fields in the same order", async () => {
    for (const command of [["CLIENT", "INFO"], ["CLIENT", "LIST"]]) {
      const [real, ours] = await cliBoth(command);
      const names = (line: string) => line.split(" ").map((kv) => kv.slice(0, kv.indexOf("=")));
      expect(names(ours[0] ?? "")).toEqual(names(real[0] ?? ""));
    }
  });

  it("prints INFO with the same fields in the same order", async () => {
    const [real, ours] = await cliBoth(["INFO"]);
    const keyOf = (l: string) => (l.startsWith("master0:") ? l : l.split(":")[0]);
    expect(ours.map(keyOf)).toEqual(real.map(keyOf));
    // Facts about the machine and the mode, the same for two processes on one host.
    const same = ["redis_version", "redis_mode", "os", "arch_bits", "multiplexing_api", "process_supervised", "tcp_port", "configured_hz", "maxclients", "sentinel_masters"];
    const values = (lines: string[]) => lines.filter((l) => same.includes(l.split(":")[0] ?? ""));
    expect(values(ours)).toEqual(values(real));
    expect(values(real)).toHaveLength(same.length);
  });
});
