/** Where a command writes, and how: injected so commands run in-process in tests. */
export interface CliIO {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Standard error is a terminal: progress lines are shown. */
  readonly interactive: boolean;
  /** Standard output is a terminal and NO_COLOR is unset: tables are coloured. */
  readonly colour: boolean;
}

/** The process's own streams. */
export function processIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    colour: process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined,
  };
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

/** Wraps `text` in an ANSI colour when `enabled`. */
export function paint(enabled: boolean, colour: keyof typeof codes, text: string): string {
  return enabled ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}
