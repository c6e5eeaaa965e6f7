// Unit tests of the ACL log (`addACLLogEntry`, ACL LOG in redis/redis src/acl.c): newest
// first, grouping of like events within 60 s among the 10 newest, `acllog-max-len`.
import { encodeReply } from "@sentinel-kit/resp-protocol";
import { describe, expect, it } from "vitest";
import { AclLog, DEFAULT_ACLLOG_MAX_LEN, aclLogReply, type AclLogEvent } from "../src/acl/index.js";

const denied = (object: string, username = "u", clientInfo = "id=1"): AclLogEvent => ({ reason: "command", object, username, clientInfo });

describe("AclLog", () => {
  it("keeps entries newest first", () => {
    const log = new AclLog();
    log.add(denied("info"), 1000);
    log.add(denied("role"), 2000);
    expect(log.entries().map((e) => e.object)).toEqual(["role", "info"]);
    expect(log.entries(1).map((e) => e.object)).toEqual(["role"]);
    expect(log.entries(-3)).toEqual([]);
  });

  it("bumps a like entry within 60 s, moves it to the front and keeps the newest client", () => {
    const log = new AclLog();
    log.add(denied("info", "u", "id=1"), 1000);
    log.add(denied("role"), 2000);
    const bumped = log.add(denied("info", "u", "id=2"), 61_000);
    expect(bumped).toMatchObject({ count: 2, updatedAt: 61_000, clientInfo: "id=2" });
    expect(log.entries().map((e) => `${e.object}:${e.count}`)).toEqual(["info:2", "role:1"]);
  });

  it("starts a new entry after 60 s, or for another user, reason or context", () => {
    const log = new AclLog();
    log.add(denied("info"), 0);
    log.add(denied("info"), 60_001);
    log.add(denied("info", "v"), 60_002);
    log.add({ ...denied("info"), reason: "channel" }, 60_003);
    log.add({ ...denied("info"), context: "multi" }, 60_004);
    expect(log.length).toBe(5);
  });

  it("only the 10 newest entries are searched for a match", () => {
    const log = new AclLog();
    log.add(denied("old"), 0);
    for (let i = 0; i < 10; i++) log.add(denied(`c${i}`), 1);
    log.add(denied("old"), 2);
    expect(log.entries().filter((e) => e.object === "old").map((e) => e.count)).toEqual([1, 1]);
  });

  it("is bounded by acllog-max-len (128 by default); a lower bound applies at the next entry", () => {
    expect(DEFAULT_ACLLOG_MAX_LEN).toBe(128);
    const log = new AclLog(3);
    for (let i = 0; i < 5; i++) log.add(denied(`c${i}`), i * 100_000);
    expect(log.entries().map((e) => e.object)).toEqual(["c4", "c3", "c2"]);
    log.maxLen = 1;
    expect(log.length).toBe(3);
    log.add(denied("c5"), 1_000_000);
    expect(log.entries().map((e) => e.object)).toEqual(["c5"]);
    log.reset();
    expect(log.length).toBe(0);
  });
});

describe("aclLogReply", () => {
  it("sends 7 fields per entry with the age in seconds as a double (bulk string in RESP2)", () => {
    const log = new AclLog();
    log.add({ reason: "auth", object: "AUTH", username: "nobody", clientInfo: "id=7 user=default" }, 1000);
    const reply = aclLogReply(log.entries(), 3500);
    expect(encodeReply(reply, 3).toString()).toBe(
      "*1\r\n%7\r\n$5\r\ncount\r\n:1\r\n$6\r\nreason\r\n$4\r\nauth\r\n$7\r\ncontext\r\n$8\r\ntoplevel\r\n$6\r\nobject\r\n$4\r\nAUTH\r\n$8\r\nusername\r\n$6\r\nnobody\r\n$11\r\nage-seconds\r\n,2.5\r\n$11\r\nclient-info\r\n$17\r\nid=7 user=default\r\n",
    );
    expect(encodeReply(reply, 2).toString()).toContain("$11\r\nage-seconds\r\n$3\r\n2.5\r\n");
  });
});
