// The README's Server example is this package's test/server-readme-example.ts, run here.
import { readFileSync } from "node:fs";
import { afterAll, expect, test } from "vitest";
import { RawClient } from "./server-helpers.js";

const example = readFileSync(new URL("./server-readme-example.ts", import.meta.url), "utf8");
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const { server } = await import("./server-readme-example.js");
afterAll(() => server.close({ timeoutMs: 1000 }));

test("the README's Server section shows the example file verbatim", () => {
  const section = readme.slice(readme.indexOf("\n## Server"));
  const block = /```ts\n([\s\S]+?)```/.exec(section)?.[1];
  expect(block).toBe(example);
});

test("the example answers AUTH, PING, PUBLISH and a sentinel-shaped HELLO", async () => {
  const client = await RawClient.connect(server.address().port);
  try {
    const expected =
      "-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n:0\r\n" +
      "%6\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:1\r\n" +
      "$4\r\nmode\r\n$8\r\nsentinel\r\n$7\r\nmodules\r\n*0\r\n";
    expect(await client.request("PING\r\nAUTH s3cret\r\nPING\r\nPUBLISH ch hi\r\nHELLO 3\r\n", expected)).toBe(expected);
  } finally {
    client.close();
  }
});
