// T = Z·Λ·Zᵀ for symmetric tridiagonal T = tridiag(e, d, e) by implicit QL/QR with Wilkinson-type shifts.
// see: LAPACK dsterf (values only: Pal–Walker–Kahan square-root-free QL/QR) and dsteqr (values and
//      vectors: QL/QR with Givens rotations, applied to Z as dlasr('R','V',…) does), dlae2, dlaev2, dlartg.
//
// As in LAPACK, the matrix is split where |e_i| ≤ ε·√|d_i|·√|d_i+1|; each unreduced block is scaled
// (by an exact power of two here) into [SSFMIN, SSFMAX] when its largest entry lies outside, and QL or
// QR is chosen per block so that eigenvalues deflate first at the end with the smaller |d_i|.
// All blocks share one iteration budget: 30·n sweeps, or `maxIt` when it is positive. On exhaustion
// the functions return how many off-diagonal entries are still non-zero (LAPACK's info > 0).
// Z is COLUMN-major (column j contiguous at z + j·ldz·8); each sweep's rotations are saved and applied
// to Z at once (rot.ts), as dsteqr does with dlasr.

import { EPS, HUGE, SAFMIN, exponent, ld, lapy2, pow2, sign, st } from "./common";
import { lasr } from "./rot";

// @ts-ignore: decorator
@inline const EPS2: f64 = EPS * EPS;
// @ts-ignore: decorator
@inline const SSFMAX: f64 = 2.2346346549904327e153; // √(1/SAFMIN)/3
// @ts-ignore: decorator
@inline const SSFMIN: f64 = 1.210184973390412e-122; // √SAFMIN/EPS²
// @ts-ignore: decorator
@inline const RTMIN: f64 = 1.4916681462400413e-154; // √SAFMIN (dlartg)
// @ts-ignore: decorator
@inline const RTMAX: f64 = 4.740375954054589e153; // √(1/SAFMIN/2)
// @ts-ignore: decorator
@inline const SAFMAX: f64 = 4.49423283715579e307; // 1/SAFMIN
// @ts-ignore: decorator
@inline const MAXIT: i32 = 30;

// results of lae2 / laev2 / lartg
let rt1: f64 = 0, rt2: f64 = 0, cs1: f64 = 0, sn1: f64 = 0, rr: f64 = 0;

/** Eigenvalues rt1 ≥ rt2 (by absolute value) of [[a, b], [b, c]], and with `vec` the rotation (cs1, sn1). see: dlae2, dlaev2. */
function laev2(a: f64, b: f64, c: f64, vec: bool): void {
  const sm = a + c, df = a - c, adf = Math.abs(df), tb = b + b, ab = Math.abs(tb);
  let acmx = c, acmn = a;
  if (Math.abs(a) > Math.abs(c)) { acmx = a; acmn = c; }
  let rt: f64;
  if (adf > ab) { const q = ab / adf; rt = adf * Math.sqrt(1.0 + q * q); }
  else if (adf < ab) { const q = adf / ab; rt = ab * Math.sqrt(1.0 + q * q); }
  else rt = ab * Math.SQRT2;
  let sgn1: i32;
  if (sm < 0.0) { rt1 = 0.5 * (sm - rt); sgn1 = -1; rt2 = (acmx / rt1) * acmn - (b / rt1) * b; }
  else if (sm > 0.0) { rt1 = 0.5 * (sm + rt); sgn1 = 1; rt2 = (acmx / rt1) * acmn - (b / rt1) * b; }
  else { rt1 = 0.5 * rt; rt2 = -0.5 * rt; sgn1 = 1; }
  if (!vec) return;
  let cs: f64, sgn2: i32;
  if (df >= 0.0) { cs = df + rt; sgn2 = 1; } else { cs = df - rt; sgn2 = -1; }
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1.0 / Math.sqrt(1.0 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab == 0.0) {
    cs1 = 1.0; sn1 = 0.0;
  } else {
    const tn = -cs / tb;
    cs1 = 1.0 / Math.sqrt(1.0 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 == sgn2) { const tn = cs1; cs1 = -sn1; sn1 = tn; }
}

/** Plane rotation [c s; −s c]·[f; g] = [r; 0] (cs1 = c, sn1 = s, rr = r). see: dlartg (LAPACK 3.10+). */
function lartg(f: f64, g: f64): void {
  const f1 = Math.abs(f), g1 = Math.abs(g);
  if (g == 0.0) { cs1 = 1.0; sn1 = 0.0; rr = f; }
  else if (f == 0.0) { cs1 = 0.0; sn1 = sign(1.0, g); rr = g1; }
  else if (f1 > RTMIN && f1 < RTMAX && g1 > RTMIN && g1 < RTMAX) {
    const d = Math.sqrt(f * f + g * g);
    cs1 = f1 / d; rr = sign(d, f); sn1 = g / rr;
  } else {
    const u = Math.min(SAFMAX, Math.max(SAFMIN, Math.max(f1, g1)));
    const fs = f / u, gs = g / u;
    const d = Math.sqrt(fs * fs + gs * gs);
    cs1 = Math.abs(fs) / d; rr = sign(d, f); sn1 = gs / rr; rr *= u;
  }
}

/** Multiply x[lo..hi] by 2^k (exact unless it under/overflows). */
function scaleRange(x: usize, lo: i32, hi: i32, k: i32): void {
  const f = pow2(k);
  for (let i = lo; i <= hi; i++) st(x, i, ld(x, i) * f);
}

/**
 * k such that anorm·2^k lies inside [SSFMIN, SSFMAX] when anorm is outside (0 otherwise): dlascl's
 * scaling to the nearest bound, by an exact power of two instead of a rounded ratio.
 */
function blockScale(anorm: f64): i32 {
  if (anorm > SSFMAX && anorm <= HUGE) return exponent(SSFMAX) - exponent(anorm) - 1;
  if (anorm < SSFMIN) return exponent(SSFMIN) - exponent(anorm) + 1;
  return 0;
}

/** max(|d_l..d_lend|, |e_l..e_lend−1|), NaN if any is NaN. see: dlanst('M'). */
function lanst(d: usize, e: usize, l: i32, lend: i32): f64 {
  let m: f64 = 0;
  for (let i = l; i <= lend; i++) { const v = Math.abs(ld(d, i)); if (v > m || v != v) m = v; }
  for (let i = l; i < lend; i++) { const v = Math.abs(ld(e, i)); if (v > m || v != v) m = v; }
  return m;
}

/** Number of non-zero e_i (the unconverged count reported on exhaustion). */
function countNonZero(e: usize, n: i32): i32 {
  let k: i32 = 0;
  for (let i: i32 = 0; i < n - 1; i++) if (ld(e, i) != 0.0) k++;
  return k;
}

/**
 * Eigenvalues of T into d, ascending; e is destroyed. Returns 0, or the number of unconverged
 * off-diagonals when the budget ran out (d then unordered). see: dsterf.
 */
export function sterf(n: i32, d: usize, e: usize, maxIt: i32): i32 {
  if (n <= 1) return 0;
  const nmaxit = maxIt > 0 ? maxIt : n * MAXIT;
  let jtot: i32 = 0, l1: i32 = 0;
  while (l1 < n) {
    if (l1 > 0) st(e, l1 - 1, 0.0);
    let m = l1;
    for (; m < n - 1; m++) {
      if (Math.abs(ld(e, m)) <= Math.sqrt(Math.abs(ld(d, m))) * Math.sqrt(Math.abs(ld(d, m + 1))) * EPS) { st(e, m, 0.0); break; }
    }
    let l = l1, lend = m;
    const lsv = l, lendsv = lend;
    l1 = m + 1;
    if (lend == l) continue;
    const anorm = lanst(d, e, l, lend);
    if (anorm == 0.0) continue;
    const k = blockScale(anorm);
    if (k != 0) { scaleRange(d, l, lend, k); scaleRange(e, l, lend - 1, k); }
    for (let i = l; i < lend; i++) st(e, i, ld(e, i) * ld(e, i));
    if (Math.abs(ld(d, lend)) < Math.abs(ld(d, l))) { lend = lsv; l = lendsv; }
    if (lend >= l) {
      // QL: deflate at the top (l), chase from m upward
      while (true) {
        for (m = l; m < lend; m++) if (Math.abs(ld(e, m)) <= EPS2 * Math.abs(ld(d, m) * ld(d, m + 1))) break;
        if (m < lend) st(e, m, 0.0);
        let p = ld(d, l);
        if (m == l) { l++; if (l <= lend) continue; break; }
        if (m == l + 1) {
          laev2(ld(d, l), Math.sqrt(ld(e, l)), ld(d, l + 1), false);
          st(d, l, rt1); st(d, l + 1, rt2); st(e, l, 0.0);
          l += 2; if (l <= lend) continue; break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        const rte = Math.sqrt(ld(e, l));
        let sigma = (ld(d, l + 1) - p) / (2.0 * rte);
        sigma = p - rte / (sigma + sign(lapy2(sigma, 1.0), sigma));
        let c: f64 = 1, s: f64 = 0, gamma = ld(d, m) - sigma;
        p = gamma * gamma;
        for (let i = m - 1; i >= l; i--) {
          const bb = ld(e, i), r = p + bb;
          if (i != m - 1) st(e, i + 1, s * r);
          const oldc = c;
          c = p / r; s = bb / r;
          const oldgam = gamma, alpha = ld(d, i);
          gamma = c * (alpha - sigma) - s * oldgam;
          st(d, i + 1, oldgam + (alpha - gamma));
          p = c != 0.0 ? (gamma * gamma) / c : oldc * bb;
        }
        st(e, l, s * p);
        st(d, l, sigma + gamma);
      }
    } else {
      // QR: deflate at the bottom (l), chase from m downward
      while (true) {
        for (m = l; m > lend; m--) if (Math.abs(ld(e, m - 1)) <= EPS2 * Math.abs(ld(d, m) * ld(d, m - 1))) break;
        if (m > lend) st(e, m - 1, 0.0);
        let p = ld(d, l);
        if (m == l) { l--; if (l >= lend) continue; break; }
        if (m == l - 1) {
          laev2(ld(d, l), Math.sqrt(ld(e, l - 1)), ld(d, l - 1), false);
          st(d, l, rt1); st(d, l - 1, rt2); st(e, l - 1, 0.0);
          l -= 2; if (l >= lend) continue; break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        const rte = Math.sqrt(ld(e, l - 1));
        let sigma = (ld(d, l - 1) - p) / (2.0 * rte);
        sigma = p - rte / (sigma + sign(lapy2(sigma, 1.0), sigma));
        let c: f64 = 1, s: f64 = 0, gamma = ld(d, m) - sigma;
        p = gamma * gamma;
        for (let i = m; i <= l - 1; i++) {
          const bb = ld(e, i), r = p + bb;
          if (i != m) st(e, i - 1, s * r);
          const oldc = c;
          c = p / r; s = bb / r;
          const oldgam = gamma, alpha = ld(d, i + 1);
          gamma = c * (alpha - sigma) - s * oldgam;
          st(d, i, oldgam + (alpha - gamma));
          p = c != 0.0 ? (gamma * gamma) / c : oldc * bb;
        }
        st(e, l - 1, s * p);
        st(d, l, sigma + gamma);
      }
    }
    if (k != 0) scaleRange(d, lsv, lendsv, -k);
    if (jtot >= nmaxit) {
      const left = countNonZero(e, n);
      if (left > 0) return left;
      break;
    }
  }
  sortValues(d, n);
  return 0;
}

/** QL/QR sweeps spent by the last `steqr` call (divide and conquer charges them to its budget). */
export let qlSweeps: i32 = 0;

/**
 * Eigenvalues of T into d (ascending) and, in the columns of Z (n × n, column-major, stride ldz),
 * Z·(eigenvectors of T) — pass Z = Q from `orgtr` to get those of A. e is destroyed; cs: 2n scratch.
 * Returns 0 or the unconverged count (see sterf). see: dsteqr (COMPZ = 'V').
 */
export function steqr(n: i32, d: usize, e: usize, z: usize, ldz: i32, cs: usize, maxIt: i32): i32 {
  qlSweeps = 0;
  if (n <= 1) return 0;
  const nmaxit = maxIt > 0 ? maxIt : n * MAXIT;
  const cw = cs, sw = cs + (<usize>n << 3);
  const colBytes = <usize>ldz << 3;
  let jtot: i32 = 0, l1: i32 = 0;
  while (l1 < n) {
    if (l1 > 0) st(e, l1 - 1, 0.0);
    let m = l1;
    for (; m < n - 1; m++) {
      const tst = Math.abs(ld(e, m));
      if (tst == 0.0) break;
      if (tst <= Math.sqrt(Math.abs(ld(d, m))) * Math.sqrt(Math.abs(ld(d, m + 1))) * EPS) { st(e, m, 0.0); break; }
    }
    let l = l1, lend = m;
    const lsv = l, lendsv = lend;
    l1 = m + 1;
    if (lend == l) continue;
    const anorm = lanst(d, e, l, lend);
    if (anorm == 0.0) continue;
    const k = blockScale(anorm);
    if (k != 0) { scaleRange(d, l, lend, k); scaleRange(e, l, lend - 1, k); }
    if (Math.abs(ld(d, lend)) < Math.abs(ld(d, l))) { lend = lsv; l = lendsv; }
    if (lend > l) {
      while (true) {
        for (m = l; m < lend; m++) {
          const t = Math.abs(ld(e, m));
          if (t * t <= EPS2 * Math.abs(ld(d, m)) * Math.abs(ld(d, m + 1)) + SAFMIN) break;
        }
        if (m < lend) st(e, m, 0.0);
        let p = ld(d, l);
        if (m == l) { l++; if (l <= lend) continue; break; }
        if (m == l + 1) {
          laev2(ld(d, l), ld(e, l), ld(d, l + 1), true);
          st(cw, l, cs1); st(sw, l, sn1);
          lasr(n, 2, cw + (<usize>l << 3), sw + (<usize>l << 3), z + <usize>l * colBytes, ldz, true);
          st(d, l, rt1); st(d, l + 1, rt2); st(e, l, 0.0);
          l += 2; if (l <= lend) continue; break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        let g = (ld(d, l + 1) - p) / (2.0 * ld(e, l));
        g = ld(d, m) - p + ld(e, l) / (g + sign(lapy2(g, 1.0), g));
        let s: f64 = 1, c: f64 = 1;
        p = 0;
        for (let i = m - 1; i >= l; i--) {
          const f = s * ld(e, i), b = c * ld(e, i);
          lartg(g, f);
          c = cs1; s = sn1;
          if (i != m - 1) st(e, i + 1, rr);
          g = ld(d, i + 1) - p;
          const r = (ld(d, i) - g) * s + 2.0 * c * b;
          p = s * r;
          st(d, i + 1, g + p);
          g = c * r - b;
          st(cw, i, c); st(sw, i, -s);
        }
        lasr(n, m - l + 1, cw + (<usize>l << 3), sw + (<usize>l << 3), z + <usize>l * colBytes, ldz, true);
        st(d, l, ld(d, l) - p);
        st(e, l, g);
      }
    } else {
      while (true) {
        for (m = l; m > lend; m--) {
          const t = Math.abs(ld(e, m - 1));
          if (t * t <= EPS2 * Math.abs(ld(d, m)) * Math.abs(ld(d, m - 1)) + SAFMIN) break;
        }
        if (m > lend) st(e, m - 1, 0.0);
        let p = ld(d, l);
        if (m == l) { l--; if (l >= lend) continue; break; }
        if (m == l - 1) {
          laev2(ld(d, l - 1), ld(e, l - 1), ld(d, l), true);
          st(cw, m, cs1); st(sw, m, sn1);
          lasr(n, 2, cw + (<usize>m << 3), sw + (<usize>m << 3), z + <usize>(l - 1) * colBytes, ldz, false);
          st(d, l - 1, rt1); st(d, l, rt2); st(e, l - 1, 0.0);
          l -= 2; if (l >= lend) continue; break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        let g = (ld(d, l - 1) - p) / (2.0 * ld(e, l - 1));
        g = ld(d, m) - p + ld(e, l - 1) / (g + sign(lapy2(g, 1.0), g));
        let s: f64 = 1, c: f64 = 1;
        p = 0;
        for (let i = m; i <= l - 1; i++) {
          const f = s * ld(e, i), b = c * ld(e, i);
          lartg(g, f);
          c = cs1; s = sn1;
          if (i != m) st(e, i - 1, rr);
          g = ld(d, i) - p;
          const r = (ld(d, i + 1) - g) * s + 2.0 * c * b;
          p = s * r;
          st(d, i, g + p);
          g = c * r - b;
          st(cw, i, c); st(sw, i, s);
        }
        lasr(n, l - m + 1, cw + (<usize>m << 3), sw + (<usize>m << 3), z + <usize>m * colBytes, ldz, false);
        st(d, l, ld(d, l) - p);
        st(e, l - 1, g);
      }
    }
    if (k != 0) { scaleRange(d, lsv, lendsv, -k); scaleRange(e, lsv, lendsv - 1, -k); }
    if (jtot >= nmaxit) {
      const left = countNonZero(e, n);
      qlSweeps = jtot;
      if (left > 0) return left;
      break;
    }
  }
  qlSweeps = jtot;
  sortPairs(d, z, n, ldz);
  return 0;
}

/**
 * Sort eigenvalues d ascending with their vectors (the columns of z, each n long, ldz apart) by
 * selection sort: at most n − 1 column swaps (LAPACK dsteqr/dstedc's final step).
 */
export function sortPairs(d: usize, z: usize, n: i32, ldz: i32): void {
  const colBytes = <usize>ldz << 3;
  for (let i: i32 = 0; i < n - 1; i++) {
    let kk = i;
    let p = ld(d, i);
    for (let j = i + 1; j < n; j++) if (ld(d, j) < p) { kk = j; p = ld(d, j); }
    if (kk != i) {
      st(d, kk, ld(d, i));
      st(d, i, p);
      swapColumns(z + <usize>i * colBytes, z + <usize>kk * colBytes, n);
    }
  }
}

function swapColumns(x: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    const t = ld(x, i);
    st(x, i, ld(y, i));
    st(y, i, t);
  }
}

/** Ascending insertion sort of x[0..n−1] (NaN-free input; stable). */
export function sortValues(x: usize, n: i32): void {
  for (let i: i32 = 1; i < n; i++) {
    const v = ld(x, i);
    let j = i - 1;
    while (j >= 0 && ld(x, j) > v) { st(x, j + 1, ld(x, j)); j--; }
    st(x, j + 1, v);
  }
}
