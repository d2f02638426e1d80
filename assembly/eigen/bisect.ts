// Selected eigenvalues λ_il..λ_iu, or those in (vl, vu], of T = tridiag(e, d, e) by bisection on Sturm
// counts: #{λ ≤ x} = #{negative pivots of the LDLᵀ factorisation of T − x·I}.
// see: LAPACK dstebz (ORDER='B') and dlaebz (the pivmin-guarded Sturm recurrence, the convergence test).
//
// T is split where e_j² < ulp²·|d_j·d_j+1| + safmin, as dstebz does; eigenvalues are then found block by
// block and returned grouped by block (ascending inside a block), with their block number, which is what
// inverse iteration (stein.ts) needs. For an index range, λ_il and λ_iu are first bracketed on the whole
// T to get (wl, wu]; eigenvalues of the blocks in (wl, wu] are then computed and, when ties at the ends
// made the bracket catch extra ones, the lowest/highest extras are dropped (dstebz's IDISCL/IDISCU).
// Tolerance (dstebz with ABSTOL = 0): an interval [lo, hi] has converged when
// hi − lo < max(ulp·‖T_block‖, pivmin, 2·ulp·max(|lo|, |hi|)), and λ = (lo + hi)/2. Each bisection is
// capped (maxIt steps when positive, else enough to reach pivmin from the Gershgorin width).

import { SAFMIN, ULP, ld, ldi, st, sti } from "./common";

// @ts-ignore: decorator
@inline const FUDGE: f64 = 2.1;
// @ts-ignore: decorator
@inline const RTOL: f64 = 2.0 * ULP;

/** Number of eigenvalues found by the last `stebz` and number of blocks T was split into. */
export let stebzCount: i32 = 0;
export let stebzBlocks: i32 = 0;

/** #{λ ≤ x} for the block b0..b1 of T (e2 = squared off-diagonals). see: dlaebz (IJOB = 1). */
function sturm(d: usize, e2: usize, b0: i32, b1: i32, x: f64, pivmin: f64): i32 {
  let t = ld(d, b0) - x;
  if (Math.abs(t) < pivmin) t = -pivmin;
  let c: i32 = t <= 0.0 ? 1 : 0;
  for (let j = b0 + 1; j <= b1; j++) {
    t = ld(d, j) - ld(e2, j - 1) / t - x;
    if (Math.abs(t) < pivmin) t = -pivmin;
    if (t <= 0.0) c++;
  }
  return c;
}

/**
 * Bracket the eigenvalues with (1-based, block-local) indices j0+1..j1 of block b0..b1 inside (glo, ghi]:
 * on return lo[q], hi[q] (q = 0..j1−j0−1) hold converged intervals. Every count narrows all pending
 * brackets at once. Returns how many hit the cap `itmax`.
 */
function bisect(d: usize, e2: usize, b0: i32, b1: i32, glo: f64, ghi: f64, j0: i32, j1: i32, pivmin: f64, atol: f64, itmax: i32, lo: usize, hi: usize): i32 {
  const cnt = j1 - j0;
  for (let q: i32 = 0; q < cnt; q++) { st(lo, q, glo); st(hi, q, ghi); }
  let failed: i32 = 0;
  for (let q: i32 = 0; q < cnt; q++) {
    let it: i32 = 0;
    while (true) {
      const a = ld(lo, q), b = ld(hi, q);
      const tol = Math.max(Math.max(atol, pivmin), RTOL * Math.max(Math.abs(a), Math.abs(b)));
      if (b - a < tol) break;
      if (it >= itmax) { failed++; break; }
      it++;
      const x = 0.5 * (a + b);
      const c = sturm(d, e2, b0, b1, x, pivmin);
      // λ_{j0+1+r} ≤ x ⇔ c ≥ j0+1+r: tighten every pending bracket r ≥ q
      for (let r = q; r < cnt; r++) {
        if (c >= j0 + 1 + r) { if (x < ld(hi, r)) st(hi, r, x); }
        else if (x > ld(lo, r)) st(lo, r, x);
      }
    }
  }
  return failed;
}

/** Gershgorin interval of block b0..b1 widened as dstebz does; returns gl, leaves gu in `gershU`. */
let gershU: f64 = 0;
function gershgorin(d: usize, e2: usize, b0: i32, b1: i32, pivmin: f64): f64 {
  let gl = ld(d, b0), gu = gl, prev: f64 = 0;
  for (let j = b0; j < b1; j++) {
    const ej = Math.sqrt(ld(e2, j));
    gu = Math.max(gu, ld(d, j) + prev + ej);
    gl = Math.min(gl, ld(d, j) - prev - ej);
    prev = ej;
  }
  gu = Math.max(gu, ld(d, b1) + prev);
  gl = Math.min(gl, ld(d, b1) - prev);
  const bnorm = Math.max(Math.abs(gl), Math.abs(gu));
  const fuzz = FUDGE * bnorm * ULP * <f64>(b1 - b0 + 1);
  gershU = gu + fuzz + FUDGE * pivmin;
  return gl - fuzz - 2.0 * FUDGE * pivmin;
}

function itmaxFor(width: f64, pivmin: f64, maxIt: i32): i32 {
  if (maxIt > 0) return maxIt;
  // steps to shrink `width` to pivmin, +2 (dstebz's ITMAX), computed without logarithms
  let it: i32 = 2;
  for (let w = width; w > pivmin && it < 2200; w *= 0.5) it++;
  return it;
}

/**
 * Eigenvalues of T with 0-based indices il..iu (byValue = false) or in (vl, vu] (byValue = true) into
 * w[0..m−1], grouped by block; iblock[k] = block of w[k] (i32), isplit[b] = last row of block b (i32).
 * Scratch: e2, lo, hi (n each). Sets stebzCount = m and stebzBlocks; returns the number of eigenvalues
 * whose bisection hit the cap plus any missing from an index range (0 = success).
 */
export function stebz(n: i32, d: usize, e: usize, byValue: bool, il: i32, iu: i32, vl: f64, vu: f64, maxIt: i32, w: usize, iblock: usize, isplit: usize, e2: usize, lo: usize, hi: usize): i32 {
  stebzCount = 0;
  stebzBlocks = 0;
  if (n <= 0) return 0;
  // split and square the off-diagonals
  let nsplit: i32 = 0;
  let pivmin: f64 = 1.0;
  for (let j: i32 = 0; j < n - 1; j++) {
    const t = ld(e, j) * ld(e, j);
    if (Math.abs(ld(d, j) * ld(d, j + 1)) * (ULP * ULP) + SAFMIN > t) {
      sti(isplit, nsplit++, j);
      st(e2, j, 0.0);
    } else {
      st(e2, j, t);
      if (t > pivmin) pivmin = t;
    }
  }
  sti(isplit, nsplit++, n - 1);
  stebzBlocks = nsplit;
  pivmin *= SAFMIN;

  let wl = vl, wu = vu;
  let failed: i32 = 0;
  if (!byValue) {
    // bracket λ_il and λ_iu on the whole of T (the split e2 = 0 make this the sum of block counts)
    const gl = gershgorin(d, e2, 0, n - 1, pivmin), gu = gershU;
    const tnorm = Math.max(Math.abs(gl), Math.abs(gu));
    const itmax = itmaxFor(gu - gl, pivmin, maxIt);
    failed += bisect(d, e2, 0, n - 1, gl, gu, il, il + 1, pivmin, ULP * tnorm, itmax, lo, hi);
    wl = ld(lo, 0);
    failed += bisect(d, e2, 0, n - 1, gl, gu, iu, iu + 1, pivmin, ULP * tnorm, itmax, lo, hi);
    wu = ld(hi, 0);
    if (failed > 0) return failed;
  }

  let m: i32 = 0, nwl: i32 = 0, nwu: i32 = 0;
  let b0: i32 = 0;
  for (let b: i32 = 0; b < nsplit; b++) {
    const b1 = ldi(isplit, b);
    if (b1 == b0) {
      const x = ld(d, b0);
      if (wl >= x - pivmin) nwl++;
      if (wu >= x - pivmin) nwu++;
      if (wl < x - pivmin && wu >= x - pivmin) { st(w, m, x); sti(iblock, m, b); m++; }
    } else {
      let gl = gershgorin(d, e2, b0, b1, pivmin), gu = gershU;
      const atol = ULP * Math.max(Math.abs(gl), Math.abs(gu));
      if (gu <= wl) {
        nwl += b1 - b0 + 1;
        nwu += b1 - b0 + 1;
      } else {
        if (wl > gl) gl = wl;
        if (wu < gu) gu = wu;
        if (gl < gu) {
          const clo = sturm(d, e2, b0, b1, gl, pivmin), chi = sturm(d, e2, b0, b1, gu, pivmin);
          nwl += clo;
          nwu += chi;
          if (chi > clo) {
            failed += bisect(d, e2, b0, b1, gl, gu, clo, chi, pivmin, atol, itmaxFor(gu - gl, pivmin, maxIt), lo, hi);
            for (let q: i32 = 0; q < chi - clo; q++) {
              st(w, m, 0.5 * (ld(lo, q) + ld(hi, q)));
              sti(iblock, m, b);
              m++;
            }
          }
        }
      }
    }
    b0 = b1 + 1;
  }
  stebzCount = m;
  if (failed > 0 || byValue) return failed;

  // index range: drop extras caught at the ends by ties, lowest first at the bottom, highest at the top
  let dropLow = il - nwl, dropHigh = nwu - (iu + 1);
  if (dropLow < 0 || dropHigh < 0) return (dropLow < 0 ? -dropLow : 0) + (dropHigh < 0 ? -dropHigh : 0);
  for (; dropLow > 0; dropLow--) markExtreme(w, iblock, m, false);
  for (; dropHigh > 0; dropHigh--) markExtreme(w, iblock, m, true);
  let k: i32 = 0;
  for (let j: i32 = 0; j < m; j++) {
    if (ldi(iblock, j) < 0) continue;
    st(w, k, ld(w, j));
    sti(iblock, k, ldi(iblock, j));
    k++;
  }
  stebzCount = k;
  return 0;
}

/** Mark (iblock = −1) the lowest (or highest) eigenvalue still unmarked; first index on ties. */
function markExtreme(w: usize, iblock: usize, m: i32, highest: bool): void {
  let best: i32 = -1;
  for (let j: i32 = 0; j < m; j++) {
    if (ldi(iblock, j) < 0) continue;
    if (best < 0 || (highest ? ld(w, j) > ld(w, best) : ld(w, j) < ld(w, best))) best = j;
  }
  if (best >= 0) sti(iblock, best, -1);
}
