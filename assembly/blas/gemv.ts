// y = A·x for a row-major m × n A (row stride lda), and ‖y‖² — the factor form of a directional
// Fisher reading uᵀGu = ‖Γu‖²/c (docs/observables.md#directional-fisher), which keeps full relative accuracy where uᵀ(ΓᵀΓ)u
// from a formed Gram would not.
// see: BLAS dgemv (no transpose); each y_i is `dot` of row i with x.

import { dot, nrm2 } from "./vec";

/** y = A x; returns 0 or -k for a bad argument k. */
export function gemv_f64(a: usize, m: i32, n: i32, lda: i32, x: usize, y: usize): i32 {
  if (m < 0) return -2;
  if (n < 0) return -3;
  if (lda < n) return -4;
  for (let i: i32 = 0; i < m; i++) store<f64>(y + (<usize>i << 3), dot(a + <usize>i * (<usize>lda << 3), x, n));
  return 0;
}

/** Σ x_i² in `dot`'s order. */
export function sumsq_f64(x: usize, n: i32): f64 {
  return dot(x, x, n);
}

/** ‖x‖₂ of n f64 (the Frobenius norm of a stored matrix), scaled against under/overflow (dnrm2). */
export function nrm2_f64(x: usize, n: i32): f64 {
  return n > 0 ? nrm2(x, n) : 0.0;
}

/** Subtract column means in place (means summed in row order, then divided by m). `work`: n f64. */
export function center_cols_f64(a: usize, m: i32, n: i32, lda: i32, work: usize): i32 {
  if (m < 0) return -2;
  if (n < 0) return -3;
  if (lda < n) return -4;
  if (m == 0) return 0;
  memory.fill(work, 0, <usize>n << 3);
  for (let i: i32 = 0; i < m; i++) {
    const row = a + <usize>i * (<usize>lda << 3);
    for (let j: i32 = 0; j < n; j++) store<f64>(work + (<usize>j << 3), load<f64>(work + (<usize>j << 3)) + load<f64>(row + (<usize>j << 3)));
  }
  const mm = <f64>m;
  for (let j: i32 = 0; j < n; j++) store<f64>(work + (<usize>j << 3), load<f64>(work + (<usize>j << 3)) / mm);
  for (let i: i32 = 0; i < m; i++) {
    const row = a + <usize>i * (<usize>lda << 3);
    for (let j: i32 = 0; j < n; j++) store<f64>(row + (<usize>j << 3), load<f64>(row + (<usize>j << 3)) - load<f64>(work + (<usize>j << 3)));
  }
  return 0;
}
