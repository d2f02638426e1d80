// Cross-runtime bit-identity of the BUILT package (dist/), not the sources: the same driver
// (core.mjs) runs in Node, Deno, Bun (JavaScriptCore), workerd, Chromium and Firefox (SpiderMonkey), on
// both binaries, and every output hash must equal Node's. The same goes for the tensor loaders: each
// runtime decodes a safetensors and an npz fixture (bytes read, fetched or embedded as a data module)
// and the hashes of the f64 bits must equal Node's, which equal the fixture script's own numbers.
// Each runtime also starts readCheckpoint calls at once over sources with delayed reads: they must
// give the bits of the same calls one at a time (and Node's), and leave the arena empty.
// Runtimes run one after another (2 cores).
//
// A runtime that cannot start fails its test. DDS_SKIP_RUNTIMES=name,... skips runtimes on a
// developer machine only; with CI=true the list is ignored.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CASES, caseInput, hashF64, LOADER_FIXTURES, run, type BinaryResult, type Lib, type RunResult } from "./core.mjs";
import { stopAll } from "./proc.js";
import { runChromium, runFirefox, type PageResult } from "./runners/browsers.js";
import { runCli } from "./runners/cli.js";
import { runWorkerd } from "./runners/workerd.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LOADERS_DIR = `${ROOT}tests/fixtures/loaders/`;
/** The fixture script's own hashes of the decoded f64 bits (scripts/fixtures/loaders.py). */
const LOADER_EXPECTED = JSON.parse(readFileSync(`${LOADERS_DIR}expected.json`, "utf8")) as {
  files: Record<string, { tensors: Record<string, { fnv?: string; kind: string; dtype: string }> }>;
};
const RUNTIMES = ["node", "deno", "bun", "workerd", "chromium", "firefox"] as const;
type Runtime = (typeof RUNTIMES)[number];
const FLAVORS = ["simd", "scalar"] as const;

interface Outcome {
  result: PageResult;
  version: string;
  command: string;
  ms: number;
}
const outcomes = new Map<Runtime, Outcome>();
const skipped = new Set<Runtime>();

/** How long each runner may take (its own deadline), and the vitest timeout above it for cleanup. */
const RUNNERS: Record<Exclude<Runtime, "node">, { budgetMs: number; go: (budgetMs: number) => Promise<Omit<Outcome, "ms">> }> = {
  deno: { budgetMs: 30_000, go: async (ms) => withHostVersion(await runCli("deno", ROOT, ms)) },
  bun: { budgetMs: 30_000, go: async (ms) => withHostVersion(await runCli("bun", ROOT, ms)) },
  workerd: { budgetMs: 30_000, go: (ms) => runWorkerd(ROOT, ms) },
  chromium: { budgetMs: 45_000, go: (ms) => runChromium(ROOT, ms) },
  firefox: { budgetMs: 45_000, go: (ms) => runFirefox(ROOT, ms) },
};

/** Deno and Bun report their exact version from inside (Deno.version, Bun.version). */
const withHostVersion = (r: { result: RunResult; command: string }) => ({ ...r, version: r.result.host });

function skipRequested(name: Runtime): boolean {
  const raw = process.env.DDS_SKIP_RUNTIMES ?? "";
  const list = raw.split(/[\s,]+/).filter(Boolean);
  if (!list.includes(name)) return false;
  if (process.env.CI === "true") {
    console.warn(`DDS_SKIP_RUNTIMES="${raw}" lists ${name}, but CI=true: skipping is not allowed in CI, running ${name}`);
    return false;
  }
  console.warn(`\n!!!!!!!! SKIPPING ${name}: DDS_SKIP_RUNTIMES="${raw}". Its bits are NOT checked in this run. !!!!!!!!\n`);
  return true;
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length));

function printTable(): void {
  const rows = [`${pad("runtime", 9)} ${pad("version", 44)} ${pad("ms", 6)} ${pad("simd (all cases)", 17)} ${pad("scalar", 17)} ${pad("loaders (st|npz)", 35)} ${pad("DDS row", 17)} ${pad("overlapping", 17)} nonFinite`];
  for (const name of RUNTIMES) {
    const o = outcomes.get(name);
    if (!o) {
      rows.push(`${pad(name, 9)} ${skipped.has(name) ? "SKIPPED (DDS_SKIP_RUNTIMES)" : "NO RESULT"}`);
      continue;
    }
    const b = (f: (typeof FLAVORS)[number]) => o.result.binaries?.[f];
    const nf = b("simd");
    const nonFinite = nf ? `${nf.nonFiniteName}@${nf.nonFiniteRow},${nf.nonFiniteCol}` : "-";
    const combined = (f: (typeof FLAVORS)[number]) => b(f)?.combined ?? (b(f)?.error ? "ERROR" : "-");
    const loaders = LOADER_FIXTURES.map((rel) => b("simd")?.loaders?.[rel]?.combined ?? "-").join("|");
    rows.push(`${pad(name, 9)} ${pad(o.version, 44)} ${pad(o.ms.toFixed(0), 6)} ${pad(combined("simd"), 17)} ${pad(combined("scalar"), 17)} ${pad(loaders, 35)} ${pad(b("simd")?.dds?.rowHash ?? "-", 17)} ${pad(b("simd")?.concurrent?.together ?? "-", 17)} ${nonFinite}`);
  }
  const node = outcomes.get("node")?.result.binaries.simd.cases ?? [];
  rows.push("", `${pad("case (Node, simd)", 18)} ${pad("input hash", 17)} ${pad("output hash", 17)} sample entry bits`);
  for (const c of node) rows.push(`${pad(c.case, 18)} ${pad(c.inputHash, 17)} ${pad(c.outHash, 17)} [${c.sampleIndex}] ${c.sampleHex}`);
  for (const name of ["chromium", "firefox"] as const) {
    const probe = outcomes.get(name)?.result.syncProbe;
    if (probe) rows.push("", `${name} main-thread sync wasm: ${JSON.stringify(probe)}`);
  }
  console.log(`\ndead-directions cross-runtime results\n${rows.join("\n")}\n`);
}

/** Overlapping readings must give the bits of the same calls one at a time, and leave the arena empty. */
function concurrentProblems(where: string, got: BinaryResult): string[] {
  const c = got.concurrent;
  if (!c) return [`${where}: overlapping readCheckpoint calls threw ${got.concurrentError}`];
  const problems = c.differing.map((d) => `${where}: an overlapping readCheckpoint call differs from the same call run alone: ${d}`);
  if (c.together !== c.oneByOne) problems.push(`${where}: overlapping readCheckpoint calls gave ${c.together}, one at a time ${c.oneByOne}`);
  if (c.usedAfter !== 0) problems.push(`${where}: ${c.usedAfter} bytes left in the arena after the readings`);
  return problems;
}

/** Differences of one runtime's binary result from Node's, phrased so the cause is visible. */
function compareBinary(name: Runtime, flavor: (typeof FLAVORS)[number], got: BinaryResult | undefined, ref: BinaryResult): string[] {
  const where = `${name}/${flavor}`;
  if (!got) return [`${where}: no result for this binary`];
  if (got.error) return [`${where}: threw ${got.error}`];
  const problems: string[] = [];
  if (got.simd !== (flavor === "simd")) problems.push(`${where}: init reported simd=${got.simd}, expected ${flavor === "simd"}`);
  const source = name === "workerd" ? "imported" : "embedded";
  if (got.source !== source) problems.push(`${where}: loaded from "${got.source}", expected "${source}" (wrong package entry?)`);
  ref.cases!.forEach((r, i) => {
    const c = got.cases?.[i];
    if (!c || c.case !== r.case) problems.push(`${where} ${r.case}: missing`);
    else if (c.inputHash !== r.inputHash) problems.push(`${where} ${r.case}: INPUT differs (${c.inputHash} vs node ${r.inputHash}): the generator, not the kernel`);
    else if (c.outHash !== r.outHash) problems.push(`${where} ${r.case}: OUTPUT differs (${c.outHash} vs node ${r.outHash}; entry ${r.sampleIndex}: ${c.sampleHex} vs ${r.sampleHex})`);
  });
  if (got.nonFiniteName !== "NonFiniteError" || got.nonFiniteRow !== 3 || got.nonFiniteCol !== 2) {
    problems.push(`${where}: NaN at (3, 2) gave ${got.nonFiniteName} at (${got.nonFiniteRow}, ${got.nonFiniteCol}), expected NonFiniteError at (3, 2)`);
  }
  if (got.afterErrorHash !== ref.afterErrorHash) problems.push(`${where}: the call after the NonFiniteError gave ${got.afterErrorHash}, node ${ref.afterErrorHash}`);
  if (JSON.stringify(got.dds) !== JSON.stringify(ref.dds)) {
    problems.push(`${where}: DDS layer reading differs from node: ${JSON.stringify(got.dds)} vs ${JSON.stringify(ref.dds)}`);
  }
  if (got.wide?.svd !== "bidiagonal/bidiagonal" || got.wide?.nPos !== 60) problems.push(`${where}: the wide F32 reading ${JSON.stringify(got.wide)}: expected the bidiagonal SVD on both sides and nPos 60`);
  else if (got.wide.hash !== ref.wide?.hash) problems.push(`${where}: the wide F32 reading differs from node: ${got.wide.hash} vs ${ref.wide?.hash}`);
  if (got.streamingError) problems.push(`${where}: the streaming reading threw ${got.streamingError}`);
  else if (!got.streaming?.sameAsInMemory || got.streaming.nPos !== 23 || got.streaming.usedAfter !== 0) problems.push(`${where}: the streaming reading ${JSON.stringify(got.streaming)}: expected nPos 23, the in-memory reading's bits, an empty arena`);
  else if (got.streaming.hash !== ref.streaming?.hash) problems.push(`${where}: the streaming reading differs from node: ${got.streaming.hash} vs ${ref.streaming?.hash}`);
  problems.push(...concurrentProblems(where, got));
  if (got.concurrent && JSON.stringify(got.concurrent) !== JSON.stringify(ref.concurrent)) {
    problems.push(`${where}: overlapping readCheckpoint calls differ from node: ${JSON.stringify(got.concurrent)} vs ${JSON.stringify(ref.concurrent)}`);
  }
  if (got.loadersError) problems.push(`${where}: loaders threw ${got.loadersError}`);
  else if (JSON.stringify(got.loaders) !== JSON.stringify(ref.loaders)) {
    for (const rel of LOADER_FIXTURES) {
      const [g, r] = [got.loaders?.[rel], ref.loaders?.[rel]];
      if (JSON.stringify(g) === JSON.stringify(r)) continue;
      const names = Object.keys(r?.tensors ?? {}).filter((n) => g?.tensors[n] !== r?.tensors[n]);
      problems.push(`${where} loaders ${rel}: decoded bits differ from node for ${names.join(", ") || "(the Blob/arena reads or the names)"}`);
    }
    if (got.loaders?.nonFinite !== ref.loaders?.nonFinite) problems.push(`${where}: loaders NaN check gave ${got.loaders?.nonFinite}, node ${ref.loaders?.nonFinite}`);
  }
  return problems;
}

describe("same Gram and loader bits in every runtime (built dist/)", () => {
  beforeAll(() => {
    for (const f of ["index.js", "workerd.js", "kernels-simd.wasm", "kernels-scalar.wasm"]) {
      if (!existsSync(`${ROOT}dist/${f}`)) throw new Error(`dist/${f} is missing: run \`npm run build\` before these tests`);
    }
  });
  afterAll(stopAll);

  test("node", async () => {
    const t0 = performance.now();
    const lib = (await import("../../dist/index.js")) as unknown as Lib;
    await import("../../dist/scalar.js"); // the scalar binary is opt-in: every case runs on both
    const fixtures = Object.fromEntries(LOADER_FIXTURES.map((rel) => [rel, new Uint8Array(readFileSync(LOADERS_DIR + rel))]));
    const result = await run(lib, "node", fixtures);
    outcomes.set("node", { result, version: `${process.version} (V8 ${process.versions.v8})`, command: "vitest (in process)", ms: performance.now() - t0 });
    for (const f of FLAVORS) expect(result.binaries[f].error).toBeUndefined();
    for (const f of FLAVORS) expect(result.binaries[f].loadersError).toBeUndefined();
    for (const f of FLAVORS) expect(concurrentProblems(`node/${f}`, result.binaries[f])).toEqual([]);
    // the streaming reading: four blocks, X centred in one pass, the in-memory reading's bits, rank d − 1
    for (const f of FLAVORS) expect(result.binaries[f].streaming, result.binaries[f].streamingError).toMatchObject({ nPos: 23, sameAsInMemory: true, usedAfter: 0 });
    expect(result.binaries.simd.streaming!.hash).toBe(result.binaries.scalar.streaming!.hash);
    // the wide F32 reading: bidiagonal values (and u_dead) on both sides, the same bits on both binaries
    for (const f of FLAVORS) expect(result.binaries[f].wide).toMatchObject({ svd: "bidiagonal/bidiagonal", nPos: 60 });
    expect(result.binaries.simd.wide!.hash).toBe(result.binaries.scalar.wide!.hash);

    // The loaders' bits are the fixture script's own numbers (then every runtime is compared to Node).
    for (const rel of LOADER_FIXTURES) {
      const got = result.binaries.simd.loaders?.[rel];
      for (const [name, e] of Object.entries(LOADER_EXPECTED.files[rel]!.tensors)) {
        const want = e.kind === "unsupported" ? `UnsupportedDtypeError:${e.dtype}` : e.fnv;
        expect(got?.tensors[name], `${rel} ${name}`).toBe(want);
      }
    }
    expect(result.binaries.simd.loaders?.nonFinite).toBe("NonFiniteError@f16_all[124,0]");

    // gram's documented contract: each entry is the plain f64 sum over rows in row order, divided
    // by c. A JS loop in that order must give the same bits, so the common hash is also the right one.
    CASES.forEach((c, i) => {
      const x = caseInput(i);
      const d = c.cols;
      const div = c.scale === "sum" ? 1 : c.scale === "mean" ? c.rows : c.scale === "unbiased" ? c.rows - 1 : c.scale;
      const ref = new Float64Array(d * d);
      for (let p = 0; p < d; p++) {
        for (let q = 0; q < d; q++) {
          let s = 0;
          for (let r = 0; r < c.rows; r++) s += x[r * d + p]! * x[r * d + q]!;
          ref[p * d + q] = s / div;
        }
      }
      expect(result.binaries.simd.cases?.[i]?.outHash, `${result.binaries.simd.cases?.[i]?.case} vs JS loop`).toBe(hashF64(ref));
    });
  });

  for (const [name, spec] of Object.entries(RUNNERS) as [Exclude<Runtime, "node">, (typeof RUNNERS)[Exclude<Runtime, "node">]][]) {
    test(name, async (ctx) => {
      if (skipRequested(name)) {
        // only outside CI, when DDS_SKIP_RUNTIMES lists it (skipRequested warns loudly; CI never skips)
        skipped.add(name);
        ctx.skip(`DDS_SKIP_RUNTIMES lists ${name} (outside CI)`);
        return;
      }
      const t0 = performance.now();
      const out = await spec.go(spec.budgetMs);
      outcomes.set(name, { ...out, ms: performance.now() - t0 });
      expect(out.result.fatal, `${name}: the page failed to load the package`).toBeUndefined();
    }, spec.budgetMs + 15_000);
  }

  test("every runtime gives Node's bits on both binaries", () => {
    printTable();
    const ref = outcomes.get("node")?.result;
    expect(ref, "node produced no result").toBeDefined();
    const problems: string[] = [];
    for (const name of RUNTIMES) {
      if (skipped.has(name)) continue;
      const o = outcomes.get(name);
      if (!o) problems.push(`${name}: produced no result (see the failure of its own test above)`);
      else for (const f of FLAVORS) problems.push(...compareBinary(name, f, o.result.binaries?.[f], ref!.binaries[f]));
    }
    expect(problems).toEqual([]);
  });

  test("SIMD and scalar binaries give the same bits", () => {
    const problems: string[] = [];
    for (const [name, o] of outcomes) {
      const simd = o.result.binaries?.simd.cases ?? [];
      const scalar = o.result.binaries?.scalar.cases ?? [];
      simd.forEach((s, i) => {
        if (scalar[i]?.outHash !== s.outHash) problems.push(`${name} ${s.case}: simd ${s.outHash} (${s.sampleHex}) vs scalar ${scalar[i]?.outHash} (${scalar[i]?.sampleHex})`);
      });
    }
    expect(problems).toEqual([]);
  });
});
