import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@sentinel-kit/config-store";
import { SentinelCore, SentinelDaemon } from "@sentinel-kit/sentinel";

export async function runExample(masterPort: number, sentinelPort: number) {
  // 1. The pure core: configuration in, effects out; time and randomness are arguments.
  const { config } = loadConfig(`sentinel myid ${"a".repeat(40)}\nsentinel monitor mymaster 127.0.0.1 ${masterPort} 2\n`);
  const core = new SentinelCore({ config }, 0);
  const effects = core.start(0, () => 0.5).effects.map((e) => (e.type === "event" ? `${e.name} ${e.payload}` : e.type));

  // 2. The daemon: the same core on real sockets, files and timers, as the executable runs it.
  const dir = await mkdtemp(join(tmpdir(), "sentinel-kit-readme-"));
  const configPath = join(dir, "sentinel.conf");
  await writeFile(configPath, `port ${sentinelPort}\nbind 127.0.0.1\nlogfile ${join(dir, "sentinel.log")}\nsentinel monitor mymaster 127.0.0.1 ${masterPort} 2\n`);
  const daemon = await SentinelDaemon.open({ configPath });
  await daemon.start();
  const master = daemon.view().masters[0]?.currentAddress;
  await daemon.stop(); // flushes sentinel.conf: a generated myid, epochs, known instances
  const saved = await readFile(configPath, "utf8");
  return { effects, master, savedMyid: /^sentinel myid [0-9a-f]{40}$/m.test(saved) };
}
