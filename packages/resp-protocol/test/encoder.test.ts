// Reply and command encoding. The RESP2 downgrades follow Redis 7.0's src/networking.c:
// addReplyNull ($-1), addReplyBool (:1/:0), addReplyDouble (%.17g, inf/-inf as text),
// addReplyBigNum and addReplyVerbatim (bulk strings), setDeferredMapLen (2N array).
import { describe, expect, it } from "vitest";
import { encodeCommand, encodeReply, formatDouble, resp, type RespValue } from "../src/index.js";

const wire = (v: RespValue, version: 2 | 3): string => encodeReply(v, version).toString("latin1");

describe("encodeReply", () => {
  const cases: Array<[string, RespValue, string, string]> = [
    ["simple", resp.simple("OK"), "+OK\r\n", "+OK\r\n"],
    ["error", resp.error("ERR x"), "-ERR x\r\n", "-ERR x\r\n"],
    ["integer", resp.integer(-12), ":-12\r\n", ":-12\r\n"],
    ["big integer", resp.integer(-9223372036854775808n), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"],
    ["bulk", resp.bulk("hi"), "$2\r\nhi\r\n", "$2\r\nhi\r\n"],
    ["null bulk", resp.nullBulk(), "$-1\r\n", "_\r\n"],
    ["null array", resp.nullArray(), "*-1\r\n", "_\r\n"],
    ["array", resp.array([resp.integer(1), resp.bulk("a")]), "*2\r\n:1\r\n$1\r\na\r\n", "*2\r\n:1\r\n$1\r\na\r\n"],
    ["null", resp.null(), "$-1\r\n", "_\r\n"],
    ["true", resp.boolean(true), ":1\r\n", "#t\r\n"],
    ["false", resp.boolean(false), ":0\r\n", "#f\r\n"],
    ["double", resp.double(3.14), "$18\r\n3.1400000000000001\r\n", ",3.1400000000000001\r\n"],
    ["inf", resp.double(Infinity), "$3\r\ninf\r\n", ",inf\r\n"],
    ["-inf", resp.double(-Infinity), "$4\r\n-inf\r\n", ",-inf\r\n"],
    ["nan", resp.double(NaN), "$3\r\nnan\r\n", ",nan\r\n"],
    ["big number", resp.bigNumber(-123456789012345678901234567890n), "$31\r\n-123456789012345678901234567890\r\n", "(-123456789012345678901234567890\r\n"],
    ["bulk error", resp.bulkError("SYNTAX bad"), "-SYNTAX bad\r\n", "!10\r\nSYNTAX bad\r\n"],
    ["verbatim", resp.verbatim("txt", "Some"), "$4\r\nSome\r\n", "=8\r\ntxt:Some\r\n"],
    [
      "map",
      resp.map([[resp.simple("a"), resp.integer(1)]]),
      "*2\r\n+a\r\n:1\r\n",
      "%1\r\n+a\r\n:1\r\n",
    ],
    ["set", resp.set([resp.integer(1)]), "*1\r\n:1\r\n", "~1\r\n:1\r\n"],
    ["push", resp.push([resp.bulk("message")]), "*1\r\n$7\r\nmessage\r\n", ">1\r\n$7\r\nmessage\r\n"],
    [
      "attribute",
      resp.attributed([[resp.simple("ttl"), resp.integer(3)]], resp.simple("OK")),
      "+OK\r\n",
      "|1\r\n+ttl\r\n:3\r\n+OK\r\n",
    ],
    ["UTF-8 bulk", resp.bulk("\u00e9"), "$2\r\n\u00c3\u00a9\r\n", "$2\r\n\u00c3\u00a9\r\n"],
  ];
  for (const [name, value, resp2, resp3] of cases) {
    it(`${name} in RESP2 and RESP3`, () => {
      expect(wire(value, 2)).toBe(resp2);
      expect(wire(value, 3)).toBe(resp3);
    });
  }

  it("resp.bulkStrings is an array of bulk strings, and resp.integer normalises", () => {
    expect(wire(resp.bulkStrings(["127.0.0.1", Buffer.from("6379")]), 2)).toBe("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n");
    expect(resp.integer(5n)).toEqual({ kind: "integer", value: 5 });
    expect(resp.integer(2 ** 60)).toEqual({ kind: "integer", value: 2n ** 60n });
    expect(() => resp.integer(1.5)).toThrow(RangeError);
    expect(() => resp.verbatim("text", "x")).toThrow(RangeError);
  });

  it("turns CR and LF of simple strings and errors into spaces, as addReplyErrorFormat does", () => {
    expect(wire(resp.error("ERR a\r\nb"), 2)).toBe("-ERR a  b\r\n");
    expect(wire(resp.bulkError("ERR a\nb"), 2)).toBe("-ERR a b\r\n");
    expect(wire(resp.simple("x\ry"), 3)).toBe("+x y\r\n");
  });

  it("returns buffers of their own: a later reply does not overwrite an earlier one", () => {
    const first = encodeReply(resp.simple("first"), 2);
    const big = encodeReply(resp.bulk(Buffer.alloc(2 * 1024 * 1024, "z")), 2);
    const second = encodeReply(resp.bulk("second"), 2);
    expect(first.toString()).toBe("+first\r\n");
    expect(second.toString()).toBe("$6\r\nsecond\r\n");
    expect(big.length).toBe(2 * 1024 * 1024 + 12);
    expect(big.subarray(0, 11).toString()).toBe("$2097152\r\nz");
  });

  it("grows its buffer for large replies", () => {
    const big = resp.array(Array.from({ length: 5000 }, (_, i) => resp.bulk(`value-${i}`)));
    const out = encodeReply(big, 2).toString("latin1");
    expect(out.startsWith("*5000\r\n$7\r\nvalue-0\r\n")).toBe(true);
    expect(out.endsWith("$10\r\nvalue-4999\r\n")).toBe(true);
  });
});

describe("formatDouble matches C's %.17g", () => {
  // Expected strings are what glibc's printf("%.17g") prints for these doubles.
  const cases: Array<[number, string]> = [
    [0, "0"],
    [-0, "-0"],
    [1, "1"],
    [-2.5, "-2.5"],
    [0.1, "0.10000000000000001"],
    [3.14, "3.1400000000000001"],
    [100, "100"],
    [1e16, "10000000000000000"],
    [1e17, "1e+17"],
    [1.5e300, "1.5000000000000001e+300"],
    [0.0001, "0.0001"],
    [0.00001, "1.0000000000000001e-05"],
    [123456789.125, "123456789.125"],
    [5e-324, "4.9406564584124654e-324"],
    [Number.MAX_VALUE, "1.7976931348623157e+308"],
  ];
  for (const [x, expected] of cases) {
    it(`${expected}`, () => expect(formatDouble(x)).toBe(expected));
  }
});

describe("encodeCommand", () => {
  it("encodes strings, numbers and buffers as bulk strings", () => {
    expect(encodeCommand(["SET", "key", 42, Buffer.from([0, 255])]).toString("latin1")).toBe(
      "*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n$2\r\n42\r\n$2\r\n\x00\xff\r\n",
    );
  });

  it("counts UTF-8 bytes, not UTF-16 units, and handles long strings", () => {
    const long = "x".repeat(1000) + "\u20ac";
    expect(encodeCommand(["\u00e9", long])).toEqual(
      Buffer.concat([
        Buffer.from("*2\r\n$2\r\n\u00c3\u00a9\r\n$1003\r\n", "latin1"),
        Buffer.from(long, "utf8"),
        Buffer.from("\r\n"),
      ]),
    );
  });

  it("encodes an empty command and empty arguments", () => {
    expect(encodeCommand([]).toString()).toBe("*0\r\n");
    expect(encodeCommand([""]).toString()).toBe("*1\r\n$0\r\n\r\n");
  });
});
