// The command line, read as redis-server reads its own (`redis-server <conf> --port 26380`).
import { describe, expect, it } from "vitest";
import { UsageError, parseArgs } from "../src/cli.js";

describe("parseArgs", () => {
  it("takes the config file first and turns --directives into config lines", () => {
    expect(parseArgs(["sentinel.conf", "--port", "26380", "--loglevel", "verbose"])).toEqual({
      configPath: "sentinel.conf",
      overrides: ["port 26380", "loglevel verbose"],
    });
  });

  it("accepts --sentinel, as `redis-server <conf> --sentinel` users type it", () => {
    expect(parseArgs(["s.conf", "--sentinel", "--port", "1"])).toEqual({ configPath: "s.conf", overrides: ["port 1"] });
  });

  it("keeps several words and quotes the ones that need it", () => {
    expect(parseArgs(["s.conf", "--sentinel", "--bind", "127.0.0.1", "::1", "--requirepass", "a b"]).overrides).toEqual([
      "bind 127.0.0.1 ::1",
      'requirepass "a b"',
    ]);
  });

  it("has no config file when the first word is a directive", () => {
    expect(parseArgs(["--port", "26380"]).configPath).toBeUndefined();
  });

  it("refuses a bare word after the config file", () => {
    expect(() => parseArgs(["s.conf", "stray"])).toThrow(UsageError);
  });
});
