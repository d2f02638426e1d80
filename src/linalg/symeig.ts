// The engine behind eigvalsh and eigh: option checks, staging, workspace, the kernel call, copy-out and
// the eigenvector sign convention. Internal (not exported from the package).

import { DdsError, LinAlgError } from "../errors.js";
import type { KernelExports } from "../runtime/abi.js";
import { checkStatus, withKernels, type StatusContext } from "../runtime/kernels.js";
import type { Arena } from "../runtime/memory.js";
import { syevxWorkspace } from "../runtime/workspace.js";
import { is, type Check } from "../validate.js";
import { matrixArgs, shapeOf, stage, type FlatArray, type Mat, type MatrixArg } from "./input.js";

/** Options of `eigvalsh` and `eigh` (scipy.linalg.eigh's names). */
export interface EigvalshOptions {
  /** Read the lower triangle (default true, numpy's UPLO='L'); false reads the upper one. The other is never read. */
  lower?: boolean;
  /** Scan the whole input for NaN/±Inf first and throw NonFiniteError (default true). */
  checkFinite?: boolean;
  /**
   * Positive integer iteration cap. Full solve: total implicit QL/QR sweeps (default 30·n, LAPACK's);
   * for eigh with n > 96 (divide and conquer), the total sweeps of its QL/QR leaves (default 30 per
   * row of each leaf). Subsets: bisection steps per eigenvalue (default: enough to shrink the
   * Gershgorin interval to the underflow threshold). Reaching it throws NotConvergedError.
   */
  maxIter?: number;
  /** Only the eigenvalues with these 0-based indices, inclusive, in ascending order: [lo, hi]. */
  subsetByIndex?: readonly [number, number];
  /** Only the eigenvalues in the half-open interval (vl, vu] (±Infinity allowed), as scipy. */
  subsetByValue?: readonly [number, number];
}

/** Options of `eigh`: the same as eigvalsh's. */
export type EighOptions = EigvalshOptions;

/** What the engine returns: ascending eigenvalues and, when asked, the n × m vectors (column j ↔ value j). */
export interface SymEig {
  values: Float64Array;
  vectors?: Mat;
}

const SPEC: { readonly [K in keyof EigvalshOptions]-?: Check } = {
  lower: is.bool,
  checkFinite: is.bool,
  maxIter: is.num({ min: 1, max: 0x7fffffff, integer: true }),
  subsetByIndex: is.pair(is.num({ min: 0, integer: true })), // bounds against n: in plan()
  subsetByValue: is.pair(is.num({ infinite: true })),
};

/** Split and check the (x, shape?, opts?) overloads of `op`. */
export function splitArgs(op: string, a?: EigvalshOptions | readonly [number, number], b?: EigvalshOptions): [readonly [number, number] | undefined, EigvalshOptions] {
  return matrixArgs<EigvalshOptions>(op, a, b, SPEC);
}

function bad(op: string, why: string): LinAlgError {
  return new LinAlgError(op, why, {}, "BAD_ARGUMENT");
}

interface Plan {
  lower: boolean;
  maxIter: number;
  /** 0: all; 1: by index; 2: by value. */
  range: 0 | 1 | 2;
  il: number;
  iu: number;
  vl: number;
  vu: number;
}

function plan(op: string, o: EigvalshOptions, n: number): Plan {
  const mi = o.maxIter; // types checked by matrixArgs (SPEC)
  const p: Plan = { lower: o.lower ?? true, maxIter: mi ?? 0, range: 0, il: 0, iu: 0, vl: 0, vu: 0 };
  if (o.subsetByIndex !== undefined && o.subsetByValue !== undefined) throw bad(op, "pass at most one of subsetByIndex and subsetByValue");
  if (o.subsetByIndex !== undefined) {
    const s = o.subsetByIndex;
    const [lo, hi] = Array.isArray(s) && s.length === 2 ? s : [NaN, NaN];
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo || hi >= n) {
      throw bad(op, `subsetByIndex must be [lo, hi] with integers 0 ≤ lo ≤ hi ≤ ${n - 1} (n = ${n}), got ${JSON.stringify(s)}`);
    }
    if (lo > 0 || hi < n - 1) Object.assign(p, { range: 1, il: lo, iu: hi });
  }
  if (o.subsetByValue !== undefined) {
    const s = o.subsetByValue;
    const [vl, vu] = Array.isArray(s) && s.length === 2 ? s : [NaN, NaN];
    if (typeof vl !== "number" || typeof vu !== "number" || !(vl < vu)) {
      throw bad(op, `subsetByValue must be [vl, vu] with numbers vl < vu (the interval (vl, vu]), got ${JSON.stringify(s)}`);
    }
    Object.assign(p, { range: 2, vl, vu });
  }
  return p;
}

/**
 * Flip each column of the row-major n × m matrix z so that its largest-magnitude entry is positive
 * (the first such entry on exact ties), and −0 entries become +0. Deterministic, and independent of the
 * kernel's internal signs.
 */
export function normalizeSigns(z: Float64Array, n: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let best = -1;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(z[i * m + j]!);
      if (v > best) {
        best = v;
        at = i;
      }
    }
    // 0 − x flips and x + 0 keeps the value; both turn −0 into +0, so no negative zeros are returned
    if (z[at * m + j]! < 0) for (let i = 0; i < n; i++) z[i * m + j] = 0 - z[i * m + j]!;
    else for (let i = 0; i < n; i++) z[i * m + j] = z[i * m + j]! + 0;
  }
}

/** Eigenvalues (ascending) and optionally eigenvectors of a symmetric matrix; see eigvalsh/eigh. */
export function symeig(op: string, x: MatrixArg | FlatArray, shape: readonly [number, number] | undefined, opts: EigvalshOptions, wantVectors: boolean): SymEig {
  return withKernels(op, (ex, arena) => {
    const [r, c] = shapeOf(op, x, shape, "a");
    if (r !== c) throw new LinAlgError(op, `a must be square, got ${r} × ${c}`, { shape: [r, c] }, "BAD_ARGUMENT");
    const n = r;
    const p = plan(op, opts, n);
    const A = stage(op, ex, arena, x, shape, { checkFinite: opts.checkFinite ?? true, what: "a" });
    if (n === 0) return wantVectors ? { values: new Float64Array(0), vectors: Object.freeze({ rows: 0, cols: 0, data: new Float64Array(0) }) } : { values: new Float64Array(0) };
    let a = A.ptr;
    if (A.zeroCopy) {
      // the kernel overwrites A: never the caller's own arena view
      const copy = arena.matrix(n, n);
      copy.array.set(new Float64Array(arena.buffer(op), A.ptr, n * n));
      a = copy.ptr;
    }
    const ctx = { cols: n, what: "a", value: (i: number) => new Float64Array(arena.buffer(op), a, n * n)[i]! };
    const res = p.range === 0 ? solveAll(op, ex, arena, a, n, p, wantVectors, ctx) : solveSubset(op, ex, arena, a, n, p, wantVectors, ctx);
    if (res.vectors) normalizeSigns(res.vectors.data, n, res.vectors.cols);
    return res;
  });
}

function solveAll(op: string, ex: KernelExports, arena: Arena, a: number, n: number, p: Plan, wantVectors: boolean, ctx: StatusContext): SymEig {
  const w = arena.f64(n);
  const z = wantVectors ? arena.matrix(n, n) : undefined;
  const bytes = ex.syev_f64_workspace(n, wantVectors ? 1 : 0);
  if (bytes < 0) throw new DdsError(op, "OUT_OF_MEMORY", `a ${n} × ${n} eigendecomposition needs more than 2 GiB of wasm workspace`);
  const work = arena.allocBytes(bytes, op);
  const status = ex.syev_f64(a, n, n, p.lower ? 1 : 0, w.ptr, z ? z.ptr : 0, n, wantVectors ? 1 : 0, p.maxIter, work);
  checkStatus(op, status, ex, ctx);
  const values = w.array.slice();
  return z ? { values, vectors: { rows: n, cols: n, data: z.array.slice() } } : { values };
}

function solveSubset(op: string, ex: KernelExports, arena: Arena, a: number, n: number, p: Plan, wantVectors: boolean, ctx: StatusContext): SymEig {
  const mMax = p.range === 1 ? p.iu - p.il + 1 : n;
  const w = arena.f64(n);
  const z = wantVectors ? arena.f64(n * mMax) : undefined;
  const mOut = arena.allocBytes(16, op);
  const work = arena.allocBytes(syevxWorkspace(op, n, mMax, wantVectors), op);
  const status = ex.syevx_f64(a, n, n, p.lower ? 1 : 0, p.range === 2 ? 1 : 0, p.il, p.iu, p.vl, p.vu, w.ptr, z ? z.ptr : 0, mMax, wantVectors ? 1 : 0, p.maxIter, mOut, work);
  checkStatus(op, status, ex, ctx);
  const m = new Int32Array(arena.buffer(op), mOut, 1)[0]!;
  const values = w.array.slice(0, m);
  if (!z) return { values };
  const src = z.array;
  const data = new Float64Array(n * m);
  for (let i = 0; i < n; i++) data.set(src.subarray(i * mMax, i * mMax + m), i * m);
  return { values, vectors: { rows: n, cols: m, data } };
}
