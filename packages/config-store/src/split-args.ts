// A port of Redis's `sdssplitargs` (src/sds.c) and `sdscatrepr`. Strings are byte strings:
// one UTF-16 code unit per byte (read files as latin1), exactly like Redis's `sds`.

const HEX = /^[0-9a-fA-F]$/;

/** C's `isspace` in the "C" locale. */
function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\v" || c === "\f";
}

/**
 * Splits one config line into arguments the way Redis does (`sdssplitargs`).
 *
 * Double quotes take the escapes `\n \r \t \b \a \\ \" \xHH` (any other `\c` is `c`);
 * single quotes take only `\'`. A closing quote must be followed by a space or the end of
 * the line. Returns `null` for unbalanced quotes, where Redis returns NULL.
 */
export function splitArgs(input: string): string[] | null {
  // Redis reads the line as a C string: it ends at the first NUL byte.
  const nul = input.indexOf("\0");
  const line = nul >= 0 ? input.slice(0, nul) : input;
  // Most lines have no quotes: then only spaces, tabs, CR and LF separate arguments.
  if (!/["'\v\f]/.test(line)) return line.split(/[ \t\r\n]+/).filter((arg) => arg !== "");
  const args: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return args;
    let inDouble = false;
    let inSingle = false;
    let current = "";
    for (let done = false; !done; ) {
      const c = line[i];
      if (inDouble) {
        if (c === "\\" && line[i + 1] === "x" && HEX.test(line[i + 2] ?? "") && HEX.test(line[i + 3] ?? "")) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          const e = line[i];
          current += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "b" ? "\b" : e === "a" ? "\x07" : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          current += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (c === undefined || c === " " || c === "\n" || c === "\r" || c === "\t") {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      if (i < n) i++;
    }
    args.push(current);
  }
}

/**
 * Quotes a string the way Redis's `sdscatrepr` does: always in double quotes, with
 * `\\ \" \n \r \t \a \b` escaped and other non-printable bytes as `\xHH`.
 */
export function reprArg(value: string): string {
  let out = '"';
  for (const c of value) {
    const code = c.charCodeAt(0);
    if (c === "\\" || c === '"') out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c === "\x07") out += "\\a";
    else if (c === "\b") out += "\\b";
    else if (code >= 0x20 && code <= 0x7e) out += c;
    else out += `\\x${(code & 0xff).toString(16).padStart(2, "0")}`;
  }
  return `${out}"`;
}

/**
 * Writes one argument so that {@link splitArgs} reads it back unchanged: as is when it has
 * no space, quote or control byte (what Redis writes with `%s`), otherwise as {@link reprArg}.
 * Redis writes such values raw and produces a file it cannot read back; this does not.
 */
export function formatArg(value: string): string {
  // Bytes >= 0x80 are literal inside an unquoted token, so UTF-8 names stay readable.
  return value.length > 0 && /^[^\x00-\x20"'\x7f]+$/.test(value) ? value : reprArg(value);
}

/** Joins arguments into one config line with {@link formatArg}. */
export function formatLine(args: readonly string[]): string {
  return args.map(formatArg).join(" ");
}
