import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The environment variable naming the per-run directory. The vitest global setup creates
 * the directory and sets it before any worker starts, so every worker inherits it; process
 * data dirs and pid files go there, and the global teardown cleans it up.
 */
export const RUN_DIR_ENV = "SENTINEL_KIT_TESTKIT_RUN_DIR";

/** What a pid file records: enough to recognise the process before killing it. */
interface PidRecord {
  pid: number;
  /** A string the process's /proc cmdline must contain, so a reused pid is never killed. */
  match: string;
}

/** Live children by pid, with the path of their pid file. */
const live = new Map<number, string>();
let ownRunDir: string | undefined;
let hooksInstalled = false;

/** The per-run directory: the one the global setup made, or one of this process's own. */
export function runDir(): string {
  const shared = process.env[RUN_DIR_ENV];
  if (shared !== undefined && shared !== "") {
    mkdirSync(shared, { recursive: true });
    return shared;
  }
  ownRunDir ??= mkdtempSync(join(tmpdir(), "sentinel-kit-testkit-"));
  installHooks();
  return ownRunDir;
}

function pidDir(root: string): string {
  return join(root, "pids");
}

/** Records a started child so it is killed when this process exits or is interrupted. */
export function track(pid: number, match: string): void {
  installHooks();
  const record: PidRecord = { pid, match };
  const dir = pidDir(runDir());
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${pid}.json`);
  writeFileSync(file, JSON.stringify(record));
  live.set(pid, file);
}

/** Forgets a child that has exited. */
export function untrack(pid: number): void {
  const file = live.get(pid);
  live.delete(pid);
  if (file !== undefined) rmSync(file, { force: true });
}

function killTracked(): void {
  for (const pid of live.keys()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
    untrack(pid);
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once("exit", () => {
    killTracked();
    if (ownRunDir !== undefined) rmSync(ownRunDir, { recursive: true, force: true });
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killTracked();
      // Our listener replaced the default action; restore it unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
}

/**
 * Kills (SIGKILL) every process with a pid file under `root` whose command line still
 * matches the recorded one: what a crashed or killed test worker left running. Returns the
 * pids it killed.
 */
export function killLeftovers(root: string): number[] {
  const dir = pidDir(root);
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".json"));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const file of files) {
    const path = join(dir, file);
    try {
      const record = JSON.parse(readFileSync(path, "utf8")) as PidRecord;
      const cmdline = cmdlineOf(record.pid);
      if (cmdline !== undefined && cmdline.includes(record.match)) {
        process.kill(record.pid, "SIGKILL");
        killed.push(record.pid);
      }
    } catch {
      // unreadable record or the process vanished meanwhile: nothing to kill
    }
    rmSync(path, { force: true });
  }
  return killed;
}
