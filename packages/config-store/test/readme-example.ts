import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, FileConfigStore, loadConfig, SentinelConfigFile } from "@sentinel-kit/config-store";

export async function runExample(): Promise<{ saved: string; error: string }> {
  const path = join(await mkdtemp(join(tmpdir(), "sentinel-")), "sentinel.conf");
  await writeFile(path, "# my sentinel\nport 26379\nsentinel monitor mymaster 10.0.0.1 6379 2\n");

  // Refuses a file Redis would refuse, and one it could not save to.
  const file = await SentinelConfigFile.open(new FileConfigStore(path));
  const master = file.config.masters[0]!;

  // A failover moved the master: persist the new address and epochs, Redis's way.
  await file.save({
    ...file.config,
    currentEpoch: 1,
    masters: [
      {
        ...master,
        host: "10.0.0.2",
        configEpoch: 1,
        knownReplicas: [{ host: "10.0.0.1", port: 6379 }],
      },
    ],
  });
  const saved = await readFile(path, "utf8");

  let error = "";
  try {
    loadConfig("sentinel monitor mymaster 10.0.0.1 6379 0\n", { file: "bad.conf" });
  } catch (e) {
    if (e instanceof ConfigError) error = `${e.file}:${e.line}: ${e.reason}`;
  }
  return { saved, error };
}
