// The reply logic of CLIENT TRACKING, CACHING, TRACKINGINFO, GETREDIR, PAUSE and REPLY
// (Redis 7.0.15 networking.c clientCommand, tracking.c enableTracking/disableTracking/
// checkPrefixCollisionsOrReply, pauseClients, resetClient), and the daemon's pause gate.
import { resp, type RespClientContext, type RespCommand, type RespReplyMode, type RespValue } from "@sentinel-kit/resp-protocol";
import { describe, expect, it } from "vitest";
import { mergePause, NO_PAUSE, parsePause, pauseHolds, type PauseRequest } from "../src/commands/client-pause.js";
import { afterCommand, cachingCommand, trackingCommand, trackingInfo, trackingOff, type TrackingState } from "../src/commands/client-tracking.js";
import { clientInfoLine } from "../src/commands/client-command.js";
import { dispatchCommand } from "../src/commands/dispatch.js";
import type { ClientControl, CommandContext, SentinelActions, SentinelView } from "../src/commands/view.js";
import { DaemonClientControl } from "../src/runtime/client-control.js";

const OK = resp.simple("OK");
const NOW = 1_700_000_000_000;

function track(state: TrackingState, ...args: string[]): readonly RespValue[] {
  return trackingCommand(state, args, (id) => id === 7 || id === 8);
}

function flags(state: TrackingState): string[] {
  const info = trackingInfo(state);
  if (info.kind !== "map") throw new Error("not a map");
  const set = info.value[0]?.[1];
  return set?.kind === "set" ? set.value.map((v) => (v.kind === "bulk" ? v.value.toString() : "?")) : [];
}

function prefixes(state: TrackingState): string[] {
  return state.prefixes.map((p) => p.toString());
}

describe("CLIENT TRACKING (networking.c, tracking.c)", () => {
  it("checks the options in Redis's order, ON's conditions only for ON", () => {
    const s = trackingOff();
    expect(track(s, "on", "redirect", "x")).toEqual([resp.error("ERR value is not an integer or out of range")]);
    expect(track(s, "on", "redirect", "0")).toEqual([resp.error("ERR The client ID you want redirect to does not exist")]);
    expect(track(s, "on", "redirect", "9")).toEqual([resp.error("ERR The client ID you want redirect to does not exist")]);
    expect(track(s, "on", "redirect", "7", "redirect", "8")).toEqual([resp.error("ERR A client can only redirect to a single other client")]);
    expect(track(s, "on", "redirect")).toEqual([resp.error("ERR syntax error")]);
    expect(track(s, "maybe")).toEqual([resp.error("ERR syntax error")]);
    expect(track(s, "on", "prefix", "a")).toEqual([resp.error("ERR PREFIX option requires BCAST mode to be enabled")]);
    expect(track(s, "on", "bcast", "optout")).toEqual([resp.error("ERR OPTIN and OPTOUT are not compatible with BCAST")]);
    expect(track(s, "on", "optin", "optout")).toEqual([resp.error("ERR You can't specify both OPTIN mode and OPTOUT mode")]);
    // OFF takes any options and turns everything off.
    expect(track(s, "off", "bcast", "prefix", "a", "optin", "optout")).toEqual([OK]);
    expect(s).toEqual(trackingOff());
  });

  it("turns tracking on with its flags and redirect, each ON replacing the flags but not CACHING", () => {
    const s = trackingOff();
    expect(track(s, "on", "optin", "redirect", "8")).toEqual([OK]);
    expect(cachingCommand(s, "yes")).toEqual(OK);
    expect(flags(s)).toEqual(["on", "optin", "caching-yes"]);
    expect(track(s, "on", "optout")).toEqual([
      resp.error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."),
    ]);
    expect(track(s, "on", "optin", "noloop")).toEqual([OK]);
    expect(flags(s)).toEqual(["on", "optin", "caching-yes", "noloop"]);
    expect(s.redirect).toBe(0);
    expect(track(s, "on")).toEqual([OK]);
    expect(flags(s)).toEqual(["on"]);
    expect(track(s, "on", "bcast")).toEqual([
      resp.error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."),
    ]);
  });

  it("keeps BCAST prefixes in byte order, refuses overlaps, and adds the empty prefix for BCAST alone", () => {
    const s = trackingOff();
    expect(track(s, "on", "bcast", "prefix", "b", "prefix", "a")).toEqual([OK]);
    expect(prefixes(s)).toEqual(["a", "b"]);
    expect(track(s, "on", "bcast", "prefix", "ab")).toEqual([
      resp.error("ERR Prefix 'ab' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap."),
    ]);
    expect(track(s, "on", "bcast", "prefix", "x", "prefix", "xy")).toEqual([
      resp.error("ERR Prefix 'x' overlaps with another provided prefix 'xy'. Prefixes for a single client must not overlap."),
    ]);
    expect(prefixes(s)).toEqual(["a", "b"]);
    expect(track(s, "on", "bcast")).toEqual([OK]);
    expect(prefixes(s)).toEqual(["", "a", "b"]);
  });

  it("answers an overlap between given prefixes after the first with the error and OK, enabling them all (Redis's quirk)", () => {
    const s = trackingOff();
    expect(track(s, "on", "bcast", "prefix", "y", "prefix", "x", "prefix", "xy")).toEqual([
      resp.error("ERR Prefix 'x' overlaps with another provided prefix 'xy'. Prefixes for a single client must not overlap."),
      OK,
    ]);
    expect(prefixes(s)).toEqual(["x", "xy", "y"]);
    expect(flags(s)).toEqual(["on", "bcast"]);
  });
});

describe("CLIENT CACHING and the flag's lifetime (resetClient)", () => {
  it("needs tracking, the matching mode and yes or no", () => {
    const s = trackingOff();
    const notTracking = "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled";
    expect(cachingCommand(s, "maybe")).toEqual(resp.error(notTracking));
    track(s, "on", "optout");
    expect(cachingCommand(s, "yes")).toEqual(resp.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."));
    expect(cachingCommand(s, "maybe")).toEqual(resp.error("ERR syntax error"));
    expect(cachingCommand(s, "NO")).toEqual(OK);
    expect(flags(s)).toEqual(["on", "optout", "caching-no"]);
  });

  it("lives through CLIENT commands and ends with any other", () => {
    const s = trackingOff();
    track(s, "on", "optin");
    cachingCommand(s, "yes");
    afterCommand(s, true);
    expect(s.caching).toBe(true);
    afterCommand(s, false);
    expect(s.caching).toBe(false);
  });
});

describe("CLIENT PAUSE arguments and merging (pauseClients)", () => {
  it("checks the mode before the timeout", () => {
    expect(parsePause(["abc", "foo"], NOW)).toEqual(resp.error("ERR CLIENT PAUSE mode must be WRITE or ALL"));
    expect(parsePause(["abc"], NOW)).toEqual(resp.error("ERR timeout is not an integer or out of range"));
    expect(parsePause(["-1", "write"], NOW)).toEqual(resp.error("ERR timeout is negative"));
    expect(parsePause(["10"], NOW)).toEqual({ mode: "all", end: NOW + 10 });
    expect(parsePause(["10", "WRITE"], NOW)).toEqual({ mode: "write", end: NOW + 10 });
  });

  it("wraps an end past 2^63-1 to a negative one, which pauses nothing", () => {
    const request = parsePause(["9223372036854775807"], NOW) as PauseRequest;
    expect(request.end).toBeLessThan(0);
    expect(pauseHolds(mergePause(NO_PAUSE, request), "ping", NOW)).toBe(false);
  });

  it("keeps the stricter mode and the later end; WRITE holds PUBLISH only", () => {
    const write = mergePause(NO_PAUSE, { mode: "write", end: NOW + 300 });
    expect(pauseHolds(write, "publish", NOW)).toBe(true);
    expect(pauseHolds(write, "ping", NOW)).toBe(false);
    expect(pauseHolds(write, "sentinel", NOW)).toBe(false);
    const all = mergePause(write, { mode: "all", end: NOW });
    expect(all).toEqual({ mode: "all", end: NOW + 300 });
    expect(pauseHolds(all, "ping", NOW + 299)).toBe(true);
    expect(pauseHolds(all, "ping", NOW + 300)).toBe(false);
  });
});

// A command layer context whose ClientControl records what the subcommands ask for.
function setup() {
  const me = { id: 7, name: "", address: "127.0.0.1:1", localAddress: "127.0.0.1:26379", protocol: 2, user: "default", authenticated: true, connectedAt: NOW, subscriptionCount: 0, channelCount: 0, patternCount: 0, lastCommand: "client", lastActiveAt: NOW, outputBufferBytes: 0, setName: () => true, sent: [] as RespValue[], send(v: RespValue) { this.sent.push(v); }, close: () => undefined } satisfies RespClientContext & { sent: RespValue[] };
  const calls: unknown[] = [];
  const states = new Map<RespClientContext, TrackingState>();
  const control: ClientControl = {
    tracking: (c) => states.get(c) ?? states.set(c, trackingOff()).get(c) ?? trackingOff(),
    pause: (r) => void calls.push(["pause", r]),
    unpause: () => void calls.push(["unpause"]),
    setReplyMode: (c, mode: RespReplyMode) => void calls.push(["reply", c.id, mode]),
    isHeld: () => true,
  };
  const view = { clients: () => [me] } as unknown as SentinelView;
  const ctx: CommandContext = { view, actions: {} as SentinelActions, now: NOW, client: me, clientControl: control };
  const run = (...argv: string[]) => dispatchCommand(argv[0] ?? "", argv.slice(1).map((a) => Buffer.from(a)), ctx);
  return { me, calls, control, run };
}

describe("CLIENT subcommands through a ClientControl", () => {
  it("passes PAUSE, UNPAUSE and REPLY on, refusing bad arguments first", () => {
    const { calls, run } = setup();
    expect(run("client", "pause", "100", "write")).toEqual(OK);
    expect(run("client", "pause", "1", "all", "x")).toEqual(resp.error("ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP."));
    expect(run("client", "unpause")).toEqual(OK);
    expect(run("client", "reply", "skip")).toEqual(OK);
    expect(run("client", "reply", "nope")).toEqual(resp.error("ERR syntax error"));
    expect(calls).toEqual([["pause", { mode: "write", end: NOW + 100 }], ["unpause"], ["reply", 7, "skip"]]);
  });

  it("shows tracking and a held command in CLIENT LIST, GETREDIR and TRACKINGINFO", () => {
    const { me, control, run } = setup();
    expect(run("client", "tracking", "on", "bcast", "redirect", "7")).toEqual(OK);
    expect(run("client", "getredir")).toEqual(resp.integer(7));
    expect(clientInfoLine(me, NOW, control)).toMatch(/ flags=btB .* redir=7 resp=2$/);
    expect(clientInfoLine(me, NOW)).toMatch(/ flags=N .* redir=-1 resp=2$/);
  });

  it("sends the first of Redis's two overlap replies ahead of the OK", () => {
    const { me, run } = setup();
    expect(run("client", "tracking", "on", "bcast", "prefix", "q", "prefix", "a", "prefix", "ab")).toEqual(OK);
    expect(me.sent).toEqual([resp.error("ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.")]);
  });
});

describe("DaemonClientControl (the daemon's pause gate)", () => {
  function gate() {
    let now = NOW;
    const modes: Array<[number, RespReplyMode]> = [];
    const control = new DaemonClientControl({
      setReplyMode: (c, m) => void modes.push([c.id, m]),
      reachesPauseCheck: (command) => command.name !== "nosuch",
      isClientSubcommand: (command) => command.name === "client",
      now: () => now,
    });
    const client = (id: number) => ({ id }) as RespClientContext;
    const command = (name: string): RespCommand => ({ name, args: [], rawName: Buffer.from(name) });
    return { control, client, command, modes, advance: (ms: number) => (now += ms) };
  }

  it("holds what the pause covers, releases it in arrival order at UNPAUSE, and forgets departed clients", async () => {
    const { control, client, command } = gate();
    control.pause({ mode: "all", end: NOW + 60_000 });
    const order: number[] = [];
    const clients = [1, 2, 3].map(client);
    const held = clients.map((c) => control.beforeCommand(command("ping"), c));
    expect(control.beforeCommand(command("nosuch"), client(4))).toBeUndefined();
    expect(control.heldCount).toBe(3);
    expect(control.isHeld(clients[1] as RespClientContext)).toBe(true);
    control.forget(clients[2] as RespClientContext);
    held.forEach((h, i) => void h?.then(() => order.push(i + 1)));
    control.unpause();
    await Promise.all(held.slice(0, 2));
    expect(order).toEqual([1, 2]);
    expect(control.heldCount).toBe(0);
  });

  it("lets a released command pause again before the next one is looked at", async () => {
    const { control, client, command } = gate();
    control.pause({ mode: "all", end: NOW + 60_000 });
    const first = control.beforeCommand(command("client"), client(1));
    const second = control.beforeCommand(command("ping"), client(2));
    let secondRan = false;
    void second?.then(() => {
      secondRan = true;
    });
    await new Promise<void>((resolve) => {
      void first?.then(() => {
        // The released CLIENT PAUSE runs here, as the command itself would.
        control.pause({ mode: "all", end: NOW + 60_000 });
        resolve();
      });
      control.unpause();
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondRan).toBe(false);
    expect(control.heldCount).toBe(1);
    control.stop();
    await second;
    expect(secondRan).toBe(true);
  });

  it("does not let a pause past its end lend its mode to the next CLIENT PAUSE", () => {
    const { control, client, command, advance } = gate();
    control.pause({ mode: "all", end: NOW + 10 });
    expect(control.beforeCommand(command("ping"), client(1))).toBeInstanceOf(Promise);
    control.stop();
    control.pause({ mode: "all", end: NOW + 10 });
    advance(20);
    control.pause({ mode: "write", end: NOW + 1000 });
    expect(control.beforeCommand(command("ping"), client(2))).toBeUndefined();
    expect(control.beforeCommand(command("publish"), client(3))).toBeInstanceOf(Promise);
    control.stop();
  });

  it("clears the CACHING flag on a command that is not CLIENT, and counts tracking clients", () => {
    const { control, client, command } = gate();
    const c = client(1);
    const state = control.tracking(c);
    trackingCommand(state, ["on", "optin"], () => true);
    cachingCommand(state, "yes");
    control.beforeCommand(command("client"), c);
    expect(state.caching).toBe(true);
    control.beforeCommand(command("ping"), c);
    expect(state.caching).toBe(false);
    expect(control.trackingCount([c, client(2)])).toBe(1);
  });
});
