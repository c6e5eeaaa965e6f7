// The README's usage example is test/readme-example.ts verbatim; this runs it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runExample } from "./readme-example.js";

describe("README usage example", () => {
  it("is the same code as test/readme-example.ts", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const file = readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8");
    expect(block).toBe(file);
  });

  it("runs a whole failover: from +try-failover to +switch-master", () => {
    const events = runExample();
    expect(events.map((e) => e.split(" ")[0])).toEqual([
      "+new-epoch",
      "+try-failover",
      "+elected-leader",
      "+failover-state-select-slave",
      "+selected-slave",
      "+failover-state-send-slaveof-noone",
      "+failover-state-wait-promotion",
      "+promoted-slave",
      "+failover-state-reconf-slaves",
      "+failover-end",
      "+switch-master",
      "+slave",
    ]);
    expect(events).toContain("+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379");
  });
});
