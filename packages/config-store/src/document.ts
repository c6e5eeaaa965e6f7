import { splitArgs } from "./split-args.js";

/** One line of a config file, kept whole so that a rewrite can leave it as it was. */
export interface ConfigLine {
  /** 1-based line number in its file. */
  readonly number: number;
  /** The line as written, without its `\n`. */
  readonly raw: string;
  /** The line trimmed of spaces, tabs, `\r` and `\n` at both ends, as Redis trims it. */
  readonly text: string;
  /**
   * The split arguments with the directive (`args[0]`) lower-cased, or `null` for a blank
   * line, a comment, or a line that cannot be split.
   */
  readonly args: readonly string[] | null;
  /** Set when the line cannot be split: Redis's reason, "Unbalanced quotes in configuration line". */
  readonly error?: string;
}

/** A parsed config file: every line in order, comments and blank lines included. */
export interface ConfigDocument {
  /** The path the text was read from (used in error messages and for includes). */
  readonly file: string;
  /** The lines; joining their `raw` with `\n` gives the original text back. */
  readonly lines: readonly ConfigLine[];
}

/** Redis's `sdstrim(line, "\r\n\t ")`. */
function trimConfigLine(raw: string): string {
  return raw.replace(/^[\r\n\t ]+/, "").replace(/[\r\n\t ]+$/, "");
}

/**
 * Parses config text into a line-preserving document (`loadServerConfigFromString`'s
 * tokenizing half). A line with unbalanced quotes is kept with its `error`; the loader
 * reports it when it reaches it, after the lines above it, as Redis does.
 */
export function parseDocument(text: string, file: string): ConfigDocument {
  const lines = text.split("\n").map((raw, index): ConfigLine => {
    const trimmed = trimConfigLine(raw);
    const number = index + 1;
    if (trimmed === "" || trimmed.startsWith("#")) return { number, raw, text: trimmed, args: null };
    const args = splitArgs(trimmed);
    if (args === null) {
      return { number, raw, text: trimmed, args: null, error: "Unbalanced quotes in configuration line" };
    }
    const [directive, ...rest] = args;
    // Only \v and \f survive the trim and split into nothing; Redis skips such a line.
    if (directive === undefined) return { number, raw, text: trimmed, args: null };
    return { number, raw, text: trimmed, args: [directive.toLowerCase(), ...rest] };
  });
  return { file, lines };
}

/** The document's text, unchanged. */
export function renderDocument(document: ConfigDocument): string {
  return document.lines.map((line) => line.raw).join("\n");
}
