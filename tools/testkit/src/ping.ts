import { connect } from "node:net";

const PING = Buffer.from("*1\r\n$4\r\nPING\r\n");

/**
 * Sends one RESP PING to `host:port` on a fresh connection and resolves `true` when the
 * first reply line is `+PONG`, or `-NOAUTH` (a server with `requirepass` is serving, it only
 * wants a password first); `false` on any other reply (`-LOADING`), a connection error, or
 * no answer within `timeoutMs`.
 */
export function pingOnce(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = "";
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once("connect", () => socket.write(PING));
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      const end = received.indexOf("\r\n");
      if (end >= 0) {
        const line = received.slice(0, end);
        finish(line === "+PONG" || line.startsWith("-NOAUTH "));
      }
      else if (received.length > 1024) finish(false);
    });
    socket.once("error", () => finish(false));
    socket.once("close", () => finish(false));
  });
}
