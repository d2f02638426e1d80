// A = U·diag(s)·Vᵀ (thin SVD of a row-major m × n f64 matrix, k = min(m, n), s descending), with
// high relative accuracy for column-graded A = B·D.
// see: LAPACK dgejsv (Drmač & Veselić, "New fast and accurate Jacobi SVD algorithm I", SIMAX 29(4)
// 2008): QR preconditioning, then one-sided Jacobi (dgesvj) on Rᵀ.
//
// Steps, with T = A (m ≥ n) or T = Aᵀ (m < n), T of size M × N, M ≥ N:
//  1. copy T column-major into the workspace and scale by 2^−e, e = exponent of max|a_ij| (exact;
//     makes 1e±300 entries safe; a NaN/±Inf here returns NON_FINITE with its flat row-major index);
//  2. M > N: blocked Householder QR T = Q₁R₁ (the O(M·N²) part, reduces N ≪ M to N × N);
//  3. pivoted QR R₁·P = Q₂R₂ (dgejsv's preconditioner: rows of R₂ come out in decreasing size, so
//     one-sided Jacobi on X = R₂ᵀ converges faster than on R₁ or T);
//  4. Jacobi: X·V_J = U_J·Σ, so R₂ = V_J·Σ·U_Jᵀ and T = (Q₁Q₂V_J)·Σ·(P·U_J)ᵀ;
//  5. sort, copy out (transposing back for wide A), fix signs.
// Right singular vectors of T (P·U_J) come free from the Jacobi columns; left ones need V_J
// accumulated and two Q applications. Zero columns (exact rank deficiency) get an orthonormal
// completion so the returned factors are always orthonormal.
//
// Sign convention (deterministic): the entry of largest |value| in each row of Vᵀ (first index on
// ties) is made positive, flipping the matching column of U; when only U is computed its columns
// follow the same rule.

import { STATUS_NON_FINITE, STATUS_NOT_CONVERGED, setInfo } from "../abi";
import { jacobi } from "./jacobi";
import { geqp3, geqrf, ormqr, qrWorkDoubles } from "./qr";
import { axpy, dot, exponentOf, pow2, scal } from "../blas/vec";

/** LAPACK dgesvj's sweep cap. */
// @ts-ignore: decorator
@inline const DEFAULT_SWEEPS: i32 = 30;
// @ts-ignore: decorator
@inline const EPS: f64 = 2.220446049250313e-16;

/** Region sizes (doubles, rounded to even so every region stays 16-byte aligned). */
function even(n: i64): i64 {
  return (n + 1) & ~1;
}

/**
 * Leading dimension for a column of length r: even (16-byte aligned columns) plus 8 doubles. Without
 * the pad, columns a multiple of 4 KiB apart (r = 512, 4096 …) alias in the CPU's 4K load/store
 * disambiguation and a rotation runs ~1.5× slower (measured; +4 doubles was not enough).
 */
function padLd(r: i32): i32 {
  return ((r + 1) & ~1) + 8;
}

function workDoubles(m: i32, n: i32, wantU: bool, wantV: bool): i64 {
  const wide = m < n;
  const M: i64 = wide ? n : m, N: i64 = wide ? m : n;
  const ldm: i64 = padLd(M as i32), ldn: i64 = padLd(N as i32);
  const needL = wide ? wantV : wantU; // left vectors of T
  const ldw: i64 = padLd(wRows(M as i32, N as i32, needL));
  let total = ldw * N + (M > N ? ldn * N : 0) + ldn * N; // W, R, X
  if (needL) total += ldn * N + (M > N ? ldm * N : 0); // V_J, C
  total += 5 * even(N); // tau1, tau2, d, vn1, vn2
  total += 2 * even(N); // jpvt, stamp, order (i32 each, 3N·4 bytes ≤ 2N doubles)
  total += even(qrWorkDoubles(N as i32));
  return total;
}

/**
 * Rows of the QR buffer W. Without left vectors (values, or the right vectors of T only) Q₁ is never
 * applied, so a much taller T (M > 9N) is reduced block by block — [R; next 8N rows of T] = Q·R′, a
 * flat-tree TSQR — and W holds 9N rows instead of M: e.g. 100 000 × 1024 needs 72 MiB, not 781 MiB,
 * next to its staged input. Householder QR is columnwise backward stable at every step, so the
 * composition is too (what relative accuracy for A = B·D needs). The extra flops: +8% of the QR.
 */
function wRows(M: i32, N: i32, needL: bool): i32 {
  return !needL && M > 9 * N ? 9 * N : M;
}

/** Rows [r0, r0 + b) of T (T = A, or Aᵀ when wide) into rows [w0, w0 + b) of W, scaled by 2^−e. */
function copyRowsOfT(a: usize, lda: i32, wide: bool, N: i32, r0: i32, b: i32, W: usize, ldw: i32, w0: i32, e: i32): void {
  if (wide) {
    // column j of T is row j of A: contiguous
    for (let j: i32 = 0; j < N; j++) memory.copy(W + ((<usize>j * <usize>ldw + <usize>w0) << 3), a + ((<usize>j * <usize>lda + <usize>r0) << 3), <usize>b << 3);
  } else {
    for (let i0: i32 = 0; i0 < b; i0 += 32) {
      const i1 = b - i0 < 32 ? b : i0 + 32;
      for (let j: i32 = 0; j < N; j++) {
        const dst = W + ((<usize>j * <usize>ldw + <usize>w0) << 3);
        for (let i = i0; i < i1; i++) store<f64>(dst + (<usize>i << 3), load<f64>(a + ((<usize>(r0 + i) * <usize>lda + <usize>j) << 3)));
      }
    }
  }
  if (e != 0) {
    // 2^−e in two exact steps (2^−e alone may not be representable)
    const h = -e >> 1;
    for (let j: i32 = 0; j < N; j++) {
      const wj = W + ((<usize>j * <usize>ldw + <usize>w0) << 3);
      scal(pow2(h), wj, b);
      scal(pow2(-e - h), wj, b);
    }
  }
}

/** Workspace bytes gejsv_f64 needs, or -1 when it exceeds 2 GiB (the TS side reports it). */
export function gejsv_f64_workspace(m: i32, n: i32, wantU: i32, wantV: i32): i32 {
  if (m < 0 || n < 0) return -1;
  const bytes = workDoubles(m, n, wantU != 0, wantV != 0) * 8;
  return bytes > 0x7ff00000 ? -1 : <i32>bytes;
}

/** Multiply by 2^k (k may exceed the normal exponent range) in exact power-of-two steps. */
function times2k(v: f64, k: i32): f64 {
  while (k > 1000) { v *= pow2(1000); k -= 1000; }
  while (k < -1000) { v *= pow2(-1000); k += 1000; }
  return v * pow2(k);
}

/**
 * Thin SVD of a (m × n, row stride lda): s (k doubles, descending); with wantU, u (m × k, row stride
 * ldu); with wantV, vt (k × n, row stride ldvt). maxSweeps ≤ 0 means the default (30). Needs
 * gejsv_f64_workspace(m, n, wantU, wantV) bytes at `work` (16-byte aligned); `a` is not modified.
 * Returns 0; STATUS_NOT_CONVERGED with status_info() = pairs still rotated in the last sweep;
 * STATUS_NON_FINITE with status_info() = flat row-major index (i·n + j) of the first NaN/±Inf; -k
 * when argument k is invalid.
 */
export function gejsv_f64(a: usize, m: i32, n: i32, lda: i32, s: usize, u: usize, ldu: i32, vt: usize, ldvt: i32, wantU: i32, wantV: i32, maxSweeps: i32, work: usize): i32 {
  const k = m < n ? m : n;
  if (m < 0) return -2;
  if (n < 0) return -3;
  if (lda < n) return -4;
  if (wantU != 0 && ldu < k) return -7;
  if (wantV != 0 && ldvt < n) return -9;
  if (k == 0) return 0;
  const wide = m < n;
  const M = wide ? n : m, N = k;
  const needL = wide ? wantV != 0 : wantU != 0;
  const needR = wide ? wantU != 0 : wantV != 0;
  const sweeps = maxSweeps > 0 ? maxSweeps : DEFAULT_SWEEPS;

  // workspace layout (column-major blocks, leading dimensions ldm for M rows, ldn for N rows, ldw
  // for W's rows: M, or 9N for the blocked QR)
  const ldm = padLd(M), ldn = M > N ? padLd(N) : ldm;
  const rowsW = wRows(M, N, needL), ldw = padLd(rowsW);
  let p = work;
  const W = p; p += <usize>ldw * <usize>N << 3;
  const R = M > N ? p : W; if (M > N) p += <usize>ldn * <usize>N << 3;
  const X = p; p += <usize>ldn * <usize>N << 3;
  const VJ = p; if (needL) p += <usize>ldn * <usize>N << 3;
  const C = M > N ? p : VJ; if (needL && M > N) p += <usize>ldm * <usize>N << 3;
  const ldc = M > N ? ldm : ldn;
  const nb = <usize>even(N) << 3;
  const tau1 = p, tau2 = p + nb, d = p + 2 * nb, vn1 = p + 3 * nb, vn2 = p + 4 * nb;
  p += 5 * nb;
  const jpvt = p, stamp = p + (<usize>N << 2), order = p + (<usize>(2 * N) << 2);
  p += 2 * nb;
  const qw = p;

  // 1. copy T, find max|a| and the first non-finite entry (row-major index of A)
  let amax: f64 = 0.0;
  for (let i: i32 = 0; i < m; i++) {
    const row = a + (<usize>i * <usize>lda << 3);
    for (let j: i32 = 0; j < n; j++) {
      const x = Math.abs(load<f64>(row + (<usize>j << 3)));
      if (!(x < Infinity)) {
        setInfo(i * n + j);
        return STATUS_NON_FINITE;
      }
      if (x > amax) amax = x;
    }
  }
  const e = amax > 0.0 ? exponentOf(amax) : 0;

  // 2.–3. QR (in blocks of rows when W is shorter than T), then pivoted QR of the N × N triangle
  if (rowsW == M) {
    copyRowsOfT(a, lda, wide, N, 0, M, W, ldw, 0, e);
    if (M > N) geqrf(W, ldw, M, N, tau1, qw);
  } else {
    let r0: i32 = 0, top: i32 = 0; // rows of W holding the R of the rows before r0
    while (r0 < M) {
      const b = M - r0 < rowsW - top ? M - r0 : rowsW - top;
      copyRowsOfT(a, lda, wide, N, r0, b, W, ldw, top, e);
      geqrf(W, ldw, top + b, N, tau1, qw);
      // keep R only: the reflectors below the diagonal are not needed (Q₁ is never applied)
      for (let j: i32 = 0; j < N; j++) memory.fill(W + ((<usize>j * <usize>ldw + <usize>(j + 1)) << 3), 0, <usize>(top + b - j - 1) << 3);
      top = N;
      r0 += b;
    }
  }
  if (M > N) {
    for (let j: i32 = 0; j < N; j++) {
      const dst = R + (<usize>j * <usize>ldn << 3);
      memory.copy(dst, W + (<usize>j * <usize>ldw << 3), <usize>(j + 1) << 3);
      memory.fill(dst + (<usize>(j + 1) << 3), 0, <usize>(N - j - 1) << 3);
    }
  }
  geqp3(R, ldn, N, N, tau2, jpvt, vn1, vn2);

  // 4. Jacobi on X = R₂ᵀ (column j of X = row j of R₂: lower triangular)
  for (let j: i32 = 0; j < N; j++) {
    const xj = X + (<usize>j * <usize>ldn << 3);
    memory.fill(xj, 0, <usize>j << 3);
    for (let i = j; i < N; i++) store<f64>(xj + (<usize>i << 3), load<f64>(R + ((<usize>i * <usize>ldn + <usize>j) << 3)));
  }
  if (needL) {
    memory.fill(VJ, 0, <usize>N * <usize>ldn << 3);
    for (let j: i32 = 0; j < N; j++) store<f64>(VJ + ((<usize>j * <usize>ldn + <usize>j) << 3), 1.0);
  }
  const left = jacobi(X, ldn, N, N, needL, VJ, ldn, d, stamp, Math.sqrt(<f64>N) * EPS, sweeps);
  if (left > 0) {
    setInfo(left);
    return STATUS_NOT_CONVERGED;
  }

  // 5. order (stable, descending) and singular values
  for (let j: i32 = 0; j < N; j++) {
    const dj = load<f64>(d + (<usize>j << 3));
    let i = j;
    while (i > 0 && load<f64>(d + (<usize>load<i32>(order + (<usize>(i - 1) << 2)) << 3)) < dj) {
      store<i32>(order + (<usize>i << 2), load<i32>(order + (<usize>(i - 1) << 2)));
      i--;
    }
    store<i32>(order + (<usize>i << 2), j);
  }
  for (let c: i32 = 0; c < N; c++) {
    store<f64>(s + (<usize>c << 3), times2k(load<f64>(d + (<usize>load<i32>(order + (<usize>c << 2)) << 3)), e));
  }

  if (needR) normaliseColumns(X, ldn, N, d, vn1);
  if (needL) {
    ormqr(R, ldn, N, N, tau2, VJ, ldn, N, qw); // V_J ← Q₂·V_J
    if (M > N) {
      for (let j: i32 = 0; j < N; j++) {
        const cj = C + (<usize>j * <usize>ldm << 3);
        memory.copy(cj, VJ + (<usize>j * <usize>ldn << 3), <usize>N << 3);
        memory.fill(cj + (<usize>N << 3), 0, <usize>(M - N) << 3);
      }
      ormqr(W, ldw, M, N, tau1, C, ldm, N, qw); // C ← Q₁·[Q₂V_J; 0] (W is M rows here)
    }
  }

  // outputs: leftT column c = C[:, order[c]] (length M); rightT[jpvt[i], c] = X[i, order[c]]
  const uRight = wide; // U of A comes from the right vectors of T when A is wide
  if (wantU != 0) {
    if (uRight) scatterRight(X, ldn, N, order, jpvt, u, ldu);
    else gatherLeft(C, ldc, M, N, order, u, ldu);
  }
  if (wantV != 0) {
    for (let c: i32 = 0; c < N; c++) {
      const row = vt + (<usize>c * <usize>ldvt << 3);
      const src = load<i32>(order + (<usize>c << 2));
      if (!uRight) {
        const xc = X + (<usize>src * <usize>ldn << 3);
        for (let i: i32 = 0; i < N; i++) store<f64>(row + (<usize>load<i32>(jpvt + (<usize>i << 2)) << 3), load<f64>(xc + (<usize>i << 3)));
      } else {
        memory.copy(row, C + (<usize>src * <usize>ldc << 3), <usize>M << 3);
      }
    }
  }
  fixSigns(k, m, n, wantU != 0, u, ldu, wantV != 0, vt, ldvt);
  return 0;
}

/** u[jpvt[i], c] = X[i, order[c]] (wide A: U = P·U_J, row-major m × k). */
function scatterRight(X: usize, ldx: i32, N: i32, order: usize, jpvt: usize, u: usize, ldu: i32): void {
  for (let c: i32 = 0; c < N; c++) {
    const xc = X + (<usize>load<i32>(order + (<usize>c << 2)) * <usize>ldx << 3);
    for (let i: i32 = 0; i < N; i++) {
      const r = load<i32>(jpvt + (<usize>i << 2));
      store<f64>(u + ((<usize>r * <usize>ldu + <usize>c) << 3), load<f64>(xc + (<usize>i << 3)));
    }
  }
}

/** u[i, c] = C[i, order[c]] (tall A: U = Q₁Q₂V_J, row-major M × N), in row blocks for locality. */
function gatherLeft(C: usize, ldc: i32, M: i32, N: i32, order: usize, u: usize, ldu: i32): void {
  for (let i0: i32 = 0; i0 < M; i0 += 32) {
    const i1 = M - i0 < 32 ? M : i0 + 32;
    for (let c: i32 = 0; c < N; c++) {
      const cc = C + (<usize>load<i32>(order + (<usize>c << 2)) * <usize>ldc << 3);
      for (let i = i0; i < i1; i++) store<f64>(u + ((<usize>i * <usize>ldu + <usize>c) << 3), load<f64>(cc + (<usize>i << 3)));
    }
  }
}

/**
 * Columns of X (N × N) divided by their norms d; zero columns replaced by an orthonormal completion:
 * the unit vector e_i least represented in the span so far (largest 1 − Σ_c u_c[i]², kept up to date
 * in res), orthogonalised by Gram–Schmidt twice. res: N doubles.
 */
function normaliseColumns(X: usize, ldx: i32, N: i32, d: usize, res: usize): void {
  let zeros: i32 = 0;
  for (let i: i32 = 0; i < N; i++) store<f64>(res + (<usize>i << 3), 1.0);
  for (let j: i32 = 0; j < N; j++) {
    const dj = load<f64>(d + (<usize>j << 3));
    if (!(dj > 0.0)) {
      zeros++;
      continue;
    }
    const xj = X + (<usize>j * <usize>ldx << 3);
    scal(1.0 / dj, xj, N);
    for (let i: i32 = 0; i < N; i++) store<f64>(res + (<usize>i << 3), load<f64>(res + (<usize>i << 3)) - load<f64>(xj + (<usize>i << 3)) * load<f64>(xj + (<usize>i << 3)));
  }
  if (zeros == 0) return;
  for (let j: i32 = 0; j < N; j++) {
    if (load<f64>(d + (<usize>j << 3)) > 0.0) continue;
    const xj = X + (<usize>j * <usize>ldx << 3);
    let best: i32 = 0;
    for (let i: i32 = 1; i < N; i++) if (load<f64>(res + (<usize>i << 3)) > load<f64>(res + (<usize>best << 3))) best = i;
    memory.fill(xj, 0, <usize>N << 3);
    store<f64>(xj + (<usize>best << 3), 1.0);
    // against the normalised columns and the completions made so far (zero columns before j)
    for (let pass: i32 = 0; pass < 2; pass++) {
      for (let c: i32 = 0; c < N; c++) {
        if (c == j || (c > j && !(load<f64>(d + (<usize>c << 3)) > 0.0))) continue;
        const xc = X + (<usize>c * <usize>ldx << 3);
        const h = dot(xc, xj, N);
        if (h != 0.0) axpy(-h, xc, xj, N);
      }
    }
    scal(1.0 / Math.sqrt(dot(xj, xj, N)), xj, N);
    for (let i: i32 = 0; i < N; i++) store<f64>(res + (<usize>i << 3), load<f64>(res + (<usize>i << 3)) - load<f64>(xj + (<usize>i << 3)) * load<f64>(xj + (<usize>i << 3)));
  }
}

/**
 * Make the largest-|·| entry (first on ties) of each row of vt positive (else of each column of u),
 * flipping the matching column of u (row of vt); also turns every −0 into +0.
 */
function fixSigns(k: i32, m: i32, n: i32, wantU: bool, u: usize, ldu: i32, wantV: bool, vt: usize, ldvt: i32): void {
  if (!wantU && !wantV) return;
  for (let c: i32 = 0; c < k; c++) {
    let big: f64 = -1.0, val: f64 = 0.0;
    if (wantV) {
      const row = vt + (<usize>c * <usize>ldvt << 3);
      for (let j: i32 = 0; j < n; j++) {
        const x = load<f64>(row + (<usize>j << 3));
        if (Math.abs(x) > big) { big = Math.abs(x); val = x; }
      }
    } else {
      for (let i: i32 = 0; i < m; i++) {
        const x = load<f64>(u + ((<usize>i * <usize>ldu + <usize>c) << 3));
        if (Math.abs(x) > big) { big = Math.abs(x); val = x; }
      }
    }
    // flip with 0 − x and otherwise add +0: either way no −0 is left in the output
    const flip = val < 0.0;
    if (wantV) {
      const row = vt + (<usize>c * <usize>ldvt << 3);
      for (let j: i32 = 0; j < n; j++) {
        const p = row + (<usize>j << 3);
        store<f64>(p, flip ? 0.0 - load<f64>(p) : load<f64>(p) + 0.0);
      }
    }
    if (wantU) {
      for (let i: i32 = 0; i < m; i++) {
        const p = u + ((<usize>i * <usize>ldu + <usize>c) << 3);
        store<f64>(p, flip ? 0.0 - load<f64>(p) : load<f64>(p) + 0.0);
      }
    }
  }
}
