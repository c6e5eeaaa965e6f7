import { readFileSync } from "node:fs";
import { expect, it, vi } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = readFileSync(new URL("./example/usage.ts", import.meta.url), "utf8");

it("the README's example is test/example/usage.ts, importing the published name", () => {
  const block = /```ts\n([\s\S]+?)\n```/.exec(readme)?.[1];
  expect(block).toBe(example.trimEnd().replace('"../../src/index.js"', '"@sentinel-kit/raft-election"'));
});

it("the example runs and prints what the README says", async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  try {
    await import("./example/usage.js");
  } finally {
    spy.mockRestore();
  }
  const A = "a".repeat(40);
  const expected = [
    "+odown master mymaster 127.0.0.1 6379 #quorum 2/2",
    "+new-epoch 1",
    "+try-failover master mymaster 127.0.0.1 6379",
    `ask bbbbbbbb: SENTINEL is-master-down-by-addr 127.0.0.1 6379 1 ${A}`,
    `ask cccccccc: SENTINEL is-master-down-by-addr 127.0.0.1 6379 1 ${A}`,
    `+vote-for-leader ${A} 1`,
    "+elected-leader master mymaster 127.0.0.1 6379",
    `ask cccccccc: SENTINEL is-master-down-by-addr 127.0.0.1 6379 1 ${A}`,
    "saved epoch 1, phase elected",
  ];
  expect(lines).toEqual(expected);
  for (const line of expected) expect(readme).toContain(line.replaceAll(A, "aaaa…"));
});
