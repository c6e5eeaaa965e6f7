import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: binds port 0, reads the port the
 * kernel chose, closes. Another process can take it before the caller binds it, which is
 * why the starters retry on "Address already in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`unexpected server address ${String(address)}`));
        return;
      }
      const port = address.port;
      server.close(() => resolve(port));
    });
  });
}
