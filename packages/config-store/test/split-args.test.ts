// Checks the port of Redis's sdssplitargs (src/sds.c) and sdscatrepr.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatArg, formatLine, reprArg, splitArgs } from "../src/index.js";

describe("splitArgs (sdssplitargs)", () => {
  it.each([
    ["", []],
    ["   ", []],
    ["a b  c", ["a", "b", "c"]],
    ["\tport\t26379 ", ["port", "26379"]],
    ['"a b" c', ["a b", "c"]],
    ['"\\n\\r\\t\\b\\a\\\\\\"\\q"', ["\n\r\t\b\x07\\\"q"]],
    ['"\\x41\\x7a\\xfF"', ["Az\xff"]],
    ['"\\x4"', ["x4"]],
    ["'it\\'s' x", ["it's", "x"]],
    ["'a\\nb'", ["a\\nb"]],
    ['ab"c d"', ["abc d"]],
    ['""', [""]],
    ["''", [""]],
    ["a\\b", ["a\\b"]],
  ])("splits %j", (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it.each(['"abc', "'abc", '"a"b', "'a'b", 'x "a\\"'])("refuses unbalanced %j", (line) => {
    expect(splitArgs(line)).toBeNull();
  });
});

describe("formatArg / reprArg", () => {
  it("leaves plain words alone and quotes the rest like sdscatrepr", () => {
    expect(formatArg("mymaster")).toBe("mymaster");
    expect(formatArg("")).toBe('""');
    expect(formatArg("a b")).toBe('"a b"');
    expect(reprArg('a"\\\n\x01\xff')).toBe('"a\\"\\\\\\n\\x01\\xff"');
  });

  const byteString = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) });

  it("splitArgs(formatLine(args)) is args for any byte strings", () => {
    fc.assert(
      fc.property(fc.array(byteString, { minLength: 1, maxLength: 6 }), (args) => {
        expect(splitArgs(formatLine(args))).toEqual(args);
      }),
    );
  });
});

describe("splitArgs edge cases", () => {
  it("stops at a NUL byte, as C string code does", () => {
    expect(splitArgs("port 1\0 2")).toEqual(["port", "1"]);
  });

  it("skips \\v and \\f between arguments but keeps them inside one", () => {
    expect(splitArgs("\va\fb 'c'")).toEqual(["a\fb", "c"]);
  });
});

describe("splitArgs fast path", () => {
  it("splits quote-free lines exactly like the full sdssplitargs port", () => {
    const unit = fc.constantFrom("a", "b", "\\", " ", "\t", "\r", "\n", "\v", "\f", "\0", "x");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (line) => {
        // A trailing quoted argument forces the character-by-character path.
        const slow = splitArgs(`${line.split("\0")[0] ?? ""} ''`);
        expect(splitArgs(line)).toEqual(slow?.slice(0, -1));
      }),
    );
  });
});
