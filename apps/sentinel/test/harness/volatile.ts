// Reply fields whose values differ by nature between two sentinels observed at two moments
// (clocks, offsets, counters): the differential tests compare their names and places, not
// their values.

/** Field names of SENTINEL MASTER / REPLICAS / SENTINELS replies whose values are volatile. */
export const VOLATILE_FIELDS: ReadonlySet<string> = new Set([
  "last-ping-sent",
  "last-ok-ping-reply",
  "last-ping-reply",
  "info-refresh",
  "role-reported-time",
  "slave-repl-offset",
  "master-link-down-time",
  "last-hello-message",
  "s-down-time",
  "o-down-time",
  "link-pending-commands",
]);

/**
 * redis-cli's printed output with volatile values replaced by `<n>`. Without a terminal,
 * redis-cli prints a RESP2 map as alternating key and value lines, a RESP3 map as
 * `key value` lines: both forms are handled.
 */
export function blankVolatileLines(lines: readonly string[]): string[] {
  return lines.map((line, i) => {
    const pair = /^(\S+) /.exec(line);
    if (pair !== null && VOLATILE_FIELDS.has(pair[1] ?? "")) return `${pair[1]} <n>`;
    return i > 0 && VOLATILE_FIELDS.has((lines[i - 1] ?? "").trim()) ? "<n>" : line;
  });
}
