// requirepass and `user` directives in sentinel.conf, enforced by the daemon through src/acl:
// NOAUTH before AUTH, AUTH as default or as a named user, NOPERM and the ACL LOG entry for a
// denied command, ACL WHOAMI (SPEC §1.1; Redis 7.0 processCommand order).
import { freePort, plainClient } from "@sentinel-kit/testkit";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDaemon, type Daemon } from "./harness/processes.js";

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon(
    `requirepass s3cret\nuser alice on >pw ~* &* +@all -sentinel|failover\nsentinel monitor mymaster 127.0.0.1 ${await freePort()} 2\n`,
  );
}, 30_000);

afterAll(async () => {
  await daemon.process.stop();
});

function connect(options: { username?: string; password?: string } = {}): Redis {
  return plainClient({ port: daemon.port, ...options });
}

it("refuses commands before AUTH and accepts requirepass as the default user's password", async () => {
  const anonymous = connect();
  await anonymous.connect();
  await expect(anonymous.call("PING")).rejects.toThrow(/^NOAUTH Authentication required\./);
  // processCommand: an unknown command is refused as such before the NOAUTH check.
  await expect(anonymous.call("GET", "k")).rejects.toThrow(/^ERR unknown command 'GET'/);
  expect(await anonymous.call("AUTH", "wrong").catch((e: Error) => e.message)).toMatch(/^WRONGPASS/);
  expect(await anonymous.call("AUTH", "s3cret")).toBe("OK");
  expect(await anonymous.call("ACL", "WHOAMI")).toBe("default");
  anonymous.disconnect();
});

it("a named user: its rules deny SENTINEL FAILOVER with NOPERM, logged in ACL LOG", async () => {
  const alice = connect({ username: "alice", password: "pw" });
  await alice.connect();
  expect(await alice.call("ACL", "WHOAMI")).toBe("alice");
  expect(await alice.call("PING")).toBe("PONG");
  await expect(alice.call("SENTINEL", "FAILOVER", "mymaster")).rejects.toThrow(
    "NOPERM this user has no permissions to run the 'sentinel|failover' command",
  );
  const log = (await alice.call("ACL", "LOG")) as unknown[][];
  expect(log[0]).toContain("alice");
  alice.disconnect();
});
