// Symmetric eigenproblem drivers: A = V·Λ·Vᵀ (all of it, or selected eigenpairs), A row-major.
// see: LAPACK dsyev (scale, dsytrd, dsterf | dorgtr + dsteqr, unscale), dsyevd (dsytrd, dstedc,
//      dormtr: divide and conquer for the vectors when n > DC_MIN) and dsyevx (dstebz + dstein +
//      dormtr for a subset).
//
// Scaling (dsyev): when max|a_ij| lies outside [RMIN, RMAX] = [√(safmin/ulp), 1/√(safmin/ulp)] the matrix
// is multiplied by a power of two 2^k bringing it inside (exact, unlike dlascl's rounded ratio), and the
// eigenvalues are multiplied back by 2^−k, so entries of 1e±300 neither overflow nor lose accuracy.
// The selected triangle is scanned for NaN/±Inf first (STATUS_NON_FINITE, info = its flat index i·lda + j).
// A is destroyed. Nothing is allocated: callers reserve the workspace sizes below (bytes, 8-aligned).

import { STATUS_NON_FINITE, STATUS_NOT_CONVERGED, setInfo } from "../abi";
import { exponent, ld, pow2, scaleByPow2, st } from "./common";
import { stebz, stebzCount } from "./bisect";
import { stedc, stedcWorkspace } from "./dc";
import { ormtrBlocked, ormtrWorkspace } from "./ormtr";
import { sterf, steqr } from "./ql";
import { stein } from "./stein";
import { orgtr, ormtr, sytrd, transposeInPlace } from "./tridiag";

/**
 * Vectors by divide and conquer (dsyevd's route) above this order, by QL/QR accumulated into Q
 * (dsyev's) up to it. Measured on random matrices (time after sytrd, D&C/QL): SIMD 1.12 at n = 64,
 * 0.99 at 96, 0.86 at 128, 0.63 at 256; scalar 0.96 at 64, 0.82 at 96.
 */
// @ts-ignore: decorator
@inline export const DC_MIN: i32 = 96;
/**
 * D&C needs 2n² f64 of workspace besides A and Z (QL/QR: none), so above this order QL/QR is used,
 * keeping eigh within a 4 GiB wasm memory further up.
 */
// @ts-ignore: decorator
@inline const DC_MAX: i32 = 8192;

/** 1 when syev_f64 takes the divide-and-conquer route for this order (values and vectors). */
// @ts-ignore: decorator
@inline function useDC(n: i32, wantVectors: i32): bool {
  return wantVectors != 0 && n > DC_MIN && n <= DC_MAX;
}

// @ts-ignore: decorator
@inline const RMIN: f64 = 1.0010415475915505e-146;
// @ts-ignore: decorator
@inline const RMAX: f64 = 9.989595361011175e145;

/**
 * Check the triangle to be read (lower: j ≤ i; upper: j ≥ i), mirror it into the lower one, scale.
 * Returns a status; on success the scaling exponent k is in `scaleK` (A was multiplied by 2^k).
 */
let scaleK: i32 = 0;
function prepare(a: usize, n: i32, lda: i32, lower: bool): i32 {
  let anrm: f64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const row = a + (<usize>i * <usize>lda << 3);
    const j0 = lower ? 0 : i, j1 = lower ? i : n - 1;
    for (let j = j0; j <= j1; j++) {
      const v = ld(row, j);
      if (v - v != 0.0) { setInfo(i * lda + j); return STATUS_NON_FINITE; }
      const av = Math.abs(v);
      if (av > anrm) anrm = av;
    }
  }
  if (!lower) {
    for (let i: i32 = 1; i < n; i++) {
      for (let j: i32 = 0; j < i; j++) st(a, i * lda + j, ld(a, j * lda + i));
    }
  }
  let k: i32 = 0;
  if (anrm > 0.0 && anrm < RMIN) k = exponent(RMIN) - exponent(anrm) + 1;
  else if (anrm > RMAX) k = exponent(RMAX) - exponent(anrm) - 1;
  if (k != 0) {
    const f = pow2(k);
    for (let i: i32 = 0; i < n; i++) {
      const row = a + (<usize>i * <usize>lda << 3);
      for (let j: i32 = 0; j <= i; j++) st(row, j, ld(row, j) * f);
    }
  }
  scaleK = k;
  return 0;
}

/** Workspace bytes for syev_f64 of order n; −1 when above 2 GiB. */
export function syev_f64_workspace(n: i32, wantVectors: i32): i32 {
  if (n <= 0) return 16;
  let bytes = <f64>((7 * n) << 3);
  if (useDC(n, wantVectors)) bytes += Math.max(stedcWorkspace(n), ormtrWorkspace(n, n));
  return bytes > 2147483647.0 ? -1 : <i32>bytes;
}

/**
 * All eigenvalues (ascending) of the symmetric n × n A (row-major, stride lda; `lower` ≠ 0 reads the
 * lower triangle, else the upper) into w; with wantVectors ≠ 0 the orthonormal eigenvectors into the
 * columns of Z (row-major, stride ldz): A·Z = Z·diag(w). maxIter > 0 caps the total QL/QR sweeps
 * (default 30·n; on the divide-and-conquer route, those of its leaves, default 30·size per leaf).
 * A is destroyed. Returns 0; STATUS_NOT_CONVERGED (info = unconverged count, or the order of the
 * block whose secular equation did not converge); STATUS_NON_FINITE (info = flat index); −k for
 * an invalid argument k.
 * see: dsyev (dsytrd → dsterf, or dsytrd → dorgtr → dsteqr); dsyevd (dsytrd → dstedc → dormtr) for
 *      vectors when n > DC_MIN.
 */
export function syev_f64(a: usize, n: i32, lda: i32, lower: i32, w: usize, z: usize, ldz: i32, wantVectors: i32, maxIter: i32, work: usize): i32 {
  if (n < 0) return -2;
  if (lda < (n > 1 ? n : 1)) return -3;
  if (wantVectors != 0 && ldz < (n > 1 ? n : 1)) return -7;
  if (maxIter < 0) return -9;
  if (n == 0) return 0;
  const status = prepare(a, n, lda, lower != 0);
  if (status != 0) return status;
  const nb = <usize>n << 3;
  const d = work, e = d + nb, tau = e + nb, ya = tau + nb, yb = ya + nb, cs = yb + nb;
  sytrd(a, n, lda, d, e, tau, ya, yb);
  let left: i32;
  if (wantVectors == 0) {
    left = sterf(n, d, e, maxIter);
  } else if (useDC(n, wantVectors)) {
    const dcw = cs + 2 * nb;
    left = stedc(n, d, e, z, ldz, maxIter, dcw); // column-major eigenvectors of T in z
    if (left > 0) { setInfo(left); return STATUS_NOT_CONVERGED; }
    transposeInPlace(z, n, ldz); // row-major
    ormtrBlocked(a, n, lda, tau, z, ldz, n, dcw); // Z := Q·Z
    const back = pow2(-scaleK);
    for (let i: i32 = 0; i < n; i++) st(w, i, ld(d, i) * back);
    return 0;
  } else {
    orgtr(a, n, lda, tau, z, ldz); // column-major Q in z
    left = steqr(n, d, e, z, ldz, cs, maxIter);
  }
  if (left > 0) { setInfo(left); return STATUS_NOT_CONVERGED; }
  const back = pow2(-scaleK);
  for (let i: i32 = 0; i < n; i++) st(w, i, ld(d, i) * back);
  if (wantVectors != 0) transposeInPlace(z, n, ldz); // column-major → row-major
  return 0;
}

/** Workspace bytes for syevx_f64 of order n returning at most mMax eigenpairs. */
export function syevx_f64_workspace(n: i32, mMax: i32, wantVectors: i32): i32 {
  if (n <= 0) return 16;
  return (16 * n + (wantVectors != 0 ? n * mMax : 0)) << 3;
}

/**
 * Selected eigenvalues of the symmetric A, ascending: those with 0-based indices il..iu (byValue = 0)
 * or those in the half-open (vl, vu] (byValue ≠ 0; ±Infinity allowed), into w; their count m into the
 * i32 at mOut; with wantVectors ≠ 0 the orthonormal eigenvectors into the first m columns of Z
 * (row-major n × ldz; ldz ≥ the most that can be found: iu − il + 1, or n for a value range).
 * maxIter > 0 caps each bisection. A is destroyed. Statuses as syev_f64 (info = values or vectors
 * that did not converge). see: dsyevx (dsytrd → dstebz → dstein → dormtr).
 */
export function syevx_f64(a: usize, n: i32, lda: i32, lower: i32, byValue: i32, il: i32, iu: i32, vl: f64, vu: f64, w: usize, z: usize, ldz: i32, wantVectors: i32, maxIter: i32, mOut: usize, work: usize): i32 {
  store<i32>(mOut, 0);
  if (n < 0) return -2;
  if (lda < (n > 1 ? n : 1)) return -3;
  if (byValue != 0) { if (!(vl < vu)) return -9; }
  else { if (il < 0 || il >= n) return -6; if (iu < il || iu >= n) return -7; }
  if (ldz < 1) return -12;
  if (maxIter < 0) return -14;
  if (n == 0) return 0;
  const status = prepare(a, n, lda, lower != 0);
  if (status != 0) return status;
  const nb = <usize>n << 3;
  const d = work, e = d + nb, tau = e + nb, ya = tau + nb, yb = ya + nb;
  const e2 = yb + nb, lo = e2 + nb, hi = lo + nb, wv = hi + nb;
  const iblock = wv + nb, isplit = iblock + (nb >> 1), iwork = isplit + (nb >> 1);
  const sw = iwork + nb, zc = sw + 5 * nb; // stein scratch (5n), then column-major vectors n × m
  sytrd(a, n, lda, d, e, tau, ya, yb);
  const k = scaleK;
  const svl = byValue != 0 ? scaleByPow2(vl, k) : 0.0, svu = byValue != 0 ? scaleByPow2(vu, k) : 0.0;
  let left = stebz(n, d, e, byValue != 0, il, iu, svl, svu, maxIter, wv, iblock, isplit, e2, lo, hi);
  if (left > 0) { setInfo(left); return STATUS_NOT_CONVERGED; }
  const m = stebzCount;
  if (wantVectors != 0 && m > ldz) return -12;
  if (wantVectors != 0 && m > 0) {
    left = stein(n, d, e, m, wv, iblock, isplit, zc, n, sw, iwork);
    if (left > 0) { setInfo(left); return STATUS_NOT_CONVERGED; }
    ormtr(a, n, lda, tau, zc, n, m);
  }
  // ascending order (stebz grouped the values by block), vectors with them
  for (let i: i32 = 0; i < m - 1; i++) {
    let kk = i;
    let p = ld(wv, i);
    for (let j = i + 1; j < m; j++) if (ld(wv, j) < p) { kk = j; p = ld(wv, j); }
    if (kk == i) continue;
    st(wv, kk, ld(wv, i));
    st(wv, i, p);
    if (wantVectors != 0) {
      const x = zc + (<usize>i * <usize>n << 3), y = zc + (<usize>kk * <usize>n << 3);
      for (let r: i32 = 0; r < n; r++) { const t = ld(x, r); st(x, r, ld(y, r)); st(y, r, t); }
    }
  }
  const back = pow2(-k);
  for (let i: i32 = 0; i < m; i++) st(w, i, ld(wv, i) * back);
  if (wantVectors != 0) {
    for (let r: i32 = 0; r < n; r++) {
      for (let c: i32 = 0; c < m; c++) st(z, r * ldz + c, ld(zc, c * n + r));
    }
  }
  store<i32>(mOut, m);
  return 0;
}
