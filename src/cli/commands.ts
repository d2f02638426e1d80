// The `dds` subcommands. Each returns the report (or JSON-able object) and writes its table to stdout.

import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  DdsError, buildReport, effectiveRank, fileSource, inspect, layerNormKernel, load, pathRow, ratioRow, readCheckpoint, rrrRLCT, spectralEntropy,
  stableRank, svdvals, topKEnergy, readingPathPlot, readingSpectrumPlot, type CheckpointReading, type LayerOptions, type Row,
} from "../entry/node.js";
import { describeError, reasonOf } from "./errors.js";
import { progress } from "./progress.js";
import { COMMANDS, type CommandSpec } from "./spec.js";
import { renderTable, type CellValue } from "./table.js";

/** A wrong invocation: exit code 2 (with the command whose usage to show). */
export class UsageError extends Error {
  constructor(message: string, readonly spec?: CommandSpec) {
    super(message);
  }
}

export interface Common {
  json?: string;
  svg?: string;
  quiet: boolean;
  out: (s: string) => void;
}

export interface LayerFlags extends LayerOptions {
  x: string;
  gamma: string;
  /** Layer label (default: the X name). */
  layer?: string;
}

/** Write a file the user asked for, creating its folder; a file-system failure says what and where. */
function writeUserFile(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === "EEXIST" || code === "ENOTDIR" ? "a file of that name (or on its path) is in the way" : reasonOf(e);
    throw new InputError(`cannot create the folder ${dirname(path)} for ${path}: ${why}`);
  }
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${reasonOf(e)}`);
  }
}

export function writeOut(path: string, text: string, _c: Common): void {
  if (path === "-") process.stdout.write(text + "\n");
  else writeUserFile(path, text + "\n");
}

export function svgTo(c: Common, name: string, svg: string): string | undefined {
  if (!c.svg) return undefined;
  const p = join(c.svg, name);
  writeUserFile(p, svg);
  return p;
}

export const safe = (s: string) => s.replace(/[^\w.-]+/g, "_");

/** Bad input that is not the library's to name (files, series): exit 1 with the message as is. */
export class InputError extends Error {}

/** dds inspect <file>: tensor table from the header alone. */
export async function cmdInspect(files: string[], c: Common): Promise<unknown> {
  if (files.length !== 1) throw new UsageError("inspect takes exactly one file", COMMANDS.inspect);
  const ins = await inspect(files[0]!);
  const rows: CellValue[][] = ins.tensors.map((t) => [t.name, t.dtype, `[${t.shape.join(", ")}]`, t.byteSize]);
  c.out(`${files[0]} (${ins.format}, ${ins.tensors.length} tensors)`);
  c.out(renderTable(["name", "dtype", "shape", "bytes"], rows));
  const meta = Object.entries(ins.metadata);
  if (meta.length) c.out(`\nmetadata:\n${meta.map(([k, v]) => `  ${k} = ${v}`).join("\n")}`);
  if (c.json) writeOut(c.json, JSON.stringify(ins, null, 2), c);
  return ins;
}

/** The flags readCheckpoint takes (the command's other flags — --by, --group-by-metadata … — are not its options). */
const CHECKPOINT_KEYS = ["x", "gamma", "layer", "centerX", "centerGamma", "recipe", "scale", "rtol", "atol", "side", "inputRtol", "inputDtype", "tFromMetadata", "flatten"] as const;

function checkpointOptions(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(CHECKPOINT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

export async function readFiles(files: string[], o: LayerFlags & { tFromMetadata?: string; t?: number[] }, c: Common): Promise<CheckpointReading[]> {
  const bar = progress(files.length, !c.quiet && c.json !== "-");
  const out: CheckpointReading[] = [];
  try {
    for (const [i, f] of files.entries()) {
      const src = await fileSource(f);
      try {
        const opts = { ...(checkpointOptions(o as unknown as Record<string, unknown>) as unknown as LayerFlags), ...(o.t ? { t: o.t[i] } : {}), checkpoint: f, layer: o.layer ?? o.x };
        out.push(await readCheckpoint(src, { ...opts, onProgress: (done, total) => bar.part(basename(f), done, total) }));
      } finally {
        await src.close();
      }
      bar.tick(basename(f));
    }
  } finally {
    bar.done();
  }
  return out;
}

function warningsText(rows: readonly Row[]): string {
  const lines = rows.flatMap((r) => ((r.warnings as readonly string[]) ?? []).map((w) => `  ${r.checkpoint}: ${w}`));
  return lines.length ? `\nwarnings:\n${lines.join("\n")}` : "";
}

/** dds read <file…>: one layer reading per file. */
export async function cmdRead(files: string[], o: LayerFlags, c: Common): Promise<unknown> {
  if (files.length === 0) throw new UsageError("read needs at least one file", COMMANDS.read);
  const rs = await readFiles(files, o, c);
  const rows = rs.map((r) => r.row);
  c.out(renderTable(
    ["checkpoint", "N", "d", "nPos", "λmax", "λ⁺min", "log det⁺", "floor", "by", "margin", "gram nPos", "σmin(X)", "trusted", "uᵀGu", "z"],
    rows.map((r) => [r.checkpoint as string, r.N as number, r.d as number, r["dds/n_pos"] as number, r["dds/lambda_max"] as number, r["dds/lambda_min_pos"] as number,
      r["dds/logdet_pos"] as number, r["dds/floor"] as number, `${r["dds/floor_by"] === "input" ? `input ${r["dds/input_dtype"]}` : "f64"}`, r["dds/margin_decades"] as number, (r["gram/n_pos"] ?? null) as number | null,
      r["act/sigma_min"] as number, r["act/trusted"] as boolean, r["dir/q_dead"] as number, r["dir/z"] as number]),
  ) + warningsText(rows));
  for (const r of rs) {
    const name = basename(r.file ?? "checkpoint");
    const p = svgTo(c, `spectrum-${safe(name)}.svg`, readingSpectrumPlot(r.reading, { title: `spectrum of G = ΓᵀΓ/c (${(r.reading.factor ?? r.reading.gram)!.recipe} path): ${name}` }));
    if (p && !c.quiet) c.out(`wrote ${p}`);
  }
  const report = buildReport({ readings: rows });
  if (c.json) writeOut(c.json, JSON.stringify(report, null, 2), c);
  return report;
}

/** Per-checkpoint warnings of a path: all of them with --verbose, else a count by kind and how to see them. */
function pathWarnings(rows: readonly Row[], verbose: boolean): string {
  const all = rows.flatMap((r) => ((r.warnings as readonly string[]) ?? []).map((w) => [r.checkpoint as string, w] as const));
  if (all.length === 0) return "";
  if (verbose) return `\nper-checkpoint warnings:\n${all.map(([f, w]) => `  ${f}: ${w}`).join("\n")}`;
  const kinds = new Map<string, number>();
  for (const [, w] of all) kinds.set(w.split(":")[0]!, (kinds.get(w.split(":")[0]!) ?? 0) + 1);
  const files = new Set(all.map(([f]) => f)).size;
  return `\n${all.length} per-checkpoint warning(s) on ${files} of ${rows.length} checkpoints (${[...kinds].map(([k, n]) => `${k}: ${n}`).join(", ")}); list them with --verbose, or read "warnings" in --json`;
}


/** Refuse a series with repeated t, naming the files and the metadata keys that tell them apart. */
function checkDistinctT(name: string, list: readonly CheckpointReading[], groupBy: string | undefined): void {
  const byT = new Map<number, CheckpointReading[]>();
  for (const r of list) byT.set(r.t!, [...(byT.get(r.t!) ?? []), r]);
  const dup = [...byT].find(([, rs]) => rs.length > 1);
  if (!dup) return;
  const [t, rs] = dup;
  const keys = [...new Set(rs.flatMap((r) => Object.keys(r.metadata)))].filter((k) => new Set(rs.map((r) => r.metadata[k])).size > 1);
  const hint = keys.length > 0
    ? `the metadata key(s) ${keys.map((k) => JSON.stringify(k)).join(", ")} differ between them: read one series per value with --group-by-metadata ${keys[0]}`
    : "no metadata key tells them apart: read them as separate paths (one dds path per series)";
  const shown = rs.slice(0, 3).map((r) => r.row.checkpoint as string).join(", ") + (rs.length > 3 ? ` and ${rs.length - 3} more` : "");
  throw new InputError(`${rs.length} checkpoints of series ${JSON.stringify(name)} have t = ${t} (${shown}): a path needs one reading per t${groupBy ? "" : ", so these are probably several series mixed into one"}; ${hint}`);
}

/** dds path <files…>: readings along a path, slopes, ratios, counts, KL orders. */
/** How t is turned into the path's abscissa before fitting against ln t (docs/path-statistics.md#trajectories). */
export type TTransform = { kind: "none" } | { kind: "inv" } | { kind: "gap"; value: number };

/** The transformed abscissa, and its axis label from the label of t. */
export function applyTransform(tr: TTransform, t: number): number {
  return tr.kind === "inv" ? 1 / t : tr.kind === "gap" ? Math.abs(tr.value - t) : t;
}
function transformLabel(tr: TTransform, label: string): string {
  return tr.kind === "inv" ? `1/${label}` : tr.kind === "gap" ? `|${tr.value} − ${label}|` : label;
}

export interface PathFlags extends LayerFlags {
  t?: number[];
  tFromMetadata?: string;
  groupBy?: string;
  verbose?: boolean;
  tTransform?: TTransform;
  /** Plots: the x axis on a linear scale (fits stay against ln t). */
  xScale?: "linear" | "log";
  /** Plots without the fitted lines. */
  noFit?: boolean;
  /** A metadata series drawn on a second axis of the path plots. */
  overlay?: string;
}

export async function cmdPath(files: string[], o: PathFlags, c: Common): Promise<unknown> {
  if (files.length < 2) throw new UsageError("path needs at least two files (one per checkpoint)", COMMANDS.path);
  if (!o.t && !o.tFromMetadata) throw new UsageError("path needs --t V1,V2,… or --t-from-metadata KEY", COMMANDS.path);
  if (o.t && o.t.length !== files.length) throw new UsageError(`--t has ${o.t.length} values for ${files.length} files`, COMMANDS.path);
  const tr = o.tTransform ?? { kind: "none" };
  const read = await readFiles(files, o, c);
  // t → the abscissa (a training step → 1/step, a loss → its gap); ln t needs t > 0
  const dropped = read.filter((r) => !(applyTransform(tr, r.t!) > 0 && Number.isFinite(applyTransform(tr, r.t!))));
  if (dropped.length === read.length) throw new InputError(`no checkpoint has a positive, finite t${tr.kind === "none" ? "" : " after the transform"}: slopes are fitted against ln t`);
  const rs = read.filter((r) => !dropped.includes(r)).map((r) => Object.freeze({ ...r, t: applyTransform(tr, r.t!) }));
  if (dropped.length) c.out(`note: ${dropped.length} checkpoint(s) left out, their t${tr.kind === "none" ? "" : " after the transform"} is not positive and finite (ln t undefined): ${dropped.map((r) => `${r.row.checkpoint as string} (t = ${r.t})`).join(", ")}`);
  // group into series (by a metadata key, else one series), each sorted by t
  const groups = new Map<string, CheckpointReading[]>();
  for (const r of rs) {
    const key = o.groupBy ? `${o.groupBy}=${r.metadata[o.groupBy] ?? "?"}` : "path";
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const series = [...groups].map(([name, list]) => [name, list.sort((a, b) => a.t! - b.t!)] as const);
  for (const [name, list] of series) checkDistinctT(name, list, o.groupBy);
  const overlay = o.overlay ? overlaySeries(o.overlay, series[0]![1]) : undefined;
  const paths: Row[] = [];
  for (const [name, list] of series) {
    const row = pathRow({ series: name, layer: o.layer ?? o.x, x: list.map((r) => r.t!), readings: list.map((r) => r.reading) });
    paths.push(row);
    if (!c.quiet) {
      c.out(`\n${name}: ${list.length} checkpoints`);
      c.out(renderTable(["t", "nPos", "λ⁺min", "log det⁺", "floor", "by", "margin", "gram nPos", "σmin(X)"],
        list.map((r) => [r.t!, r.row["dds/n_pos"] as number, r.row["dds/lambda_min_pos"] as number, r.row["dds/logdet_pos"] as number, r.row["dds/floor"] as number,
          r.row["dds/floor_by"] as string, r.row["dds/margin_decades"] as number, (r.row["gram/n_pos"] ?? null) as number | null, r.row["act/sigma_min"] as number])));
    }
  }
  const ratios = paths.slice(1).map((p) => ratioRow(p, paths[0]!));
  c.out(`\nslopes against ln ${transformLabel(tr, o.tFromMetadata ?? "t")} (fit window: constant nPos, margin ≥ 0; counts only from slopes with |b| ≥ 3 SE, R² ≥ 0.9, b > 0)`);
  c.out(renderTable(["series", "points", "log det⁺ slope", "± SE", "λ⁺min slope", "± SE", "R²", "k = 1+b/2", "dead count", `ratio to ${paths[0]!.series}`, "± SE", "count"],
    paths.map((p, i) => [p.series as string, p["slope/n"] as number, p["slope/logdet_pos"] as number, p["slope/se"] as number, p["slope/lambda_min_pos"] as number,
      p["slope/lambda_min_pos_se"] as number, p["slope/lambda_min_pos_r2"] as number, p["kl/k"] as number, p["count/dead"] as number,
      i === 0 ? 1 : (ratios[i - 1]!["ratio/logdet_pos"] as number), i === 0 ? null : (ratios[i - 1]!["ratio/se"] as number), i === 0 ? null : (ratios[i - 1]!["ratio/count"] as number)])));
  const notes = [
    ...paths.flatMap((p) => ((p.warnings as string[]) ?? []).map((w) => `  ${p.series}: ${w}`)),
    ...ratios.filter((q) => q["ratio/reason"]).map((q) => `  ${q.series} / ${q.reference}: no count: ${q["ratio/reason"]}`),
  ];
  // notes on the slopes always print (a null count must come with its reason), --quiet or not
  if (notes.length) c.out(`\nnotes:\n${notes.join("\n")}`);
  const perCheckpoint = pathWarnings(rs.map((r) => r.row), o.verbose ?? false);
  if (perCheckpoint) c.out(perCheckpoint);
  if (c.svg) {
    const plotted = series.map(([name, list], i) => ({ name, x: list.map((r) => r.t!), readings: list.map((r) => r.reading), row: paths[i]! }));
    const xLabel = transformLabel(tr, o.tFromMetadata ?? "t");
    const layer = o.layer ?? o.x;
    for (const [file, key, what] of [["path-logdet.svg", "logdet_pos", "log det⁺(G)"], ["path-lambda-min.svg", "lambda_min_pos", "λ⁺min(G)"], ["path-sigma-min.svg", "sigma_min_sq", "σmin(X)²"]] as const) {
      const p = svgTo(c, file, readingPathPlot(plotted, key, { title: `${what} along the path (${layer})`, xLabel, logX: o.xScale !== "linear", fit: !o.noFit, ...(overlay ? { overlay } : {}) }));
      if (!c.quiet) c.out(`wrote ${p}`);
    }
  }
  const report = buildReport({ readings: rs.map((r) => r.row), paths, ratios });
  if (c.json) writeOut(c.json, JSON.stringify(report, null, 2), c);
  return report;
}

/** A metadata key's values along a series (non-numbers left out), for a second axis. */
function overlaySeries(key: string, list: readonly CheckpointReading[]): { name: string; x: number[]; y: number[] } {
  const pts = list.flatMap((r) => {
    const raw = r.metadata[key];
    const v = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
    return Number.isFinite(v) ? [[r.t!, v] as const] : [];
  });
  if (pts.length === 0) throw new InputError(`--overlay ${key}: no checkpoint has a numeric metadata value ${JSON.stringify(key)}`);
  return { name: key, x: pts.map((q) => q[0]), y: pts.map((q) => q[1]) };
}

const NORM = /(^|[._/])(ln|norm|layernorm|layer_norm)[\w.]*\.(weight|gamma|scale)$|(^|[._/])gamma$/i;

/** dds weights <checkpoint>: weight-only metrics for every 2-D float tensor; LayerNorm kernels from γ. */
export async function cmdWeights(files: string[], c: Common): Promise<{ ok: boolean; report: unknown }> {
  if (files.length !== 1) throw new UsageError("weights takes exactly one checkpoint file", COMMANDS.weights);
  const file = files[0]!;
  const ins = await inspect(file);
  const targets = ins.tensors.filter((t) => t.kind === "float" && (t.shape.length === 2 || (t.shape.length === 1 && NORM.test(t.name))));
  const bar = progress(targets.length, !c.quiet && c.json !== "-");
  const weights: Row[] = [];
  try {
    for (const t of targets) {
      try {
        weights.push(await weightRow(file, t.name));
      } catch (e) {
        // one tensor that cannot be read (NaN/Inf, a dtype we do not decode …) is a row with its error
        if (!(e instanceof DdsError)) throw e;
        weights.push({ tensor: t.name, shape: t.shape.join("×"), error: describeError(e).replace(/^dds: /, "") });
      }
      bar.tick(t.name);
    }
  } finally {
    bar.done();
  }
  const mats = weights.filter((w) => "w/stable_rank" in w);
  c.out(renderTable(["tensor", "shape", "σmax", "stable rank", "effective rank", "entropy", "top-1 energy"],
    mats.map((w) => [w.tensor as string, w.shape as string, w["w/sigma_max"] as number, w["w/stable_rank"] as number, w["w/effective_rank"] as number, w["w/spectral_entropy"] as number, w["w/top1_energy"] as number])));
  const lns = weights.filter((w) => "ln/dim" in w);
  if (lns.length) c.out(`\nLayerNorm kernels u_LN = γ⁻¹/‖γ⁻¹‖ (the exact null direction of post-LN centred activations):\n${lns.map((w) => `  ${w.tensor}: d = ${w["ln/dim"]}, max |u| = ${(w["ln/u_max_abs"] as number).toPrecision(6)}`).join("\n")}`);
  const failed = weights.filter((w) => "error" in w);
  if (failed.length) process.stderr.write(`\nfailed (${failed.length} of ${weights.length} tensors; the others are above):\n${failed.map((w) => `  ${w.tensor} [${w.shape}]: ${w.error}`).join("\n")}\n`);
  const report = { ...buildReport({}), weights };
  if (c.json) writeOut(c.json, JSON.stringify(report, null, 2), c);
  return { ok: failed.length === 0 || failed.length < weights.length, report };
}

/** Weight-only metrics of one 2-D tensor, or the LayerNorm kernel of a 1-D γ. */
async function weightRow(file: string, name: string): Promise<Row> {
  const { data, shape } = await load(file, name);
  if (shape.length === 2) {
    const s = svdvals(data, [shape[0]!, shape[1]!]);
    return { tensor: name, shape: `${shape.join("×")}`, "w/sigma_max": s[0] ?? null, "w/stable_rank": stableRank(s), "w/effective_rank": effectiveRank(s),
      "w/spectral_entropy": spectralEntropy(s.map((v) => v * v)), "w/top1_energy": topKEnergy(s, 1) };
  }
  const u = layerNormKernel(data);
  let top = 0;
  for (const v of u) top = Math.max(top, Math.abs(v));
  return { tensor: name, shape: `${shape[0]}`, "ln/dim": u.length, "ln/u_max_abs": top };
}

/** dds rrr M N H r: the reduced-rank-regression RLCT. */
export function cmdRrr(args: string[], c: Common): unknown {
  if (args.length !== 4 || !args.every((a) => /^-?\d+$/.test(a))) throw new UsageError("rrr takes four integers: M N H r", COMMANDS.rrr);
  const [M, N, H, r] = args.map(Number) as [number, number, number, number];
  const x = rrrRLCT(M, N, H, r);
  c.out(`RRR (M=${M}, N=${N}, H=${H}, r=${r}): λ = ${x.lambdaNumExact}/${x.lambdaDenExact} = ${x.lambda}, m = ${x.m}, case ${x.caseId}`);
  if (c.json) writeOut(c.json, JSON.stringify({ M, N, H, r, ...x }, null, 2), c);
  return x;
}
