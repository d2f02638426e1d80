// C := Q·C with Q = H(n−2)···H(1)·H(0) from `sytrd` (H(j) = I − τ_j·v_j·v_jᵀ), applied NB reflectors
// at a time as one block reflector H(j0+k−1)···H(j0) = I − V·T·Vᵀ (T lower triangular), so that
// nearly all the work is two matrix products on the packed tile.
// see: LAPACK dormtr (UPLO = 'U') → dormql (blocked, SIDE = 'L', TRANS = 'N'), dlarft (DIRECT = 'B',
//      STOREV = 'C'), dlarfb. Schreiber & Van Loan, "A storage-efficient WY representation" (1989).
//
// v_j lives in row j+1 of A, entries 0..j−1, with v_j[j] = 1 implicit and zeros below (tridiag.ts).
// The block's reflectors are copied to Vt (k × R, row-major, R = j0 + k: row j = v_{j0+j}, explicit
// 1 and zeros), then W = Vᵀ·C[0:R], W ← T·W, C[0:R] −= V·W. Blocks go from H(0) upward (H(0) acts
// first). C is ROW-major (C(r, c) at c[r·ldc + c]), n rows; every operation is the same in both
// binaries (the tile sums in a fixed order, the T step is axpy/scal).

import { axpy, dot, ld, st } from "./common";
import { gemmAcc, gemmPanelBytes, zeroBlock } from "./gemm";

/** Reflectors per block. */
// @ts-ignore: decorator
@inline export const NB: i32 = 48;

/** Bytes of ormtrBlocked's workspace for n rows and m columns. */
export function ormtrWorkspace(n: i32, m: i32): f64 {
  const nb = <f64>NB;
  return (nb * <f64>n + nb * nb + nb * <f64>m + nb) * 8.0 + <f64>gemmPanelBytes(n) + <f64>gemmPanelBytes(m) + 128.0 + 32.0;
}

/**
 * T (k × k, row-major, lower triangular) with H(j0+k−1)···H(j0) = I − V·T·Vᵀ: T[j][j] = τ_j, and
 * row j = −τ_j·(v_jᵀ·V[:, 0..j))·T[0..j, 0..j) — appending H on the left. g: k f64 scratch.
 * see: dlarft (backward, columnwise).
 */
function larft(vt: usize, ldv: i32, j0: i32, k: i32, tau: usize, t: usize, g: usize): void {
  for (let j: i32 = 0; j < k; j++) {
    const tj = ld(tau, j0 + j);
    const tr = t + (<usize>j * <usize>k << 3);
    memory.fill(tr, 0, <usize>k << 3);
    st(tr, j, tj);
    if (tj == 0.0) continue;
    const vj = vt + (<usize>j * <usize>ldv << 3);
    // v_i is zero past index j0 + i, so the dot products stop there
    for (let i: i32 = 0; i < j; i++) st(g, i, dot(vj, vt + (<usize>i * <usize>ldv << 3), j0 + i + 1));
    for (let i: i32 = 0; i < j; i++) {
      let s: f64 = 0;
      for (let l = i; l < j; l++) s += ld(g, l) * ld(t, l * k + i);
      st(tr, i, -tj * s);
    }
  }
}

/**
 * C := Q·C for C (n × m, row-major, stride ldc) and the reflectors left in A (row-major, lda) by
 * `sytrd`. work: ormtrWorkspace(n, m) bytes. see: dormtr, dormql, dlarfb.
 */
export function ormtrBlocked(a: usize, n: i32, lda: i32, tau: usize, c: usize, ldc: i32, m: i32, work: usize): void {
  if (n <= 1 || m <= 0) return;
  const ldv = n;
  const vt = work;
  const t = vt + (<usize>NB * <usize>n << 3);
  const w = t + (<usize>NB * <usize>NB << 3);
  const g = w + (<usize>NB * <usize>m << 3);
  const pa = (g + (<usize>NB << 3) + 15) & ~<usize>15;
  const pb = pa + gemmPanelBytes(n);
  const scr = pb + gemmPanelBytes(m);
  const rs = <usize>lda << 3;
  for (let j0: i32 = 0; j0 < n - 1; j0 += NB) {
    const k = n - 1 - j0 < NB ? n - 1 - j0 : NB;
    const r = j0 + k; // rows touched: v_{j0+k−1} reaches index j0 + k − 1
    for (let j: i32 = 0; j < k; j++) {
      const row = vt + (<usize>j * <usize>ldv << 3);
      const len = j0 + j; // v entries 0..len−1 from A, then 1, then zeros
      memory.copy(row, a + <usize>(len + 1) * rs, <usize>len << 3);
      st(row, len, 1.0);
      memory.fill(row + (<usize>(len + 1) << 3), 0, <usize>(r - len - 1) << 3);
    }
    larft(vt, ldv, j0, k, tau, t, g);
    // W = Vᵀ·C[0:r]: tile rows j (a_j(s) = Vt[j][s], sample side), columns q (b_q(s) = C[s][q])
    zeroBlock(w, k, m, m);
    gemmAcc(k, m, r, vt, ldv, true, c, ldc, false, false, w, m, pa, pb, scr);
    // W ← T·W, bottom row first (row j needs rows i < j unchanged)
    for (let j = k - 1; j >= 0; j--) {
      const wj = w + (<usize>j * <usize>m << 3);
      const tjj = ld(t, j * k + j);
      for (let q: i32 = 0; q < m; q++) st(wj, q, ld(wj, q) * tjj);
      for (let i: i32 = 0; i < j; i++) {
        const tji = ld(t, j * k + i);
        if (tji != 0.0) axpy(tji, w + (<usize>i * <usize>m << 3), wj, m);
      }
    }
    // C[0:r] −= V·W: tile rows s (a_s(j) = Vt[j][s], feature side), columns q (b_q(j) = W[j][q])
    gemmAcc(r, m, k, vt, ldv, false, w, m, false, true, c, ldc, pa, pb, scr);
  }
}
