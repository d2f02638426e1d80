// dds sweep: one reading per file, then each observable against a swept quantity across the files —
// Spearman ρ with a permutation p-value, the collapse ratio between two classes, per-group medians,
// a table, the JSON report and a scatter plot per observable (docs/sweep.md).

import { basename } from "node:path";
import {
  buildReport, collapseBetween, effectiveRank, groupMedians, load, scatterPlot, spearmanTest, stableRank, svdvals,
  type CheckpointReading, type RankCorrelation, type Row,
} from "../entry/node.js";
import { InputError, readFiles, safe, svgTo, UsageError, writeOut, type Common, type LayerFlags } from "./commands.js";
import { COMMANDS } from "./spec.js";
import { renderTable, type CellValue } from "./table.js";

interface Observable {
  readonly key: string;
  readonly label: string;
  readonly value: (r: CheckpointReading, w?: Row) => number | null;
  readonly trusted: (r: CheckpointReading) => boolean;
  /** A collapse ratio means something (positive readings, not logs or counts). */
  readonly ratio: boolean;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const gTrusted = (r: CheckpointReading): boolean => r.row["dds/verdict"] === "trusted" || r.row["dds/verdict"] === "marginal";

const OBSERVABLES: readonly Observable[] = [
  { key: "lambda_min_pos", label: "λ⁺min(G)", value: (r) => num(r.row["dds/lambda_min_pos"]), trusted: gTrusted, ratio: true },
  { key: "logdet_pos", label: "log det⁺(G)", value: (r) => num(r.row["dds/logdet_pos"]), trusted: gTrusted, ratio: false },
  { key: "n_pos", label: "nPos", value: (r) => num(r.row["dds/n_pos"]), trusted: gTrusted, ratio: false },
  { key: "margin_decades", label: "margin (decades)", value: (r) => num(r.row["dds/margin_decades"]), trusted: gTrusted, ratio: false },
  { key: "sigma_min", label: "σmin(X)", value: (r) => num(r.row["act/sigma_min"]), trusted: (r) => r.row["act/trusted"] === true, ratio: true },
  { key: "q_dead", label: "uᵀGu along u_dead", value: (r) => num(r.row["dir/q_dead"]), trusted: gTrusted, ratio: true },
];

const WEIGHT_OBSERVABLES: readonly Observable[] = [
  { key: "w_sigma_max", label: "σmax(W)", value: (_r, w) => num(w?.["w/sigma_max"]), trusted: () => true, ratio: true },
  { key: "w_stable_rank", label: "stable rank(W)", value: (_r, w) => num(w?.["w/stable_rank"]), trusted: () => true, ratio: true },
  { key: "w_effective_rank", label: "effective rank(W)", value: (_r, w) => num(w?.["w/effective_rank"]), trusted: () => true, ratio: true },
];

/**
 * The swept value of one file: its metadata KEY; else, when KEY holds a regex capture group, the
 * group's match in the file name; else `KEY=v`, `KEY-v`, `KEY_v` or `KEYv` in the file name.
 */
export function keyValue(r: CheckpointReading, key: string, file: string): number {
  let raw: string | undefined = r.metadata[key];
  let where = `metadata key ${JSON.stringify(key)}`;
  const name = basename(file);
  if (raw === undefined) {
    const re = key.includes("(") ? new RegExp(key) : new RegExp(`(?:^|[^A-Za-z0-9])${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[=_-]?(-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?)`, "i");
    raw = re.exec(name)?.[1];
    where = key.includes("(") ? `the pattern ${key} in the file name` : `${JSON.stringify(key)} in the metadata or the file name`;
  }
  const v = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new InputError(`${file}: ${where} ${raw === undefined ? "not found" : `is ${JSON.stringify(raw)}, not a number`} (metadata keys: ${Object.keys(r.metadata).map((k) => JSON.stringify(k)).join(", ") || "none"})`);
  return v;
}

export interface SweepFlags extends LayerFlags {
  by: string;
  also?: string;
  /** Classes for the collapse ratio: KEY ≤ value vs KEY > value (KEY: `by` unless given). */
  split?: { key?: string; value: number };
  weights?: string;
}

function testRow(o: Observable, against: string, c: RankCorrelation, keep: number[]): Row {
  return { observable: o.key, against, n: c.n, dropped: keep.length - c.n, rho: num(c.rho), p: num(c.p), p_method: c.method };
}

/** dds sweep <files…> --by KEY: Spearman ρ (with p), collapse ratio and group medians of every observable. */
export async function cmdSweep(files: string[], o: SweepFlags, c: Common): Promise<unknown> {
  if (files.length < 3) throw new UsageError("sweep needs at least three files (one reading each)", COMMANDS.sweep);
  const rs = await readFiles(files, o, c);
  const by = rs.map((r, i) => keyValue(r, o.by, files[i]!));
  const also = o.also ? rs.map((r, i) => keyValue(r, o.also!, files[i]!)) : undefined;
  const splitKey = o.split?.key ?? o.by;
  const cls = o.split ? rs.map((r, i) => keyValue(r, splitKey, files[i]!)) : undefined;
  const splitText = o.split ? `${splitKey} ≤ ${o.split.value}` : "";
  const weightRows: (Row | undefined)[] = [];
  for (const f of files) {
    if (!o.weights) break;
    const { data, shape } = await load(f, o.weights);
    if (shape.length !== 2) throw new InputError(`${f}: --weights ${o.weights} has shape [${shape.join(", ")}]; it must be a matrix`);
    const s = svdvals(data, [shape[0]!, shape[1]!]);
    weightRows.push({ "w/sigma_max": s[0] ?? null, "w/stable_rank": stableRank(s), "w/effective_rank": effectiveRank(s) });
  }
  const observables = [...OBSERVABLES, ...(o.weights ? WEIGHT_OBSERVABLES : [])];
  const sweeps: Row[] = [];
  const groups: Row[] = [];
  const table: CellValue[][] = [];
  for (const ob of observables) {
    const vals = rs.map((r, i) => ob.value(r, weightRows[i]));
    const keep = vals.flatMap((v, i) => (v === null ? [] : [i]));
    const y = keep.map((i) => vals[i]!);
    const t = spearmanTest(keep.map((i) => by[i]!), y);
    const row = testRow(ob, o.by, t, vals.map((_, i) => i));
    if (also) {
      const t2 = spearmanTest(keep.map((i) => also[i]!), y);
      Object.assign(row, { also: o.also, rho_also: num(t2.rho), p_also: num(t2.p) });
    }
    if (o.split && cls) {
      const col = collapseBetween(y, keep.map((i) => cls[i]!), o.split.value);
      Object.assign(row, { split_key: splitKey, split: o.split.value, median_low: num(col.medianLow), median_high: num(col.medianHigh), collapse: ob.ratio ? num(col.ratio) : null, n_low: col.nLow, n_high: col.nHigh });
    }
    row.untrusted = rs.filter((r) => !ob.trusted(r)).length;
    sweeps.push(row);
    for (const g of groupMedians(y, keep.map((i) => by[i]!))) groups.push({ observable: ob.key, key: o.by, value: g.key, n: g.n, median: num(g.median) });
    table.push([ob.label, t.n, row.rho as number | null, row.p as number | null, t.method, ...(also ? [row.rho_also as number | null, row.p_also as number | null] : []),
      ...(o.split ? [row.median_low as number | null, row.median_high as number | null, row.collapse as number | null] : []), row.untrusted as number]);
    const notes = [`Spearman ρ = ${fmtNum(t.rho)} against ${o.by}, p = ${fmtNum(t.p)} (${t.method}, n = ${t.n})`];
    if (also) notes.push(`against ${o.also}: ρ = ${fmtNum(row.rho_also as number | null)}, p = ${fmtNum(row.p_also as number | null)}`);
    if (o.split && ob.ratio) notes.push(`collapse (median over ${splitText} / median over the rest): ${fmtNum(row.collapse as number | null)}×`);
    const p = svgTo(c, `sweep-${safe(ob.key)}.svg`, scatterPlot({
      x: keep.map((i) => by[i]!), y, trusted: keep.map((i) => ob.trusted(rs[i]!)), labels: keep.map((i) => files[i]!),
      title: `${ob.label} against ${o.by} (${o.layer ?? o.x})`, xLabel: o.by, yLabel: ob.label, notes,
    }));
    if (p && !c.quiet) c.out(`wrote ${p}`);
  }
  c.out(`\n${rs.length} readings; ρ is Spearman's (average ranks), p two-sided by permutation (exact for n ≤ 9)`);
  c.out(renderTable(["observable", "n", `ρ vs ${o.by}`, "p", "method", ...(also ? [`ρ vs ${o.also}`, "p"] : []),
    ...(o.split ? [`median ${splitText}`, "median above", "collapse"] : []), "untrusted"], table));
  const keys = [...new Set(by)].sort((a, b) => a - b);
  c.out(`\nmedians per ${o.by}`);
  c.out(renderTable([o.by, "n", ...observables.map((ob) => ob.label)], keys.map((k) => {
    const g = groups.filter((r) => r.value === k);
    return [k, (g[0]?.n as number) ?? 0, ...observables.map((ob) => (g.find((r) => r.observable === ob.key)?.median as number | null) ?? null)];
  })));
  const report = { ...buildReport({ readings: rs.map((r, i) => ({ ...r.row, [`sweep/${o.by}`]: by[i]!, ...(also ? { [`sweep/${o.also}`]: also[i]! } : {}) })) }), sweeps, groups };
  if (c.json) writeOut(c.json, JSON.stringify(report, null, 2), c);
  return report;
}

function fmtNum(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}
