import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fields, freePort, masterPort } from "../src/index.js";

describe("fields", () => {
  it("turns a flat RESP2 field list into a record of strings", () => {
    expect(fields(["name", "mymaster", "port", "6380", "num-slaves", 2])).toEqual({
      name: "mymaster",
      port: "6380",
      "num-slaves": "2",
    });
  });

  it("drops an odd trailing key and gives {} for a reply that is not a list", () => {
    expect(fields(["flags", "master", "dangling"])).toEqual({ flags: "master" });
    expect(fields(null)).toEqual({});
    expect(fields("OK")).toEqual({});
  });
});

/** The bulk strings of every complete RESP2 array command in `buffer`, and what is left. */
function parseCommands(buffer: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    const header = /^\*(\d+)\r\n/.exec(buffer.slice(at));
    if (header === null) break;
    let pos = at + header[0].length;
    const args: string[] = [];
    for (let i = 0; i < Number(header[1]); i += 1) {
      const bulk = /^\$(\d+)\r\n/.exec(buffer.slice(pos));
      if (bulk === null || buffer.length < pos + bulk[0].length + Number(bulk[1]) + 2) break;
      pos += bulk[0].length;
      args.push(buffer.slice(pos, pos + Number(bulk[1])));
      pos += Number(bulk[1]) + 2;
    }
    if (args.length !== Number(header[1])) break;
    commands.push(args);
    at = pos;
  }
  return { commands, rest: buffer.slice(at) };
}

// A stand-in sentinel on 127.0.0.1 answering GET-MASTER-ADDR-BY-NAME as Redis does
// (src/sentinel.c sentinelCommand: a two-element array, or a null array for an unknown
// name), plus an error reply and a silence to check that both read as null.
const REPLIES: Record<string, string | undefined> = {
  mymaster: "*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n",
  unknown: "*-1\r\n",
  broken: "-ERR No such master with that name\r\n",
  silent: undefined,
};

describe("masterPort", () => {
  let server: Server;
  let port: number;
  const sockets = new Set<Socket>();
  const seen: string[][] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      let buffer = "";
      socket.on("data", (chunk) => {
        const parsed = parseCommands(buffer + chunk.toString());
        buffer = parsed.rest;
        for (const command of parsed.commands) {
          seen.push(command);
          const reply = REPLIES[command[2] ?? ""];
          if (reply !== undefined) socket.write(reply);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address !== null ? address.port : 0;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it("returns the port the sentinel reports, asking for the given name (mymaster by default)", async () => {
    expect(await masterPort(port)).toBe(6380);
    expect(seen.at(-1)).toEqual(["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"]);
    expect(await masterPort({ port, timeoutMs: 1_000 }, "unknown")).toBeNull();
    expect(seen.at(-1)).toEqual(["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "unknown"]);
  });

  it("returns null on an error reply, a silence past timeoutMs, or a refused connection", async () => {
    expect(await masterPort(port, "broken")).toBeNull();
    const started = performance.now();
    expect(await masterPort({ port, timeoutMs: 200 }, "silent")).toBeNull();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await masterPort({ port: await freePort(), timeoutMs: 1_000 })).toBeNull();
  });
});
