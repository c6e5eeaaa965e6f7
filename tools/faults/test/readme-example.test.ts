// The README's example is examples/run-row.ts, run by rows.integration.test.ts (row 1).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("README's example is examples/run-row.ts, verbatim", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(new URL("../examples/run-row.ts", import.meta.url), "utf8"));
});
