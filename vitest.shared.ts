import { fileURLToPath } from "node:url";
import { defineProject, type UserWorkspaceConfig } from "vitest/config";

// Tests import workspace packages from source through this export condition, so a test run
// needs no build; Vite's defaults are listed too because setting conditions replaces them.
const conditions = ["@sentinel-kit/source", "node", "import", "module", "default"];

/** The vitest project settings every package and app shares. */
export function packageProject(name: string, overrides: UserWorkspaceConfig["test"] = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      // Kills processes that crashed or interrupted test workers left running.
      globalSetup: [fileURLToPath(new URL("./tools/testkit/src/global-setup.ts", import.meta.url))],
      ...overrides,
    },
  });
}
