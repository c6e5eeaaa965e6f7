// Redis's sdssplitargs (src/sds.c), on bytes: how an inline request (what a person types
// into telnet) becomes arguments.

const SPACE = 32;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** C's isspace: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits `line[start..end)` into arguments the way Redis's sdssplitargs does: blanks
 * separate arguments; `"..."` understands `\xHH`, `\n`, `\r`, `\t`, `\b`, `\a` and `\<c>`;
 * `'...'` understands only `\'`; a closing quote must be followed by a blank or the end.
 * Like the C original, a NUL byte ends the line.
 * @returns The arguments, or `null` for unbalanced quotes.
 */
export function splitArgs(line: Buffer, start: number, end: number): Buffer[] | null {
  const nul = line.indexOf(0, start);
  if (nul !== -1 && nul < end) end = nul;
  const args: Buffer[] = [];
  let p = start;
  for (;;) {
    while (p < end && isSpace(line[p]!)) p++;
    if (p >= end) return args;
    const current: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = p < end ? line[p]! : 0;
      const next = p + 1 < end ? line[p + 1]! : 0;
      if (inDouble) {
        if (c === BACKSLASH && next === 120 /* x */ && p + 3 < end) {
          const hi = hexValue(line[p + 2]!);
          const lo = hexValue(line[p + 3]!);
          if (hi >= 0 && lo >= 0) {
            current.push(hi * 16 + lo);
            p += 3;
          } else {
            p++;
            current.push(next);
          }
        } else if (c === BACKSLASH && p + 1 < end) {
          p++;
          current.push(unescape(next));
        } else if (c === DQUOTE) {
          if (p + 1 < end && !isSpace(next)) return null;
          done = true;
        } else if (p >= end) {
          return null;
        } else {
          current.push(c);
        }
      } else if (inSingle) {
        if (c === BACKSLASH && next === SQUOTE) {
          p++;
          current.push(SQUOTE);
        } else if (c === SQUOTE) {
          if (p + 1 < end && !isSpace(next)) return null;
          done = true;
        } else if (p >= end) {
          return null;
        } else {
          current.push(c);
        }
      } else if (p >= end || c === SPACE || c === 10 || c === 13 || c === 9) {
        done = true;
      } else if (c === DQUOTE) {
        inDouble = true;
      } else if (c === SQUOTE) {
        inSingle = true;
      } else {
        current.push(c);
      }
      if (p < end) p++;
    }
    args.push(Buffer.from(current));
  }
}

function unescape(c: number): number {
  switch (c) {
    case 110: // n
      return 10;
    case 114: // r
      return 13;
    case 116: // t
      return 9;
    case 98: // b
      return 8;
    case 97: // a
      return 7;
    default:
      return c;
  }
}
