export { splitArgs, reprArg, formatArg, formatLine } from "./split-args.js";
export { parseDocument, renderDocument } from "./document.js";
export type { ConfigDocument, ConfigLine } from "./document.js";
export { ConfigError, ConfigNotWritableError, InvalidStateError, RewriteConflictError, strerror } from "./errors.js";
export type { ConfigErrorDetails } from "./errors.js";
export { DEFAULT_SERVER_CONFIG, MASTER_DEFAULTS, emptySentinelConfig, newMasterConfig } from "./model.js";
export type {
  KnownReplica,
  KnownSentinel,
  LogLevel,
  MasterConfig,
  RenamedCommand,
  SentinelConfig,
  ServerConfig,
  TlsAuthClients,
} from "./model.js";
export { SERVER_OPTIONS, isKnownDirective } from "./server-options.js";
export type { ServerOption, ServerOptionKind } from "./server-options.js";
export { loadConfig } from "./load.js";
export type { LoadOptions, LoadedConfig } from "./load.js";
export { REWRITE_SIGNATURE, rewriteConfig } from "./rewrite.js";
export type { RewriteOptions } from "./rewrite.js";
export { checkConfigWritable, nodeAtomicWriteFs, readByteString, removeStaleTempFiles, writeFileAtomic } from "./atomic-write.js";
export type { AtomicWriteFs } from "./atomic-write.js";
export { FileConfigStore, MemoryConfigStore } from "./config-store.js";
export type { ConfigStore } from "./config-store.js";
export { SentinelConfigFile } from "./sentinel-config-file.js";
export type { OpenOptions } from "./sentinel-config-file.js";
