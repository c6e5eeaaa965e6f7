import type { ConfigStore } from "./config-store.js";
import type { ConfigDocument } from "./document.js";
import { loadConfig } from "./load.js";
import type { SentinelConfig } from "./model.js";
import { parseDocument } from "./document.js";
import { rewriteWithState } from "./rewrite.js";

/** Options of {@link SentinelConfigFile.open}. */
export interface OpenOptions {
  /** Keep secrets out of saved files (redis/redis#10085); see `RewriteOptions.omitSecrets`. */
  readonly omitSecrets?: boolean;
  /** Checks that scripts are executable; by default they are not checked. */
  readonly isExecutable?: (path: string) => boolean;
}

/**
 * A sentinel.conf in a {@link ConfigStore}: loaded and checked once, then saved with
 * Redis's rewrite rules each time the state changes (`sentinelFlushConfig`).
 */
export class SentinelConfigFile {
  private constructor(
    private readonly store: ConfigStore,
    private document: ConfigDocument,
    private readonly includes: readonly ConfigDocument[],
    private current: SentinelConfig,
    private readonly omitSecrets: boolean,
  ) {}

  /**
   * Loads the config, then checks that the store is writable, in Redis's order (config
   * errors are reported first; `sentinelIsRunning` checks writability after loading).
   * Throws `ConfigError` or `ConfigNotWritableError`.
   */
  static async open(store: ConfigStore, options: OpenOptions = {}): Promise<SentinelConfigFile> {
    const text = await store.read();
    const loaded = loadConfig(text, {
      file: store.name,
      readInclude: (path, from) => store.readInclude(path, from),
      ...(options.isExecutable === undefined ? {} : { isExecutable: options.isExecutable }),
    });
    await store.checkWritable();
    return new SentinelConfigFile(store, loaded.document, loaded.includes, loaded.config, options.omitSecrets ?? false);
  }

  /** The state as last loaded or saved. */
  get config(): SentinelConfig {
    return this.current;
  }

  /**
   * Rewrites the file with `config` and saves it. A state that would not load back
   * (`InvalidStateError`, `RewriteConflictError`) is not written. When the save fails, the
   * error is thrown and {@link SentinelConfigFile.config} keeps the last saved state.
   */
  async save(config: SentinelConfig): Promise<void> {
    const { text, written } = rewriteWithState(this.document, config, {
      omitSecrets: this.omitSecrets,
      includes: this.includes,
      verify: true,
    });
    await this.store.write(text);
    this.document = parseDocument(text, this.store.name);
    this.current = written;
  }
}
