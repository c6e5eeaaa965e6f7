// The measured side of the "scale" suite, in a process of its own so that its CPU time and
// RSS are its own: one HealthMonitor per master (PING every 1 s, INFO every 10 s, a command
// and a pub/sub connection each) and one gossip core publishing a hello to every master
// every 2 s, with Redis's default timings, as redis-sentinel does for the same masters.
//
//   node tools/bench/dist/scale-monitor.js [--prefix k] [--link resp|ioredis] [--send-grid-ms N]
//                                          [--tick-ms N] <port>... | --ports-file <file.json>
//
// With no switches it measures what users get: HealthMonitor's defaults (the RespLink,
// sends on the 100 ms grid). `--link ioredis` swaps in the IoredisLink through the
// createLink option; `--send-grid-ms N` sets the monitors' sendGranularityMs (0: exact due
// times); `--tick-ms N` gives every monitor a clock whose timers fire on a shared N ms grid
// with one Node timer per slot, to measure what per-monitor Node timers cost.
//
// It prints one JSON line `{"ready":true,...}` once every master answered INFO and every
// pub/sub connection is subscribed, and a `{"stats":...}` line when it stops on SIGTERM or
// SIGINT (exiting normally, so that `node --cpu-prof` writes its profile).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Gossip, HELLO_CHANNEL, helloPayload, type PublishTarget } from "@sentinel-kit/gossip";
import {
  DEFAULT_DOWN_AFTER_MS,
  HealthMonitor,
  SYSTEM_CLOCK,
  IoredisLink,
  alignSendTime,
  type InstanceLink,
  type MonitorClock,
} from "@sentinel-kit/health-monitor";

/** The port we announce in hellos; nothing needs to listen there for this benchmark. */
const ANNOUNCE_PORT = 26379;
/** How often readiness is checked until it is reached, ms. */
const READY_POLL_MS = 100;

interface Watched {
  readonly monitor: HealthMonitor;
  readonly link: InstanceLink;
  subscribed: boolean;
}

interface Stats {
  hellosPublished: number;
  hellosFailed: number;
  hellosReceived: number;
  events: Record<string, number>;
}

interface Args {
  readonly prefix: string;
  readonly ioredis: boolean;
  readonly sendGridMs: number | undefined;
  readonly tickMs: number;
  readonly ports: number[];
}

function parseArgs(argv: readonly string[]): Args {
  let prefix = "k";
  let ioredis = false;
  let sendGridMs: number | undefined;
  let tickMs = 0;
  const ports: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--prefix") prefix = argv[++i] ?? prefix;
    else if (arg === "--link") {
      const link = argv[++i];
      if (link !== "ioredis" && link !== "resp") throw new Error("--link takes resp or ioredis");
      ioredis = link === "ioredis";
    } else if (arg === "--send-grid-ms") {
      sendGridMs = Number(argv[++i]);
      if (!Number.isInteger(sendGridMs) || sendGridMs < 0) throw new Error("--send-grid-ms takes a whole number of ms");
    } else if (arg === "--tick-ms") {
      tickMs = Number(argv[++i]);
      if (!Number.isInteger(tickMs) || tickMs < 0) throw new Error("--tick-ms takes a whole number of ms");
    }
    else if (arg === "--ports-file") {
      const file = argv[++i];
      if (file === undefined) throw new Error("--ports-file needs a path");
      ports.push(...(JSON.parse(readFileSync(file, "utf8")) as number[]));
    } else if (arg !== undefined) ports.push(Number(arg));
  }
  if (ports.length === 0 || ports.some((port) => !Number.isInteger(port) || port <= 0 || port > 65535)) {
    throw new Error(
      "usage: scale-monitor.js [--prefix k] [--link resp|ioredis] [--send-grid-ms N] [--tick-ms N] <port>... | --ports-file <file.json>",
    );
  }
  return { prefix, ioredis, sendGridMs, tickMs, ports };
}

interface GridTimer {
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock whose timers fire at the next multiple of `tickMs` at or after their due time;
 * all the timers of one slot run from one Node timer.
 */
function gridClock(tickMs: number): MonitorClock {
  const slots = new Map<number, Set<() => void>>();
  return {
    now: () => Date.now(),
    setTimeout(callback, ms): GridTimer {
      const at = Math.ceil((Date.now() + ms) / tickMs) * tickMs;
      let slot = slots.get(at);
      if (slot === undefined) {
        const callbacks = new Set<() => void>();
        slots.set(at, callbacks);
        setTimeout(() => {
          slots.delete(at);
          for (const run of callbacks) run();
        }, at - Date.now());
        slot = callbacks;
      }
      // A wrapper of our own, so that the same callback set twice stays two timers.
      const timer: GridTimer = { at, callback: () => callback() };
      slot.add(timer.callback);
      return timer;
    },
    clearTimeout(handle) {
      const timer = handle as GridTimer;
      slots.get(timer.at)?.delete(timer.callback);
    },
  };
}

const { prefix, ioredis, sendGridMs, tickMs, ports } = parseArgs(process.argv.slice(2));
const clock = tickMs > 0 ? gridClock(tickMs) : SYSTEM_CLOCK;
const sentinelId = randomBytes(20).toString("hex");
const stats: Stats = { hellosPublished: 0, hellosFailed: 0, hellosReceived: 0, events: {} };
const watched = new Map<string, Watched>();

const gossip = new Gossip(
  {
    myRunid: sentinelId,
    currentEpoch: 0,
    announcePort: ANNOUNCE_PORT,
    masters: ports.map((port, i) => ({ name: `${prefix}${i}`, address: { host: "127.0.0.1", port }, configEpoch: 0 })),
  },
  Date.now(),
);

for (const [i, port] of ports.entries()) {
  const name = `${prefix}${i}`;
  const monitor = new HealthMonitor({
    master: { name, host: "127.0.0.1", port },
    sentinelId,
    downAfterMs: DEFAULT_DOWN_AFTER_MS,
    ...(ioredis ? { createLink: (options) => new IoredisLink(options) } : {}),
    ...(sendGridMs !== undefined ? { sendGranularityMs: sendGridMs } : {}),
    clock,
  });
  monitor.onEvent((event) => {
    stats.events[event.type] = (stats.events[event.type] ?? 0) + 1;
  });
  monitor.start();
  const link = monitor.instances()[0]?.link;
  if (link === undefined) throw new Error(`no link to ${name}`);
  const entry: Watched = { monitor, link, subscribed: false };
  link.onEvent((event) => {
    if (event.type === "subscribed") entry.subscribed = true;
    else if (event.type === "closed" && event.connection === "pubsub") entry.subscribed = false;
    else if (event.type === "message" && event.channel === HELLO_CHANNEL) {
      stats.hellosReceived += 1;
      // Our own hellos and redis-sentinel's (other master names) come back here and are
      // dropped by the core, as redis-sentinel drops ours: both pay for reading them.
      gossip.receiveHello(event.message, Date.now());
    }
  });
  // A rejection only means the pub/sub connection is not open yet: the link subscribes
  // again once it is.
  link.subscribe(HELLO_CHANNEL).catch(() => undefined);
  watched.set(name, entry);
}

// Hellos run on the monitors' clock and send grid, so they wake with PINGs and INFOs.
const sendGranularityMs = [...watched.values()][0]?.monitor.sendGranularityMs ?? 0;
let helloTimer: unknown;
let helloTimerAt = Infinity;
let running = true;

function scheduleHellos(): void {
  const next = gossip.nextDueAt();
  if (!running || next === undefined) return;
  const now = clock.now();
  const due = next > now ? alignSendTime(next, sendGranularityMs) : next;
  if (due >= helloTimerAt) return;
  if (helloTimer !== undefined) clock.clearTimeout(helloTimer);
  helloTimerAt = due;
  helloTimer = clock.setTimeout(sendHellos, Math.max(0, due - now));
}

function publishHello(target: PublishTarget, link: InstanceLink, payload: string): void {
  link.publish(HELLO_CHANNEL, payload).then(
    () => {
      stats.hellosPublished += 1;
      gossip.published(target, true, Date.now());
      scheduleHellos();
    },
    () => {
      stats.hellosFailed += 1;
      gossip.published(target, false, Date.now());
      scheduleHellos();
    },
  );
}

function sendHellos(): void {
  helloTimer = undefined;
  helloTimerAt = Infinity;
  const now = Date.now();
  for (const effect of gossip.tick(now)) {
    if (effect.type !== "publish-hello") continue;
    const link = effect.target.kind === "master" ? watched.get(effect.target.master)?.link : undefined;
    const localIp = link?.localAddress();
    if (link === undefined || localIp === undefined) {
      // As sentinelSendHello: no hello on a disconnected link; try again shortly.
      gossip.published(effect.target, false, now);
      continue;
    }
    publishHello(effect.target, link, helloPayload(effect.hello, localIp));
  }
  scheduleHellos();
}

scheduleHellos();

function isReady(): boolean {
  for (const entry of watched.values()) {
    if (!entry.subscribed || entry.monitor.instances()[0]?.health.infoRefresh === undefined) return false;
  }
  return true;
}

const readyTimer = setInterval(() => {
  if (!isReady()) return;
  clearInterval(readyTimer);
  console.log(JSON.stringify({ ready: true, sentinelId, masters: watched.size }));
}, READY_POLL_MS);

function stop(): void {
  if (!running) return;
  running = false;
  clearInterval(readyTimer);
  if (helloTimer !== undefined) clock.clearTimeout(helloTimer);
  for (const entry of watched.values()) entry.monitor.stop();
  console.log(JSON.stringify({ stats }));
  process.exit(0);
}

process.once("SIGTERM", stop);
process.once("SIGINT", stop);
