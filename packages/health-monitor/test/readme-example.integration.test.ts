import { startRedis, type RedisServer } from "@sentinel-kit/testkit";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstLook } from "./readme-example.js";

describe("README usage example", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is the code of test/readme-example.ts", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8"));
  });

  it("runs against a real redis-server", async () => {
    const seen = await firstLook(server.host, server.port);
    expect(seen.role).toBe("master");
    expect(seen.runId).toMatch(/^[0-9a-f]{40}$/);
    expect(seen.sdown).toBe(false);
    expect(seen.events).toEqual([]);
  });
});
