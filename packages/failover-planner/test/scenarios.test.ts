// Scenario scripts in the style of etcd-io/raft's testdata: each file under testdata/ is
// a list of directives, each followed by the transcript of effects it must produce.
// UPDATE_TRANSCRIPTS=1 rewrites the transcripts from the actual output (then review the diff).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScript, renderScript } from "./harness/datadriven.js";
import { SimWorld } from "./harness/world.js";

const dir = fileURLToPath(new URL("./testdata/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();

describe("failover scenarios (testdata/*.txt)", () => {
  it("has scenario files", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(file, () => {
      const path = dir + file;
      const original = readFileSync(path, "utf8");
      const { directives, trailer } = parseScript(original);
      const world = new SimWorld();
      const outputs = directives.map((d) => {
        try {
          return world.run(d.line);
        } catch (err) {
          throw new Error(`${file}:${d.lineNo}: ${(err as Error).message}`);
        }
      });
      const actual = renderScript(directives, outputs, trailer);
      if (process.env["UPDATE_TRANSCRIPTS"] === "1" && actual !== original) {
        writeFileSync(path, actual);
        return;
      }
      expect(actual).toBe(original);
    });
  }
});
