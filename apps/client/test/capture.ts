import { runCli, type CliIO } from "../src/index.js";

/** An in-memory {@link CliIO}: what a command printed, as strings. */
export function captureIO(interactive = false, colour = false): CliIO & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    interactive,
    colour,
    stdout: () => out,
    stderr: () => err,
  };
}

/** Runs the CLI in-process on `argv`: its exit code and what it printed. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await runCli(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}
