// Labels never overprint data: on every input, no text's estimated box (0.6·font-size per character,
// font-size high, placed by its anchor) meets a data marker, a ring, or the plot box's interior; no
// two texts meet; everything lies on the canvas.
import { describe, expect, it } from "vitest";
import { pathPlot, spectrumPlot } from "../../src/plot/index.js";
import { clipped, clippedLog, coincident, denseSpec, eight, floorsSpec, path, spec, steps, topSpec } from "./inputs.js";
import { byClass, elements, markBox, overlaps, plotBox, texts, type Rect } from "./svg-parse.js";

const cases: [string, string][] = [
  ["spectrum, fixed input", spectrumPlot(spec)],
  ["spectrum, 200 values over 30 decades, λ⁺min right above the floor", spectrumPlot(denseSpec)],
  ["spectrum with extra floors", spectrumPlot(floorsSpec)],
  ["spectrum, λ⁺min at the top edge", spectrumPlot(topSpec)],
  ["spectrum, no floor", spectrumPlot({ values: [1, 0.1, 0, -1e-3], lambdaMinPos: 0.1 })],
  ["path, fixed input", pathPlot(path)],
  ["path, four coincident series with floors and untrusted points", pathPlot(coincident)],
  ["path, clipped fits", pathPlot(clipped)],
  ["path, clipped on a log axis", pathPlot(clippedLog)],
  ["path, linear x axis", pathPlot(steps)],
  ["path, eight series", pathPlot(eight)],
];

/** Data marks: points of either plot (circles and shaped markers), the λ⁺min ring, the untrusted rings. */
const marks = (svg: string): Rect[] => [...byClass(svg, "point"), ...byClass(svg, "lambda-min"), ...byClass(svg, "untrusted-mark")].map(markBox);
const show = (r: Rect): string => `[${r.x0.toFixed(1)}, ${r.x1.toFixed(1)}]×[${r.y0.toFixed(1)}, ${r.y1.toFixed(1)}]`;

describe.each(cases)("layout: %s", (_, svg) => {
  const ts = texts(svg);
  it("has marks and text to check", () => {
    expect(marks(svg).length).toBeGreaterThan(0);
    expect(ts.length).toBeGreaterThan(5);
  });
  it("puts no text over a data marker", () => {
    const hits = ts.flatMap((t) => marks(svg).filter((m) => overlaps(t.box, m)).map((m) => `"${t.el.text}" ${show(t.box)} over ${show(m)}`));
    expect(hits).toEqual([]);
  });
  it("puts no text inside the plot box", () => {
    const b = plotBox(svg);
    expect(ts.filter((t) => overlaps(t.box, b)).map((t) => t.el.text)).toEqual([]);
  });
  it("puts no text over another text", () => {
    const hits: string[] = [];
    ts.forEach((a, i) => ts.slice(i + 1).forEach((b) => overlaps(a.box, b.box) && hits.push(`"${a.el.text}" / "${b.el.text}"`)));
    expect(hits).toEqual([]);
  });
  it("keeps every text and legend swatch on the canvas", () => {
    const root = elements(svg)[0]!;
    const [w, h] = [+root.width!, +root.height!];
    for (const t of ts) expect(t.box.x0 >= 0 && t.box.x1 <= w && t.box.y0 >= 0 && t.box.y1 <= h, `"${t.el.text}" ${show(t.box)}`).toBe(true);
    for (const s of byClass(svg, "legend-swatch")) {
      const y = +(s.y1 ?? s.cy ?? s["data-cy"]!);
      expect(y > plotBox(svg).y1 && y < h).toBe(true);
    }
  });
});

describe("layout: the legend", () => {
  it("grows the SVG by one row per legend line", () => {
    for (const [, svg] of cases) {
      const rows = byClass(svg, "legend").length;
      expect(+elements(svg)[0]!.height!).toBe(400 + 18 * rows + 8);
    }
  });
  it("wraps long rows of eight series onto continuation lines instead of running off the canvas", () => {
    const svg = pathPlot(eight);
    expect(byClass(svg, "series-label")).toHaveLength(8);
    expect(byClass(svg, "legend-cont").length).toBeGreaterThan(0);
    expect(byClass(svg, "legend-cont").every((t) => t.text.includes("coincides"))).toBe(true);
  });
});
