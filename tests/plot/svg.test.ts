// SVG plots: structure (axis labels, every point inside the plot box, floor line at the right y) and
// snapshots of two fixed inputs.
import { describe, expect, it } from "vitest";
import { pathPlot, spectrumPlot } from "../../src/plot/index.js";

function attrs(svg: string, cls: string): Record<string, string>[] {
  const re = new RegExp(`<(?:circle|line|rect|text)[^>]*class="${cls}(?: [^"]*)?"[^>]*>`, "g");
  return [...svg.matchAll(re)].map((m) => Object.fromEntries([...m[0].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}
function plotBox(svg: string) {
  const b = attrs(svg, "plot-box")[0]!;
  return { x: +b.x!, y: +b.y!, w: +b.width!, h: +b.height! };
}
const inside = (svg: string, cx: number, cy: number): boolean => {
  const b = plotBox(svg);
  return cx >= b.x - 1e-9 && cx <= b.x + b.w + 1e-9 && cy >= b.y - 1e-9 && cy <= b.y + b.h + 1e-9;
};

const spec = { values: [2, 0.5, 1e-3, 3e-9, 1e-14, 0, -1e-17], floor: 4.4e-13, lambdaMinPos: 3e-9, title: "G spectrum" };
const path = {
  title: "bridge",
  logY: false,
  series: [
    { name: "r=1", x: [1e-3, 1e-2, 1e-1], y: [-40, -26.2, -12.4], mask: [true, true, true], fit: { slope: 6, intercept: 1.4, seSlope: 0.01, r2: 0.9999 } },
    { name: "r=2", x: [1e-3, 1e-2, 1e-1], y: [-90, -52.4, -24.8], mask: [false, true, true], fit: { slope: 12, intercept: 2.8, seSlope: 0.02, r2: 0.9998 } },
  ],
};

describe("spectrumPlot", () => {
  const svg = spectrumPlot(spec);
  it("is a standalone SVG with title, axis labels and decade ticks", () => {
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(">G spectrum</text>");
    expect(attrs(svg, "axis-label").length).toBe(2);
    const yTicks = [...svg.matchAll(/class="tick-label y-tick-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    for (const t of yTicks) expect(t).toMatch(/^(1e-?\d+|0\.0?1|0\.1|1|10|100|1000)$/);
  });
  it("draws every point inside the plot box, below-floor points marked", () => {
    const pts = attrs(svg, "point");
    expect(pts).toHaveLength(7);
    for (const p of pts) expect(inside(svg, +p.cx!, +p.cy!)).toBe(true);
    expect(attrs(svg, "point below-floor")).toHaveLength(3); // 1e-14, 0, −1e-17
  });
  it("puts the floor line at the floor's y and shades the band below it", () => {
    const b = plotBox(svg);
    const floor = attrs(svg, "floor")[0]!;
    expect(+floor["data-value"]!).toBe(4.4e-13);
    // y of the floor on the log axis from the tick positions of two decades
    const ticks = attrs(svg, "tick y-tick");
    const ys = ticks.map((t) => +t.y1!);
    const decades = [...svg.matchAll(/class="tick-label y-tick-label"[^>]*>([^<]*)</g)].map((m) => Math.log10(Number(m[1])));
    const perDecade = (ys[0]! - ys[ys.length - 1]!) / (decades[decades.length - 1]! - decades[0]!);
    const expected = ys[0]! - (Math.log10(4.4e-13) - decades[0]!) * perDecade;
    expect(Math.abs(+floor.y1! - expected)).toBeLessThan(0.02);
    const band = attrs(svg, "untrusted-band")[0]!;
    expect(Math.abs(+band.y! - +floor.y1!)).toBeLessThan(0.01);
    expect(Math.abs(+band.y! + +band.height! - (b.y + b.h))).toBeLessThan(0.01);
    expect(attrs(svg, "lambda-min")[0]!["data-value"]).toBe("3e-9");
  });
  it("matches its snapshot", () => {
    expect(svg).toMatchSnapshot();
  });
});

describe("pathPlot", () => {
  const svg = pathPlot(path);
  it("draws all points inside the box, hollow outside the fit window, and a fit line per series", () => {
    const pts = attrs(svg, "point");
    expect(pts).toHaveLength(6);
    for (const p of pts) expect(inside(svg, +p.cx!, +p.cy!)).toBe(true);
    expect(pts.filter((p) => p.fill === "#fff")).toHaveLength(1);
    const lines = attrs(svg, "fit-line");
    expect(lines.map((l) => l["data-slope"])).toEqual(["6", "12"]);
    for (const l of lines) expect(inside(svg, +l.x1!, +l.y1!) && inside(svg, +l.x2!, +l.y2!)).toBe(true);
    // the r=2 line starts at its first windowed point (t = 1e-2)
    expect(Math.abs(+lines[1]!.x1! - +pts.find((p) => p["data-series"] === "r=2" && p["data-x"] === "0.01")!.cx!)).toBeLessThan(0.01);
  });
  it("puts slope ± SE and R² in the legend and decade ticks on x", () => {
    expect(svg).toContain("r=1: slope 6 ± 0.01, R² 0.9999");
    expect(svg).toContain("r=2: slope 12 ± 0.02, R² 0.9998");
    const xt = [...svg.matchAll(/class="tick-label x-tick-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(xt).toEqual(["1e-3", "0.01", "0.1"]);
  });
  it("matches its snapshot", () => {
    expect(svg).toMatchSnapshot();
  });
});
