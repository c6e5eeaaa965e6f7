/**
 * Per-connection cost of the package's two real links: N command connections to one real
 * redis-server, each sent PING and INFO per round (what a sentinel sends every second and
 * every 10 s). Prints heap and RSS growth per connection and CPU per command, for
 * RespLink (LINK=resp, the default) and IoredisLink (LINK=ioredis), each in its own process
 * run so that memory figures do not mix.
 */
import { startRedis } from "@sentinel-kit/testkit";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { IoredisLink, RespLink, type InstanceLink } from "../src/index.js";

const N = Number(process.env["LINKS"] ?? 400);
const ROUNDS = Number(process.env["ROUNDS"] ?? 30);
const variant = process.env["LINK"] ?? "resp";

interface Conn {
  command(args: string[]): Promise<unknown>;
  close(): void;
}

async function linkConnect(host: string, port: number): Promise<Conn> {
  const options = { host, port, sentinelId: "bench000" };
  const link: InstanceLink = variant === "ioredis" ? new IoredisLink(options) : new RespLink(options);
  await link.connect("cmd");
  return { command: (args) => link.command(args), close: () => link.destroy() };
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
    const open = linkConnect;
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
