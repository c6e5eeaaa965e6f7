import { constants, readFileSync } from "node:fs";
import { access, open, rename, stat, unlink } from "node:fs/promises";
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
  const temp = join(dir, `.${basename(path)}.tmp-${process.pid}-${tempCounter}`);
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
