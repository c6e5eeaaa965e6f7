// Atomic save (SPEC §2.2: temp file, fsync, rename, fsync of the directory; config.c
// rewriteConfigOverwriteFile) and the start-up writability check (sentinel.c sentinelIsRunning).
import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkConfigWritable,
  ConfigNotWritableError,
  FileConfigStore,
  InvalidStateError,
  MemoryConfigStore,
  nodeAtomicWriteFs,
  removeStaleTempFiles,
  SentinelConfigFile,
  writeFileAtomic,
  type AtomicWriteFs,
} from "../src/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "config-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function failing(step: keyof AtomicWriteFs): AtomicWriteFs {
  return {
    ...nodeAtomicWriteFs,
    [step]: async (...args: unknown[]) => {
      if (step === "writeNew") {
        // Leave a partial temp file behind, as a failed write(2) or fsync(2) would.
        await writeFile(args[0] as string, "partial");
      }
      throw Object.assign(new Error(`${step} failed`), { code: "EIO" });
    },
  };
}

describe("writeFileAtomic", () => {
  it("replaces the file, keeps its permission bits and leaves no temp file", async () => {
    const path = join(dir, "sentinel.conf");
    await writeFile(path, "old\n");
    await chmod(path, 0o600);
    await writeFileAtomic(path, "new \xe9\n");
    expect(await readFile(path, "latin1")).toBe("new \xe9\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["sentinel.conf"]);
  });

  it.each(["writeNew", "rename"] as const)("leaves the old file untouched and throws when %s fails", async (step) => {
    const path = join(dir, "sentinel.conf");
    await writeFile(path, "old\n");
    await expect(writeFileAtomic(path, "new\n", failing(step))).rejects.toThrow(`${step} failed`);
    expect(await readFile(path, "utf8")).toBe("old\n");
    expect(await readdir(dir)).toEqual(["sentinel.conf"]);
  });

  it("reports a failed directory fsync after the rename", async () => {
    const path = join(dir, "sentinel.conf");
    await expect(writeFileAtomic(path, "new\n", failing("syncDir"))).rejects.toThrow("syncDir failed");
  });
});

describe("removeStaleTempFiles", () => {
  it("removes the temp files of dead processes only", async () => {
    const path = join(dir, "sentinel.conf");
    const names = [".sentinel.conf.tmp-111-1", ".sentinel.conf.tmp-222-7", `.sentinel.conf.tmp-${process.pid}-3`, ".other.conf.tmp-111-1", "sentinel.conf"];
    for (const name of names) await writeFile(join(dir, name), "");
    const removed = await removeStaleTempFiles(path, (pid) => pid === 222);
    expect(removed).toEqual([join(dir, ".sentinel.conf.tmp-111-1")]);
    expect((await readdir(dir)).sort()).toEqual(names.filter((n) => n !== ".sentinel.conf.tmp-111-1").sort());
  });
});

describe("checkConfigWritable", () => {
  it("refuses a file that cannot be written, with Redis's message", async () => {
    const path = join(dir, "missing", "sentinel.conf");
    const error = await checkConfigWritable(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigNotWritableError);
    expect(error).toMatchObject({
      name: "ConfigNotWritableError",
      file: path,
      code: "ENOENT",
      message: `Sentinel config file ${path} is not writable: No such file or directory. Exiting...`,
    });
  });

  it("accepts a writable file", async () => {
    const path = join(dir, "sentinel.conf");
    await writeFile(path, "");
    await expect(checkConfigWritable(path)).resolves.toBeUndefined();
  });
});

describe("SentinelConfigFile", () => {
  it("loads, saves by the rewrite rules, and keeps the last saved state when a save fails", async () => {
    const store = new MemoryConfigStore("# mine\nsentinel monitor m 127.0.0.1 6379 2\n");
    const file = await SentinelConfigFile.open(store);
    const next = { ...file.config, currentEpoch: 3 };
    await file.save(next);
    expect(store.content).toMatch(/^# mine\nsentinel monitor m 127\.0\.0\.1 6379 2\n/);
    expect(store.content).toContain("sentinel current-epoch 3");
    expect(file.config).toEqual(next);

    store.failWrites = Object.assign(new Error("disk full"), { code: "ENOSPC" });
    const before = store.content;
    await expect(file.save({ ...next, currentEpoch: 4 })).rejects.toThrow("disk full");
    expect(store.content).toBe(before);
    expect(file.config.currentEpoch).toBe(3);
  });

  it("does not write a state Redis would refuse at the next start", async () => {
    const store = new MemoryConfigStore("sentinel monitor m 127.0.0.1 6379 2\n");
    const file = await SentinelConfigFile.open(store);
    const bad = { ...file.config, masters: file.config.masters.map((m) => ({ ...m, quorum: 0 })) };
    await expect(file.save(bad)).rejects.toBeInstanceOf(InvalidStateError);
    expect(store.content).toBe("sentinel monitor m 127.0.0.1 6379 2\n");
    expect(file.config.masters[0]?.quorum).toBe(2);
  });

  it("refuses to open a config it could not save", async () => {
    const store = new MemoryConfigStore("");
    store.failWrites = new Error("read-only");
    await expect(SentinelConfigFile.open(store)).rejects.toBeInstanceOf(ConfigNotWritableError);
  });

  it("works on a real file with includes read from disk", async () => {
    const path = join(dir, "sentinel.conf");
    const secrets = join(dir, "secrets.conf");
    await writeFile(secrets, "sentinel auth-pass m s3cret\n");
    await writeFile(path, `include ${secrets}\nsentinel monitor m 127.0.0.1 6379 2\n`);
    const file = await SentinelConfigFile.open(new FileConfigStore(path), { omitSecrets: true });
    expect(file.config.masters[0]?.authPass).toBe("s3cret");
    await file.save({ ...file.config, currentEpoch: 9 });
    const text = await readFile(path, "utf8");
    expect(text).toContain("sentinel current-epoch 9");
    expect(text).not.toContain("s3cret");
    expect((await SentinelConfigFile.open(new FileConfigStore(path))).config).toEqual(file.config);
  });
});
