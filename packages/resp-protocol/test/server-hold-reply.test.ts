// RespServer's beforeCommand hook (what Redis's CLIENT PAUSE needs: a command held until a
// promise settles, the client's later input behind it) and setReplyMode (CLIENT REPLY
// ON|OFF|SKIP, networking.c clientCommand and resetClient; pub/sub confirmations and messages
// are never silenced, as in Redis 7.0.15's CLIENT_PUSHING).
import { afterEach, describe, expect, it } from "vitest";
import { resp } from "../src/constructors.js";
import type { RespServer } from "../src/server/server.js";
import type { RespClientContext, RespReplyMode } from "../src/server/types.js";
import { RawClient, startServer } from "./server-helpers.js";

const open: Array<{ server: RespServer; clients: RawClient[] }> = [];

afterEach(async () => {
  for (const { server, clients } of open.splice(0)) {
    for (const c of clients) c.close();
    await server.close({ timeoutMs: 100 });
  }
});

describe("beforeCommand", () => {
  it("holds a command and the client's later input until the promise settles, other clients going on", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    const { server, port } = await startServer({
      handler: (command) => resp.bulk(command.args[0]?.toString() ?? command.name),
      beforeCommand: (command, client) => {
        seen.push(`${client.id}:${command.name}`);
        return client.id === 1 && command.name === "echo" ? gate : undefined;
      },
    });
    const a = await RawClient.connect(port);
    const b = await RawClient.connect(port);
    open.push({ server, clients: [a, b] });
    a.send("ECHO first\r\nECHO second\r\n");
    expect(await b.request("PING\r\n", "$4\r\nping\r\n")).toBe("$4\r\nping\r\n");
    // The second ECHO was not even decoded: its input waits behind the held one.
    expect(seen.filter((s) => s.startsWith("1:"))).toEqual(["1:echo"]);
    expect(a.take().length).toBe(0);
    release();
    await a.waitFor((r) => r.toString().includes("second"));
    expect(a.take().toString()).toBe("$5\r\nfirst\r\n$6\r\nsecond\r\n");
  });

  it("answers -ERR for a hook that throws or rejects, and the connection goes on", async () => {
    const errors: unknown[] = [];
    const { server, port } = await startServer({
      handler: () => resp.simple("OK"),
      beforeCommand: (command) => {
        if (command.name === "boom") throw new Error("gate broke");
        if (command.name === "late") return Promise.reject(new Error("late broke"));
        return undefined;
      },
      onError: (error) => errors.push(error),
    });
    const a = await RawClient.connect(port);
    open.push({ server, clients: [a] });
    expect(await a.request("BOOM\r\n", "-ERR gate broke\r\n")).toBe("-ERR gate broke\r\n");
    expect(await a.request("LATE\r\n", "-ERR late broke\r\n")).toBe("-ERR late broke\r\n");
    expect(await a.request("PING\r\n", "+OK\r\n")).toBe("+OK\r\n");
    expect(errors).toHaveLength(2);
  });
});

describe("setReplyMode (CLIENT REPLY)", () => {
  async function replyServer() {
    let server: RespServer | undefined;
    const started = await startServer({
      handler: (command, client: RespClientContext) => {
        if (command.name === "reply") {
          server?.setReplyMode(client, (command.args[0]?.toString() ?? "on") as RespReplyMode);
          return resp.simple("OK");
        }
        if (command.name === "publish") return resp.integer(server?.publish(command.args[0] ?? "", command.args[1] ?? "") ?? 0);
        return resp.bulk(command.args[0]?.toString() ?? command.name);
      },
    });
    server = started.server;
    const a = await RawClient.connect(started.port);
    const b = await RawClient.connect(started.port);
    open.push({ server: started.server, clients: [a, b] });
    return { a, b };
  }

  it("skips the SKIP command's reply and the next one's, then answers again", async () => {
    const { a } = await replyServer();
    // Redis 7.0.15: SKIP, PING x1 (skipped), PING x2; SKIP SKIP x3 (skipped) x4; ON after SKIP answers.
    const out = await a.request(
      "REPLY skip\r\nECHO x1\r\nECHO x2\r\nREPLY skip\r\nREPLY skip\r\nECHO x3\r\nECHO x4\r\nREPLY skip\r\nREPLY on\r\nECHO x5\r\n",
      "$2\r\nx2\r\n$2\r\nx4\r\n+OK\r\n$2\r\nx5\r\n",
    );
    expect(out).toBe("$2\r\nx2\r\n$2\r\nx4\r\n+OK\r\n$2\r\nx5\r\n");
  });

  it("silences every reply after OFF, errors included, SKIP changing nothing, until ON", async () => {
    const { a } = await replyServer();
    const out = await a.request("REPLY off\r\nECHO y1\r\n*1\r\n$3\r\nNOPE\r\nREPLY skip\r\nREPLY on\r\nECHO y2\r\n", "+OK\r\n$2\r\ny2\r\n");
    expect(out).toBe("+OK\r\n$2\r\ny2\r\n");
  });

  it("still sends SUBSCRIBE confirmations and messages while replies are off", async () => {
    const { a, b } = await replyServer();
    a.send("REPLY off\r\nSUBSCRIBE ch\r\nECHO hidden\r\n");
    await a.waitFor((r) => r.toString().includes("subscribe"));
    expect(await b.request("PUBLISH ch hi\r\n", ":1\r\n")).toBe(":1\r\n");
    await a.waitFor((r) => r.toString().includes("hi"));
    expect(a.take().toString()).toBe("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
  });
});
