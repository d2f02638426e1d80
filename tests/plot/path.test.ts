// pathPlot's honesty: fit lines clipped to the box and still on the fit, per-point floors and
// untrusted points, coincident series kept distinguishable, a linear x axis.
import { describe, expect, it } from "vitest";
import { pathPlot } from "../../src/plot/index.js";
import { clipped, clippedLog, coincident, eight, steps } from "./inputs.js";
import { axis, byClass, center, markBox, plotBox, type El } from "./svg-parse.js";

/** Fit equation in data space: y = A + B ln x (linear y) or ln y = A + B ln x (log y); returns the residual. */
const residual = (fit: { slope: number; intercept: number }, x: number, y: number, logY: boolean): number =>
  (logY ? Math.log(y) : y) - (fit.intercept + fit.slope * Math.log(x));
const onEdge = (v: number, edge: number): boolean => Math.abs(v - edge) < 0.006;

describe("pathPlot: fit lines clipped to the plot box", () => {
  it("cuts a line that leaves through the bottom edge where it crosses it, still on the fit", () => {
    const svg = pathPlot(clipped);
    const b = plotBox(svg);
    const [xa, ya] = [axis(svg, "x", true), axis(svg, "y", false)];
    const lines = byClass(svg, "fit-line");
    expect(lines.map((l) => l["data-series"])).toEqual(["r=1"]);
    const l = lines[0]!;
    // unclipped it would start at y = 10 + 9 ln 1e-3 = −52.2, below the box (y from −40 to −10)
    expect(onEdge(+l.y1!, b.y1)).toBe(true);
    expect(+l.x1!).toBeGreaterThan(b.x0 + 100);
    expect(+l.x2!).toBeCloseTo(b.x1, 2); // the right end, t = 0.1, is inside: y = −10.7
    for (const [x, y] of [[+l.x1!, +l.y1!], [+l.x2!, +l.y2!]] as const) {
      expect(x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1).toBe(true);
      expect(Math.abs(residual(clipped.series[0]!.fit!, xa.data(x), ya.data(y), false))).toBeLessThan(0.005);
    }
    // the data-space endpoints are on the fit exactly, the first one on the edge y = −40
    expect(+l["data-y1"]!).toBeCloseTo(-40, 9);
    expect(Math.abs(residual(clipped.series[0]!.fit!, +l["data-x1"]!, +l["data-y1"]!, false))).toBeLessThan(1e-12);
    expect(+l["data-x2"]!).toBe(0.1);
  });
  it("cuts a log-y line at both edges, still on the fit in (ln x, ln y)", () => {
    const svg = pathPlot(clippedLog);
    const b = plotBox(svg);
    const [xa, ya] = [axis(svg, "x", true), axis(svg, "y", true)];
    const l = byClass(svg, "fit-line")[0]!;
    expect(onEdge(+l.y1!, b.y1) && onEdge(+l.y2!, b.y0)).toBe(true);
    // ln y = ln 1e-3 + 3 ln(x / 0.1): y = 1e-8 at x = 10^(−8/3), y = 1e-4 at x = 10^(−4/3)
    expect(Math.log10(+l["data-x1"]!)).toBeCloseTo(-8 / 3, 9);
    expect(Math.log10(+l["data-x2"]!)).toBeCloseTo(-4 / 3, 9);
    for (const [x, y] of [[+l.x1!, +l.y1!], [+l.x2!, +l.y2!]] as const) {
      expect(Math.abs(residual(clippedLog.series[0]!.fit!, xa.data(x), ya.data(y), true))).toBeLessThan(0.005);
    }
  });
  it("does not draw a line wholly outside the box, and says so in the legend", () => {
    const svg = pathPlot(clipped);
    expect(byClass(svg, "fit-line").some((l) => l["data-series"] === "r=2")).toBe(false);
    const notes = byClass(svg, "fit-note");
    expect(notes.map((n) => n.text)).toEqual([" · fit outside the plotted range"]);
    expect(byClass(svg, "series-label")[1]!.text).toContain("r=2: slope 6");
  });
  it("says a fit with a non-finite coefficient is not drawable rather than outside", () => {
    const nan = { ...clipped, series: [{ ...clipped.series[0]!, fit: { slope: NaN, intercept: 1, seSlope: NaN, r2: NaN } }] };
    const svg = pathPlot(nan);
    expect(byClass(svg, "fit-line")).toEqual([]);
    expect(byClass(svg, "fit-note").map((n) => n.text)).toEqual([" · fit not finite"]);
  });
});

describe("pathPlot: coincident series", () => {
  const svg = pathPlot(coincident);
  const bySeries = (s: string, cls = "point"): El[] => byClass(svg, cls).filter((p) => p["data-series"] === s);
  it("gives each series its own marker shape", () => {
    const shapes = ["r=1", "r=2", "r=3", "r=4"].map((s) => [...new Set(bySeries(s).map((p) => p["data-shape"]))]);
    expect(shapes).toEqual([["circle"], ["square"], ["triangle"], ["diamond"]]);
    expect(byClass(svg, "point")).toHaveLength(20);
  });
  it("notes which earlier series each one coincides with", () => {
    const notes = byClass(svg, "coincident-note");
    expect(notes.map((n) => n["data-with"])).toEqual(["r=1", "r=1", "r=1"]);
    expect(notes.every((n) => n.text.endsWith("(coincides with r=1)"))).toBe(true);
    const rows = byClass(svg, "series-label");
    expect(rows[0]!.text.includes("coincides")).toBe(false);
    expect(rows.slice(1).every((r) => r.text.includes("(coincides with r=1)"))).toBe(true);
  });
  it("draws the earlier series larger, underneath, so every marker shows", () => {
    const at = (x: string) => byClass(svg, "point").filter((p) => p["data-x"] === x).map((p) => markBox(p));
    for (const x of ["0.001", "0.01"]) {
      const ext = at(x).map((r) => r.x1 - r.x0);
      for (let i = 1; i < ext.length; i++) expect(ext[i]!).toBeLessThan(ext[i - 1]!);
    }
  });
  it("does not call series coincident when they are a few pixels apart", () => {
    const apart = { ...coincident, series: coincident.series.map((s, k) => ({ ...s, y: Array.from(s.y, (v) => v * 1.25 ** k) })) };
    const s = pathPlot(apart);
    expect(byClass(s, "coincident-note")).toEqual([]);
    // 1.25× is log10(1.25)·(px per decade) ≈ 4 px on this axis: distinct, not within 1.5 px
    const [a, b2] = [byClass(s, "point")[1]!, byClass(s, "point")[6]!];
    expect(Math.abs(center(a)[1] - center(b2)[1])).toBeGreaterThan(1.5);
  });
  it("notes both coincident groups among eight series", () => {
    const notes = byClass(pathPlot(eight), "coincident-note").map((n) => n["data-with"]);
    expect(notes).toEqual(["series number 1", "series number 1", "series number 1", "series number 5", "series number 5", "series number 5"]);
  });
});

describe("pathPlot: per-point floors and untrusted points", () => {
  it("draws a floor tick at each point's floor on the log axis", () => {
    const svg = pathPlot(steps);
    const y = axis(svg, "y", true);
    const ticks = byClass(svg, "point-floor");
    const floors = Array.from(steps.series[0]!.floor!);
    expect(ticks.map((t) => Number(t["data-floor"]))).toEqual(floors);
    const pts = byClass(svg, "point");
    ticks.forEach((t, i) => {
      expect(Math.abs(+t.y1! - y.px(floors[i]!))).toBeLessThan(0.02);
      expect(+t.y1!).toBe(+t.y2!);
      const cx = center(pts[i]!)[0];
      expect(+t.x1! <= cx && cx <= +t.x2!).toBe(true); // under its point (clamped to the box at x = 0)
    });
    expect(byClass(svg, "point-floor-line")).toHaveLength(1);
    expect(byClass(svg, "legend-key").map((k) => k["data-key"])).toEqual(["hollow", "floor", "untrusted"]);
  });
  it("marks a point at or below its floor untrusted when no verdict is given", () => {
    const svg = pathPlot(steps); // the last point, 4e-5, is under its floor 5e-5
    expect(byClass(svg, "point untrusted").map((p) => p["data-x"])).toEqual(["1000"]);
    expect(byClass(svg, "untrusted-count").map((n) => n["data-count"])).toEqual(["1"]);
  });
  it("follows the caller's verdict when one is given", () => {
    const svg = pathPlot({ ...steps, series: [{ ...steps.series[0]!, trusted: [true, true, false, true, true, true] }] });
    expect(byClass(svg, "point untrusted").map((p) => p["data-x"])).toEqual(["400"]);
  });
  it("counts untrusted points per series and rings each place once", () => {
    const svg = pathPlot(coincident);
    expect(byClass(svg, "point untrusted")).toHaveLength(8);
    const counts = byClass(svg, "untrusted-count");
    expect(counts.map((n) => [n["data-count"], n.text])).toEqual(Array(4).fill(["2", " · 2 untrusted"]));
    const rings = byClass(svg, "untrusted-mark");
    expect(rings.map((r) => r["data-count"])).toEqual(["4", "4"]);
    // each ring is wider than the largest marker at its place
    const biggest = byClass(svg, "point untrusted").filter((p) => p["data-x"] === "0.001").map((p) => markBox(p).x1 - markBox(p).x0);
    expect(+rings[0]!.r!).toBeGreaterThan(Math.max(...biggest) / 2 + 1);
  });
  it("counts points it cannot draw", () => {
    const svg = pathPlot({ series: [{ name: "a", x: [1, 2, 3, 4], y: [1e-3, 0, NaN, 1e-4] }] });
    expect(byClass(svg, "point")).toHaveLength(2);
    expect(byClass(svg, "hidden-count")[0]!["data-count"]).toBe("2");
  });
});

describe("pathPlot: linear x axis", () => {
  const svg = pathPlot(steps);
  it("puts nice linear ticks on x and uses the x label verbatim", () => {
    expect(byClass(svg, "x-tick-label").map((t) => t.text)).toEqual(["0", "200", "400", "600", "800", "1000"]);
    expect(byClass(svg, "x-label")[0]!.text).toBe("step");
    const x = axis(svg, "x", false);
    for (const p of byClass(svg, "point")) expect(Math.abs(center(p)[0] - x.px(Number(p["data-x"])))).toBeLessThan(0.02);
    expect(center(byClass(svg, "point")[0]!)[0]).toBe(plotBox(svg).x0); // step 0 at the left edge
  });
  it("draws the ln-x fit as a curve over the fit window, every vertex on the fit", () => {
    const l = byClass(svg, "fit-line")[0]!;
    expect(l.tag).toBe("polyline");
    expect([+l["data-x1"]!, +l["data-x2"]!]).toEqual([200, 1000]); // step 0 is not fitted
    const [xa, ya] = [axis(svg, "x", false), axis(svg, "y", true)];
    const pts = l.points!.split(" ").map((p) => p.split(",").map(Number) as [number, number]);
    expect(pts.length).toBeGreaterThan(10);
    for (const [px, py] of pts) expect(Math.abs(residual(steps.series[0]!.fit!, xa.data(px), ya.data(py), true))).toBeLessThan(0.005);
  });
  it("keeps the log x axis by default", () => {
    const s = pathPlot({ ...steps, logX: undefined, series: [{ ...steps.series[0]!, x: [1, 200, 400, 600, 800, 1000] }] });
    expect(byClass(s, "x-tick-label").map((t) => t.text)).toEqual(["1", "10", "100", "1000"]);
    expect(byClass(s, "fit-line")[0]!.tag).toBe("line");
  });
});
