import { packageProject } from "../../vitest.shared.js";

// Packing and linting every package takes a few seconds each on two cores.
export default packageProject("package-checks", { testTimeout: 120_000 });
