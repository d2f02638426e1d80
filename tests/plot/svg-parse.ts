// Reading the plots' SVG strings back in tests: elements by class, marker centres and extents,
// estimated text boxes, and the axis maps recovered from the tick marks and their labels.

export type El = Record<string, string> & { tag: string; text: string };

/** Every element (opening tag), with its attributes, its tag name and, for text and tspan, its text content. */
export function elements(svg: string): El[] {
  const out: El[] = [];
  for (const m of svg.matchAll(/<(\w+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g)) {
    const el = { tag: m[1]!, text: "" } as El;
    for (const a of m[2]!.matchAll(/([\w:-]+)="([^"]*)"/g)) el[a[1]!] = a[2]!;
    if (!m[3] && (el.tag === "text" || el.tag === "tspan")) {
      const end = svg.indexOf(`</${el.tag}>`, m.index! + m[0].length);
      el.text = unescape(svg.slice(m.index! + m[0].length, end).replace(/<[^>]*>/g, ""));
    }
    out.push(el);
  }
  return out;
}

const unescape = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

/** Elements whose class list contains every one of the space-separated classes in `cls`. */
export function byClass(svg: string, cls: string): El[] {
  const want = cls.split(" ");
  return elements(svg).filter((e) => e.class !== undefined && want.every((c) => e.class!.split(" ").includes(c)));
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function plotBox(svg: string): Rect {
  const b = byClass(svg, "plot-box")[0]!;
  return { x0: +b.x!, y0: +b.y!, x1: +b.x! + +b.width!, y1: +b.y! + +b.height! };
}

/** Centre of a marker: cx/cy on circles, data-cx/data-cy on path markers. */
export function center(e: El): [number, number] {
  return [+(e.cx ?? e["data-cx"]!), +(e.cy ?? e["data-cy"]!)];
}

/** Box around a marker or ring: centre ± (radius or data-r, plus half the stroke width). */
export function markBox(e: El): Rect {
  const [cx, cy] = center(e);
  const r = +(e.r ?? e["data-r"]!) + +(e["stroke-width"] ?? 1) / 2;
  return { x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r };
}

/**
 * Estimated box of a text element: 0.6·font-size per character, font-size high (0.8 above the
 * baseline, 0.2 below), placed by text-anchor, dy in em, and translate(…) rotate(-90) for the y label.
 */
export function textBox(e: El, inherited = 12): Rect {
  const fs = +(e["font-size"] ?? inherited);
  const w = 0.6 * fs * [...e.text].length;
  const anchor = e["text-anchor"] ?? "start";
  const a0 = anchor === "middle" ? -w / 2 : anchor === "end" ? -w : 0;
  const dy = e.dy ? parseFloat(e.dy) * (e.dy.endsWith("em") ? fs : 1) : 0;
  const t = /^translate\(([-\d.]+)[ ,]+([-\d.]+)\)\s*rotate\(-90\)$/.exec(e.transform ?? "");
  if (e.transform && !t) throw new Error(`unsupported transform ${e.transform}`);
  if (t) {
    // rotated by −90°: the text runs upward from (tx, ty); ascent points left
    const [tx, ty] = [+t[1]!, +t[2]!];
    return { x0: tx - 0.8 * fs + dy, x1: tx + 0.2 * fs + dy, y0: ty - a0 - w, y1: ty - a0 };
  }
  const x = +e.x!;
  const y = +e.y! + dy;
  return { x0: x + a0, x1: x + a0 + w, y0: y - 0.8 * fs, y1: y + 0.2 * fs };
}

/** Every text element (tspans are part of their text) with its estimated box. */
export function texts(svg: string): { el: El; box: Rect }[] {
  return elements(svg).filter((e) => e.tag === "text").map((el) => ({ el, box: textBox(el) }));
}

/** Open rectangles intersect (touching edges do not count). */
export const overlaps = (a: Rect, b: Rect): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * The map of one axis recovered from its tick marks and labels: data → pixel and pixel → data.
 * `log` says whether the labels are decades.
 */
export function axis(svg: string, which: "x" | "y", log: boolean): { px: (v: number) => number; data: (p: number) => number } {
  const pos = byClass(svg, `tick ${which}-tick`).map((t) => +(which === "x" ? t.x1! : t.y1!));
  const val = byClass(svg, `${which}-tick-label`).map((t) => (log ? Math.log10(Number(t.text)) : Number(t.text)));
  const [p0, p1, v0, v1] = [pos[0]!, pos[pos.length - 1]!, val[0]!, val[val.length - 1]!];
  const k = (p1 - p0) / (v1 - v0);
  return {
    px: (v) => p0 + ((log ? Math.log10(v) : v) - v0) * k,
    data: (p) => {
      const a = v0 + (p - p0) / k;
      return log ? 10 ** a : a;
    },
  };
}
