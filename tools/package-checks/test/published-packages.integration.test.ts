// Every publishable package is checked the way a user receives it: as the tarball `pnpm pack`
// makes, linted by publint and @arethetypeswrong/cli (as TanStack's query-core does in its
// test:build), with a README example, and announced by a changeset.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { publishedPackages, repoRoot } from "./workspace.js";

const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);
const packDir = mkdtempSync(join(tmpdir(), "sentinel-kit-pack-"));
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${failed.stdout ?? ""}${failed.stderr ?? failed.message}`);
  }
}

function changesetNames(): string[] {
  const dir = join(repoRoot, ".changeset");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .map((file) => readFileSync(join(dir, file), "utf8"));
}

const packages = publishedPackages();

test("the workspace has publishable packages to check", () => {
  expect(packages.map((pkg) => pkg.manifest.name)).toContain("@sentinel-kit/resp-protocol");
});

describe.each(packages.map((pkg) => [pkg.manifest.name, pkg] as const))("%s", (name, pkg) => {
  test("is built (run `pnpm build` first)", () => {
    expect(existsSync(join(pkg.dir, "dist", "index.js")), `${name} has no dist/index.js`).toBe(true);
  });

  let tarball = "";
  beforeAll(() => {
    const before = new Set(readdirSync(packDir));
    run("pnpm", ["pack", "--pack-destination", packDir], pkg.dir);
    const packed = readdirSync(packDir).find((file) => !before.has(file) && file.endsWith(".tgz"));
    if (packed === undefined) throw new Error(`pnpm pack wrote no tarball for ${name}`);
    tarball = join(packDir, packed);
  });

  test("packs dist, types and README, with workspace ranges replaced", () => {
    const listing = run("tar", ["-tzf", tarball], packDir).split("\n");
    for (const file of ["package/package.json", "package/README.md", "package/dist/index.js", "package/dist/index.d.ts"]) {
      expect(listing).toContain(file);
    }
    expect(listing.some((file) => file.includes("/test/")), "tests are not published").toBe(false);
    const packedManifest = run("tar", ["-xzOf", tarball, "package/package.json"], packDir);
    expect(packedManifest).not.toContain("workspace:");
    expect(JSON.parse(packedManifest).version).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("passes publint --strict", () => {
    const output = run(bin("publint"), ["--strict"], pkg.dir);
    expect(output).toContain("All good!");
  });

  test("passes @arethetypeswrong/cli (ESM only)", () => {
    run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], pkg.dir);
  });

  test("has a README with a TypeScript usage example", () => {
    const readme = readFileSync(join(pkg.dir, "README.md"), "utf8");
    expect(readme).toMatch(new RegExp(`^# ${name.replace("/", "\\/")}`, "m"));
    expect(readme).toMatch(/```ts\n[\s\S]+?\n```/);
  });

  test("is announced by a changeset", () => {
    const announced = changesetNames().some((text) => text.includes(`"${name}":`));
    expect(announced || existsSync(join(pkg.dir, "CHANGELOG.md")), `no .changeset/*.md names ${name}`).toBe(true);
  });
});

test("pnpm docs:api's typedoc site builds, with every package and no undocumented export", () => {
  const out = join(packDir, "api");
  run(bin("typedoc"), ["--out", out], repoRoot);
  const modules = readFileSync(join(out, "modules.html"), "utf8");
  for (const pkg of packages) expect(modules).toContain(`>${pkg.manifest.name}<`);
});
