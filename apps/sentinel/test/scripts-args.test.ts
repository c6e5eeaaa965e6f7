// Script arguments (SPEC §3: notification script `<type> <message>` for WARNING events with an
// instance; client-reconfig script `<master> <leader|observer> start <from-ip> <from-port>
// <to-ip> <to-port>`, sentinelCallClientReconfScript) and the executable check of SENTINEL SET
// and sentinel.conf (SPEC §1.2, §2: access X_OK, deny-scripts-reconfig).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DENY_SCRIPTS_RECONFIG_ERROR,
  ScriptNotExecutableError,
  assertScriptExecutable,
  checkScriptSet,
  clientReconfigScriptCall,
  isExecutable,
  isExecutableSync,
  notificationScriptCall,
  scriptNotExecutableConfigError,
  scriptNotExecutableReply,
} from "../src/scripts/index.js";

describe("notificationScriptCall", () => {
  const event = { name: "+sdown", payload: "master mymaster 127.0.0.1 6379" };

  it("a warning event with a script runs it with <type> <message>", () => {
    expect(notificationScriptCall("/bin/notify", { ...event, level: "warning" })).toEqual({
      path: "/bin/notify",
      args: ["+sdown", "master mymaster 127.0.0.1 6379"],
    });
  });

  it.each([
    { script: "/bin/notify", level: "notice" },
    { script: "/bin/notify", level: "verbose" },
    { script: "/bin/notify", level: "debug" },
    { script: null, level: "warning" },
    { script: undefined, level: "warning" },
    { script: "", level: "warning" },
  ])("no run for script $script at level $level", ({ script, level }) => {
    expect(notificationScriptCall(script, { ...event, level })).toBeNull();
  });
});

describe("clientReconfigScriptCall", () => {
  it.each(["leader", "observer"] as const)("%s: <master> <role> start <from-ip> <from-port> <to-ip> <to-port>", (role) => {
    const call = clientReconfigScriptCall("/bin/reconf", {
      masterName: "mymaster",
      role,
      from: { ip: "127.0.0.1", port: 6379 },
      to: { ip: "10.0.0.2", port: 6380 },
    });
    expect(call).toEqual({
      path: "/bin/reconf",
      args: ["mymaster", role, "start", "127.0.0.1", "6379", "10.0.0.2", "6380"],
    });
  });

  it.each([null, undefined, ""])("no run without a script (%s)", (script) => {
    const reconfig = { masterName: "m", role: "leader" as const, from: { ip: "a", port: 1 }, to: { ip: "b", port: 2 } };
    expect(clientReconfigScriptCall(script, reconfig)).toBeNull();
  });
});

describe("executable check", () => {
  let dir = "";
  let exe = "";
  let plain = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sentinel-scripts-check-"));
    exe = join(dir, "exe.sh");
    plain = join(dir, "plain.sh");
    writeFileSync(exe, "#!/bin/sh\n");
    writeFileSync(plain, "#!/bin/sh\n");
    chmodSync(exe, 0o755);
    chmodSync(plain, 0o644);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("isExecutable follows access(X_OK)", async () => {
    expect(await isExecutable(exe)).toBe(true);
    expect(await isExecutable(plain)).toBe(false);
    expect(await isExecutable(join(dir, "missing"))).toBe(false);
    expect([isExecutableSync(exe), isExecutableSync(plain)]).toEqual([true, false]);
  });

  it("SENTINEL SET: deny-scripts-reconfig refuses any change, even clearing", async () => {
    expect(await checkScriptSet("notification-script", exe, true)).toBe(DENY_SCRIPTS_RECONFIG_ERROR);
    expect(await checkScriptSet("client-reconfig-script", "", true)).toBe(DENY_SCRIPTS_RECONFIG_ERROR);
  });

  it("SENTINEL SET: an executable or \"\" is accepted; anything else gets Redis's reply", async () => {
    expect(await checkScriptSet("notification-script", exe, false)).toBeNull();
    expect(await checkScriptSet("notification-script", "", false)).toBeNull();
    expect(await checkScriptSet("notification-script", plain, false)).toBe(
      "ERR Notification script seems non existing or non executable",
    );
    expect(await checkScriptSet("client-reconfig-script", join(dir, "missing"), false)).toBe(
      "ERR Client reconfiguration script seems non existing or non executable",
    );
  });

  it("sentinel.conf: a non-executable script throws ScriptNotExecutableError with the fatal message", () => {
    expect(() => assertScriptExecutable("notification-script", exe)).not.toThrow();
    let caught: unknown;
    try {
      assertScriptExecutable("client-reconfig-script", plain);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScriptNotExecutableError);
    expect(caught).toMatchObject({
      name: "ScriptNotExecutableError",
      option: "client-reconfig-script",
      path: plain,
      message: "Client reconfiguration script seems non existing or non executable.",
    });
  });

  it("reply and config texts differ only by the ERR prefix and the final period", () => {
    for (const option of ["notification-script", "client-reconfig-script"] as const) {
      expect(`ERR ${scriptNotExecutableConfigError(option)}`).toBe(`${scriptNotExecutableReply(option)}.`);
    }
  });
});
