// The daemon's log in Redis's form (server.c serverLogRaw): `<pid>:X <time> <mark> <msg>`,
// marks `.` `-` `*` `#` for debug, verbose, notice, warning; `loglevel` filters.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RedisLog, formatRedisLogLine, redisLogTime } from "../src/runtime/logger.js";

describe("Redis-form log", () => {
  it("formats a line as redis-sentinel does", () => {
    const at = new Date(2026, 10, 25, 9, 26, 49, 917).getTime();
    expect(redisLogTime(at)).toBe("25 Nov 2026 09:26:49.917");
    expect(formatRedisLogLine(4242, at, 40, "+sdown master mymaster 127.0.0.1 6379")).toBe(
      "4242:X 25 Nov 2026 09:26:49.917 # +sdown master mymaster 127.0.0.1 6379\n",
    );
    expect(formatRedisLogLine(1, at, 30, "x")).toContain(" * x");
    expect(formatRedisLogLine(1, at, 20, "x")).toContain(" - x");
    expect(formatRedisLogLine(1, at, 10, "x")).toContain(" . x");
  });

  it("appends to logfile and honours loglevel, also when it changes", () => {
    const file = join(mkdtempSync(join(tmpdir(), "sentinel-kit-log-")), "sentinel.log");
    const log = new RedisLog(file, "notice");
    log.log("verbose", "hidden at notice");
    log.log("notice", "+slave slave 127.0.0.1:6380");
    log.log("warning", "+odown master mymaster");
    log.setLevel("warning");
    log.log("notice", "hidden at warning");
    log.setLevel("nothing");
    log.log("warning", "hidden at nothing");
    log.close();
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines.map((l) => l.replace(/^\d+:X .{24} /, ""))).toEqual(["* +slave slave 127.0.0.1:6380", "# +odown master mymaster"]);
    expect(lines[0]).toMatch(new RegExp(`^${process.pid}:X `));
  });
});
