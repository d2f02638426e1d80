// Singular values by Householder bidiagonalisation (wasm bdsvals_f64): normwise accurate, several
// times faster than the relatively accurate Jacobi SVD. Internal: the readings call it only where
// docs/trust-floors.md ("Which SVD a reading uses") shows the difference cannot reach a reported digit.

import { LinAlgError } from "../errors.js";
import { shapeOf, stage, type MatrixInput } from "./input.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";
import { Status } from "../runtime/abi.js";

/**
 * The min(m, n) singular values of x, descending, with |σ̂ᵢ − σᵢ| ≤ p(n)·ε·σ₁ (normwise), or null
 * when the tridiagonal iteration did not converge or a value left the float64 range (the caller then
 * uses the Jacobi SVD). Deterministic: the same bits on every runtime and on both binaries.
 * @throws {NonFiniteError} NaN/±Inf in x.
 */
export function bidiagonalSvdvals(op: string, x: MatrixInput, what = "the matrix"): Float64Array | null {
  return bidiagonal(op, x, what, false)?.s ?? null;
}

/**
 * bidiagonalSvdvals of a wide x (m < n) together with a unit u, x·u = 0 up to rounding, from the same
 * Householder reduction (the last column of the left reflectors' product for xᵀ, as a QR of xᵀ gives).
 */
export function bidiagonalSvdvalsNull(op: string, x: MatrixInput, what = "the matrix"): { s: Float64Array; u: Float64Array } | null {
  const r = bidiagonal(op, x, what, true);
  return r && { s: r.s, u: r.u! };
}

/** Both of the above: `u` is null unless `wantNull` (then x must be wide). */
export function bidiagonal(op: string, x: MatrixInput, what: string, wantNull: boolean): { s: Float64Array; u: Float64Array | null } | null {
  const [m, n] = shapeOf(op, x);
  return withKernels(op, (ex, arena) => {
    const A = stage(op, ex, arena, x, undefined, { checkFinite: true, what });
    const bytes = ex.bdsvals_workspace(m, n);
    if (bytes < 0) throw new LinAlgError(op, `the singular values of a ${m} × ${n} ${what} need more than 2 GiB of workspace`, { shape: [m, n] }, "OUT_OF_MEMORY");
    if (wantNull && m >= n) throw new LinAlgError(op, `${what} is ${m} × ${n}: a null vector from the reduction of ${what}ᵀ needs fewer rows than columns`, { shape: [m, n] }, "BAD_ARGUMENT");
    const s = arena.f64(Math.min(m, n));
    const u = arena.f64(wantNull ? n : 0);
    const work = arena.allocBytes(bytes, op);
    const status = ex.bdsvals_f64(A.ptr, m, n, Math.max(n, 1), s.ptr, wantNull ? u.ptr : 0, work);
    if (status === Status.NOT_CONVERGED) return null;
    checkStatus(op, status, ex);
    const out = s.array.slice();
    for (const v of out) if (!Number.isFinite(v)) return null;
    return { s: out, u: wantNull ? u.array.slice() : null };
  });
}
