// The legend area under the x-axis label: one row per item (a small swatch that matches the mark,
// then text), notes appended after " · " and wrapped onto continuation rows when a row would run
// past the right edge. All text labels live here, outside the plot box, so none can overprint data.

import { esc } from "./axis.js";

/** A text fragment with its own class and data-* attributes (rendered as a tspan). */
export interface LegendNote {
  readonly text: string;
  readonly cls: string;
  readonly data?: Readonly<Record<string, string | number>>;
}

export interface LegendItem {
  /** SVG for the swatch centred at (cx, cy), at most 18 px wide and 12 px high. */
  readonly swatch: (cx: number, cy: number) => string;
  readonly text: string;
  /** Extra classes of the row's text element (it always has "legend"). */
  readonly cls?: string;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly notes?: readonly LegendNote[];
}

export const ROW = 18;
const CHAR = 0.6 * 12; // estimated advance of a 12 px character, generous for proportional fonts
const SEP = " · ";

const dataAttrs = (d: Readonly<Record<string, string | number>> | undefined): string =>
  d ? Object.entries(d).map(([k, v]) => ` data-${k}="${esc(String(v))}"`).join("") : "";

/**
 * Lay out the items from baseline row `top` between x = left and x = right. Returns the SVG
 * elements and the number of rows used (each ROW px high).
 */
export function legend(items: readonly LegendItem[], top: number, left: number, right: number): { svg: string[]; rows: number } {
  const svg: string[] = [];
  const tx = left + 18;
  const fit = Math.max(8, Math.floor((right - tx) / CHAR));
  let row = 0;
  for (const it of items) {
    const y = top + ROW * row;
    svg.push(it.swatch(left + 6, y - 4));
    // the first line always holds the main text; each note goes on the current line if it fits
    const lines: { used: number; parts: string[] }[] = [{ used: it.text.length, parts: [] }];
    for (const n of it.notes ?? []) {
      let line = lines[lines.length - 1]!;
      if (line.used + SEP.length + n.text.length > fit) lines.push((line = { used: 0, parts: [] }));
      const sep = line.used > 0 ? SEP : "";
      line.parts.push(`<tspan class="${n.cls}"${dataAttrs(n.data)}>${sep}${esc(n.text)}</tspan>`);
      line.used += sep.length + n.text.length;
    }
    lines.forEach((l, i) => {
      const head = i === 0 ? `<text class="legend${it.cls ? ` ${it.cls}` : ""}"${dataAttrs(it.data)}` : `<text class="legend legend-cont"`;
      svg.push(`${head} x="${tx}" y="${top + ROW * (row + i)}">${i === 0 ? esc(it.text) : ""}${l.parts.join("")}</text>`);
    });
    row += lines.length;
  }
  return { svg, rows: row };
}

/** Swatch: a short horizontal line (dashed when `dash` is given). */
export const lineSwatch = (color: string, dash?: string, width = 1.5) => (cx: number, cy: number): string =>
  `<line class="legend-swatch" x1="${cx - 8}" x2="${cx + 8}" y1="${cy}" y2="${cy}" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`;

/** Swatch: a ring. */
export const ringSwatch = (color: string, r = 5, width = 2) => (cx: number, cy: number): string =>
  `<circle class="legend-swatch" cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${color}" stroke-width="${width}"/>`;
