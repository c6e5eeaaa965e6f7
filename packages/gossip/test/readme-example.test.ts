import { readFileSync } from "node:fs";
import { expect, it, vi } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = readFileSync(new URL("../examples/usage.ts", import.meta.url), "utf8");

it("the README's example is examples/usage.ts, importing the published name", () => {
  const block = /```ts\n([\s\S]+?)\n```/.exec(readme)?.[1];
  expect(block).toBe(example.trimEnd().replace('"../src/index.js"', '"@sentinel-kit/gossip"'));
});

it("the example runs and prints what the README says", async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  });
  try {
    await import("../examples/usage.js");
  } finally {
    spy.mockRestore();
  }
  const A = "a".repeat(40);
  const ME = "f".repeat(40);
  expect(lines).toEqual([
    `+sentinel sentinel ${A} 127.0.0.1 26380 @ mymaster 127.0.0.1 6379`,
    `link to aaaaaaaa {"host":"127.0.0.1","port":26380}`,
    "+new-epoch 1",
    "next hello due at 2001",
    `master 127.0.0.1,26379,${ME},1,mymaster,127.0.0.1,6379,0`,
    "peers of mymaster: 1 links: 1",
  ]);
  for (const line of ["+sentinel sentinel aaaaaaaa… 127.0.0.1 26380 @ mymaster 127.0.0.1 6379", "+new-epoch 1"]) {
    expect(readme).toContain(line);
  }
});
