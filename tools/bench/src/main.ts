// `pnpm bench`: every suite prints its own table of figures and ratios against a baseline
// measured in the same process, so a number is never compared with one from another run.
import { clientSuite } from "./client-failover.js";
import { configSuite } from "./config.js";
import { failoverSuite } from "./failover.js";
import { respSuite } from "./resp.js";
import { scaleSuite } from "./scale.js";
import type { BenchSuite } from "./suite.js";

const suites: BenchSuite[] = [
  // Each suite module registers itself here, in the order the tables are printed.
  respSuite,
  configSuite,
  scaleSuite,
  clientSuite,
  failoverSuite,
];

const only = process.argv.slice(2);
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  console.log(`\n## ${suite.title}\n`);
  await suite.run();
}
