import { ProcessExitedError } from "./errors.js";
import { freePort } from "./free-port.js";

/** Attempts when a port picked by {@link freePort} was taken before the process bound it. */
const PORT_ATTEMPTS = 3;

/**
 * Runs `start` on `port`, or on a free port; when the port was not given and the process
 * died with "Address already in use" (another test took it in between), tries a new one.
 */
export async function withPort<T>(port: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(port ?? (await freePort()));
    } catch (error) {
      const raced =
        port === undefined &&
        attempt < PORT_ATTEMPTS &&
        error instanceof ProcessExitedError &&
        error.logTail.includes("Address already in use");
      if (!raced) throw error;
    }
  }
}
