import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killLeftovers, RUN_DIR_ENV } from "./registry.js";

/**
 * vitest global setup: creates the per-run directory and publishes it to the workers
 * through the environment, before any worker starts. Every vitest project runs it; the
 * first one creates the directory and the others reuse it.
 */
export function setup(): void {
  if (process.env[RUN_DIR_ENV] !== undefined) return;
  process.env[RUN_DIR_ENV] = mkdtempSync(join(tmpdir(), "sentinel-kit-run-"));
  createdHere = true;
}

let createdHere = false;

/**
 * vitest global teardown: kills what crashed or interrupted workers left running (each
 * started process has a pid file in the run directory) and removes the directory.
 */
export function teardown(): void {
  const dir = process.env[RUN_DIR_ENV];
  if (dir === undefined || !createdHere) return;
  const killed = killLeftovers(dir);
  if (killed.length > 0) {
    console.warn(`[testkit] killed ${killed.length} leftover process(es): ${killed.join(", ")}`);
  }
  rmSync(dir, { recursive: true, force: true });
  delete process.env[RUN_DIR_ENV];
  createdHere = false;
}
