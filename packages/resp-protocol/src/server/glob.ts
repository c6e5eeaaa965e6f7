/**
 * Redis's glob matching (`stringmatchlen` in Redis 7.0's `src/util.c`), byte for byte, for
 * PSUBSCRIBE patterns and anything else that takes a Redis pattern (`SENTINEL RESET`, `KEYS`).
 *
 * @module
 */

// Redis gives up on patterns nested deeper than this (CVE-2022-36021 hardening in 7.0.9).
const MAX_NESTING = 1000;
const BACKSLASH = 0x5c;
const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;

function lower(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
}

// C compares `char`, which is signed on the platforms Redis ships for: bytes >= 0x80 sort
// below ASCII in ranges such as `[a-\xff]`.
function signed(byte: number): number {
  return byte >= 0x80 ? byte - 0x100 : byte;
}

interface MatchState {
  // Set once the rest of a pattern failed to match from every position: a longer match for an
  // earlier `*` cannot help, which keeps pathological patterns linear instead of exponential.
  skipLongerMatches: boolean;
}

function matchFrom(
  pattern: Buffer,
  p0: number,
  subject: Buffer,
  s0: number,
  nocase: boolean,
  state: MatchState,
  nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false;
  let p = p0;
  let s = s0;
  const pEnd = pattern.length;
  const sEnd = subject.length;
  // `pattern[i]` past the end reads as C's terminating NUL would: it matches nothing.
  const at = (i: number): number => (i < pEnd ? (pattern[i] as number) : -1);
  while (p < pEnd && s < sEnd) {
    const c = at(p);
    if (c === STAR) {
      while (p + 1 < pEnd && at(p + 1) === STAR) p++;
      if (p + 1 === pEnd) return true;
      while (s < sEnd) {
        if (matchFrom(pattern, p + 1, subject, s, nocase, state, nesting + 1)) return true;
        if (state.skipLongerMatches) return false;
        s++;
      }
      state.skipLongerMatches = true;
      return false;
    } else if (c === QUESTION) {
      s++;
    } else if (c === OPEN) {
      p++;
      const not = at(p) === CARET;
      if (not) p++;
      let match = false;
      const sc = subject[s] as number;
      for (;;) {
        if (at(p) === BACKSLASH && pEnd - p >= 2) {
          p++;
          if (at(p) === sc) match = true;
        } else if (at(p) === CLOSE) {
          break;
        } else if (p >= pEnd) {
          // An unterminated class: step back so the outer advance lands on the end.
          p--;
          break;
        } else if (pEnd - p >= 3 && at(p + 1) === DASH) {
          let start = signed(at(p));
          let end = signed(at(p + 2));
          let ch = signed(sc);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          p += 2;
          if (ch >= start && ch <= end) match = true;
        } else if (nocase ? lower(at(p)) === lower(sc) : at(p) === sc) {
          match = true;
        }
        p++;
      }
      if (not) match = !match;
      if (!match) return false;
      s++;
    } else {
      if (c === BACKSLASH && pEnd - p >= 2) p++;
      const pc = at(p);
      const sc = subject[s] as number;
      if (nocase ? lower(pc) !== lower(sc) : pc !== sc) return false;
      s++;
    }
    p++;
    if (s === sEnd) {
      while (at(p) === STAR) p++;
      break;
    }
  }
  return p >= pEnd && s === sEnd;
}

/**
 * Tells whether `subject` matches the Redis glob `pattern`: `*` (any run), `?` (one byte),
 * `[abc]`, `[^abc]`, `[a-z]` (reversed ranges allowed), and `\` escaping the next byte, with
 * Redis's quirks (an unterminated `[` class, a trailing `\`, signed-byte ranges, and an empty
 * subject matching only the empty pattern, not even `*`).
 *
 * @param pattern - The pattern, as bytes or UTF-8 text.
 * @param subject - The string to test, as bytes or UTF-8 text.
 * @param nocase - Compare ASCII letters case-insensitively; default false, as for PSUBSCRIBE.
 */
export function globMatch(pattern: Buffer | string, subject: Buffer | string, nocase = false): boolean {
  const p = typeof pattern === "string" ? Buffer.from(pattern) : pattern;
  const s = typeof subject === "string" ? Buffer.from(subject) : subject;
  return matchFrom(p, 0, s, 0, nocase, { skipLongerMatches: false }, 0);
}
