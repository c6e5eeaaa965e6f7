/**
 * Formats a double the way Redis 7.0 does in replies: C's `%.17g`, with `inf` and `-inf`
 * spelled out (addReplyDouble in src/networking.c) and NaN as glibc prints it, `nan`.
 */
export function formatDouble(x: number): string {
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Number.isNaN(x)) return "nan";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  // 17 significant digits, rounded exactly as printf rounds (both round the exact binary value).
  const exp = x.toExponential(16);
  const e = exp.indexOf("e");
  const exponent = Number(exp.slice(e + 1));
  if (exponent < -4 || exponent >= 17) {
    const mantissa = stripZeros(exp.slice(0, e));
    const sign = exponent < 0 ? "-" : "+";
    const digits = Math.abs(exponent);
    return `${mantissa}e${sign}${digits < 10 ? "0" : ""}${digits}`;
  }
  return stripZeros(x.toFixed(16 - exponent));
}

/** `%g` drops trailing zeros of the fraction, and the point when nothing is left. */
function stripZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
