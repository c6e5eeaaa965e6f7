import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killLeftovers, RUN_DIR_ENV, waitFor } from "../src/index.js";

// A test runner that starts redis and then is interrupted, exits, crashes or is killed: run
// the kit in a plain node child (transpiled from src, since node 20 cannot run .ts).
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "testkit-exit-hooks-"));
  const srcDir = new URL("../src/", import.meta.url);
  mkdirSync(join(work, "src"));
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith(".ts"))) {
    const source = readFileSync(new URL(file, srcDir), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(work, "src", file.replace(/\.ts$/, ".js")), outputText);
  }
  writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module" }));
  // The kit's own dependencies (ioredis), as the copy imports them.
  symlinkSync(fileURLToPath(new URL("../node_modules", import.meta.url)), join(work, "node_modules"), "dir");
  writeFileSync(
    join(work, "child.js"),
    `import { startRedis } from "./src/index.js";
const redis = await startRedis();
console.log(String(redis.pid));
const how = process.argv[2];
if (how === "exit") process.exit(3);
if (how === "throw") setTimeout(() => { throw new Error("crash"); }, 10);
setInterval(() => undefined, 1_000);
`,
  );
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function gone(pid: number): boolean {
  try {
    // A zombie waiting for a reaper counts as gone: it runs nothing and holds no port.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

async function runChild(how: string, runDir: string) {
  const child = spawn(process.execPath, [join(work, "child.js"), how], {
    env: { ...process.env, [RUN_DIR_ENV]: runDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, "line"), exited.then(() => [""])])) as [string];
  const redisPid = Number(line);
  expect(redisPid, `the child printed no pid; its stderr: ${stderr}`).toBeGreaterThan(0);
  return { child, redisPid, exited };
}

describe("nothing is left running", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("when the runner gets %s: redis is killed and the signal still ends the runner", async (signal) => {
    const runDir = mkdtempSync(join(tmpdir(), "testkit-run-"));
    try {
      const { child, redisPid, exited } = await runChild("wait", runDir);
      child.kill(signal);
      expect(await exited).toEqual([null, signal]);
      await waitFor(() => gone(redisPid), { timeoutMs: 2_000, what: `redis pid ${redisPid} to be gone` });
      expect(readdirSync(join(runDir, "pids"))).toEqual([]);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it.each(["exit", "throw"])("when the runner ends by %s: redis is killed", async (how) => {
    const runDir = mkdtempSync(join(tmpdir(), "testkit-run-"));
    try {
      const { redisPid, exited } = await runChild(how, runDir);
      const [code] = await exited;
      expect(code).not.toBe(0);
      await waitFor(() => gone(redisPid), { timeoutMs: 2_000, what: `redis pid ${redisPid} to be gone` });
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it("when the runner is SIGKILLed: the global teardown's killLeftovers finds and kills redis", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "testkit-run-"));
    try {
      const { child, redisPid, exited } = await runChild("wait", runDir);
      child.kill("SIGKILL");
      await exited;
      expect(gone(redisPid)).toBe(false);
      expect(killLeftovers(runDir)).toEqual([redisPid]);
      await waitFor(() => gone(redisPid), { timeoutMs: 2_000, what: `redis pid ${redisPid} to be gone` });
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
