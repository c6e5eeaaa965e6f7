// `sentinel rename-command`: what the daemon sends to a master and its replicas uses the new
// names (sentinel.c sentinelInstanceMapCommand): INFO, and PUBLISH for hellos here.
import { startRedis, waitFor } from "@sentinel-kit/testkit";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { ask, fields, startDaemon } from "./harness/processes.js";

it("sends INFO and the hello PUBLISH under their renamed names", async () => {
  const master = await startRedis({ args: ["--rename-command", "INFO", "info-x", "--rename-command", "PUBLISH", "pub-x"] });
  const daemon = await startDaemon(
    `sentinel monitor mymaster 127.0.0.1 ${master.port} 1\nsentinel rename-command mymaster INFO info-x\nsentinel rename-command mymaster PUBLISH pub-x\n`,
  );
  const sub = new Redis({ port: master.port, host: "127.0.0.1", protocol: 2, enableReadyCheck: false });
  sub.on("error", () => undefined);
  try {
    const hellos: string[] = [];
    sub.on("message", (_channel: string, message: string) => hellos.push(message));
    await sub.subscribe("__sentinel__:hello");
    await waitFor(async () => Number(fields(await ask(daemon.port, "SENTINEL", "MASTER", "mymaster"))["info-refresh"]) < 5000, {
      timeoutMs: 20_000,
      what: "an INFO reply through info-x",
    });
    await waitFor(() => hellos.length > 0, { timeoutMs: 20_000, what: "a hello published through pub-x" });
    expect(hellos[0]).toContain(",mymaster,127.0.0.1,");
  } finally {
    sub.disconnect();
    await daemon.process.stop();
    await master.stop();
  }
}, 60_000);
