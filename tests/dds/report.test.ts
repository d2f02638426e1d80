import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildReport, deepLinearBridge, init, layerReading, layerRow, pathRow, ratioRow, REPORT_SCHEMA, type Row } from "../../src/entry/default.js";

const readings: Row[] = [];
const paths: Row[] = [];

beforeAll(async () => {
  await init();
  for (const r of [1, 2]) {
    const pts = deepLinearBridge({ r, N: 120 });
    const layer = pts.map((p) => layerReading(p.X[0]!, p.gamma[0]!));
    pts.forEach((p, i) => readings.push(layerRow(`r=${r} t=${p.t}`, "h1", layer[i]!, p.t)));
    paths.push(pathRow({ series: `r=${r}`, layer: "h1", x: pts.map((p) => p.t), readings: layer }));
  }
}, 60_000);

describe("report (dds-report v1)", () => {
  it("has flat namespaced keys with recipe, floor and margin on every reading", () => {
    const rep = buildReport({ readings, paths, ratios: [ratioRow(paths[1]!, paths[0]!)] });
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect([rep.schema, rep.version, rep.library.name, rep.library.version]).toEqual([REPORT_SCHEMA, 2, pkg.name, pkg.version]);
    for (const row of rep.readings) {
      for (const k of ["dds/recipe", "dds/floor", "dds/margin_decades", "dds/lambda_min_pos", "dds/logdet_pos", "gram/floor", "gram/margin_decades", "gram/dropped_vs_factor", "act/sigma_min", "dir/q_dead", "dir/z"]) {
        expect(row, k).toHaveProperty([k]);
      }
      for (const [k, v] of Object.entries(row)) {
        if (k === "warnings") expect(Array.isArray(v)).toBe(true);
        else expect(["number", "string", "boolean"].includes(typeof v) || v === null, `${k}: ${String(v)}`).toBe(true);
        if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
      }
    }
    // the Gram path loses dead directions at small t and says so
    expect(rep.readings.some((r) => (r["gram/dropped_vs_factor"] as number) > 0 && (r.warnings as string[]).some((w) => /gram: dropped/.test(w)))).toBe(true);
    const [p1, p2] = rep.paths;
    expect(Math.abs((p1!["slope/logdet_pos"] as number) - 6)).toBeLessThan(0.1);
    expect(Math.abs((p2!["slope/logdet_pos"] as number) - 12)).toBeLessThan(0.2);
    expect(p1!["count/dead"]).toBe(1);
    expect(p2!["count/dead"]).toBe(2);
    expect(p1!["kl/k_int"]).toBe(4); // λ⁺_min rate 6 → k = 1 + 6/2
    expect(rep.ratios[0]!["ratio/count"]).toBe(2);
    // JSON round trip is lossless (null for undefined values, no NaN tokens)
    const text = JSON.stringify(rep);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(rep)));
  });
});
