import { runSentinel } from "./cli.js";

// The executable: `sentinel-kit <sentinel.conf> [--<directive> <value> ...]`.
process.exitCode = await runSentinel(process.argv.slice(2));
process.exit();
