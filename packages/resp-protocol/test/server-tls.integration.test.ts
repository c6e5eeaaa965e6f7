// RespServer over TLS: given a node:tls server it serves each client once its handshake is
// done (Redis's tls-port), and redis-cli --tls talks to it. The certificate is made by the
// test with Debian's openssl.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { connect, createServer } from "node:tls";
import { afterEach, expect, test } from "vitest";
import { resp } from "../src/constructors.js";
import { RespServer } from "../src/server/server.js";

let server: RespServer | undefined;

afterEach(async () => {
  await server?.close({ timeoutMs: 0 });
  server = undefined;
});

function selfSigned(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "resp-tls-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], { stdio: "ignore", timeout: 20_000 });
  return { cert, key };
}

test("serves RESP over TLS, counting a client only once its handshake is done", async () => {
  const files = selfSigned();
  const tlsServer = createServer({ cert: readFileSync(files.cert), key: readFileSync(files.key) });
  server = new RespServer({ server: tlsServer, handler: (command) => (command.name === "ping" ? resp.simple("PONG") : undefined) });
  const { port } = await server.listen();
  const socket = connect({ host: "127.0.0.1", port, ca: readFileSync(files.cert) });
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", resolve);
    socket.once("error", reject);
  });
  const reply = new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString())));
  socket.write("*1\r\n$4\r\nPING\r\n");
  expect(await reply).toBe("+PONG\r\n");
  expect(server.clients()).toHaveLength(1);
  socket.destroy();

  // Asynchronously: the server answers from this same event loop.
  const cli = await promisify(execFile)("redis-cli", ["--tls", "--cacert", files.cert, "-h", "127.0.0.1", "-p", String(port), "PING"], { encoding: "utf8", timeout: 10_000 });
  expect(cli.stdout.trim()).toBe("PONG");
});
