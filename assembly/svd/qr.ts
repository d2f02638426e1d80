// A = Q·R (Householder QR of a column-major m × n f64 matrix, m ≥ n), with optional column pivoting
// A·P = Q·R, and C ← Q·C for the Q so computed.
// see: LAPACK dgeqrf (blocked, compact WY), dgeqp3/dlaqp2 (pivoting with the norm downdating of
// Drmač & Bujanović, LAWN 176), dormqr (side L, no transpose).
//
// Why these three: the SVD driver reduces a tall N × d input to its d × d triangle at O(N·d²) with the
// blocked QR (most of the flops go through larfb's products on the packed 4×4 tile), pivots that small triangle
// (dgejsv's preconditioner: it orders the rows of R by decreasing size, which makes one-sided Jacobi
// on Rᵀ converge in few sweeps), and later forms U = Q·(small factor) with ormqr.
//
// Householder QR is column-wise backward stable: the computed R is the exact R of A + δA with
// ‖δA e_j‖ ≤ c·m·ε·‖A e_j‖ for every column j. This is what keeps the SVD relatively accurate for
// column-graded inputs A = B·D (Demmel & Veselić 1992): the grading D passes through untouched.

import { larf, larfb, larfbPackDoubles, larfgBeta, larfg, larft } from "./householder";
import { nrm2, swap } from "../blas/vec";

/** Block size of the blocked QR and of ormqr. */
// @ts-ignore: decorator
@inline export const NB: i32 = 32;

/** Doubles of workspace geqrf/ormqr need for n columns (T block, W block, larfb's packing buffers). */
export function qrWorkDoubles(n: i32): i32 {
  return NB * NB + NB * (n + 1) + 1 + larfbPackDoubles(NB);
}

/** Unblocked QR of the panel a (rows × cols, ld lda): reflectors below the diagonal, R on and above. */
function geqr2(a: usize, lda: i32, rows: i32, cols: i32, tau: usize): void {
  const k = rows < cols ? rows : cols;
  for (let j: i32 = 0; j < k; j++) {
    const ajj = a + ((<usize>j * <usize>lda + <usize>j) << 3);
    const t = larfg(load<f64>(ajj), ajj + 8, rows - j - 1);
    store<f64>(tau + (<usize>j << 3), t);
    store<f64>(ajj, larfgBeta);
    larf(ajj + 8, rows - j, t, ajj + (<usize>lda << 3), lda, cols - j - 1);
  }
}

/** Blocked QR of a (m × n, ld lda, m ≥ n) in place; `work` holds qrWorkDoubles(n) doubles. */
export function geqrf(a: usize, lda: i32, m: i32, n: i32, tau: usize, work: usize): void {
  const t = work;
  const w = work + (<usize>(NB * NB) << 3);
  for (let j0: i32 = 0; j0 < n; j0 += NB) {
    const jb = n - j0 < NB ? n - j0 : NB;
    const ajj = a + ((<usize>j0 * <usize>lda + <usize>j0) << 3);
    geqr2(ajj, lda, m - j0, jb, tau + (<usize>j0 << 3));
    if (j0 + jb < n) {
      larft(ajj, lda, m - j0, jb, tau + (<usize>j0 << 3), t, NB);
      larfb(true, ajj, lda, m - j0, jb, t, NB, ajj + (<usize>(jb * lda) << 3), lda, n - j0 - jb, w);
    }
  }
}

/**
 * C ← Q·C with Q = H₀·H₁…H_{k−1} from geqrf/geqp3 (reflectors in a, m × k, ld lda); C is m × ncols
 * (ld ldc). `work` holds qrWorkDoubles(ncols) doubles.
 */
export function ormqr(a: usize, lda: i32, m: i32, k: i32, tau: usize, c: usize, ldc: i32, ncols: i32, work: usize): void {
  if (k <= 0) return;
  const t = work;
  const w = work + (<usize>(NB * NB) << 3);
  for (let j0 = ((k - 1) / NB) * NB; j0 >= 0; j0 -= NB) {
    const jb = k - j0 < NB ? k - j0 : NB;
    const ajj = a + ((<usize>j0 * <usize>lda + <usize>j0) << 3);
    larft(ajj, lda, m - j0, jb, tau + (<usize>j0 << 3), t, NB);
    larfb(false, ajj, lda, m - j0, jb, t, NB, c + (<usize>j0 << 3), ldc, ncols, w);
  }
}

/**
 * QR with column pivoting of a (m × n, ld lda) in place: A·P = Q·R with |R₀₀| ≥ |R₁₁| ≥ …, the
 * column moved to position j is jpvt[j] (i32, filled with 0…n−1 here). vn1/vn2: n doubles each.
 * Unblocked (dlaqp2): it runs on the small d × d triangle only.
 */
export function geqp3(a: usize, lda: i32, m: i32, n: i32, tau: usize, jpvt: usize, vn1: usize, vn2: usize): void {
  const tol3z = Math.sqrt(2.220446049250313e-16);
  for (let j: i32 = 0; j < n; j++) {
    store<i32>(jpvt + (<usize>j << 2), j);
    const nj = nrm2(a + (<usize>j * <usize>lda << 3), m);
    store<f64>(vn1 + (<usize>j << 3), nj);
    store<f64>(vn2 + (<usize>j << 3), nj);
  }
  const k = m < n ? m : n;
  for (let i: i32 = 0; i < k; i++) {
    // pivot: the remaining column of largest (downdated) norm, first on ties
    let pvt = i;
    let best = load<f64>(vn1 + (<usize>i << 3));
    for (let j = i + 1; j < n; j++) {
      const v = load<f64>(vn1 + (<usize>j << 3));
      if (v > best) {
        best = v;
        pvt = j;
      }
    }
    if (pvt != i) {
      swap(a + (<usize>pvt * <usize>lda << 3), a + (<usize>i * <usize>lda << 3), m);
      const jp = load<i32>(jpvt + (<usize>pvt << 2));
      store<i32>(jpvt + (<usize>pvt << 2), load<i32>(jpvt + (<usize>i << 2)));
      store<i32>(jpvt + (<usize>i << 2), jp);
      store<f64>(vn1 + (<usize>pvt << 3), load<f64>(vn1 + (<usize>i << 3)));
      store<f64>(vn2 + (<usize>pvt << 3), load<f64>(vn2 + (<usize>i << 3)));
    }
    const aii = a + ((<usize>i * <usize>lda + <usize>i) << 3);
    const t = larfg(load<f64>(aii), aii + 8, m - i - 1);
    store<f64>(tau + (<usize>i << 3), t);
    store<f64>(aii, larfgBeta);
    larf(aii + 8, m - i, t, aii + (<usize>lda << 3), lda, n - i - 1);
    // downdate the partial column norms; recompute when cancellation made the update unreliable
    for (let j = i + 1; j < n; j++) {
      const p1 = vn1 + (<usize>j << 3);
      const v1 = load<f64>(p1);
      if (v1 == 0.0) continue;
      const aij = Math.abs(load<f64>(a + ((<usize>j * <usize>lda + <usize>i) << 3))) / v1;
      let temp = 1.0 - aij * aij;
      if (temp < 0.0) temp = 0.0;
      const ratio = v1 / load<f64>(vn2 + (<usize>j << 3));
      if (temp * ratio * ratio <= tol3z) {
        const nj = i + 1 < m ? nrm2(a + ((<usize>j * <usize>lda + <usize>(i + 1)) << 3), m - i - 1) : 0.0;
        store<f64>(p1, nj);
        store<f64>(vn2 + (<usize>j << 3), nj);
      } else {
        store<f64>(p1, v1 * Math.sqrt(temp));
      }
    }
  }
}
