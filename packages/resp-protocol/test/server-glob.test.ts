// Redis's glob rules (src/util.c stringmatchlen, Redis 7.0), as PSUBSCRIBE applies them.
import { describe, expect, test } from "vitest";
import { globMatch } from "../src/server/glob.js";
import { GLOB_CASES } from "./server-glob-cases.js";

describe("globMatch", () => {
  test.each(GLOB_CASES)("%j against %j is %s", (pattern, subject, expected) => {
    expect(globMatch(pattern, subject)).toBe(expected);
    expect(globMatch(Buffer.from(pattern), Buffer.from(subject))).toBe(expected);
  });

  test("an empty subject matches only the empty pattern, as the loop in stringmatchlen never starts", () => {
    expect(globMatch("", "")).toBe(true);
    expect(globMatch("*", "")).toBe(false);
    expect(globMatch("", "a")).toBe(false);
  });

  test("nocase folds ASCII letters in literals, classes and ranges", () => {
    expect(globMatch("HELLO", "hello", true)).toBe(true);
    expect(globMatch("h[A-C]llo", "hbllo", true)).toBe(true);
    expect(globMatch("h[E]llo", "hello", true)).toBe(true);
    expect(globMatch("h[A-C]llo", "hbllo", false)).toBe(false);
  });

  test("ranges compare signed bytes like C's char: 0xff sorts below 'a'", () => {
    expect(globMatch(Buffer.from([0x5b, 0x80, 0x2d, 0x61, 0x5d]), Buffer.from([0xff]))).toBe(true);
    expect(globMatch(Buffer.from("[a-z]"), Buffer.from([0xff]))).toBe(false);
  });

  test("a pathological pattern answers quickly (skipLongerMatches, CVE-2022-36021)", () => {
    const pattern = `${"*a".repeat(40)}*b`;
    const started = performance.now();
    expect(globMatch(pattern, "a".repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("nesting deeper than 1000 stars gives up with no match, as Redis does", () => {
    const pattern = "a*".repeat(1100) + "a";
    expect(globMatch(pattern, "a".repeat(1200))).toBe(false);
    expect(globMatch("a*".repeat(10) + "a", "a".repeat(20))).toBe(true);
  });
});
