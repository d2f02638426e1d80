// SVG plots: structure (axis labels, every point inside the plot box, floor line at the right y,
// the marks guarded by clip paths of the box) and snapshots of fixed inputs.
import { describe, expect, it } from "vitest";
import { pathPlot, spectrumPlot } from "../../src/plot/index.js";
import { coincident, floorsSpec, path, spec } from "./inputs.js";
import { axis, byClass, center, elements, plotBox } from "./svg-parse.js";

const inside = (svg: string, [cx, cy]: [number, number]): boolean => {
  const b = plotBox(svg);
  return cx >= b.x0 - 1e-9 && cx <= b.x1 + 1e-9 && cy >= b.y0 - 1e-9 && cy <= b.y1 + 1e-9;
};
const tickLabels = (svg: string, which: "x" | "y"): string[] => byClass(svg, `${which}-tick-label`).map((t) => t.text);

/** The clip paths: one exactly the plot box (lines), one the box padded a little (markers), and what each group holds. */
function clipGroups(svg: string) {
  const rects = [...svg.matchAll(/<clipPath id="([^"]+)"><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"\/><\/clipPath>/g)];
  const group = (cls: string): string => {
    const m = new RegExp(`<g class="${cls}" clip-path="url\\(#([^)]+)\\)">([\\s\\S]*?)</g>`).exec(svg)!;
    const r = rects.find((c) => c[1] === m[1])!;
    return JSON.stringify({ x: +r[2]!, y: +r[3]!, w: +r[4]!, h: +r[5]! }) + "\n" + m[2]!;
  };
  return { lines: group("lines"), marks: group("marks") };
}

describe("spectrumPlot", () => {
  const svg = spectrumPlot(spec);
  it("is a standalone SVG with title, axis labels and decade ticks", () => {
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(">G spectrum</text>");
    expect(byClass(svg, "axis-label").length).toBe(2);
    const yTicks = tickLabels(svg, "y");
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    for (const t of yTicks) expect(t).toMatch(/^(1e-?\d+|0\.0?1|0\.1|1|10|100|1000)$/);
  });
  it("draws every point inside the plot box, below-floor points marked", () => {
    const pts = byClass(svg, "point");
    expect(pts).toHaveLength(7);
    for (const p of pts) expect(inside(svg, center(p))).toBe(true);
    expect(byClass(svg, "point below-floor").map((p) => p["data-value"])).toEqual(["1e-14", "0", "-1e-17"]);
  });
  it("puts the floor line at the floor's y and shades the band below it", () => {
    const b = plotBox(svg);
    const floor = byClass(svg, "floor")[0]!;
    expect(+floor["data-value"]!).toBe(4.4e-13);
    expect(Math.abs(+floor.y1! - axis(svg, "y", true).px(4.4e-13))).toBeLessThan(0.02);
    const band = byClass(svg, "untrusted-band")[0]!;
    expect(Math.abs(+band.y! - +floor.y1!)).toBeLessThan(0.01);
    expect(Math.abs(+band.y! + +band.height! - b.y1)).toBeLessThan(0.01);
    expect(byClass(svg, "lambda-min")[0]!["data-value"]).toBe("3e-9");
  });
  it("guards the band and lines with a clip path of the plot box, the marks with one a little larger", () => {
    const g = clipGroups(svg);
    const b = plotBox(svg);
    expect(g.lines.split("\n")[0]).toBe(JSON.stringify({ x: b.x0, y: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0 }));
    expect(g.lines).toContain('class="untrusted-band"');
    expect(g.lines).toContain('class="floor"');
    const m = JSON.parse(g.marks.split("\n")[0]!) as { x: number; y: number; w: number; h: number };
    expect(m.x).toBeLessThan(b.x0);
    expect(m.x).toBeGreaterThan(b.x0 - 12);
    expect((g.marks.match(/class="point/g) ?? []).length).toBe(7);
    expect(g.marks).toContain('class="lambda-min"');
  });
  it("gives different plots different clip-path ids (two plots inlined in one page)", () => {
    const ids = (s: string) => [...s.matchAll(/<clipPath id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set([...ids(svg), ...ids(spectrumPlot(floorsSpec))]).size).toBe(4);
    expect(ids(svg)).toEqual(ids(spectrumPlot(spec))); // deterministic
  });
  it("matches its snapshot", () => {
    expect(svg).toMatchSnapshot();
  });
  it("matches its snapshot with extra floors", () => {
    expect(spectrumPlot(floorsSpec)).toMatchSnapshot();
  });
});

describe("pathPlot", () => {
  const svg = pathPlot(path);
  it("draws all points inside the box, hollow outside the fit window, and a fit line per series", () => {
    const pts = byClass(svg, "point");
    expect(pts).toHaveLength(6);
    for (const p of pts) expect(inside(svg, center(p))).toBe(true);
    expect(pts.filter((p) => p.fill === "#fff").map((p) => [p["data-series"], p["data-x"]])).toEqual([["r=2", "0.001"]]);
    const lines = byClass(svg, "fit-line");
    expect(lines.map((l) => l["data-slope"])).toEqual(["6", "12"]);
    for (const l of lines) expect(inside(svg, [+l.x1!, +l.y1!]) && inside(svg, [+l.x2!, +l.y2!])).toBe(true);
    // the r=2 line starts at its first windowed point (t = 1e-2)
    expect(Math.abs(+lines[1]!.x1! - center(pts.find((p) => p["data-series"] === "r=2" && p["data-x"] === "0.01")!)[0])).toBeLessThan(0.01);
  });
  it("puts slope ± SE and R² in the legend, decade ticks on x, and the x label verbatim", () => {
    expect(svg).toContain("r=1: slope 6 ± 0.01, R² 0.9999");
    expect(svg).toContain("r=2: slope 12 ± 0.02, R² 0.9998");
    expect(tickLabels(svg, "x")).toEqual(["1e-3", "0.01", "0.1"]);
    expect(byClass(svg, "x-label")[0]!.text).toBe("t");
    expect(byClass(pathPlot({ ...path, xLabel: "step <k>" }), "x-label")[0]!.text).toBe("step <k>");
  });
  it("gives the two series different marker shapes and the hollow point a key", () => {
    const shapes = (s: string) => new Set(byClass(svg, "point").filter((p) => p["data-series"] === s).map((p) => p["data-shape"]));
    expect([...shapes("r=1"), ...shapes("r=2")]).toEqual(["circle", "square"]);
    expect(byClass(svg, "legend-key").map((k) => k.text)).toEqual(["hollow: outside the fit window"]);
    expect(byClass(svg, "coincident-note")).toEqual([]);
  });
  it("puts the fit lines in the box-clipped group and the markers in the marks group", () => {
    const g = clipGroups(svg);
    expect((g.lines.match(/class="fit-line"/g) ?? []).length).toBe(2);
    expect((g.marks.match(/class="point"/g) ?? []).length).toBe(6);
    // nothing drawn after the marks group is a mark: only legend
    const after = elements(svg.slice(svg.lastIndexOf("</g>")));
    expect(after.every((e) => e.class === undefined || /^legend/.test(e.class) || e.tag === "tspan")).toBe(true);
  });
  it("matches its snapshot", () => {
    expect(svg).toMatchSnapshot();
  });
  it("matches its snapshot with four coincident series, floors and untrusted points", () => {
    expect(pathPlot(coincident)).toMatchSnapshot();
  });
});
