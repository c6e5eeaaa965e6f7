// The README's Codec example is this package's test/readme-example.ts, run here.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { resp } from "../src/index.js";

const example = readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8");
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

test("the README's Codec section shows the example file verbatim", () => {
  const section = readme.slice(readme.indexOf("\n## Codec"));
  const block = /```ts\n([\s\S]+?)```/.exec(section)?.[1];
  expect(block).toBe(example);
});

test("the example produces what its comments say", async () => {
  const { request, replies, forResp3, forResp2 } = await import("./readme-example.js");
  expect(request.toString()).toBe("*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n");
  expect(replies).toEqual([
    resp.simple("OK"),
    resp.bulk("hello"),
    resp.map([[resp.simple("proto"), resp.integer(3)]]),
  ]);
  expect(forResp3.toString()).toBe("%1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n");
  expect(forResp2.toString()).toBe("*2\r\n$4\r\nrole\r\n$6\r\nmaster\r\n");
});
