// The engine behind svdvals and svd: option checks, staging, workspace, the kernel call (gejsv_f64:
// QR-preconditioned one-sided Jacobi) and copy-out. Internal (not exported from the package).

import { DdsError, NotConvergedError } from "../errors.js";
import { Status } from "../runtime/abi.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";
import { describe, is, type Check } from "../validate.js";
import { matrixArgs, shapeOf, stage, type FlatArray, type Mat, type MatrixArg } from "./input.js";

/** Options of `svdvals` (scipy.linalg.svdvals' `check_finite`, plus the Jacobi sweep cap). */
export interface SvdvalsOptions {
  /** Scan the input for NaN/±Inf first and throw NonFiniteError (default true). */
  checkFinite?: boolean;
  /**
   * Positive integer cap on one-sided Jacobi sweeps (default 30, LAPACK dgesvj's). Reaching it
   * throws NotConvergedError. Typical inputs converge in 5–12 sweeps.
   */
  maxSweeps?: number;
}

/** Options of `svd`. */
export interface SvdOptions extends SvdvalsOptions {
  /** Compute U and Vh (default true); false returns only the singular values, as numpy's `compute_uv`. */
  computeUV?: boolean;
  /**
   * numpy's `full_matrices`: true gives the full U (m × m) and Vh (n × n), their extra columns/rows an
   * orthonormal completion; false (the default here, unlike numpy, kept for compatibility) the thin
   * U (m × k) and Vh (k × n), k = min(m, n). See docs/interop.md.
   */
  fullMatrices?: boolean;
}

/** SVD `A = U·diag(S)·Vh` (numpy's names and shapes). */
export interface SvdResult {
  /** m × k orthonormal columns (left singular vectors), k = min(m, n); m × m with `fullMatrices: true`. */
  readonly U: Mat;
  /** k singular values, descending. */
  readonly S: Float64Array;
  /** k × n orthonormal rows (right singular vectors); n × n with `fullMatrices: true`. */
  readonly Vh: Mat;
}

/** A positive integer below 2^31 (the kernels' sweep cap is an i32). */
const positiveInt: Check = (v) => (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 0x7fffffff ? undefined : `must be a positive integer, got ${describe(v)}`);
const SVDVALS_SPEC: { readonly [K in keyof SvdvalsOptions]-?: Check } = { checkFinite: is.bool, maxSweeps: positiveInt };
const SVD_SPEC: { readonly [K in keyof SvdOptions]-?: Check } = { ...SVDVALS_SPEC, computeUV: is.bool, fullMatrices: is.bool };

/** Split and check the (x, shape?, opts?) overloads of svdvals. */
export function svdvalsArgs(a: unknown, b: unknown): [readonly [number, number] | undefined, SvdvalsOptions] {
  return matrixArgs<SvdvalsOptions>("svdvals", a, b, SVDVALS_SPEC);
}

/** Split and check the (x, shape?, opts?) overloads of svd. */
export function svdArgs(a: unknown, b: unknown): [readonly [number, number] | undefined, SvdOptions] {
  return matrixArgs<SvdOptions>("svd", a, b, SVD_SPEC);
}

const frozenMat = (rows: number, cols: number, data: Float64Array): Mat => Object.freeze({ rows, cols, data });

/**
 * Singular values (descending) and, with `wantUV`, the thin factors; see svdvals/svd. `wantUV` may
 * ask for one side only (`{ u: false, v: true }`: the DDS activation reading needs V, not the m × k U).
 */
export function gejsv(op: string, x: MatrixArg | FlatArray, shape: readonly [number, number] | undefined, o: SvdOptions, wantUV: boolean | { u: boolean; v: boolean }): { S: Float64Array; U?: Mat; Vh?: Mat } {
  const wantU = typeof wantUV === "boolean" ? wantUV : wantUV.u;
  const wantV = typeof wantUV === "boolean" ? wantUV : wantUV.v;
  return withKernels(op, (ex, arena) => {
    const [m, n] = shapeOf(op, x, shape, "a");
    const A = stage(op, ex, arena, x, shape, { checkFinite: o.checkFinite ?? true, what: "a" });
    const k = Math.min(m, n);
    if (k === 0) {
      const S = new Float64Array(0);
      return { S, ...(wantU ? { U: frozenMat(m, 0, new Float64Array(0)) } : {}), ...(wantV ? { Vh: frozenMat(0, n, new Float64Array(0)) } : {}) };
    }
    const bytes = ex.gejsv_f64_workspace(m, n, wantU ? 1 : 0, wantV ? 1 : 0);
    if (bytes < 0) throw new DdsError(op, "OUT_OF_MEMORY", `a ${m} × ${n} SVD needs more than 2 GiB of wasm workspace`);
    const s = arena.f64(k);
    const u = wantU ? arena.matrix(m, k) : undefined;
    const vt = wantV ? arena.matrix(k, n) : undefined;
    const work = arena.allocBytes(bytes, op);
    const maxSweeps = o.maxSweeps ?? 0;
    const status = ex.gejsv_f64(A.ptr, m, n, n, s.ptr, u ? u.ptr : 0, k, vt ? vt.ptr : 0, n, wantU ? 1 : 0, wantV ? 1 : 0, maxSweeps, work);
    if (status === Status.NOT_CONVERGED) {
      const left = ex.status_info();
      const cap = maxSweeps || 30;
      throw new NotConvergedError(op, `one-sided Jacobi did not converge within ${cap} sweep(s): ${left} column pair(s) still needed a rotation in the last one`, left, cap);
    }
    checkStatus(op, status, ex, { cols: n, what: "a", value: (i) => new Float64Array(arena.buffer(op), A.ptr, m * n)[i]! });
    const S = s.array.slice();
    return { S, ...(u ? { U: frozenMat(m, k, u.array.slice()) } : {}), ...(vt ? { Vh: frozenMat(k, n, vt.array.slice()) } : {}) };
  });
}
