import { constants, readFileSync } from "node:fs";
import { access, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigNotWritableError, strerror } from "./errors.js";

/**
 * The file system steps of an atomic save, behind a narrow interface so that tests can make
 * any step fail. {@link nodeAtomicWriteFs} is the real one.
 */
export interface AtomicWriteFs {
  /** The permission bits of `path`, or `undefined` if it does not exist. */
  mode(path: string): Promise<number | undefined>;
  /** Creates `path` (which must not exist) with `mode`, writes `data`, fsyncs and closes it. */
  writeNew(path: string, data: Uint8Array, mode: number): Promise<void>;
  /** `rename(2)`: atomically replaces `to` with `from`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes `path`. */
  unlink(path: string): Promise<void>;
  /** Opens the directory and fsyncs it, so that a rename in it is durable. */
  syncDir(dir: string): Promise<void>;
}

/** The real file system. */
export const nodeAtomicWriteFs: AtomicWriteFs = {
  async mode(path) {
    try {
      return (await stat(path)).mode & 0o7777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  },
  async writeNew(path, data, mode) {
    const handle = await open(path, "wx", mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
  unlink,
  async syncDir(dir) {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

let tempCounter = 0;

/** The temp file name of a save of `path` by process `pid`: `.<name>.tmp-<pid>-<n>`. */
function tempName(path: string, pid: number, n: number): string {
  return join(dirname(path), `.${basename(path)}.tmp-${pid}-${n}`);
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temp files that saves of `path` by processes that no longer exist left behind
 * (a crash between creating the temp file and the rename), and returns their paths. Redis
 * leaves its `mkstemp` files in that case; they pile up next to the config.
 */
export async function removeStaleTempFiles(
  path: string,
  exists: (pid: number) => boolean = processExists,
): Promise<string[]> {
  const prefix = `.${basename(path)}.tmp-`;
  const pattern = /^(\d+)-\d+$/;
  const removed: string[] = [];
  for (const entry of await readdir(dirname(path))) {
    const m = entry.startsWith(prefix) ? pattern.exec(entry.slice(prefix.length)) : null;
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || exists(pid)) continue;
    const stale = join(dirname(path), entry);
    await unlink(stale).catch(() => undefined);
    removed.push(stale);
  }
  return removed;
}

/**
 * Replaces the file at `path` with `content` so that a crash at any point leaves either the
 * old file or the new one, never a mix (Redis's `rewriteConfigOverwriteFile`): a temp file
 * in the same directory is written and fsynced, renamed over `path`, and the directory is
 * fsynced. If a step before the rename fails, the temp file is removed, the old file is
 * untouched and the error is thrown. The new file keeps the old file's permission bits.
 *
 * `content` is a byte string (one char per byte, see `splitArgs`) and is written as latin1.
 */
export async function writeFileAtomic(path: string, content: string, fs: AtomicWriteFs = nodeAtomicWriteFs): Promise<void> {
  const dir = dirname(path);
  tempCounter += 1;
  const temp = tempName(path, process.pid, tempCounter);
  const mode = (await fs.mode(path)) ?? 0o644;
  try {
    await fs.writeNew(temp, Buffer.from(content, "latin1"), mode);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await fs.syncDir(dir);
}

/**
 * Refuses a config file that cannot be written (Redis's `access(configfile, W_OK)` check in
 * `sentinelIsRunning`): throws {@link ConfigNotWritableError} with Redis's message.
 */
export async function checkConfigWritable(path: string): Promise<void> {
  try {
    await access(path, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "UNKNOWN";
    throw new ConfigNotWritableError(path, code, strerror(error));
  }
}

/** Reads a file as a byte string (latin1), as the loader expects. */
export function readByteString(path: string): string {
  return readFileSync(path, "latin1");
}
