/**
 * Renders rows as left-aligned columns separated by two spaces. Widths ignore ANSI colour
 * codes so coloured cells still line up.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const visible = (cell: string) => cell.replace(/\u001b\[[0-9;]*m/g, "").length;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visible(cell))))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
