import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatCases, parseCases } from "./scenario/datadriven.js";
import { ScenarioNode } from "./scenario/harness.js";

// Scripts in testdata/ replay one Sentinel's election: each command's output is the list
// of effects it returned. Set REWRITE_TESTDATA=1 to rewrite the expected outputs from the
// actual ones (then review the diff).
const dir = join(import.meta.dirname, "testdata");
const rewrite = process.env["REWRITE_TESTDATA"] === "1";

describe("scenario scripts", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt")).sort()) {
    it(file, () => {
      const path = join(dir, file);
      const cases = parseCases(readFileSync(path, "utf8"));
      expect(cases.length).toBeGreaterThan(0);
      const node = new ScenarioNode();
      const results = cases.map((c) => ({ ...c, actual: node.run(c.command) }));
      if (rewrite) {
        writeFileSync(path, formatCases(results));
        return;
      }
      for (const r of results) {
        expect(r.actual, `${file}:${r.line}: ${r.command}`).toBe(r.expected);
      }
    });
  }
});
