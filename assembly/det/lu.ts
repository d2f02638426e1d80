// PA = LU with partial pivoting for a row-major n × n A, L (unit lower) and U overwriting A.
// see: LAPACK dgetrf, blocked right-looking: unblocked panel (dgetf2: largest |pivot|, first on
// ties; whole rows swapped), U12 by forward substitution with row axpys, then A22 -= L21·U12 with
// the packed 4×4 tile. An exactly zero pivot is skipped (its column is left unscaled), as dgetf2 does.

import { accumulate, pack, panelBytes } from "../blas/panel";
import { axpyRow } from "./cholesky";

// @ts-ignore: decorator
@inline const NB: i32 = 64;

/** Workspace bytes for getrf_f64 of order n. */
export function getrf_workspace(n: i32): i32 {
  return <i32>(2 * panelBytes(n, NB < n ? NB : n)) + 128;
}

function swapRows(a: usize, b: usize, n: i32): void {
  for (let j: i32 = 0; j < n; j++) {
    const off = <usize>j << 3;
    const t = load<f64>(a + off);
    store<f64>(a + off, load<f64>(b + off));
    store<f64>(b + off, t);
  }
}

/** In-place LU; ipiv[j] (i32) = the row swapped with row j at step j. Returns 0, or -k for a bad argument k. */
export function getrf_f64(a: usize, n: i32, lda: i32, ipiv: usize, work: usize): i32 {
  if (n < 0) return -2;
  if (lda < n) return -3;
  const ld = <usize>lda << 3;
  for (let k0: i32 = 0; k0 < n; k0 += NB) {
    const kb = n - k0 < NB ? n - k0 : NB;
    const kend = k0 + kb;
    for (let j = k0; j < kend; j++) {
      // pivot: first row of largest magnitude in column j (NaN never wins; inputs are finite-checked)
      let p = j;
      let best = Math.abs(load<f64>(a + <usize>j * ld + (<usize>j << 3)));
      for (let i = j + 1; i < n; i++) {
        const v = Math.abs(load<f64>(a + <usize>i * ld + (<usize>j << 3)));
        if (v > best) {
          best = v;
          p = i;
        }
      }
      store<i32>(ipiv + (<usize>j << 2), p);
      const rowJ = a + <usize>j * ld;
      if (p != j) swapRows(rowJ, a + <usize>p * ld, n);
      const piv = load<f64>(rowJ + (<usize>j << 3));
      if (piv == 0.0) continue;
      for (let i = j + 1; i < n; i++) {
        const rowI = a + <usize>i * ld;
        const l = load<f64>(rowI + (<usize>j << 3)) / piv;
        store<f64>(rowI + (<usize>j << 3), l);
        if (l != 0.0) axpyRow(rowI, rowJ, l, j + 1, kend);
      }
    }
    const m = n - kend;
    if (m == 0) continue;
    // U12 = L11⁻¹ A12 (rows k0..kend, columns kend..n)
    for (let i = k0 + 1; i < kend; i++) {
      const rowI = a + <usize>i * ld;
      for (let t = k0; t < i; t++) {
        const l = load<f64>(rowI + (<usize>t << 3));
        if (l != 0.0) axpyRow(rowI, a + <usize>t * ld, l, kend, n);
      }
    }
    // A22 -= L21 · U12: row tiles from L21's rows (negated), column tiles from U12's columns
    const la = work;
    const ub = work + panelBytes(m, kb);
    pack<f64>(a + <usize>kend * ld + (<usize>k0 << 3), lda, m, true, 0, kb, la, true);
    pack<f64>(a + <usize>k0 * ld + (<usize>kend << 3), lda, m, false, 0, kb, ub);
    accumulate(la, m, ub, m, kb, a + <usize>kend * ld + (<usize>kend << 3), lda, false, ub + panelBytes(m, kb));
  }
  return 0;
}
