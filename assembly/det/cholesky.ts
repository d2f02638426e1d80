// A = UᵀU for a symmetric positive definite row-major A (upper triangle read), U overwriting it.
// see: LAPACK dpotrf (upper), blocked right-looking: an unblocked block row (which also solves
// U11ᵀ U12 = A12 as it goes), then the trailing update A22 -= U12ᵀU12 with the packed 4×4 tile.

import { setInfo, STATUS_NOT_POSITIVE_DEFINITE } from "../abi";
import { accumulate, pack, panelBytes } from "../blas/panel";
import { axpy } from "../blas/vec";

// @ts-ignore: decorator
@inline const NB: i32 = 96; // block rows: the tile loop runs NB steps per call

/** Workspace bytes for potrf_f64 of order n. */
export function potrf_workspace(n: i32): i32 {
  return <i32>(2 * panelBytes(n, NB < n ? NB : n)) + 128;
}

/** row[j] −= m·src[j] for j in [from, to): y + (−m)·x is bit for bit y − m·x, so this is axpy. */
export function axpyRow(row: usize, src: usize, m: f64, from: i32, to: i32): void {
  if (to > from) axpy(-m, src + (<usize>from << 3), row + (<usize>from << 3), to - from);
}

/**
 * In-place upper Cholesky. Returns 0, or STATUS_NOT_POSITIVE_DEFINITE with info = order of the
 * first leading minor that is not positive (its pivot ≤ 0 or NaN); -k for a bad argument k.
 * The strictly lower triangle is used as scratch and left unspecified.
 */
export function potrf_f64(a: usize, n: i32, lda: i32, work: usize): i32 {
  if (n < 0) return -2;
  if (lda < n) return -3;
  const ld = <usize>lda << 3;
  for (let k0: i32 = 0; k0 < n; k0 += NB) {
    const kb = n - k0 < NB ? n - k0 : NB;
    const kend = k0 + kb;
    // block row: rows k0..kend, all columns to the right
    for (let i = k0; i < kend; i++) {
      const rowI = a + <usize>i * ld;
      const d = load<f64>(rowI + (<usize>i << 3));
      if (!(d > 0.0)) {
        setInfo(i + 1);
        return STATUS_NOT_POSITIVE_DEFINITE;
      }
      const u = Math.sqrt(d);
      store<f64>(rowI + (<usize>i << 3), u);
      for (let j = i + 1; j < n; j++) store<f64>(rowI + (<usize>j << 3), load<f64>(rowI + (<usize>j << 3)) / u);
      for (let t = i + 1; t < kend; t++) {
        axpyRow(a + <usize>t * ld, rowI, load<f64>(rowI + (<usize>t << 3)), t, n);
      }
    }
    // trailing update A22 -= U12ᵀ U12 (upper tiles), U12 = rows k0..kend, columns kend..n
    const m = n - kend;
    if (m > 0) {
      const u12 = a + <usize>k0 * ld + (<usize>kend << 3);
      const pos = work;
      const neg = work + panelBytes(m, kb);
      pack<f64>(u12, lda, m, false, 0, kb, pos);
      pack<f64>(u12, lda, m, false, 0, kb, neg, true);
      accumulate(neg, m, pos, m, kb, a + <usize>kend * ld + (<usize>kend << 3), lda, true, neg + panelBytes(m, kb));
    }
  }
  return 0;
}
