// The README's usage example is this file's sibling readme-example.ts, compiled and run here.
import { readFileSync } from "node:fs";
import { freePort, startRedis } from "@sentinel-kit/testkit";
import { expect, it } from "vitest";
import { runExample } from "./readme-example.js";

it("the README shows readme-example.ts verbatim", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8"));
});

it("runs the README example", async () => {
  const master = await startRedis();
  try {
    const { effects, master: address, savedMyid } = await runExample(master.port, await freePort());
    expect(effects).toContain(`+monitor master mymaster 127.0.0.1 ${master.port} quorum 2`);
    expect(effects).toContain("create-link");
    expect(effects.at(-1)).toBe("wake");
    expect(address).toEqual({ ip: "127.0.0.1", port: master.port });
    expect(savedMyid).toBe(true);
  } finally {
    await master.stop();
  }
}, 30_000);
