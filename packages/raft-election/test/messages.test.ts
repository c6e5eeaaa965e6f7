import { describe, expect, it } from "vitest";
import {
  InvalidEpochError,
  InvalidSentinelIdError,
  isMasterDownCommand,
  isMasterDownReplyValue,
  isSentinelId,
  parseIsMasterDownReply,
  toEpoch,
  toSentinelId,
} from "../src/index.js";

const A = toSentinelId("a".repeat(40));

describe("run ids and epochs", () => {
  it("accepts 40 hex characters and lower-cases them (Redis compares with strcasecmp)", () => {
    expect(toSentinelId("ABCDEF0123".repeat(4))).toBe("abcdef0123".repeat(4));
    expect(isSentinelId("0".repeat(40))).toBe(true);
  });

  it.each(["", "*", "a".repeat(39), "a".repeat(41), "g".repeat(40)])("rejects %j", (bad) => {
    expect(isSentinelId(bad)).toBe(false);
    expect(() => toSentinelId(bad)).toThrow(InvalidSentinelIdError);
  });

  it("keeps epochs to non-negative safe integers", () => {
    expect(toEpoch(0)).toBe(0);
    expect(toEpoch(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, -1n, 2n ** 53n]) {
      expect(() => toEpoch(bad)).toThrow(InvalidEpochError);
    }
  });
});

describe("is-master-down-by-addr on the wire (SENTINEL-SPEC §1.2, §4.7)", () => {
  it("formats the request as Redis sends it", () => {
    expect(isMasterDownCommand({ ip: "10.0.0.1", port: 6379, epoch: 7, runId: A })).toEqual([
      "SENTINEL",
      "is-master-down-by-addr",
      "10.0.0.1",
      "6379",
      "7",
      A,
    ]);
    expect(isMasterDownCommand({ ip: "::1", port: 6380, epoch: 0, runId: "*" }).slice(2)).toEqual([
      "::1",
      "6380",
      "0",
      "*",
    ]);
  });

  it("formats the reply as [integer, bulk, integer]", () => {
    expect(isMasterDownReplyValue({ down: true, leader: A, leaderEpoch: 3 })).toEqual([1, A, 3]);
    expect(isMasterDownReplyValue({ down: false, leader: null, leaderEpoch: 0 })).toEqual([0, "*", 0]);
  });

  it.each([
    [[1, "*", 0], { down: true, leader: null, leaderEpoch: 0 }],
    [[0, "A".repeat(40), 5], { down: false, leader: A, leaderEpoch: 5 }],
    [[1n, new TextEncoder().encode("*"), 2n], { down: true, leader: null, leaderEpoch: 2 }],
  ])("reads a well-formed reply (case %#)", (value, expected) => {
    expect(parseIsMasterDownReply(value)).toEqual(expected);
  });

  // sentinelReceiveIsMasterDownReply ignores anything but array(3) of int, string, int.
  it.each([
    [null],
    ["OK"],
    [[1, "*"]],
    [[1, "*", 0, 0]],
    [["1", "*", 0]],
    [[1, 2, 0]],
    [[1, "*", "0"]],
    [[1, "not-a-runid", 0]],
    [[1, "*", -1]],
  ])("ignores a malformed reply %j", (value) => {
    expect(parseIsMasterDownReply(value)).toBeNull();
  });
});
