/**
 * A tiny reader/writer for etcd-io/raft style `testdata/*.txt` scripts: each case is one
 * command line, a `----` line, the expected output, and a blank line. Lines starting with
 * `#` between cases are comments and are kept on rewrite.
 */
export interface Case {
  /** Comment lines before the command. */
  readonly comments: readonly string[];
  /** The command line. */
  readonly command: string;
  /** 1-based line number of the command, for messages. */
  readonly line: number;
  /** The expected output, lines joined by "\n". */
  readonly expected: string;
}

export function parseCases(text: string): Case[] {
  const lines = text.split("\n");
  const cases: Case[] = [];
  let i = 0;
  let comments: string[] = [];
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (line.startsWith("#")) {
      comments.push(line);
      i++;
      continue;
    }
    const command = line;
    const at = i + 1;
    i++;
    if (lines[i] !== "----") throw new Error(`line ${at}: expected ---- after the command`);
    i++;
    const out: string[] = [];
    while (i < lines.length && (lines[i] ?? "") !== "") {
      out.push(lines[i] ?? "");
      i++;
    }
    cases.push({ comments, command, line: at, expected: out.join("\n") });
    comments = [];
  }
  return cases;
}

export function formatCases(cases: readonly { comments: readonly string[]; command: string; actual: string }[]): string {
  return (
    cases
      .map((c) => [...c.comments, c.command, "----", ...(c.actual === "" ? [] : [c.actual])].join("\n"))
      .join("\n\n") + "\n"
  );
}
