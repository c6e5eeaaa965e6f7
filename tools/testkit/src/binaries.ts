import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { MissingBinaryError } from "./errors.js";

/**
 * The absolute path of `name` on the current `PATH` (read at each call, so a test can
 * change it), or `name` itself when it already contains a slash and is executable.
 * Throws {@link MissingBinaryError}, whose message says what to install.
 */
export function resolveBinary(name: string): string {
  const searchPath = process.env["PATH"] ?? "";
  const candidates = name.includes("/")
    ? [name]
    : searchPath
        .split(delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  throw new MissingBinaryError(name, searchPath);
}
