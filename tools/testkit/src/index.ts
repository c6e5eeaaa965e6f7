export { resolveBinary } from "./binaries.js";
export {
  MissingBinaryError,
  ProcessExitedError,
  REDIS_INSTALL_HINT,
  RedisCliError,
  WaitTimeoutError,
} from "./errors.js";
export { type FaultDirection, type FaultMode } from "./fault-mode.js";
export { FaultProxy, type FaultProxyOptions } from "./fault-proxy.js";
export { freePort } from "./free-port.js";
export {
  ManagedProcess,
  startProcess,
  type ProcessInfo,
  type StartProcessOptions,
} from "./managed-process.js";
export { pingOnce } from "./ping.js";
export { ask, ASK_TIMEOUT_MS, plainClient, type PlainTarget } from "./plain-client.js";
export { redisCli, redisCliAt } from "./redis-cli.js";
export { RedisServer, startRedis, type StartRedisOptions } from "./redis-server.js";
export {
  RedisSentinel,
  startRedisSentinel,
  type StartRedisSentinelOptions,
} from "./redis-sentinel.js";
export { killLeftovers, RUN_DIR_ENV } from "./registry.js";
export { fields, masterPort } from "./sentinel-queries.js";
export { waitFor, type WaitForOptions } from "./wait-for.js";
