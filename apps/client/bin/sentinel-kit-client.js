#!/usr/bin/env node
// Runs the built CLI; from a clone, `pnpm build` first.
import "../dist/main.js";
