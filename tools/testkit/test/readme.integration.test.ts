import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { example } from "../examples/readme.js";

describe("README", () => {
  it("shows examples/readme.ts verbatim", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/readme.ts", import.meta.url), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(example);
  });

  it("runs the example", async () => {
    const { proxyPort, reported } = await example();
    expect(reported).toBe(`127.0.0.1\n${proxyPort}`);
  });
});
