import { resolve } from "node:path";
import {
  checkConfigWritable,
  nodeAtomicWriteFs,
  readByteString,
  removeStaleTempFiles,
  writeFileAtomic,
  type AtomicWriteFs,
} from "./atomic-write.js";
import { readFile } from "node:fs/promises";
import { ConfigNotWritableError } from "./errors.js";

/**
 * Where a sentinel.conf lives. {@link FileConfigStore} is a file on disk with atomic saves;
 * {@link MemoryConfigStore} keeps the text in memory, for tests and simulations.
 */
export interface ConfigStore {
  /** A name for the config, used in error messages (the file path for a file). */
  readonly name: string;
  /** Reads the whole config text (a byte string). */
  read(): Promise<string>;
  /** Replaces the whole config text; on failure the old text stays and the error is thrown. */
  write(content: string): Promise<void>;
  /** Throws {@link ConfigNotWritableError} when a later {@link ConfigStore.write} cannot work. */
  checkWritable(): Promise<void>;
  /** Reads an `include`d file. */
  readInclude(path: string, includedFrom: string): string;
}

/** A sentinel.conf on disk, saved with {@link writeFileAtomic}. */
export class FileConfigStore implements ConfigStore {
  /** The config file path. */
  readonly name: string;

  /**
   * @param path - The config file.
   * @param fs - The file system steps of a save; replaceable to test failures.
   */
  constructor(
    path: string,
    private readonly fs: AtomicWriteFs = nodeAtomicWriteFs,
  ) {
    this.name = path;
  }

  /** Reads the file as a byte string. */
  read(): Promise<string> {
    return readFile(this.name, "latin1");
  }

  /** Saves atomically: temp file, fsync, rename, fsync of the directory. */
  write(content: string): Promise<void> {
    return writeFileAtomic(this.name, content, this.fs);
  }

  /**
   * Redis's start-up check that the file is writable; then removes temp files that crashed
   * saves left next to it ({@link removeStaleTempFiles}).
   */
  async checkWritable(): Promise<void> {
    await checkConfigWritable(this.name);
    await removeStaleTempFiles(this.name);
  }

  /** Reads an included file; a relative path is taken from the working directory, as Redis does. */
  readInclude(path: string): string {
    return readByteString(resolve(path));
  }
}

/** A config held in memory; `failWrites` makes saves fail, to test error paths. */
export class MemoryConfigStore implements ConfigStore {
  /** Always "memory". */
  readonly name = "memory";
  /** The current text. */
  content: string;
  /** Included files by path. */
  readonly files: Map<string, string>;
  /** When set, {@link MemoryConfigStore.write} throws this and keeps the old text. */
  failWrites: Error | undefined;

  /** Starts with `content` and the given included files. */
  constructor(content = "", files: ReadonlyMap<string, string> = new Map()) {
    this.content = content;
    this.files = new Map(files);
  }

  /** Returns the current text. */
  read(): Promise<string> {
    return Promise.resolve(this.content);
  }

  /** Replaces the text, unless {@link MemoryConfigStore.failWrites} is set. */
  write(content: string): Promise<void> {
    if (this.failWrites !== undefined) return Promise.reject(this.failWrites);
    this.content = content;
    return Promise.resolve();
  }

  /** Fails like a read-only file when {@link MemoryConfigStore.failWrites} is set. */
  checkWritable(): Promise<void> {
    if (this.failWrites !== undefined) {
      return Promise.reject(new ConfigNotWritableError(this.name, "EACCES", "Permission denied"));
    }
    return Promise.resolve();
  }

  /** Returns an included file's text, or throws ENOENT. */
  readInclude(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw Object.assign(new Error(`no such file: ${path}`), { code: "ENOENT" });
    return text;
  }
}
