// spectrumPlot's verdict: the count of directions at or below the floor, the extra floor lines, and
// the λ⁺min margin, all in the legend (no label inside the plot box).
import { describe, expect, it } from "vitest";
import { spectrumPlot } from "../../src/plot/index.js";
import { floorsSpec, spec } from "./inputs.js";
import { axis, byClass, plotBox } from "./svg-parse.js";

const count = (svg: string) => {
  const c = byClass(svg, "below-floor-count");
  expect(c).toHaveLength(1);
  return { n: Number(c[0]!["data-count"]), text: c[0]!.text };
};

describe("spectrumPlot: below-floor count", () => {
  it("counts the values at or below the floor, non-positive ones included", () => {
    const c = count(spectrumPlot(spec)); // 1e-14, 0, −1e-17 against 4.4e-13
    expect(c).toEqual({ n: 3, text: "3 of 7 directions at or below the floor (not counted)" });
  });
  it("counts a value equal to the floor as at or below it", () => {
    const svg = spectrumPlot({ values: [1, 1e-3, 1e-9], floor: 1e-9 });
    expect(count(svg).n).toBe(1);
    expect(byClass(svg, "point below-floor").map((p) => p["data-value"])).toEqual(["1e-9"]);
  });
  it("says so when no value is at or below the floor", () => {
    expect(count(spectrumPlot({ values: [5, 4, 3, 2, 1e-3], floor: 1e-12 }))).toEqual({ n: 0, text: "all 5 directions above the floor" });
    expect(count(spectrumPlot({ values: [1], floor: 1e-12 })).text).toBe("the only direction is above the floor");
    expect(count(spectrumPlot({ values: [] })).text).toBe("no values");
  });
  it("counts against 0 when there is no floor, and greys the non-positive values", () => {
    const svg = spectrumPlot({ values: [1, 0.1, 0, -1e-3] });
    expect(count(svg)).toEqual({ n: 2, text: "2 of 4 directions at or below 0 (not counted)" });
    expect(byClass(svg, "point below-floor")).toHaveLength(2);
    expect(byClass(svg, "floor")).toEqual([]);
    expect(byClass(svg, "untrusted-band")).toEqual([]);
  });
});

describe("spectrumPlot: extra floors", () => {
  const svg = spectrumPlot(floorsSpec);
  const y = axis(svg, "y", true);
  it("draws each extra floor at its value, with its kind and a style of its own", () => {
    const ex = byClass(svg, "floor-extra");
    expect(ex.map((e) => [e["data-kind"], Number(e["data-value"])])).toEqual([["arithmetic", 1e-12], ["input", 2e-8]]);
    for (const e of ex) expect(Math.abs(+e.y1! - y.px(Number(e["data-value"])))).toBeLessThan(0.02);
    const main = byClass(svg, "floor")[0]!;
    const dashes = [main, ...ex].map((e) => `${e.stroke} ${e["stroke-dasharray"]}`);
    expect(new Set(dashes).size).toBe(3);
  });
  it("keeps the band and the count on the main floor even when an extra floor is higher", () => {
    const main = byClass(svg, "floor")[0]!;
    expect(Math.abs(+byClass(svg, "untrusted-band")[0]!.y! - +main.y1!)).toBeLessThan(0.01);
    expect(count(svg).n).toBe(2); // 1e-15 and 0 against 1e-12; the input floor 2e-8 would give 4
  });
  it("labels each extra floor in the legend with how many values are at or below it", () => {
    expect(byClass(svg, "floor-extra-label").map((t) => t.text)).toEqual([
      "float64 arithmetic floor 1.000e-12 (2 at or below)",
      "float32 input rounding floor 2.000e-8 (4 at or below)",
    ]);
  });
  it("widens the y range to show a floor below every value", () => {
    const s = spectrumPlot({ values: [1, 0.5], floors: [{ value: 1e-20, label: "deep" }] });
    const b = plotBox(s);
    const y = +byClass(s, "floor-extra")[0]!.y1!;
    expect(y).toBeGreaterThan(b.y0);
    expect(y).toBeLessThan(b.y1); // a decade of room below the lowest floor
    expect(Number(byClass(s, "y-tick-label")[0]!.text)).toBeLessThanOrEqual(1e-20);
  });
  it("skips extra floors that are not positive and finite", () => {
    const s = spectrumPlot({ values: [1, 0.5], floor: 1e-9, floors: [{ value: 0, label: "zero" }, { value: NaN, label: "nan" }] });
    expect(byClass(s, "floor-extra")).toEqual([]);
    expect(byClass(s, "floor-extra-label")).toEqual([]);
  });
});

describe("spectrumPlot: labels in the legend", () => {
  it("labels the floor and λ⁺min with its margin in decades in the legend", () => {
    const svg = spectrumPlot(spec);
    expect(byClass(svg, "floor-label")[0]!.text).toBe("floor 4.400e-13: values at or below it count as zero (shaded)");
    // log10(3e-9 / 4.4e-13) = 3.8337
    expect(byClass(svg, "lambda-min-label")[0]!.text).toBe("λ⁺min 3.000e-9, 3.83 decades above the floor");
    expect(byClass(svg, "lambda-min-label")[0]!["data-value"]).toBe("3e-9");
  });
  it("says a λ⁺min at or below the floor is untrusted, and uses markLabel", () => {
    const svg = spectrumPlot({ values: [1, 1e-14], floor: 1e-12, lambdaMinPos: 1e-14, markLabel: "σmin" });
    expect(byClass(svg, "lambda-min-label")[0]!.text).toBe("σmin 1.000e-14, at or below the floor: untrusted");
  });
  it("keeps the ring around the λ⁺min point itself", () => {
    const svg = spectrumPlot(spec);
    const ring = byClass(svg, "lambda-min")[0]!;
    const pt = byClass(svg, "point").find((p) => p["data-value"] === "3e-9")!;
    expect([ring.cx, ring.cy]).toEqual([pt.cx, pt.cy]);
  });
  it("draws one legend swatch per legend row, matching the mark (dashed floor, orange ring)", () => {
    const svg = spectrumPlot(floorsSpec);
    const sw = byClass(svg, "legend-swatch");
    expect(sw).toHaveLength(byClass(svg, "legend").length);
    expect(sw.map((s) => s.tag)).toEqual(["line", "circle", "line", "line", "circle"]);
    expect(sw[0]!["stroke-dasharray"]).toBe(byClass(svg, "floor")[0]!["stroke-dasharray"]);
    expect(sw[4]!.stroke).toBe(byClass(svg, "lambda-min")[0]!.stroke);
    expect(sw[4]!.fill).toBe("none");
  });
});
