// The SVG skeleton shared by the plots (pure functions returning strings: no DOM, no dependency):
// title, plot box, ticks, axis labels, the clip paths that guard the marks, and the legend area
// under the x-axis label. Every mark carries a class and data-* attributes so tests (and users'
// scripts) can check what was drawn.

import { esc, formatTick, project, ticks, type Scale } from "./axis.js";
import { legend, ROW, type LegendItem } from "./legend.js";

export const W = 640;
export const H = 400;
const BOX = { left: 78, right: 24, top: 40, bottom: 56 };
/** The right margin when a second y axis (an overlay) needs room for its ticks and label. */
const RIGHT_AXIS = 74;
export const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
/** How far marks may reach past the plot box before the clip path cuts them (markers on an edge stay whole). */
const MARK_PAD = 10;

export interface Box {
  readonly px: number;
  readonly py: number;
  readonly pw: number;
  readonly ph: number;
}

export function box(rightAxis = false): Box {
  return { px: BOX.left, py: BOX.top, pw: W - BOX.left - (rightAxis ? RIGHT_AXIS : BOX.right), ph: H - BOX.top - BOX.bottom };
}

/** A second y axis on the right (an overlaid series of another quantity). */
export interface RightAxis {
  readonly scale: Scale;
  readonly label: string;
}

export interface Body {
  /** Lines and bands, clipped to the plot box (a guard: callers clip their lines analytically too). */
  readonly lines: readonly string[];
  /** Point markers and rings, clipped to the plot box padded by MARK_PAD px. */
  readonly marks: readonly string[];
  /** Rows of the legend area under the x-axis label (the SVG grows to hold them). */
  readonly legend: readonly LegendItem[];
}

/** FNV-1a of the drawn content: a clip-path id that differs between plots inlined in one page, yet is deterministic. */
function clipId(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return `dds-clip-${(h >>> 0).toString(16).padStart(8, "0")}`;
}

export function frame(title: string, xs: Scale, ys: Scale, xLabel: string, yLabel: string, body: Body, right?: RightAxis): string {
  const { px, py, pw, ph } = box(right !== undefined);
  const leg = legend(body.legend, H + 9, px + 10, W - 8);
  const total = H + (leg.rows > 0 ? ROW * leg.rows + 8 : 0);
  const id = clipId([title, ...body.lines, ...body.marks].join("\n"));
  const rect = (pad: number): string => `<rect x="${px - pad}" y="${py - pad}" width="${pw + 2 * pad}" height="${ph + 2 * pad}"/>`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${total}" viewBox="0 0 ${W} ${total}" font-family="system-ui, sans-serif" font-size="12">`,
    `<defs><clipPath id="${id}-box">${rect(0)}</clipPath><clipPath id="${id}-marks">${rect(MARK_PAD)}</clipPath></defs>`,
    `<rect width="${W}" height="${total}" fill="#ffffff"/>`,
    `<text class="title" x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    `<rect class="plot-box" x="${px}" y="${py}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
  ];
  for (const t of ticks(xs)) {
    const x = project(xs, t).toFixed(2);
    out.push(`<line class="tick x-tick" x1="${x}" x2="${x}" y1="${py + ph}" y2="${py + ph + 5}" stroke="#333"/>`);
    out.push(`<text class="tick-label x-tick-label" x="${x}" y="${py + ph + 21}" text-anchor="middle">${esc(formatTick(t, xs.log))}</text>`);
  }
  for (const t of ticks(ys)) {
    const y = project(ys, t).toFixed(2);
    out.push(`<line class="tick y-tick" x1="${px - 5}" x2="${px}" y1="${y}" y2="${y}" stroke="#333"/>`);
    out.push(`<line class="grid" x1="${px}" x2="${px + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text class="tick-label y-tick-label" x="${px - 10}" y="${y}" dy="0.32em" text-anchor="end">${esc(formatTick(t, ys.log))}</text>`);
  }
  if (right) {
    const x = px + pw;
    for (const t of ticks(right.scale)) {
      const y = project(right.scale, t).toFixed(2);
      out.push(`<line class="tick y2-tick" x1="${x}" x2="${x + 5}" y1="${y}" y2="${y}" stroke="#777"/>`);
      out.push(`<text class="tick-label y2-tick-label" x="${x + 8}" y="${y}" dy="0.32em" text-anchor="start" fill="#555">${esc(formatTick(t, right.scale.log))}</text>`);
    }
    out.push(`<text class="axis-label y2-label" transform="translate(${W - 12} ${py + ph / 2}) rotate(90)" text-anchor="middle" fill="#555">${esc(right.label)}</text>`);
  }
  out.push(`<text class="axis-label x-label" x="${px + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text class="axis-label y-label" transform="translate(18 ${py + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  out.push(`<g class="lines" clip-path="url(#${id}-box)">`, ...body.lines, `</g>`);
  out.push(`<g class="marks" clip-path="url(#${id}-marks)">`, ...body.marks, `</g>`);
  return [...out, ...leg.svg, "</svg>"].join("\n");
}
