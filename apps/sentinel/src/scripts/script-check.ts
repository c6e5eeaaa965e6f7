import { accessSync, constants } from "node:fs";
import { access } from "node:fs/promises";

/** The two per-master script settings. */
export type ScriptOption = "notification-script" | "client-reconfig-script";

/**
 * SENTINEL SET's reply when a script setting is changed while `deny-scripts-reconfig yes`
 * (redis-sentinel 7.0.15's text, checked by test/scripts-redis.integration.test.ts).
 */
export const DENY_SCRIPTS_RECONFIG_ERROR =
  "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration";

const SUBJECT: Record<ScriptOption, string> = {
  "notification-script": "Notification script",
  "client-reconfig-script": "Client reconfiguration script",
};

/** SENTINEL SET's reply when the script is missing or not executable (no final period, as Redis). */
export function scriptNotExecutableReply(option: ScriptOption): string {
  return `ERR ${SUBJECT[option]} seems non existing or non executable`;
}

/** The fatal sentinel.conf error for a missing or non-executable script (with a final period, as Redis). */
export function scriptNotExecutableConfigError(option: ScriptOption): string {
  return `${SUBJECT[option]} seems non existing or non executable.`;
}

/** A script setting in sentinel.conf names a file that is missing or not executable. */
export class ScriptNotExecutableError extends Error {
  override readonly name = "ScriptNotExecutableError";
  /** The setting. */
  readonly option: ScriptOption;
  /** The path it names. */
  readonly path: string;

  /** Makes the error with Redis's config-loading message. */
  constructor(option: ScriptOption, path: string) {
    super(scriptNotExecutableConfigError(option));
    this.option = option;
    this.path = path;
  }
}

/** Whether `path` is executable by this process (`access(path, X_OK)`, as Redis checks). */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** {@link isExecutable}, synchronously, for config loading. */
export function isExecutableSync(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a script setting from sentinel.conf (`sentinel notification-script <name> <path>`):
 * throws {@link ScriptNotExecutableError} when `path` is not executable.
 */
export function assertScriptExecutable(option: ScriptOption, path: string): void {
  if (!isExecutableSync(path)) throw new ScriptNotExecutableError(option, path);
}

/**
 * Checks `SENTINEL SET <master> <option> <value>` for a script option (`sentinelSetCommand`):
 * the error reply, or null when the change may be made. Refused whenever
 * `deny-scripts-reconfig` is on, even to clear the script; otherwise `""` clears it and any
 * other value must be executable.
 */
export async function checkScriptSet(
  option: ScriptOption,
  value: string,
  denyScriptsReconfig: boolean,
): Promise<string | null> {
  if (denyScriptsReconfig) return DENY_SCRIPTS_RECONFIG_ERROR;
  if (value !== "" && !(await isExecutable(value))) return scriptNotExecutableReply(option);
  return null;
}
