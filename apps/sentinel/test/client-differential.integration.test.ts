// CLIENT TRACKING, TRACKINGINFO, CACHING, GETREDIR, PAUSE, UNPAUSE and REPLY, differential:
// the same command sequences go to Debian's redis-sentinel 7.0.15 and to our daemon, each
// with two connections (A, and B as a redirect target), in RESP2 and RESP3, and the replies
// are compared field by field, client ids replaced by the connection they name. Then the
// pause itself: a held command's reply comes only after the pause ends, on both servers.
// Redis sources: networking.c clientCommand, tracking.c enableTracking and
// checkPrefixCollisionsOrReply, server.c processCommand (pause check), resetClient.
import type { RespValue } from "@sentinel-kit/resp-protocol";
import { startRedisSentinel, waitFor, type ManagedProcess } from "@sentinel-kit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaemon, type Daemon } from "./harness/processes.js";
import { ReplyLog } from "./harness/reply-log.js";

let real: ManagedProcess;
let ours: Daemon;
const logs: ReplyLog[] = [];

beforeAll(async () => {
  real = await startRedisSentinel({ config: "" });
  ours = await startDaemon("");
}, 30_000);

afterAll(async () => {
  for (const log of logs) log.close();
  await ours?.process.stop();
  await real?.stop();
});

async function connections(port: number, protocol: 2 | 3): Promise<{ log: ReplyLog; ids: Map<number, string> }> {
  const log = new ReplyLog(port);
  logs.push(log);
  const ids = new Map<number, string>();
  for (const who of ["A", "B"]) {
    await log.open(who);
    if (protocol === 3) await log.call(who, "HELLO", "3");
    const id = await log.call(who, "CLIENT", "ID");
    if (id.kind !== "integer") throw new Error("CLIENT ID is not an integer");
    ids.set(Number(id.value), who);
  }
  return { log, ids };
}

// The comparable form of a reply: ids as the connection they name, CLIENT LIST/INFO lines
// reduced to the fields CLIENT TRACKING and PAUSE change.
function shape(v: RespValue, ids: Map<number, string>): unknown {
  switch (v.kind) {
    case "integer":
      return ids.get(Number(v.value)) ?? Number(v.value);
    case "bulk":
    case "verbatim": {
      const text = typeof v.value === "string" ? v.value : v.value.toString("utf8");
      if (!text.startsWith("id=")) return text;
      return text
        .trim()
        .split("\n")
        .map((line) => {
          const f = new Map(line.split(" ").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
          const redir = Number(f.get("redir"));
          return `flags=${f.get("flags")} redir=${ids.get(redir) ?? redir} cmd=${f.get("cmd")}`;
        });
    }
    case "array":
    case "set":
    case "push":
      return { [v.kind]: v.value.map((e) => shape(e, ids)) };
    case "map":
      return { map: v.value.map(([k, e]) => [shape(k, ids), shape(e, ids)]) };
    default:
      return v;
  }
}

// `<A>` / `<B>` in an argument stand for that connection's id.
async function run(port: number, protocol: 2 | 3, script: ReadonlyArray<readonly string[]>): Promise<unknown[]> {
  const { log, ids } = await connections(port, protocol);
  const idOf = (who: string) => [...ids].find(([, w]) => w === who)?.[0] ?? 0;
  const argv = script.map((c) => c.map((a) => a.replace(/^<([AB])>$/, (_, who: string) => String(idOf(who)))));
  const before = log.replies("A").length;
  // Pipelined, then REPLY ON and a marker: whatever CLIENT REPLY silenced, the marker ends the script.
  log.send("A", ...argv, ["CLIENT", "REPLY", "ON"], ["PING", "end-of-script"]);
  await waitFor(() => log.replies("A").some((r) => r.kind === "bulk" && r.value.toString() === "end-of-script"), {
    timeoutMs: 5000,
    what: "the end-of-script marker",
  });
  log.close();
  return log.replies("A").slice(before).map((r) => shape(r, ids));
}

const SCRIPTS: Record<string, ReadonlyArray<readonly string[]>> = {
  "tracking on/off, redirect, GETREDIR, TRACKINGINFO, CLIENT LIST": [
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "GETREDIR"],
    ["CLIENT", "TRACKING", "on"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "on", "redirect", "<B>", "noloop"],
    ["CLIENT", "GETREDIR"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "LIST", "ID", "<A>"],
    ["CLIENT", "INFO"],
    ["CLIENT", "TRACKING", "on", "redirect", "<A>"],
    ["CLIENT", "GETREDIR"],
    ["CLIENT", "TRACKING", "on", "redirect", "0"],
    ["CLIENT", "TRACKING", "on", "redirect", "999999"],
    ["CLIENT", "TRACKING", "on", "redirect", "x"],
    ["CLIENT", "TRACKING", "on", "redirect", "<B>", "redirect", "<B>"],
    ["CLIENT", "TRACKING", "on", "redirect"],
    ["CLIENT", "TRACKING", "maybe"],
    ["CLIENT", "TRACKING", "off"],
    ["CLIENT", "GETREDIR"],
    ["CLIENT", "TRACKINGINFO"],
  ],
  "BCAST and prefixes": [
    ["CLIENT", "TRACKING", "on", "prefix", "a"],
    ["CLIENT", "TRACKING", "on", "bcast", "optin"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "b", "prefix", "a"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "LIST", "ID", "<A>"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "ab"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "x", "prefix", "b"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "x", "prefix", "xy"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "y", "prefix", "z", "prefix", "zz"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "on"],
    ["CLIENT", "TRACKING", "on", "bcast"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "off"],
    ["CLIENT", "TRACKING", "on", "bcast"],
    ["CLIENT", "TRACKINGINFO"],
  ],
  "OPTIN, OPTOUT and CACHING": [
    ["CLIENT", "CACHING", "yes"],
    ["CLIENT", "TRACKING", "on", "optin", "optout"],
    ["CLIENT", "TRACKING", "on", "optin"],
    ["CLIENT", "CACHING", "no"],
    ["CLIENT", "CACHING", "maybe"],
    ["CLIENT", "CACHING", "yes"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "ID", "extra"],
    ["CLIENT", "TRACKINGINFO"],
    ["PING"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "CACHING", "yes"],
    ["NOSUCH"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "CACHING", "yes"],
    ["CLIENT", "NOSUCH"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "on", "optout"],
    ["CLIENT", "CACHING", "yes"],
    ["CLIENT", "TRACKING", "on", "optin", "noloop"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "off"],
    ["CLIENT", "TRACKING", "on", "optout", "redirect", "<B>"],
    ["CLIENT", "CACHING", "no"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "off", "optin", "optout"],
    ["CLIENT", "TRACKINGINFO"],
  ],
  "REPLY ON, OFF, SKIP": [
    ["CLIENT", "REPLY", "SKIP"],
    ["PING", "skipped"],
    ["PING", "shown-1"],
    ["CLIENT", "REPLY", "SKIP"],
    ["CLIENT", "REPLY", "SKIP"],
    ["PING", "skipped"],
    ["PING", "shown-2"],
    ["CLIENT", "REPLY", "SKIP"],
    ["CLIENT", "REPLY", "ON"],
    ["CLIENT", "REPLY", "OFF"],
    ["PING", "hidden"],
    ["NOSUCH"],
    ["CLIENT", "REPLY", "SKIP"],
    ["CLIENT", "REPLY", "bad"],
    ["CLIENT", "REPLY", "ON"],
    ["CLIENT", "REPLY", "bad"],
    ["CLIENT", "REPLY", "ON", "extra"],
    ["CLIENT", "REPLY", "SKIP"],
    ["CLIENT", "REPLY", "bad"],
    ["PING", "shown-3"],
  ],
  "PAUSE and UNPAUSE arguments": [
    ["CLIENT", "PAUSE", "abc", "foo"],
    ["CLIENT", "PAUSE", "abc"],
    ["CLIENT", "PAUSE", "-1"],
    ["CLIENT", "PAUSE", "10", "all", "x"],
    ["CLIENT", "PAUSE", "0", "WRITE"],
    ["CLIENT", "PAUSE", "0"],
    ["CLIENT", "UNPAUSE"],
    ["CLIENT", "UNPAUSE", "x"],
    ["PING", "not-held"],
  ],
};

describe("CLIENT TRACKING / CACHING / REPLY / PAUSE replies, redis-sentinel 7.0.15 vs sentinel-kit", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    for (const protocol of [2, 3] as const) {
      it(`${name} (RESP${protocol})`, async () => {
        const expected = await run(real.port, protocol, script);
        const actual = await run(ours.port, protocol, script);
        expect(actual).toEqual(expected);
      });
    }
  }
});

// The pause itself, on each server: under WRITE the order of events shows the hold; under
// ALL, which nothing but its timeout ends, a lower bound on the wait does.
describe.each([
  ["redis-sentinel", () => real.port],
  ["sentinel-kit", () => ours.port],
])("CLIENT PAUSE on %s", (_name, port) => {
  it("WRITE holds another client's PUBLISH, not its PING, until CLIENT UNPAUSE", async () => {
    const log = new ReplyLog(port());
    logs.push(log);
    for (const who of ["A", "B", "C"]) await log.open(who);
    expect(await log.call("A", "CLIENT", "PAUSE", "60000", "WRITE")).toEqual({ kind: "simple", value: "OK" });
    log.send("B", ["PUBLISH", "chan", "msg"]);
    // B's PUBLISH has reached the server and waits there (CLIENT LIST: flags=b, cmd=publish).
    await waitFor(
      async () => {
        const list = await log.call("A", "CLIENT", "LIST");
        return list.kind === "verbatim" || list.kind === "bulk" ? /flags=b .*cmd=publish/.test(list.value.toString()) : false;
      },
      { timeoutMs: 5000, intervalMs: 20, what: "B's PUBLISH to be held" },
    );
    expect(await log.call("C", "PING", "c")).toEqual({ kind: "bulk", value: Buffer.from("c") });
    expect(log.replies("B")).toEqual([]);
    log.send("A", ["CLIENT", "UNPAUSE"]);
    const [published] = await log.waitForReplies("B", 1);
    expect(published).toEqual({ kind: "error", value: "ERR Only HELLO messages are accepted by Sentinel instances." });
    const unpauseSent = log.indexOf((e) => e.who === "A" && "sent" in e && e.sent[1] === "UNPAUSE");
    const publishAnswered = log.indexOf((e) => e.who === "B" && "reply" in e);
    expect(unpauseSent).toBeGreaterThan(-1);
    expect(publishAnswered).toBeGreaterThan(unpauseSent);
    log.close();
  });

  it("ALL holds every client's commands, the pausing client's CLIENT UNPAUSE included, until the pause ends", async () => {
    const log = new ReplyLog(port());
    logs.push(log);
    for (const who of ["A", "B"]) await log.open(who);
    expect(await log.call("A", "CLIENT", "PAUSE", "1500", "ALL")).toEqual({ kind: "simple", value: "OK" });
    const pausedAt = performance.now();
    log.send("B", ["PING", "b"]);
    log.send("A", ["CLIENT", "UNPAUSE"]);
    await log.waitForReplies("B", 1);
    await log.waitForReplies("A", 2);
    // Under ALL nothing a client sends can end the pause (its UNPAUSE waits too), so only
    // the timeout does: a lower bound on the wait, which a slow machine only lengthens.
    expect(performance.now() - pausedAt).toBeGreaterThanOrEqual(1000);
    expect(log.replies("A")[1]).toEqual({ kind: "simple", value: "OK" });
    expect(log.replies("B")).toEqual([{ kind: "bulk", value: Buffer.from("b") }]);
    log.close();
  });
});
