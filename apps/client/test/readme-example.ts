import { ExitCode, runCli, type CliIO } from "@sentinel-kit/client";

export async function currentMaster(sentinels: string): Promise<string> {
  let output = "";
  const io: CliIO = { out: (text) => void (output += text), err: () => undefined, interactive: false, colour: false };
  const code = await runCli(["resolve", "mymaster", "--sentinels", sentinels, "--json"], io);
  if (code !== ExitCode.ok) throw new Error(`resolve failed with exit code ${code}`);
  return (JSON.parse(output) as { master: string }).master;
}
