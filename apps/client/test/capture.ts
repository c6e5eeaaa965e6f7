import type { CliIO } from "../src/index.js";

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
