// A small reader and rewriter for etcd-io/raft style test scripts: a directive line
// (comments and blank lines before it are kept), a `----` line, then the expected output
// up to the next blank line.

export interface Directive {
  /** Comment and blank lines that came before the directive, verbatim. */
  readonly preamble: readonly string[];
  /** The directive line. */
  readonly line: string;
  /** 1-based line number of the directive, for messages. */
  readonly lineNo: number;
  /** The expected output lines. */
  readonly expected: readonly string[];
}

export function parseScript(text: string): { directives: Directive[]; trailer: string[] } {
  const lines = text.split("\n");
  const directives: Directive[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "" || line.startsWith("#")) {
      preamble.push(line);
      i++;
      continue;
    }
    const lineNo = i + 1;
    if (lines[i + 1] !== "----") throw new Error(`line ${lineNo + 1}: expected ---- after "${line}"`);
    i += 2;
    const expected: string[] = [];
    while (i < lines.length && (lines[i] ?? "") !== "") {
      expected.push(lines[i] ?? "");
      i++;
    }
    directives.push({ preamble, line, lineNo, expected });
    preamble = [];
  }
  return { directives, trailer: preamble };
}

export function renderScript(
  directives: readonly Directive[],
  outputs: readonly (readonly string[])[],
  trailer: readonly string[],
): string {
  const out: string[] = [];
  directives.forEach((d, k) => {
    out.push(...d.preamble, d.line, "----", ...(outputs[k] ?? []));
  });
  out.push(...trailer);
  return out.join("\n");
}

/** `key=value` arguments after the command word; bare words map to "". */
export function parseArgs(line: string): { cmd: string; pos: string[]; kv: Map<string, string> } {
  const [cmd = "", ...rest] = line.trim().split(/\s+/);
  const pos: string[] = [];
  const kv = new Map<string, string>();
  for (const word of rest) {
    const eq = word.indexOf("=");
    if (eq < 0) pos.push(word);
    else kv.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return { cmd, pos, kv };
}
