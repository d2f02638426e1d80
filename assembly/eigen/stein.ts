// Eigenvectors z_j of T = tridiag(e, d, e) for given eigenvalues λ_j by inverse iteration:
// solve (T − λ_j·I)·x_{k+1} = s·x_k with the pivoted LU of T − λ_j·I, from a pseudo-random start.
// see: LAPACK dstein, dlagtf (LU with partial pivoting of a tridiagonal), dlagts (JOB = −1: solve,
//      perturbing tiny pivots), dlarnv (start vectors; here a fixed xorshift64* stream).
//
// As dstein: eigenvalues closer than 10·ulp·|λ| to the previous one are nudged apart; vectors of
// eigenvalues within 1e-3·‖T_block‖₁ of each other (a cluster) are reorthogonalised against the earlier
// members by modified Gram–Schmidt after every solve; iteration stops two solves after the iterate
// first grows past √(0.1/blocksize), at most 5 solves. A vector that does not get there is counted
// as a failure (the return value) and returned as it stands.

import { EPS, SAFMIN, ULP, axpy, dot, ld, ldi, nrm2, scal, sign, st, sti } from "./common";

// @ts-ignore: decorator
@inline const MAXITS: i32 = 5;
// @ts-ignore: decorator
@inline const EXTRA: i32 = 2;

let seed: u64 = 0;

/** Uniform in (−1, 1): the top 53 bits of xorshift64*. */
function uniform(): f64 {
  let x = seed;
  x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
  seed = x;
  const r = (x * 0x2545F4914F6CDD1D) >> 11;
  return <f64>r * (1.0 / 4503599627370496.0) - 1.0;
}

/** LU with row interchanges of T − λI (n ≥ 2): a, b, c, dd (second superdiagonal), piv. see: dlagtf. */
function lagtf(n: i32, a: usize, lambda: f64, b: usize, c: usize, dd: usize, piv: usize): void {
  st(a, 0, ld(a, 0) - lambda);
  let scale1 = Math.abs(ld(a, 0)) + Math.abs(ld(b, 0));
  for (let k: i32 = 0; k < n - 1; k++) {
    st(a, k + 1, ld(a, k + 1) - lambda);
    let scale2 = Math.abs(ld(c, k)) + Math.abs(ld(a, k + 1));
    if (k < n - 2) scale2 += Math.abs(ld(b, k + 1));
    const piv1 = ld(a, k) == 0.0 ? 0.0 : Math.abs(ld(a, k)) / scale1;
    if (ld(c, k) == 0.0) {
      sti(piv, k, 0);
      scale1 = scale2;
      if (k < n - 2) st(dd, k, 0.0);
    } else if (Math.abs(ld(c, k)) / scale2 <= piv1) {
      sti(piv, k, 0);
      scale1 = scale2;
      st(c, k, ld(c, k) / ld(a, k));
      st(a, k + 1, ld(a, k + 1) - ld(c, k) * ld(b, k));
      if (k < n - 2) st(dd, k, 0.0);
    } else {
      sti(piv, k, 1);
      const mult = ld(a, k) / ld(c, k);
      st(a, k, ld(c, k));
      const temp = ld(a, k + 1);
      st(a, k + 1, ld(b, k) - mult * temp);
      if (k < n - 2) {
        st(dd, k, ld(b, k + 1));
        st(b, k + 1, -mult * ld(dd, k));
      }
      st(b, k, temp);
      st(c, k, mult);
    }
  }
}

/** The perturbation size dlagts uses for tiny pivots: eps·max|U|. */
function lagtsTol(n: i32, a: usize, b: usize, dd: usize): f64 {
  let tol = Math.abs(ld(a, 0));
  if (n > 1) tol = Math.max(tol, Math.max(Math.abs(ld(a, 1)), Math.abs(ld(b, 0))));
  for (let k: i32 = 2; k < n; k++) {
    tol = Math.max(tol, Math.max(Math.abs(ld(a, k)), Math.max(Math.abs(ld(b, k - 1)), Math.abs(ld(dd, k - 2)))));
  }
  tol *= EPS;
  return tol == 0.0 ? EPS : tol;
}

/** y := (LU)⁻¹·y, tiny pivots perturbed by ±tol (doubling) until the quotient is safe. see: dlagts (JOB = −1). */
function lagts(n: i32, a: usize, b: usize, c: usize, dd: usize, piv: usize, y: usize, tol: f64): void {
  for (let k: i32 = 1; k < n; k++) {
    if (ldi(piv, k - 1) == 0) {
      st(y, k, ld(y, k) - ld(c, k - 1) * ld(y, k - 1));
    } else {
      const temp = ld(y, k - 1);
      st(y, k - 1, ld(y, k));
      st(y, k, temp - ld(c, k - 1) * ld(y, k));
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let temp: f64;
    if (k <= n - 3) temp = ld(y, k) - ld(b, k) * ld(y, k + 1) - ld(dd, k) * ld(y, k + 2);
    else if (k == n - 2) temp = ld(y, k) - ld(b, k) * ld(y, k + 1);
    else temp = ld(y, k);
    let ak = ld(a, k);
    let pert = sign(tol, ak);
    for (let guard: i32 = 0; guard < 2200; guard++) {
      const absak = Math.abs(ak);
      if (absak < 1.0) {
        if (absak < SAFMIN) {
          if (absak == 0.0 || Math.abs(temp) * SAFMIN > absak) { ak += pert; pert *= 2.0; continue; }
          temp *= 1.0 / SAFMIN;
          ak *= 1.0 / SAFMIN;
        } else if (Math.abs(temp) > absak * (1.0 / SAFMIN)) {
          ak += pert; pert *= 2.0; continue;
        }
      }
      break;
    }
    st(y, k, temp / ak);
  }
}

function iamax(x: usize, n: i32): i32 {
  let k: i32 = 0;
  let m = Math.abs(ld(x, 0));
  for (let i: i32 = 1; i < n; i++) { const v = Math.abs(ld(x, i)); if (v > m) { m = v; k = i; } }
  return k;
}

/**
 * Vectors for w[0..m−1] (grouped by block as `stebz` returns them) into the columns of Z (n × m,
 * column-major, stride ldz). work: 5n f64, iwork: n i32. Returns the number of vectors that failed to
 * converge (0 = success).
 */
export function stein(n: i32, d: usize, e: usize, m: i32, w: usize, iblock: usize, isplit: usize, z: usize, ldz: i32, work: usize, iwork: usize): i32 {
  if (m <= 0) return 0;
  const ta = work, tb = ta + (<usize>n << 3), tc = tb + (<usize>n << 3), td = tc + (<usize>n << 3), x = td + (<usize>n << 3);
  const cs = <usize>ldz << 3;
  seed = 0x9E3779B97F4A7C15;
  let failed: i32 = 0;
  let j: i32 = 0;
  while (j < m) {
    const blk = ldi(iblock, j);
    const b1 = blk == 0 ? 0 : ldi(isplit, blk - 1) + 1;
    const bn = ldi(isplit, blk);
    const bs = bn - b1 + 1;
    let onenrm: f64 = 0, ortol: f64 = 0, dtpcrt: f64 = 0;
    if (bs > 1) {
      onenrm = Math.max(Math.abs(ld(d, b1)) + Math.abs(ld(e, b1)), Math.abs(ld(d, bn)) + Math.abs(ld(e, bn - 1)));
      for (let i = b1 + 1; i < bn; i++) onenrm = Math.max(onenrm, Math.abs(ld(d, i)) + Math.abs(ld(e, i - 1)) + Math.abs(ld(e, i)));
      ortol = 1e-3 * onenrm;
      dtpcrt = Math.sqrt(0.1 / <f64>bs);
    }
    let gpind = j, jblk: i32 = 0, xjm: f64 = 0;
    for (; j < m && ldi(iblock, j) == blk; j++) {
      jblk++;
      let xj = ld(w, j);
      const col = z + <usize>j * cs;
      memory.fill(col, 0, <usize>n << 3);
      if (bs == 1) { st(col, b1, 1.0); xjm = xj; continue; }
      if (jblk > 1) {
        const pertol = 10.0 * Math.abs(ULP * xj);
        if (xj - xjm < pertol) xj = xjm + pertol;
      }
      for (let i: i32 = 0; i < bs; i++) st(x, i, uniform());
      memory.copy(ta, d + (<usize>b1 << 3), <usize>bs << 3);
      memory.copy(tb, e + (<usize>b1 << 3), <usize>(bs - 1) << 3);
      memory.copy(tc, e + (<usize>b1 << 3), <usize>(bs - 1) << 3);
      lagtf(bs, ta, xj, tb, tc, td, iwork);
      const tol = lagtsTol(bs, ta, tb, td);
      if (Math.abs(xj - xjm) > ortol) gpind = j;
      let its: i32 = 0, nrmchk: i32 = 0, ok = false;
      while (its < MAXITS) {
        its++;
        const scl = <f64>bs * onenrm * Math.max(ULP, Math.abs(ld(ta, bs - 1))) / Math.abs(ld(x, iamax(x, bs)));
        scal(scl, x, bs);
        lagts(bs, ta, tb, tc, td, iwork, x, tol);
        // modified Gram–Schmidt against the earlier members of this cluster
        for (let i = gpind; i < j; i++) {
          const zi = z + <usize>i * cs + (<usize>b1 << 3);
          axpy(-dot(x, zi, bs), zi, x, bs);
        }
        if (Math.abs(ld(x, iamax(x, bs))) < dtpcrt) continue;
        nrmchk++;
        if (nrmchk < EXTRA + 1) continue;
        ok = true;
        break;
      }
      if (!ok) failed++;
      let scl = 1.0 / nrm2(x, bs);
      if (ld(x, iamax(x, bs)) < 0.0) scl = -scl;
      scal(scl, x, bs);
      memory.copy(col + (<usize>b1 << 3), x, <usize>bs << 3);
      xjm = xj;
    }
  }
  return failed;
}
