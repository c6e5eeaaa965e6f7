import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, waitFor, WaitTimeoutError } from "../src/index.js";

describe("freePort", () => {
  it("returns a port that can be bound on 127.0.0.1", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("waitFor", () => {
  it("resolves with the first truthy result", async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), {
      timeoutMs: 1_000,
      intervalMs: 1,
      what: "three calls",
    });
    expect(value).toBe("after 3");
  });

  it("times out with a WaitTimeoutError naming what was awaited and the detail", async () => {
    const started = performance.now();
    const error = await waitFor(() => false, {
      timeoutMs: 100,
      intervalMs: 10,
      what: "the moon",
      detail: () => "log tail here",
    }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).what).toBe("the moon");
    expect((error as Error).message).toBe("Timed out after 100 ms waiting for the moon\nlog tail here");
  });

  it("passes on an error thrown by the check without waiting further", async () => {
    const started = performance.now();
    const boom = new Error("boom");
    await expect(
      waitFor(
        () => {
          throw boom;
        },
        { timeoutMs: 5_000, what: "never" },
      ),
    ).rejects.toBe(boom);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
