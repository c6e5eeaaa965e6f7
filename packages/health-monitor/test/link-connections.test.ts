import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LinkConnections, type LinkConnection } from "../src/link-connections.js";
import { LinkConnectError } from "../src/index.js";

// The connection rules RespLink and IoredisLink share (SPEC §4.2: a link never reconnects
// on its own; a connection counts as open only once its handshake is done).
interface Fake extends LinkConnection {
  readonly id: number;
  disposed: number;
}

function setup(timeoutMs: number | undefined) {
  let next = 0;
  const connections = new LinkConnections<Fake>("127.0.0.1:6379", timeoutMs, (connection) => {
    connection.disposed += 1;
  });
  const create = () => ({ id: next++, ready: Promise.resolve(), open: false, disposed: 0 });
  const made: Fake[] = [];
  // A handshake that completes when the test says so.
  const open = (kind: "cmd" | "pubsub") => {
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const ready = connections.open(
      kind,
      () => {
        const connection = create();
        made.push(connection);
        return connection;
      },
      (_connection, timed) =>
        timed(
          new Promise<void>((resolve, reject) => {
            finish = resolve;
            fail = reject;
          }),
        ),
    );
    return { ready, finish, fail, connection: made[made.length - 1] as Fake };
  };
  return { connections, open };
}

describe("LinkConnections", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("makes a connection current at once and open when its handshake is done", async () => {
    const { connections, open } = setup(100);
    const attempt = open("cmd");
    expect(connections.current("cmd")).toBe(attempt.connection);
    expect(connections.current("pubsub")).toBeUndefined();
    expect(attempt.connection.ready).toBe(attempt.ready);
    expect(attempt.connection.open).toBe(false);
    attempt.finish();
    await attempt.ready;
    expect(attempt.connection.open).toBe(true);
    expect(attempt.connection.disposed).toBe(0);
  });

  it("fails a handshake that outlasts the connect timeout, disposing of the connection", async () => {
    const { connections, open } = setup(100);
    const attempt = open("pubsub");
    const outcome = attempt.ready.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(99);
    expect(attempt.connection.disposed).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(LinkConnectError);
    expect((error as LinkConnectError).message).toBe(
      "cannot open the pubsub connection to 127.0.0.1:6379: timed out after 100 ms",
    );
    expect(attempt.connection.disposed).toBeGreaterThan(0);
    expect(connections.current("pubsub")).toBeUndefined();
  });

  it("uses the default connect timeout of 1000 ms when none is given", async () => {
    const { open } = setup(undefined);
    const attempt = open("cmd");
    const outcome = attempt.ready.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(999);
    expect(attempt.connection.disposed).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBeInstanceOf(LinkConnectError);
  });

  it("wraps a failed handshake in LinkConnectError and forgets the connection", async () => {
    const { connections, open } = setup(100);
    const attempt = open("cmd");
    attempt.fail(new Error("WRONGPASS"));
    const error = await attempt.ready.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkConnectError);
    expect((error as LinkConnectError).cause).toEqual(new Error("WRONGPASS"));
    expect(connections.current("cmd")).toBeUndefined();
    expect(attempt.connection.disposed).toBe(1);
  });

  it("fails an attempt replaced by another connect, or closed, even if its handshake then succeeds", async () => {
    const { connections, open } = setup(100);
    const first = open("cmd");
    const second = open("cmd");
    expect(first.connection.disposed).toBe(1);
    expect(connections.current("cmd")).toBe(second.connection);
    first.finish();
    const error = await first.ready.catch((e: unknown) => e);
    expect((error as LinkConnectError).message).toMatch(/closed while connecting$/);
    expect(first.connection.open).toBe(false);
    // The failure of the replaced attempt leaves the current one alone.
    expect(connections.current("cmd")).toBe(second.connection);
    connections.close("cmd");
    second.finish();
    await expect(second.ready).rejects.toBeInstanceOf(LinkConnectError);
    expect(connections.current("cmd")).toBeUndefined();
  });

  it("reports a loss only for the open, current connection, and forgets it", async () => {
    const { connections, open } = setup(100);
    const connecting = open("cmd");
    expect(connections.lost("cmd", connecting.connection)).toBe(false);
    expect(connections.current("cmd")).toBe(connecting.connection);
    connecting.finish();
    await connecting.ready;
    expect(connections.lost("pubsub", connecting.connection)).toBe(false);
    expect(connections.lost("cmd", connecting.connection)).toBe(true);
    expect(connections.current("cmd")).toBeUndefined();
    expect(connections.lost("cmd", connecting.connection)).toBe(false);
  });

  it("closes by forgetting and disposing; a closed connection reports no loss", async () => {
    const { connections, open } = setup(100);
    const attempt = open("pubsub");
    attempt.finish();
    await attempt.ready;
    connections.close("pubsub");
    connections.close("pubsub");
    expect(attempt.connection.disposed).toBe(1);
    expect(connections.lost("pubsub", attempt.connection)).toBe(false);
  });
});
