import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatHello, type Hello, helloPayload, MalformedHelloError, parseHello } from "../src/index.js";

const RUNID = "a".repeat(40);

// SPEC §4.5: `sentinel_ip,sentinel_port,sentinel_runid,current_epoch,master_name,master_ip,master_port,master_config_epoch`
const hello: Hello = {
  sentinelIp: "10.0.0.5",
  sentinelPort: 26379,
  runid: RUNID,
  currentEpoch: 7,
  masterName: "mymaster",
  masterIp: "10.0.0.1",
  masterPort: 6379,
  masterConfigEpoch: 3,
};

describe("formatHello (sentinelSendHello, \"%s,%d,%s,%llu,%s,%s,%d,%llu\")", () => {
  it("writes the 8 fields in wire order", () => {
    expect(formatHello(hello)).toBe(`10.0.0.5,26379,${RUNID},7,mymaster,10.0.0.1,6379,3`);
  });

  it("writes IPv6 literals and hostnames as they are, unbracketed", () => {
    expect(formatHello({ ...hello, sentinelIp: "::1", masterIp: "redis-0.example" })).toBe(
      `::1,26379,${RUNID},7,mymaster,redis-0.example,6379,3`,
    );
  });

  it.each([
    ["masterName", { masterName: "my,master" }, "bad-text"],
    ["sentinelIp", { sentinelIp: "" }, "bad-text"],
    ["sentinelPort", { sentinelPort: 0 }, "bad-port"],
    ["masterPort", { masterPort: 70000 }, "bad-port"],
    ["runid", { runid: "xyz" }, "bad-runid"],
    ["currentEpoch", { currentEpoch: -1 }, "bad-epoch"],
    ["masterConfigEpoch", { masterConfigEpoch: 1.5 }, "bad-epoch"],
  ] as const)("refuses a bad %s with a typed error", (field, patch, reason) => {
    let caught: unknown;
    try {
      formatHello({ ...hello, ...patch });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MalformedHelloError);
    expect(caught).toMatchObject({ name: "MalformedHelloError", reason, field });
  });

  it("completes a draft with the link's local address only when no announce-ip is set", () => {
    const { sentinelIp: _ip, ...rest } = hello;
    expect(helloPayload({ ...rest, sentinelIp: null }, "127.0.0.1")).toBe(
      `127.0.0.1,26379,${RUNID},7,mymaster,10.0.0.1,6379,3`,
    );
    expect(helloPayload({ ...rest, sentinelIp: "1.2.3.4" }, "127.0.0.1")).toMatch(/^1\.2\.3\.4,/);
  });
});

describe("parseHello", () => {
  it("reads a hello as redis-sentinel 7.0 sends it", () => {
    const result = parseHello(`127.0.0.1,26380,${"0123456789abcdef".repeat(2)}01234567,12,mymaster,127.0.0.1,6380,11`);
    expect(result).toEqual({
      ok: true,
      hello: {
        sentinelIp: "127.0.0.1",
        sentinelPort: 26380,
        runid: `${"0123456789abcdef".repeat(2)}01234567`,
        currentEpoch: 12,
        masterName: "mymaster",
        masterIp: "127.0.0.1",
        masterPort: 6380,
        masterConfigEpoch: 11,
      },
    });
  });

  const good = [`10.0.0.5`, `26379`, RUNID, `7`, `mymaster`, `10.0.0.1`, `6379`, `3`];
  const withField = (index: number, value: string) => good.map((v, i) => (i === index ? value : v)).join(",");

  it.each([
    ["no field", "", "field-count", undefined],
    ["7 fields", good.slice(0, 7).join(","), "field-count", undefined],
    ["9 fields (a comma in the master name)", [...good.slice(0, 4), "my,master", ...good.slice(5)].join(","), "field-count", undefined],
    ["empty sentinel ip", withField(0, ""), "bad-text", "sentinelIp"],
    ["a space in the sentinel ip", withField(0, "10.0.0.5 "), "bad-text", "sentinelIp"],
    ["port 0", withField(1, "0"), "bad-port", "sentinelPort"],
    ["port 65536", withField(1, "65536"), "bad-port", "sentinelPort"],
    ["negative port", withField(1, "-1"), "bad-port", "sentinelPort"],
    ["port with a sign", withField(1, "+6379"), "bad-port", "sentinelPort"],
    ["non-numeric port", withField(1, "abc"), "bad-port", "sentinelPort"],
    ["runid of 39 hex digits", withField(2, "a".repeat(39)), "bad-runid", "runid"],
    ["runid of 41 hex digits", withField(2, "a".repeat(41)), "bad-runid", "runid"],
    ["runid with a non-hex digit", withField(2, `${"a".repeat(39)}g`), "bad-runid", "runid"],
    ["negative epoch", withField(3, "-1"), "bad-epoch", "currentEpoch"],
    ["epoch beyond 2^53", withField(3, "18446744073709551615"), "bad-epoch", "currentEpoch"],
    ["empty epoch", withField(3, ""), "bad-epoch", "currentEpoch"],
    ["empty master name", withField(4, ""), "bad-text", "masterName"],
    ["empty master ip", withField(5, ""), "bad-text", "masterIp"],
    ["master port 99999", withField(6, "99999"), "bad-port", "masterPort"],
    ["config epoch 1e3", withField(7, "1e3"), "bad-epoch", "masterConfigEpoch"],
  ] as const)("rejects %s without throwing", (_what, payload, reason, field) => {
    const result = parseHello(payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(MalformedHelloError);
    expect(result.error).toMatchObject({ name: "MalformedHelloError", reason, field, input: payload });
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string(), (payload) => {
        const result = parseHello(payload);
        expect(typeof result.ok).toBe("boolean");
      }),
    );
  });
});

const text = fc.stringMatching(/^[A-Za-z0-9._:\-]{1,20}$/);
const helloArb: fc.Arbitrary<Hello> = fc.record({
  sentinelIp: fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()),
  sentinelPort: fc.integer({ min: 1, max: 65535 }),
  runid: fc.stringMatching(/^[0-9a-f]{40}$/),
  currentEpoch: fc.maxSafeNat(),
  masterName: text,
  masterIp: fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()),
  masterPort: fc.integer({ min: 1, max: 65535 }),
  masterConfigEpoch: fc.maxSafeNat(),
});

describe("round trip", () => {
  it("parse(format(hello)) is hello", () => {
    fc.assert(
      fc.property(helloArb, (h) => {
        expect(parseHello(formatHello(h))).toEqual({ ok: true, hello: h });
      }),
    );
  });

  it("format(parse(payload)) is payload for every valid payload", () => {
    fc.assert(
      fc.property(helloArb, (h) => {
        const payload = formatHello(h);
        const parsed = parseHello(payload);
        expect(parsed.ok && formatHello(parsed.hello)).toBe(payload);
      }),
    );
  });
});
