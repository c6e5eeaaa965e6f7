import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, two levels above this package. */
export const repoRoot = resolve(fileURLToPath(import.meta.url), "../../../..");

/** What the checks need to know of a workspace package's manifest. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly files?: string[];
  readonly exports?: Record<string, unknown>;
  readonly dependencies?: Record<string, string>;
  readonly bin?: Record<string, string>;
}

/** A workspace package that is published to npm. */
export interface PublishedPackage {
  readonly dir: string;
  readonly manifest: PackageManifest;
}

/** Every non-private package under packages/ and apps/. */
export function publishedPackages(): PublishedPackage[] {
  const found: PublishedPackage[] = [];
  for (const group of ["packages", "apps"]) {
    const groupDir = join(repoRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      const manifestPath = join(groupDir, entry.name, "package.json");
      if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as PackageManifest;
      if (manifest.private !== true) found.push({ dir: join(groupDir, entry.name), manifest });
    }
  }
  return found.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}
