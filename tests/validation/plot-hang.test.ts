// Issue 12 item 5: plots never hang and never write NaN/Infinity into the SVG, whatever the numbers:
// 1e±308, subnormals, equal values, near-equal large values, NaN/±Infinity mixed in.
import { describe, expect, it } from "vitest";
import { pathPlot, scatterPlot, spectrumPlot } from "../../src/plot/index.js";
import { DdsError } from "../../src/errors.js";

const SUB = 5e-324;
const CASES: Record<string, number[]> = {
  huge: [1e308, 1.7976931348623157e308, 1e300],
  tiny: [1e-308, 2.2250738585072014e-308, 1e-300],
  subnormal: [SUB, 1e-320, 3e-310],
  span: [SUB, 1.7976931348623157e308],
  equal: [3, 3, 3, 3],
  nearEqualLarge: [1e300, 1e300 * (1 + 2 ** -52), 1e300 * (1 + 2 ** -51)],
  nearEqualOnes: [1, 1 + 2 ** -52, 1 + 2 ** -51],
  negativeHuge: [-1.7976931348623157e308, 1.7976931348623157e308],
  withNonFinite: [1, NaN, Infinity, -Infinity, 2, 0, -3],
};

/** Every number in a coordinate-like attribute is finite; the SVG is one closed element. */
function wellFormed(svg: string): void {
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  const coords = [...svg.matchAll(/\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height|d|points|transform)="([^"]*)"/g)];
  for (const [, name, value] of coords) expect(value!, `${name}="${value}"`).not.toMatch(/NaN|Infinity/);
}

function timed(f: () => string): string {
  const t0 = performance.now();
  const out = f();
  expect(performance.now() - t0).toBeLessThan(1000);
  return out;
}

describe("plots at the edges of float64", () => {
  for (const [name, v] of Object.entries(CASES)) {
    it(`spectrumPlot: ${name}`, () => {
      const pos = v.filter((x) => x > 0 && Number.isFinite(x));
      wellFormed(timed(() => spectrumPlot({ values: v, floor: pos.length ? Math.min(...pos) : undefined, lambdaMinPos: pos.length ? Math.min(...pos) : undefined })));
    });
    it(`pathPlot (log and linear y): ${name}`, () => {
      const x = v.map((_, i) => 10 ** -(i + 1));
      for (const logY of [true, false]) wellFormed(timed(() => pathPlot({ series: [{ name: "s", x, y: v, fit: { slope: 1e300, intercept: -1e300, seSlope: 1, r2: 1 } }], logY, logX: true })));
      wellFormed(timed(() => pathPlot({ series: [{ name: "s", x: v, y: v }], logY: false, logX: false })));
    });
    it(`scatterPlot: ${name}`, () => {
      wellFormed(timed(() => scatterPlot({ x: v, y: [...v].reverse() })));
    });
  }
  it("refuses what is not data, by name", () => {
    expect(() => spectrumPlot({ values: [1, "2" as never] })).toThrow(DdsError);
    expect(() => pathPlot({ series: [{ name: "s", x: [1, 2], y: [1] }] })).toThrow(/has 2 x values and 1 y values/);
    expect(() => scatterPlot({ x: [1], y: [1], logX: "yes" as never })).toThrow(/option logX must be true, false or "auto"/);
  });
});
