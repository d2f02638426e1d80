// Plain-text tables for the terminal.

export type CellValue = string | number | boolean | null | undefined;

/** Format a number for a table: 6 significant digits, exponent form for tiny/huge magnitudes. */
export function fmtNum(v: CellValue): string {
  if (v === null || v === undefined) return "–";
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : Number(v.toPrecision(6)).toString();
}

/** Columns right-aligned for numbers, left for text; a rule under the header. */
export function renderTable(header: readonly string[], rows: readonly CellValue[][]): string {
  const cells = rows.map((r) => r.map(fmtNum));
  const width = header.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? "").length)));
  const numeric = header.map((_, j) => rows.every((r) => typeof r[j] === "number" || r[j] === null || r[j] === undefined));
  const line = (r: readonly string[]) => r.map((c, j) => (numeric[j] ? c.padStart(width[j]!) : c.padEnd(width[j]!))).join("  ").trimEnd();
  return [line(header), width.map((w) => "─".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}
