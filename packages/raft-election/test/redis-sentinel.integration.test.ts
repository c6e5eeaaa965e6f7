import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plainClient } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createElectionState,
  handleIsMasterDownRequest,
  isMasterDownReplyValue,
  setSubjectiveDown,
  toSentinelId,
  type ElectionState,
} from "../src/index.js";

// Differential test: the same is-master-down-by-addr requests go to a real redis-sentinel
// (Debian's 7.0.15) and to our voter; replies and the published +new-epoch /
// +vote-for-leader messages must be identical (SENTINEL-SPEC §1.2, §3, §4.8).

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, f: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const A = toSentinelId("a".repeat(40));
const B = toSentinelId("b".repeat(40));
const C = toSentinelId("c".repeat(40));

let dir = "";
let child: ChildProcess | null = null;
let client: Redis | null = null;
let subscriber: Redis | null = null;
let masterPort = 0;
const published: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "raft-election-"));
  const port = await freePort();
  // Nothing listens on the master's port: the master goes SDOWN after 200 ms. Quorum 2 with
  // no other Sentinel means it never reaches ODOWN, so the real Sentinel never runs for
  // election itself and only votes.
  masterPort = await freePort();
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${masterPort} 2`,
      "sentinel down-after-milliseconds mymaster 200",
      "",
    ].join("\n"),
  );
  child = spawn("redis-sentinel", [conf], { stdio: "ignore" });
  // Refused connections while the Sentinel starts are expected (the client swallows their
  // error events); waitFor retries them.
  client = plainClient({ port, protocol: 3 });
  await waitFor("redis-sentinel to answer PING", async () => {
    if (client?.status !== "ready") await client?.connect();
    return (await client?.ping()) ?? null;
  });
  subscriber = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 0 });
  subscriber.on("message", (channel: string, message: string) => published.push(`${channel} ${message}`));
  await subscriber.subscribe("+new-epoch", "+vote-for-leader");
  await waitFor("the master to be SDOWN", async () => {
    const flags = (await client?.call("SENTINEL", "MASTER", "mymaster")) as string[];
    const i = flags.indexOf("flags");
    return (flags[i + 1] ?? "").includes("s_down") ? true : null;
  });
}, 30_000);

afterAll(async () => {
  subscriber?.disconnect();
  client?.disconnect();
  const c = child;
  if (c?.pid !== undefined && c.exitCode === null) {
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    process.kill(c.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (c.exitCode === null && c.signalCode === null) process.kill(c.pid, "SIGKILL");
  }
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("is-master-down-by-addr against redis-sentinel 7.0", () => {
  it("answers and votes exactly like sentinelVoteLeader", async () => {
    const requests: [string, number, number, string][] = [
      ["127.0.0.1", masterPort, 0, "*"], // no vote asked
      ["127.0.0.1", masterPort + 1, 3, A], // unknown address
      ["127.0.0.1", masterPort, 4, A], // new epoch, vote A
      ["127.0.0.1", masterPort, 4, B], // same epoch: A's vote back
      ["127.0.0.1", masterPort, 2, B], // lower epoch: A's vote back
      ["127.0.0.1", masterPort, 6, B], // later epoch: vote B
      ["127.0.0.1", masterPort, 7, C],
      ["127.0.0.1", masterPort, 7, A],
      ["127.0.0.1", masterPort, 5, "*"],
    ];
    let ours: ElectionState = setSubjectiveDown(
      createElectionState({
        myId: toSentinelId("f".repeat(40)),
        masters: [{ name: "mymaster", ip: "127.0.0.1", port: masterPort, quorum: 2 }],
      }),
      "mymaster",
      true,
    );
    const oursPublished: string[] = [];
    for (const [ip, port, epoch, runid] of requests) {
      const real = await client?.call("SENTINEL", "is-master-down-by-addr", ip, String(port), String(epoch), runid);
      const step = handleIsMasterDownRequest(
        ours,
        { ip, port, epoch, runId: runid === "*" ? "*" : toSentinelId(runid) },
        "r",
        Date.now(),
        (bound) => Math.floor(Math.random() * bound),
      );
      ours = step.state;
      for (const e of step.effects) {
        if (e.type === "event") oursPublished.push(`${e.event.name} ${e.message}`);
        if (e.type === "reply") expect(isMasterDownReplyValue(e.reply), `${epoch} ${runid}`).toEqual(real);
      }
    }
    await waitFor("the events to be published", async () => (published.length >= oursPublished.length ? true : null));
    expect(published).toEqual(oursPublished);
    expect(oursPublished).toContain(`+vote-for-leader ${A} 4`);
  });
});
