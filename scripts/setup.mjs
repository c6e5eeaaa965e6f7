#!/usr/bin/env node
// Brings a fresh clone to the point where the test suite, the benchmarks and the demo can
// run: workspace dependencies from the lockfile, and Debian's Redis packages when missing
// (the servers, redis-cli, and redis-py for the real-client tests); with --faults also
// Debian's iptables, which `pnpm faults` row 9 uses for packet loss where the kernel has no netem.
// Every step is skipped when already satisfied, so running it again costs about a second.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const wantRedis = !process.argv.includes("--no-redis");
const wantFaults = process.argv.includes("--faults");
const redisPackages = ["redis-server", "redis-sentinel", "redis-tools", "python3-redis"];
const redisBinaries = ["redis-server", "redis-sentinel", "redis-cli", "redis-benchmark"];

function has(binary) {
  return spawnSync("sh", ["-c", `command -v ${binary}`], { stdio: "ignore" }).status === 0;
}

function run(command, args) {
  console.log(`[setup] ${command} ${args.join(" ")}`);
  execFileSync(command, args, { stdio: "inherit" });
}

run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline", "--reporter=append-only"]);

const missing = [];
const packages = [];
if (wantRedis) {
  const missingRedis = redisBinaries.filter((binary) => !has(binary));
  const hasRedisPy = spawnSync("/usr/bin/python3", ["-c", "import redis"], { stdio: "ignore" }).status === 0;
  if (!hasRedisPy) missingRedis.push("redis-py (python3-redis)");
  if (missingRedis.length > 0) {
    missing.push(...missingRedis);
    packages.push(...redisPackages);
  }
}
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const canInstall = existsSync("/usr/bin/apt-get") && (isRoot || has("sudo"));
// `iptables` is in /usr/sbin, which a non-root PATH may lack: look there too. Only row 9 needs
// it (and root): without a way to install it, the other rows still run and row 9 says why not.
if (wantFaults && !has("iptables") && !existsSync("/usr/sbin/iptables")) {
  if (canInstall) packages.push("iptables");
  else console.warn("[setup] iptables missing (row 9's packet loss where the kernel has no netem): sudo apt-get install -y iptables");
}
if (missing.length > 0 && !canInstall) {
  console.error(
    `[setup] missing ${missing.join(", ")}. Install Debian's Redis 7 packages first:\n` +
      `  sudo apt-get update && sudo apt-get install -y ${redisPackages.join(" ")}`,
  );
  process.exit(1);
}
if (packages.length > 0) {
  const [command = "apt-get", ...prefix] = isRoot ? ["apt-get"] : ["sudo", "-n", "apt-get"];
  process.env.DEBIAN_FRONTEND = "noninteractive";
  run(command, [...prefix, "update"]);
  run(command, [...prefix, "install", "-y", "--no-install-recommends", ...packages]);
}
