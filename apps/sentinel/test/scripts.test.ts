// ScriptRunner follows Redis's script rules (SPEC §3): retries on exit 1 or a signal with a
// doubling delay, -script-error when a failure is final, -script-timeout past the run time.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@sentinel-kit/testkit";
import { describe, expect, it } from "vitest";
import { ScriptRunner } from "../src/runtime/scripts.js";

function script(body: string): { path: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "sentinel-kit-script-"));
  const path = join(dir, "script.sh");
  const out = join(dir, "out");
  writeFileSync(path, `#!/bin/sh\necho "$@" >> ${out}\n${body}\n`);
  chmodSync(path, 0o755);
  return { path, out };
}

// Written before any test spawns a child: a file still open for writing when a concurrent
// fork happens cannot be executed (ETXTBSY).
const OK = script("exit 0");
const FAILS = script("exit 1");
const BAD = script("exit 3");
const SLOW = script("exec sleep 30");

function runner(events: string[]): ScriptRunner {
  return new ScriptRunner((name, level, payload) => {
    if (level !== "debug") events.push(`${name} ${payload}`);
  }, { retryDelayMs: 10, maxRuntimeMs: 300, maxRetry: 3 });
}

describe("ScriptRunner", () => {
  it("runs a script with its arguments and forgets it when it exits 0", async () => {
    const events: string[] = [];
    const r = runner(events);
    const { path, out } = OK;
    r.schedule(path, ["+sdown", "master mymaster 127.0.0.1 6379"]);
    await waitFor(() => r.jobs().length === 0, { timeoutMs: 5000, what: "the job to finish" });
    expect(readFileSync(out, "utf8")).toBe("+sdown master mymaster 127.0.0.1 6379\n");
    expect(events).toEqual([]);
    r.close();
  });

  it("retries a script that exits 1, then reports -script-error", async () => {
    const events: string[] = [];
    const r = runner(events);
    const { path, out } = FAILS;
    r.schedule(path, ["x"]);
    await waitFor(() => events.length > 0, { timeoutMs: 5000, what: "-script-error" });
    expect(readFileSync(out, "utf8").split("\n").filter(Boolean)).toHaveLength(3);
    expect(events).toEqual([`-script-error ${path} 0 1`]);
    r.close();
  });

  it("does not retry an exit code of 2 or more", async () => {
    const events: string[] = [];
    const r = runner(events);
    const { path, out } = BAD;
    r.schedule(path, ["y"]);
    await waitFor(() => events.length > 0, { timeoutMs: 5000, what: "-script-error" });
    expect(events).toEqual([`-script-error ${path} 0 3`]);
    expect(readFileSync(out, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
    r.close();
  });

  it("kills a script running too long with -script-timeout", async () => {
    const events: string[] = [];
    const r = runner(events);
    const { path } = SLOW;
    r.schedule(path, []);
    await waitFor(() => events.some((e) => e.startsWith("-script-timeout")), { timeoutMs: 5000, what: "-script-timeout" });
    expect(events[0]).toMatch(new RegExp(`^-script-timeout ${path} [1-9][0-9]*$`));
    // Killed by a signal: retried, as Redis does.
    await waitFor(() => r.jobs()[0]?.retryNum === 2, { timeoutMs: 5000, what: "the retry" });
    r.close();
  });

  it("reports a missing script as Redis's failed execve (exit code 2)", async () => {
    const events: string[] = [];
    const r = runner(events);
    r.schedule("/nonexistent/script.sh", []);
    await waitFor(() => events.length > 0, { timeoutMs: 5000, what: "-script-error" });
    expect(events).toEqual(["-script-error /nonexistent/script.sh 0 2"]);
    r.close();
  });
});
