/**
 * Per-connection cost of the link implementation: N command connections to one real
 * redis-server, each sent PING and INFO per round (what a sentinel sends every second and
 * every 10 s). Prints heap and RSS growth per connection and CPU per command, for ioredis
 * and for a lean connection on @sentinel-kit/resp-protocol, each in its own process run
 * (LINK=ioredis or LINK=resp) so that memory figures do not mix.
 */
import { encodeCommand, RespDecoder, type RespValue } from "@sentinel-kit/resp-protocol";
import { startRedis } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { connect, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";

const N = Number(process.env["LINKS"] ?? 400);
const ROUNDS = Number(process.env["ROUNDS"] ?? 30);
const variant = process.env["LINK"] ?? "ioredis";

interface Conn {
  command(args: string[]): Promise<unknown>;
  close(): void;
}

async function leanConnect(host: string, port: number): Promise<Conn> {
  const socket: Socket = connect({ host, port });
  socket.setNoDelay(true);
  const waiting: ((value: RespValue) => void)[] = [];
  const decoder = new RespDecoder({ onReply: (value) => waiting.shift()?.(value) });
  socket.on("data", (chunk: Buffer) => decoder.feed(chunk));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const command = (args: string[]) =>
    new Promise<RespValue>((resolve) => {
      waiting.push(resolve);
      socket.write(encodeCommand(args));
    });
  await command(["CLIENT", "SETNAME", "sentinel-bench000-cmd"]);
  return { command, close: () => socket.destroy() };
}

async function ioredisConnect(host: string, port: number): Promise<Conn> {
  const client = new Redis({
    host,
    port,
    protocol: 2,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: () => null,
    disableClientInfo: true,
    connectionName: "sentinel-bench000-cmd",
  });
  await client.connect();
  return { command: (args) => client.call(args[0] ?? "PING", ...args.slice(1)), close: () => client.disconnect() };
}

// A full GC before each reading, without needing node --expose-gc on the command line.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function settle(): { heap: number; rss: number } {
  gc();
  return { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
}

it(`link cost with ${variant}`, async () => {
  const server = await startRedis();
  try {
    const open = variant === "resp" ? leanConnect : ioredisConnect;
    const before = settle();
    const conns: Conn[] = [];
    for (let i = 0; i < N; i += 1) conns.push(await open(server.host, server.port));
    // One warm-up round so both variants have their buffers sized before measuring.
    await Promise.all(conns.map(async (c) => { await c.command(["PING"]); await c.command(["INFO"]); }));
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    for (let round = 0; round < ROUNDS; round += 1) {
      await Promise.all(
        conns.map(async (c) => {
          expect(await c.command(["PING"])).toBeTruthy();
          await c.command(["INFO"]);
        }),
      );
    }
    const cpu = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStart;
    const after = settle();
    const commands = ROUNDS * N * 2;
    const line =
      `link=${variant} connections=${N} rounds=${ROUNDS} ` +
      `heap/conn=${((after.heap - before.heap) / N / 1024).toFixed(1)}KiB ` +
      `rss/conn=${((after.rss - before.rss) / N / 1024).toFixed(1)}KiB ` +
      `cpu/command=${((cpu.user + cpu.system) / commands).toFixed(1)}us ` +
      `wall=${wallMs.toFixed(0)}ms`;
    process.stdout.write(`${line}\n`);
    for (const c of conns) c.close();
  } finally {
    await server.stop();
  }
});
