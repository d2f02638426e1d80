// C = op(A)·op(B) for row-major A, B, C with op(X) = X or Xᵀ, accumulated in f64.
// see: BLAS dgemm, computed with the packed 4×4 tile of panel.ts (k-blocks of KC steps, row tiles
// from op(A)'s rows, column tiles from op(B)'s columns); each entry is summed in k order (product,
// then add), so the SIMD and scalar builds return the same bits.

import { KC, accumulate, pack, panelBytes } from "./panel";

/** Workspace bytes for gemm_f64 with C m × n and inner dimension k. */
export function gemm_workspace(m: i32, n: i32, k: i32): i32 {
  const kc = k < KC ? k : KC;
  return <i32>(panelBytes(m, kc) + panelBytes(n, kc)) + 128;
}

/**
 * C (m × n, stride ldc) = op(A) (m × k) · op(B) (k × n). transA = 0: A is m × k (stride lda); 1: A is
 * k × m. transB = 0: B is k × n (stride ldb); 1: B is n × k. Returns 0 or -arg for a bad argument.
 */
export function gemm_f64(m: i32, n: i32, k: i32, a: usize, lda: i32, transA: i32, b: usize, ldb: i32, transB: i32, c: usize, ldc: i32, work: usize): i32 {
  if (m < 0) return -1;
  if (n < 0) return -2;
  if (k < 0) return -3;
  const aCols = transA != 0 ? m : k;
  const bCols = transB != 0 ? k : n;
  if (lda < aCols) return -5;
  if (ldb < bCols) return -8;
  if (ldc < n) return -11;
  for (let i: i32 = 0; i < m; i++) memory.fill(c + (<usize>i * <usize>ldc << 3), 0, <usize>n << 3);
  if (k == 0) return 0;
  const kcMax = k < KC ? k : KC;
  const pa = work;
  const pb = work + panelBytes(m, kcMax);
  const scratch = pb + panelBytes(n, kcMax);
  for (let k0: i32 = 0; k0 < k; k0 += KC) {
    const kc = k - k0 < KC ? k - k0 : KC;
    // row tiles: vector i of op(A) is row i of A (transA 0, "sample" packing) or column i (transA 1)
    pack<f64>(a, lda, m, transA == 0, k0, kc, pa);
    // column tiles: vector j of op(B) is column j of B (transB 0) or row j (transB 1)
    pack<f64>(b, ldb, n, transB != 0, k0, kc, pb);
    accumulate(pa, m, pb, n, kc, c, ldc, false, scratch);
  }
  return 0;
}
