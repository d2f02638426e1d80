// C ± Σ_k a_k b_kᵀ: a general matrix product on the packed 4×4 tile of blas/panel.ts, for the
// divide-and-conquer merges (dlaed3's two dgemm calls) and the blocked back-transformation (dlarfb).
// see: blas/panel.ts (pack, accumulate; Goto & van de Geijn), BLAS dgemm.
//
// The product is written in the tile's terms: C is seen row-major with row stride ldc, its row i
// belongs to "a-vector" i and its column j to "b-vector" j, and C[i][j] += Σ_k a_i(k)·b_j(k).
// Each operand is read straight from its array by `pack`: with `sample` false, vector v step k is
// element (k, v) of a row-major array of stride ld (x[k·ld + v]); with `sample` true, it is element
// (v, k) (x[v·ld + k]). A column-major matrix M (M(r, c) at m[c·ld + r]) is the row-major array of
// its transpose, so every layout and transposition we need is one of the two.
// The sum runs over k in blocks of KC, each entry in k order, product then add: both binaries give
// the same bits (panel.ts).

import { KC, accumulate, pack, panelBytes } from "../blas/panel";

/** Bytes of the packing buffers `pa` (for na a-vectors) and `pb` (nb b-vectors), any step count. */
// @ts-ignore: decorator
@inline export function gemmPanelBytes(nv: i32): usize {
  return panelBytes(nv, KC);
}

/**
 * C (na × nb tile view, row stride ldc) += (negate ? −1 : +1)·Σ_{k<kk} a_i(k)·b_j(k), with a from
 * (xa, lda, sa) and b from (xb, ldb, sb) as in the header. pa: gemmPanelBytes(na) bytes, pb:
 * gemmPanelBytes(nb), scratch: 128 bytes. Nothing happens when na, nb or kk is 0.
 */
export function gemmAcc(na: i32, nb: i32, kk: i32, xa: usize, lda: i32, sa: bool, xb: usize, ldb: i32, sb: bool, negate: bool, c: usize, ldc: i32, pa: usize, pb: usize, scratch: usize): void {
  if (na <= 0 || nb <= 0) return;
  for (let k0: i32 = 0; k0 < kk; k0 += KC) {
    const kc = kk - k0 < KC ? kk - k0 : KC;
    pack<f64>(xa, lda, na, sa, k0, kc, pa, negate);
    pack<f64>(xb, ldb, nb, sb, k0, kc, pb);
    accumulate(pa, na, pb, nb, kc, c, ldc, false, scratch);
  }
}

/** Zero the rows × cols block at c (row stride ldc, in f64). */
export function zeroBlock(c: usize, rows: i32, cols: i32, ldc: i32): void {
  for (let i: i32 = 0; i < rows; i++) memory.fill(c + (<usize>i * <usize>ldc << 3), 0, <usize>cols << 3);
}
