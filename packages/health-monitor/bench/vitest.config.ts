import { packageProject } from "../../../vitest.shared.js";

// Measurements, not tests: run on demand with `pnpm exec vitest run --config bench/vitest.config.ts`.
export default packageProject("health-monitor-bench", {
  include: ["bench/**/*.bench-run.ts"],
  testTimeout: 120_000,
  pool: "forks",
  poolOptions: { forks: { singleFork: true } },
});
