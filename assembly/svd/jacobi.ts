// X·V = U·Σ: one-sided (Hestenes) Jacobi orthogonalises the columns of X (m × n, column-major) by
// plane rotations from the right; then σ_j = ‖x_j‖, u_j = x_j/σ_j, and V accumulates the rotations.
// see: LAPACK dgesvj (Drmač & Veselić, "New fast and accurate Jacobi SVD algorithm I/II", SIMAX 2008);
// de Rijk (1989) pivoting; Demmel & Veselić (1992) for relative accuracy.
//
// Choices and why:
// - Row-cyclic sweeps with de Rijk pivoting: before row p of a sweep the column of largest norm among
//   p…n−1 is swapped into place, so columns stay roughly sorted by norm (faster convergence, and the
//   final sort is nearly free).
// - A pair is rotated when |cos∠(x_p, x_q)| = |x_pᵀx_q|/(‖x_p‖‖x_q‖) > tol. This relative test (not an
//   absolute one on x_pᵀx_q) is what gives small singular values high relative accuracy.
// - The angle comes from ζ = (‖x_q‖² − ‖x_p‖²)/(2·x_pᵀx_q), written with the norm ratio and the cosine
//   so nothing squares a norm (no overflow/underflow), t = sign(ζ)/(|ζ| + √(1+ζ²)) (the smaller root,
//   |θ| ≤ π/4), and t = 1/(2ζ) once ζ² + 1 rounds to ζ².
// - Column norms: recomputed from the data (nrm2) at the start of every sweep; within a sweep a
//   rotation updates them by the exact identities ‖x_p'‖² = ‖x_p‖² − t·g, ‖x_q'‖² = ‖x_q‖² + t·g
//   (g = x_pᵀx_q), as dgesvj does, and recomputes a norm from the data whenever its factor 1 ∓ t·g/‖·‖²
//   falls below 1/16 (cancellation would cost more than 4 bits). So drift is bounded within one sweep
//   and the last sweep — the one that rotates nothing — ends with norms computed from the data: the
//   singular values returned. The update saves a third of the rotation pass's arithmetic (it used to
//   sum the squares of both new columns). The driver scales X by a power of two first, so entries of
//   size 1e±300 are fine.
// - The pass that rotates (p, q) also computes x_pᵀx_{q+1}, the next pair's dot product, so a rotated
//   pair costs three column reads instead of four.
// - Convergence: a sweep that rotates nothing. A pair whose two columns were untouched since the
//   start of the previous sweep was already tested against the same data, so it is skipped (the last
//   sweeps cost little). Sweeps are capped; the caller turns a leftover count into NOT_CONVERGED.

import { dot, nrm2, rot, rotDot, rotDotZ, swap } from "../blas/vec";

/** Norms below this take the scaled cosine (products of entries would underflow); ≈ 2^-450. */
// @ts-ignore: decorator
@inline const SMALL: f64 = 3.4e-136;

/** cos∠(x, y) for columns with norms dx, dy > 0 (length m), safe for tiny norms. */
function cosine(x: usize, y: usize, m: i32, dx: f64, dy: f64): f64 {
  if (dx >= SMALL && dy >= SMALL) return dot(x, y, m) / dx / dy;
  const sx = 1.0 / dx, sy = 1.0 / dy;
  let s: f64 = 0.0;
  for (let i: i32 = 0; i < m; i++) s += (load<f64>(x + (<usize>i << 3)) * sx) * (load<f64>(y + (<usize>i << 3)) * sy);
  return s;
}

/** A norm update factor below this (more than 4 bits lost to cancellation) recomputes from the data. */
// @ts-ignore: decorator
@inline const UPDATE_FLOOR: f64 = 0.0625;

/** ‖x'‖ = dx·√f after a rotation, or nrm2(x') when f is small, not finite or the result underflows. */
// @ts-ignore: decorator
@inline function updatedNorm(dx: f64, f: f64, x: usize, m: i32): f64 {
  const r = f >= UPDATE_FLOOR && f < Infinity ? dx * Math.sqrt(f) : 0.0;
  return r >= SMALL && r < Infinity ? r : nrm2(x, m);
}

/**
 * Orthogonalise the columns of x (m × n, ld ldx) in place. With `wantV`, v (n × n, ld ldv) must hold
 * the starting matrix (identity) and receives the same rotations and swaps. d: n doubles (the column
 * norms on return); stamp: n i32 of scratch. Returns 0 when converged, else the number of pairs
 * rotated in the last allowed sweep.
 */
export function jacobi(x: usize, ldx: i32, m: i32, n: i32, wantV: bool, v: usize, ldv: i32, d: usize, stamp: usize, tol: f64, maxSweeps: i32): i32 {
  const xs = <usize>ldx << 3, vs = <usize>ldv << 3;
  for (let j: i32 = 0; j < n; j++) {
    store<f64>(d + (<usize>j << 3), nrm2(x + <usize>j * xs, m));
    store<i32>(stamp + (<usize>j << 2), 0); // sweep in which column j last changed
  }
  let rotated: i32 = 1;
  for (let sweep: i32 = 1; sweep <= maxSweeps; sweep++) {
    rotated = 0;
    if (sweep > 1) for (let j: i32 = 0; j < n; j++) store<f64>(d + (<usize>j << 3), nrm2(x + <usize>j * xs, m));
    for (let p: i32 = 0; p < n - 1; p++) {
      // de Rijk: the largest remaining column goes to position p
      let big = p;
      let dbig = load<f64>(d + (<usize>p << 3));
      for (let j = p + 1; j < n; j++) {
        const dj = load<f64>(d + (<usize>j << 3));
        if (dj > dbig) {
          dbig = dj;
          big = j;
        }
      }
      if (big != p) {
        swap(x + <usize>p * xs, x + <usize>big * xs, m);
        if (wantV) swap(v + <usize>p * vs, v + <usize>big * vs, n);
        store<f64>(d + (<usize>big << 3), load<f64>(d + (<usize>p << 3)));
        store<f64>(d + (<usize>p << 3), dbig);
        const st = load<i32>(stamp + (<usize>big << 2));
        store<i32>(stamp + (<usize>big << 2), load<i32>(stamp + (<usize>p << 2)));
        store<i32>(stamp + (<usize>p << 2), st);
      }
      if (!(dbig > 0.0)) break; // the rest are zero columns
      const xp = x + <usize>p * xs;
      let haveG = false; // g = x_pᵀx_q already computed by the previous rotation's fused pass
      let g: f64 = 0.0;
      for (let q = p + 1; q < n; q++) {
        const fused = haveG;
        haveG = false;
        const dq = load<f64>(d + (<usize>q << 3));
        if (!(dq > 0.0)) continue;
        // both columns unchanged since the start of the last sweep: already tested on this data
        if (sweep > 1 && load<i32>(stamp + (<usize>p << 2)) < sweep - 1 && load<i32>(stamp + (<usize>q << 2)) < sweep - 1) continue;
        const dp = load<f64>(d + (<usize>p << 3));
        const xq = x + <usize>q * xs;
        const cs = fused && dp >= SMALL && dq >= SMALL ? g / dp / dq : cosine(xp, xq, m, dp, dq);
        if (!(Math.abs(cs) > tol)) continue;
        // ζ = (dq² − dp²)/(2·cs·dp·dq) = num/den with r = min/max of the norms
        let num: f64, den: f64;
        if (dp >= dq) {
          const r = dq / dp;
          num = (r - 1.0) * (r + 1.0);
          den = 2.0 * r * cs;
        } else {
          const r = dp / dq;
          num = (1.0 - r) * (1.0 + r);
          den = 2.0 * r * cs;
        }
        let t: f64;
        if (Math.abs(num) > 1e8 * Math.abs(den)) {
          t = den / (2.0 * num); // |ζ| > 1e8: t = 1/(2ζ) to full precision
        } else {
          const zeta = num / den;
          t = (zeta >= 0.0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
        }
        if (t == 0.0) continue; // angle below the underflow threshold: nothing to do
        const c = 1.0 / Math.sqrt(1.0 + t * t);
        const s = t * c;
        const next = q + 1 < n ? x + <usize>(q + 1) * xs : 0;
        rotDot(xp, xq, next, m, c, s);
        if (next != 0) {
          g = rotDotZ;
          haveG = true;
        }
        // t·g/(dp·dq) = t·cs: ‖x_p'‖² = dp²(1 − t·cs·dq/dp), ‖x_q'‖² = dq²(1 + t·cs·dp/dq)
        const tc = t * cs;
        store<f64>(d + (<usize>p << 3), updatedNorm(dp, 1.0 - tc * (dq / dp), xp, m));
        store<f64>(d + (<usize>q << 3), updatedNorm(dq, 1.0 + tc * (dp / dq), xq, m));
        if (wantV) rot(v + <usize>p * vs, v + <usize>q * vs, n, c, s);
        store<i32>(stamp + (<usize>p << 2), sweep);
        store<i32>(stamp + (<usize>q << 2), sweep);
        rotated++;
      }
    }
    if (rotated == 0) return 0;
  }
  return rotated;
}
