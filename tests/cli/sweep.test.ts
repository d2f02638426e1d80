// dds sweep and its statistics (docs/sweep.md): Spearman ρ with a permutation p-value (exact
// enumeration for n ≤ 9, seeded Monte Carlo beyond), the collapse ratio, group medians; checked against
// an independent enumeration and against spearman/median over the per-file readings.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, median, rankdata, readCheckpoint, spearman, spearmanTest } from "../../src/entry/default.js";

const root = join(import.meta.dirname, "..", "..");
const rrrDir = join("examples", "data", "rrr");
const tmp = mkdtempSync(join(tmpdir(), "dds-sweep-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await init();
});

function dds(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "dist", "cli.js"), ...args], { encoding: "utf8", timeout: 120_000, cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Two-sided permutation p by brute force: every permutation of y's ranks (swap recursion), |ρ| ≥ |ρ_obs|. */
function bruteP(x: number[], y: number[]): number {
  const rx = rankdata(x);
  const ry = Array.from(rankdata(y));
  const n = x.length;
  const m = (n + 1) / 2;
  const dot = (yy: number[]) => yy.reduce((acc, v, i) => acc + (rx[i]! - m) * (v - m), 0);
  const obs = Math.abs(dot(ry)) * (1 - 1e-12);
  let hits = 0;
  let total = 0;
  const rec = (k: number): void => {
    if (k === n) {
      total++;
      if (Math.abs(dot(ry)) >= obs) hits++;
      return;
    }
    for (let i = k; i < n; i++) {
      [ry[k], ry[i]] = [ry[i]!, ry[k]!];
      rec(k + 1);
      [ry[k], ry[i]] = [ry[i]!, ry[k]!];
    }
  };
  rec(0);
  return hits / total;
}

describe("spearmanTest", () => {
  it("is exact for n ≤ 9: equal to brute-force enumeration, ties included", () => {
    expect(spearmanTest([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toMatchObject({ rho: 1, p: 2 / 120, method: "exact", n: 5 });
    const cases: [number[], number[]][] = [
      [[1, 2, 3, 4, 5, 6], [2, 1, 4, 4, 6, 5]],
      [[3, 1, 4, 1, 5, 9, 2], [2, 7, 1, 8, 2, 8, 1]],
      [[0, 0, 1, 1, 2, 2, 3, 3], [5e-9, 3e-9, 1e-10, 2e-10, 4e-12, 1e-11, 9e-14, 2e-13]],
    ];
    for (const [x, y] of cases) {
      const t = spearmanTest(x, y);
      expect(t.method).toBe("exact");
      expect(t.rho).toBe(spearman(x, y));
      expect(t.p).toBeCloseTo(bruteP(x, y), 12);
    }
  });

  it("is a deterministic Monte Carlo beyond 9 points, within its sampling error of the exact p", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = [2, 1, 4, 3, 7, 5, 6, 10, 8, 9];
    const a = spearmanTest(x, y);
    expect(a).toEqual(spearmanTest(x, y)); // same seed, same bits
    expect(a.method).toBe("monte-carlo");
    const exact = bruteP(x, y); // 10! permutations
    const se = Math.sqrt((exact * (1 - exact)) / 20_000);
    expect(Math.abs(a.p - exact)).toBeLessThanOrEqual(4 * se + 1 / 20_001);
    expect(a.p).toBeGreaterThan(0); // (k + 1)/(draws + 1): never exactly 0
  }, 60_000);

  it("has no p for a constant side", () => {
    expect(spearmanTest([1, 1, 1], [1, 2, 3])).toMatchObject({ rho: NaN, p: NaN, method: "none" });
    expect(rankdata([2, 2])).toEqual(Float64Array.from([1.5, 1.5]));
  });
});

describe("dds sweep over the reduced-rank-regression cells (examples/data/rrr)", () => {
  const files = readdirSync(join(root, rrrDir)).sort().map((f) => join(rrrDir, f));
  let rep: { readings: Record<string, unknown>[]; sweeps: Record<string, unknown>[]; groups: Record<string, unknown>[] };
  let out = "";
  beforeAll(() => {
    const r = dds("sweep", ...files, "--x", "X_h1", "--gamma", "G_h1", "--by", "lambda", "--split", "deficit=0", "--also", "deficit", "--json", join(tmp, "sweep.json"), "--svg", join(tmp, "svg"));
    expect(r.code, r.err).toBe(0);
    out = r.out;
    rep = JSON.parse(readFileSync(join(tmp, "sweep.json"), "utf8"));
  }, 120_000);

  it("gives the numbers spearman and median give over the per-file readings", async () => {
    expect(files).toHaveLength(14);
    const rows = [];
    for (const f of files) rows.push(await readCheckpoint(readFileSync(join(root, f)), { x: "X_h1", gamma: "G_h1" }));
    const lam = rows.map((r) => Number(r.metadata.lambda));
    const def = rows.map((r) => Number(r.metadata.deficit));
    const lmin = rows.map((r) => r.reading.factor!.lambdaMinPos);
    const s = rep.sweeps.find((w) => w.observable === "lambda_min_pos")!;
    expect(s.rho).toBe(spearman(lmin, lam));
    expect(s.rho_also).toBe(spearman(lmin, def));
    expect(s.collapse).toBe(median(lmin.filter((_, i) => def[i] === 0)) / median(lmin.filter((_, i) => def[i]! > 0)));
    expect(s.collapse as number).toBeGreaterThan(100); // the anchor's collapse at the bottleneck
    expect(s.rho as number).toBeLessThan(0); // bigger λ, lower minimum
    expect(s).toMatchObject({ n: 14, p_method: "monte-carlo", split_key: "deficit", split: 0, n_low: 4, n_high: 10 });
    expect(s.p as number).toBeGreaterThan(0);
    expect(rep.readings.map((r) => r["sweep/lambda"])).toEqual(lam);
    // per-group medians: one row per distinct λ and observable
    const g = rep.groups.filter((r) => r.observable === "lambda_min_pos");
    expect(g.map((r) => r.value)).toEqual([...new Set(lam)].sort((a, b) => a - b));
    for (const r of g) expect(r.median).toBe(median(lmin.filter((_, i) => lam[i] === r.value)));
  });

  it("prints the table and writes a scatter plot per observable", () => {
    expect(out).toMatch(/observable\s+n\s+ρ vs lambda\s+p\s+method\s+ρ vs deficit\s+p\s+median deficit ≤ 0\s+median above\s+collapse\s+untrusted/);
    expect(out).toMatch(/\nmedians per lambda\n/);
    const svgs = readdirSync(join(tmp, "svg")).sort();
    expect(svgs).toEqual(["sweep-lambda_min_pos.svg", "sweep-logdet_pos.svg", "sweep-margin_decades.svg", "sweep-n_pos.svg", "sweep-q_dead.svg", "sweep-sigma_min.svg"]);
    const svg = readFileSync(join(tmp, "svg", "sweep-lambda_min_pos.svg"), "utf8");
    expect(svg.match(/class="point"/g)).toHaveLength(14);
    expect(svg).toMatch(/Spearman ρ = -0\.19\d* against lambda/);
  });

  it("reads the key from a file-name pattern, and names the file when a key is missing", () => {
    const byName = dds("sweep", ...files, "--x", "X_h1", "--gamma", "G_h1", "--by", "H(\\d)", "--json", "-", "--quiet");
    expect(byName.code, byName.err).toBe(0);
    expect(JSON.parse(byName.out).readings.map((r: Record<string, unknown>) => r["sweep/H(\\d)"])).toEqual(files.map((f) => Number(/H(\d)/.exec(f)![1])));
    const missing = dds("sweep", ...files, "--x", "X_h1", "--gamma", "G_h1", "--by", "width");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^dds: examples\/data\/rrr\/H1-r0\.safetensors: "width" in the metadata or the file name not found \(metadata keys: "M", "N", "H", "r", "deficit", "lambda"/);
  });
});
