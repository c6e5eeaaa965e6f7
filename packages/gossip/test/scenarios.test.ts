import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { replay } from "./support/scenario.js";

// Scenario scripts with their expected transcripts (test/scenarios/*.txt); each cites the
// SPEC section or sentinel.c function it exercises in its header.
const dir = new URL("./scenarios/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".txt"));

describe("scenarios", () => {
  it("there are scenarios to run", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)("%s", (file) => {
    const script = readFileSync(new URL(file, dir), "utf8").replace(/\n$/, "");
    expect(replay(script)).toBe(script);
  });
});
