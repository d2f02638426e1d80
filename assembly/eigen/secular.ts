// The i-th root λ of the secular equation f(λ) = 1/ρ + Σ_j z_j²/(d_j − λ) = 0 (d ascending, ρ > 0,
// z_j ≠ 0): the eigenvalues of diag(d) + ρ·z·zᵀ, d_i < λ_i < d_i+1 (λ_n < d_n + ρ‖z‖²).
// see: LAPACK dlaed4 (rational interpolation of ψ (poles below) and φ (poles above), Li's "middle
//      way", the three-pole switch), dlaed5 (n = 2), dlaed6 (one step of the three-pole iteration).
//      R.-C. Li, "Solving secular equations stably and efficiently", LAWN 89 (1993).
//
// The root is returned as an offset τ from the nearer pole (d_i, or d_i+1 when the root lies in the
// upper half of the gap: ORGATI false), and δ_j = d_j − λ is formed as (d_j − d_origin) − τ, so that
// the differences — which the eigenvectors are built from — keep full relative accuracy.
// Each root gets dlaed4's budget (MAXIT = 30 counting the initial guess; dlaed6: 40 steps); on
// exhaustion `secInfo` = 1 and the current iterate is returned (the caller reports
// STATUS_NOT_CONVERGED). Scalar code only: both binaries run the same operations.

import { EPS, ld, sign, st } from "./common";

// @ts-ignore: decorator
@inline const MAXIT: i32 = 30;

/** λ from the last laed4/laed5 call. */
export let secLam: f64 = 0;
/** 0, or 1 when the last laed4 ran out of iterations. */
export let secInfo: i32 = 0;

// ψ, ψ', φ, φ' and the error bound, as left by `sums`
let psi: f64 = 0, dpsi: f64 = 0, phi: f64 = 0, dphi: f64 = 0, erretm: f64 = 0;

/** δ_j −= η for j < n. */
function shift(delta: usize, n: i32, eta: f64): void {
  for (let j: i32 = 0; j < n; j++) st(delta, j, ld(delta, j) - eta);
}

/**
 * ψ = Σ_{j<lo} z_j²/δ_j (and ψ'), φ = Σ_{j>hi, from the top} z_j²/δ_j (and φ'); erretm = |Σ partial
 * ψ| + Σ partial φ, the running-sum error bound of dlaed4.
 */
function sums(z: usize, delta: usize, n: i32, lo: i32, hi: i32): void {
  psi = 0; dpsi = 0; erretm = 0;
  for (let j: i32 = 0; j < lo; j++) {
    const t = ld(z, j) / ld(delta, j);
    psi += ld(z, j) * t;
    dpsi += t * t;
    erretm += psi;
  }
  erretm = Math.abs(erretm);
  phi = 0; dphi = 0;
  for (let j = n - 1; j > hi; j--) {
    const t = ld(z, j) / ld(delta, j);
    phi += ld(z, j) * t;
    dphi += t * t;
    erretm += phi;
  }
}

/**
 * Root i (0-based) of the n-term secular equation; δ (n entries) receives d_j − λ_i (for n ≤ 2 the
 * normalised eigenvector instead, as dlaed4 does). λ goes to `secLam`, the status to `secInfo`.
 */
export function laed4(n: i32, i: i32, d: usize, z: usize, delta: usize, rho: f64): void {
  secInfo = 0;
  if (n == 1) {
    secLam = ld(d, 0) + rho * ld(z, 0) * ld(z, 0);
    st(delta, 0, 1.0);
    return;
  }
  if (n == 2) { laed5(i, d, z, delta, rho); return; }
  if (i == n - 1) lastRoot(n, d, z, delta, rho);
  else middleRoot(n, i, d, z, delta, rho);
}

/** The largest root, in (d_n−1, d_n−1 + ρ‖z‖²]: interpolate with the poles d_n−2 and d_n−1. */
function lastRoot(n: i32, d: usize, z: usize, delta: usize, rho: f64): void {
  const i = n - 1, ii = n - 2; // ψ runs over j ≤ ii, φ is the last term alone
  const rhoinv = 1.0 / rho;
  const dn = ld(d, i), zn = ld(z, i), zm = ld(z, ii);
  const midpt = rho / 2.0;
  for (let j: i32 = 0; j < n; j++) st(delta, j, (ld(d, j) - dn) - midpt);
  let ps: f64 = 0;
  for (let j: i32 = 0; j < n - 2; j++) ps += ld(z, j) * ld(z, j) / ld(delta, j);
  let c = rhoinv + ps;
  let w = c + zm * zm / ld(delta, ii) + zn * zn / ld(delta, i);
  let tau: f64, dltlb: f64, dltub: f64;
  if (w <= 0.0) {
    const temp = zm * zm / (dn - ld(d, ii) + rho) + zn * zn / rho;
    if (c <= temp) {
      tau = rho;
    } else {
      const del = dn - ld(d, ii);
      const a = -c * del + zm * zm + zn * zn, b = zn * zn * del;
      tau = a < 0.0 ? 2.0 * b / (Math.sqrt(a * a + 4.0 * b * c) - a) : (a + Math.sqrt(a * a + 4.0 * b * c)) / (2.0 * c);
    }
    dltlb = midpt; dltub = rho;
  } else {
    const del = dn - ld(d, ii);
    const a = -c * del + zm * zm + zn * zn, b = zn * zn * del;
    tau = a < 0.0 ? 2.0 * b / (Math.sqrt(a * a + 4.0 * b * c) - a) : (a + Math.sqrt(a * a + 4.0 * b * c)) / (2.0 * c);
    dltlb = 0.0; dltub = midpt;
  }
  for (let j: i32 = 0; j < n; j++) st(delta, j, (ld(d, j) - dn) - tau);
  lastSums(z, delta, n, rhoinv, tau);
  w = rhoinv + phi + psi;
  for (let niter: i32 = 1; niter < MAXIT; niter++) {
    if (Math.abs(w) <= EPS * erretm) { secLam = dn + tau; return; }
    if (w <= 0.0) dltlb = Math.max(dltlb, tau); else dltub = Math.min(dltub, tau);
    const dm = ld(delta, ii), dl = ld(delta, i);
    c = w - dm * dpsi - dl * dphi;
    const a = (dm + dl) * w - dm * dl * (dpsi + dphi), b = dm * dl * w;
    let eta: f64;
    if (niter == 1) {
      // first step: dlaed4 guards c against sign and zero, and blends with Newton when out of bounds
      if (c < 0.0) c = Math.abs(c);
      if (c == 0.0) eta = -w / (dpsi + dphi);
      else if (a >= 0.0) eta = (a + Math.sqrt(Math.abs(a * a - 4.0 * b * c))) / (2.0 * c);
      else eta = 2.0 * b / (a - Math.sqrt(Math.abs(a * a - 4.0 * b * c)));
      if (w * eta > 0.0) eta = -w / (dpsi + dphi);
      const temp = tau + eta;
      if (temp > dltub || temp < dltlb) {
        const eta1 = -w / (dpsi + dphi);
        const eta2 = w < 0.0 ? (dltub - tau) / 2.0 : (dltlb - tau) / 2.0;
        const t1 = tau + eta1;
        eta = dltlb <= t1 && t1 <= dltub ? sign(1.0, eta1) * Math.sqrt(Math.abs(eta1)) * Math.sqrt(Math.abs(eta2)) : eta2;
      }
    } else {
      if (a >= 0.0) eta = (a + Math.sqrt(Math.abs(a * a - 4.0 * b * c))) / (2.0 * c);
      else eta = 2.0 * b / (a - Math.sqrt(Math.abs(a * a - 4.0 * b * c)));
      if (w * eta > 0.0) eta = -w / (dpsi + dphi);
      const temp = tau + eta;
      if (temp > dltub || temp < dltlb) eta = w < 0.0 ? (dltub - tau) / 2.0 : (dltlb - tau) / 2.0;
    }
    shift(delta, n, eta);
    tau += eta;
    lastSums(z, delta, n, rhoinv, tau);
    w = rhoinv + phi + psi;
  }
  // dlaed4 tests convergence once more only at the top of the next iteration: none left
  secInfo = 1;
  secLam = dn + tau;
}

/** ψ over j ≤ n−2, φ = the last term, and dlaed4's error bound for the last root. */
function lastSums(z: usize, delta: usize, n: i32, rhoinv: f64, tau: f64): void {
  sums(z, delta, n, n - 1, n - 1);
  const t = ld(z, n - 1) / ld(delta, n - 1);
  phi = ld(z, n - 1) * t;
  dphi = t * t;
  erretm = 8.0 * (-phi - psi) + erretm - phi + rhoinv + Math.abs(tau) * (dpsi + dphi);
}

/** Root i < n−1, in (d_i, d_i+1). */
function middleRoot(n: i32, i: i32, d: usize, z: usize, delta: usize, rho: f64): void {
  const ip1 = i + 1;
  const rhoinv = 1.0 / rho;
  const di = ld(d, i), dip1 = ld(d, ip1), zi = ld(z, i), zip1 = ld(z, ip1);
  const del = dip1 - di;
  const midpt = del / 2.0;
  for (let j: i32 = 0; j < n; j++) st(delta, j, (ld(d, j) - di) - midpt);
  let ps: f64 = 0, ph: f64 = 0;
  for (let j: i32 = 0; j < i; j++) ps += ld(z, j) * ld(z, j) / ld(delta, j);
  for (let j = n - 1; j >= i + 2; j--) ph += ld(z, j) * ld(z, j) / ld(delta, j);
  let c = rhoinv + ps + ph;
  let w = c + zi * zi / ld(delta, i) + zip1 * zip1 / ld(delta, ip1);
  // ORGATI: the root lies in the lower half of the gap, τ is measured from d_i (else from d_i+1)
  const orgati = w > 0.0;
  let tau: f64, dltlb: f64, dltub: f64;
  if (orgati) {
    const a = c * del + zi * zi + zip1 * zip1, b = zi * zi * del;
    tau = a > 0.0 ? 2.0 * b / (a + Math.sqrt(Math.abs(a * a - 4.0 * b * c))) : (a - Math.sqrt(Math.abs(a * a - 4.0 * b * c))) / (2.0 * c);
    dltlb = 0.0; dltub = midpt;
  } else {
    const a = c * del - zi * zi - zip1 * zip1, b = zip1 * zip1 * del;
    tau = a < 0.0 ? 2.0 * b / (a - Math.sqrt(Math.abs(a * a + 4.0 * b * c))) : -(a + Math.sqrt(Math.abs(a * a + 4.0 * b * c))) / (2.0 * c);
    dltlb = -midpt; dltub = 0.0;
  }
  const org = orgati ? di : dip1;
  for (let j: i32 = 0; j < n; j++) st(delta, j, (ld(d, j) - org) - tau);
  const ii = orgati ? i : ip1;
  const iim1 = ii - 1, iip1 = ii + 1;
  sums(z, delta, n, ii, ii);
  w = rhoinv + phi + psi;
  // the three-pole model (dlaed6) when the iterate starts on the far side of the nearer pole
  let swtch3 = orgati ? w < 0.0 : w > 0.0;
  if (ii == 0 || ii == n - 1) swtch3 = false;
  let temp = ld(z, ii) / ld(delta, ii);
  let dw = dpsi + dphi + temp * temp;
  temp = ld(z, ii) * temp;
  w += temp;
  erretm = 8.0 * (phi - psi) + erretm + 2.0 * rhoinv + 3.0 * Math.abs(temp) + Math.abs(tau) * dw;
  let swtch = false;
  let prew: f64 = 0;
  for (let niter: i32 = 1; niter < MAXIT; niter++) {
    if (Math.abs(w) <= EPS * erretm) { secLam = org + tau; return; }
    if (w <= 0.0) dltlb = Math.max(dltlb, tau); else dltub = Math.min(dltub, tau);
    const dI = ld(delta, i), dP = ld(delta, ip1);
    let eta: f64;
    if (!swtch3) {
      if (!swtch) {
        if (orgati) { const q = zi / dI; c = w - dP * dw - (di - dip1) * (q * q); }
        else { const q = zip1 / dP; c = w - dI * dw - (dip1 - di) * (q * q); }
      } else {
        const t = ld(z, ii) / ld(delta, ii);
        if (orgati) dpsi += t * t; else dphi += t * t;
        c = w - dI * dpsi - dP * dphi;
      }
      let a = (dI + dP) * w - dI * dP * dw;
      const b = dI * dP * w;
      if (c == 0.0) {
        if (a == 0.0) {
          if (!swtch) a = orgati ? zi * zi + dP * dP * (dpsi + dphi) : zip1 * zip1 + dI * dI * (dpsi + dphi);
          else a = dI * dI * dpsi + dP * dP * dphi;
        }
        eta = b / a;
      } else if (a <= 0.0) {
        eta = (a - Math.sqrt(Math.abs(a * a - 4.0 * b * c))) / (2.0 * c);
      } else {
        eta = 2.0 * b / (a + Math.sqrt(Math.abs(a * a - 4.0 * b * c)));
      }
    } else {
      const t0 = rhoinv + psi + phi;
      let z1: f64, z3: f64;
      const dm = ld(delta, iim1), dp = ld(delta, iip1);
      if (swtch) {
        c = t0 - dm * dpsi - dp * dphi;
        z1 = dm * dm * dpsi;
        z3 = dp * dp * dphi;
      } else if (orgati) {
        let t1 = ld(z, iim1) / dm;
        t1 = t1 * t1;
        c = t0 - dp * (dpsi + dphi) - (ld(d, iim1) - ld(d, iip1)) * t1;
        z1 = ld(z, iim1) * ld(z, iim1);
        z3 = dp * dp * ((dpsi - t1) + dphi);
      } else {
        let t1 = ld(z, iip1) / dp;
        t1 = t1 * t1;
        c = t0 - dm * (dpsi + dphi) - (ld(d, iip1) - ld(d, iim1)) * t1;
        z1 = dm * dm * (dpsi + (dphi - t1));
        z3 = ld(z, iip1) * ld(z, iip1);
      }
      eta = laed6(niter + 1, orgati, c, delta + (<usize>iim1 << 3), z1, ld(z, ii) * ld(z, ii), z3, w);
      if (secInfo != 0) { secLam = org + tau; return; }
    }
    if (w * eta >= 0.0) eta = -w / dw;
    const t = tau + eta;
    if (t > dltub || t < dltlb) {
      if (niter == 1) {
        eta = w < 0.0 ? (dltub - tau) / 2.0 : (dltlb - tau) / 2.0;
      } else {
        const eta1 = -w / dw;
        const eta2 = w < 0.0 ? (dltub - tau) / 2.0 : (dltlb - tau) / 2.0;
        const t1 = tau + eta1;
        eta = dltlb <= t1 && t1 <= dltub ? sign(1.0, eta1) * Math.sqrt(Math.abs(eta1)) * Math.sqrt(Math.abs(eta2)) : eta2;
      }
    }
    prew = w;
    shift(delta, n, eta);
    sums(z, delta, n, ii, ii);
    temp = ld(z, ii) / ld(delta, ii);
    dw = dpsi + dphi + temp * temp;
    temp = ld(z, ii) * temp;
    w = rhoinv + phi + psi + temp;
    erretm = 8.0 * (phi - psi) + erretm + 2.0 * rhoinv + 3.0 * Math.abs(temp) + Math.abs(tau + eta) * dw;
    tau += eta;
    if (niter == 1) {
      // after the first step: switch to the other interpolation when w did not shrink tenfold
      swtch = orgati ? -w > Math.abs(prew) / 10.0 : w > Math.abs(prew) / 10.0;
    } else if (w * prew > 0.0 && Math.abs(w) > Math.abs(prew) / 10.0) {
      swtch = !swtch;
    }
  }
  secInfo = 1;
  secLam = org + tau;
}

/**
 * The two eigenvalues of diag(d_0, d_1) + ρ·z·zᵀ (d_0 < d_1, ρ > 0): root i into `secLam` and the
 * normalised eigenvector into δ. see: dlaed5.
 */
function laed5(i: i32, d: usize, z: usize, delta: usize, rho: f64): void {
  const d0 = ld(d, 0), d1 = ld(d, 1), z0 = ld(z, 0), z1 = ld(z, 1);
  const del = d1 - d0;
  let x0: f64, x1: f64;
  if (i == 0) {
    const w = 1.0 + 2.0 * rho * (z1 * z1 - z0 * z0) / del;
    if (w > 0.0) {
      const b = del + rho * (z0 * z0 + z1 * z1), c = rho * z0 * z0 * del;
      const tau = 2.0 * c / (b + Math.sqrt(Math.abs(b * b - 4.0 * c)));
      secLam = d0 + tau;
      x0 = -z0 / tau; x1 = z1 / (del - tau);
    } else {
      const b = -del + rho * (z0 * z0 + z1 * z1), c = rho * z1 * z1 * del;
      const tau = b > 0.0 ? -2.0 * c / (b + Math.sqrt(b * b + 4.0 * c)) : (b - Math.sqrt(b * b + 4.0 * c)) / 2.0;
      secLam = d1 + tau;
      x0 = -z0 / (del + tau); x1 = -z1 / tau;
    }
  } else {
    const b = -del + rho * (z0 * z0 + z1 * z1), c = rho * z1 * z1 * del;
    const tau = b > 0.0 ? (b + Math.sqrt(b * b + 4.0 * c)) / 2.0 : 2.0 * c / (-b + Math.sqrt(b * b + 4.0 * c));
    secLam = d1 + tau;
    x0 = -z0 / (del + tau); x1 = -z1 / tau;
  }
  const nrm = Math.sqrt(x0 * x0 + x1 * x1);
  st(delta, 0, x0 / nrm);
  st(delta, 1, x1 / nrm);
}

// 2^-340, 2^340, 2^-680, 2^680: dlaed6's SMALL1 = BASE^int(log(SAFMIN)/log(BASE)/3) and friends
// @ts-ignore: decorator
@inline const SMALL1: f64 = 4.464794497196387e-103;
// @ts-ignore: decorator
@inline const SMINV1: f64 = 2.2397447421778042e102;
// @ts-ignore: decorator
@inline const SMALL2: f64 = 1.9934389902195135e-205;
// @ts-ignore: decorator
@inline const SMINV2: f64 = 5.016456510113119e204;

/**
 * One step of the three-pole model: the root τ of g(τ) = ρ + Σ_{k<3} ζ_k/(d_k − τ) nearest 0 between
 * the poles d_1, d_2 (orgati) or d_0, d_1, where g(0) = finit. d: 3 entries; ζ = (z0, z1, z2).
 * Returns τ; `secInfo` = 1 after 40 iterations. see: dlaed6.
 */
function laed6(kniter: i32, orgati: bool, rho: f64, d: usize, z0: f64, z1: f64, z2: f64, finit: f64): f64 {
  secInfo = 0;
  const d0 = ld(d, 0), d1 = ld(d, 1), d2 = ld(d, 2);
  let lbd = orgati ? d1 : d0, ubd = orgati ? d2 : d1;
  if (finit < 0.0) lbd = 0.0; else ubd = 0.0;
  let tau: f64 = 0;
  if (kniter == 2) {
    let a: f64, b: f64, c: f64;
    if (orgati) {
      const t = (d2 - d1) / 2.0;
      c = rho + z0 / ((d0 - d1) - t);
      a = c * (d1 + d2) + z1 + z2;
      b = c * d1 * d2 + z1 * d2 + z2 * d1;
    } else {
      const t = (d0 - d1) / 2.0;
      c = rho + z2 / ((d2 - d1) - t);
      a = c * (d0 + d1) + z0 + z1;
      b = c * d0 * d1 + z0 * d1 + z1 * d0;
    }
    const t = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
    a /= t; b /= t; c /= t;
    if (c == 0.0) tau = b / a;
    else if (a <= 0.0) tau = (a - Math.sqrt(Math.abs(a * a - 4.0 * b * c))) / (2.0 * c);
    else tau = 2.0 * b / (a + Math.sqrt(Math.abs(a * a - 4.0 * b * c)));
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2.0;
    if (d0 == tau || d1 == tau || d2 == tau) {
      tau = 0.0;
    } else {
      const g = finit + tau * z0 / (d0 * (d0 - tau)) + tau * z1 / (d1 * (d1 - tau)) + tau * z2 / (d2 * (d2 - tau));
      if (g <= 0.0) lbd = tau; else ubd = tau;
      if (Math.abs(finit) <= Math.abs(g)) tau = 0.0;
    }
  }
  // scale up when τ is within SMALL1 of a pole, so that the differences below do not underflow
  const gap = orgati ? Math.min(Math.abs(d1 - tau), Math.abs(d2 - tau)) : Math.min(Math.abs(d0 - tau), Math.abs(d1 - tau));
  let sclfac: f64 = 1, sclinv: f64 = 1;
  const scale = gap <= SMALL1;
  if (scale) {
    if (gap <= SMALL2) { sclfac = SMINV2; sclinv = SMALL2; } else { sclfac = SMINV1; sclinv = SMALL1; }
    tau *= sclfac; lbd *= sclfac; ubd *= sclfac;
  }
  const s0 = d0 * sclfac, s1 = d1 * sclfac, s2 = d2 * sclfac;
  const y0 = z0 * sclfac, y1 = z1 * sclfac, y2 = z2 * sclfac;
  let fc: f64 = 0, df: f64 = 0, ddf: f64 = 0;
  {
    let t = 1.0 / (s0 - tau), t1 = y0 * t, t2 = t1 * t;
    fc += t1 / s0; df += t2; ddf += t2 * t;
    t = 1.0 / (s1 - tau); t1 = y1 * t; t2 = t1 * t;
    fc += t1 / s1; df += t2; ddf += t2 * t;
    t = 1.0 / (s2 - tau); t1 = y2 * t; t2 = t1 * t;
    fc += t1 / s2; df += t2; ddf += t2 * t;
  }
  let f = finit + tau * fc;
  if (Math.abs(f) <= 0.0) return scale ? tau * sclinv : tau;
  if (f <= 0.0) lbd = tau; else ubd = tau;
  for (let niter: i32 = 2; niter <= 40; niter++) {
    const t1 = orgati ? s1 - tau : s0 - tau;
    const t2 = orgati ? s2 - tau : s1 - tau;
    let a = (t1 + t2) * f - t1 * t2 * df;
    let b = t1 * t2 * f;
    let c = f - (t1 + t2) * df + t1 * t2 * ddf;
    const t = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
    a /= t; b /= t; c /= t;
    let eta: f64;
    if (c == 0.0) eta = b / a;
    else if (a <= 0.0) eta = (a - Math.sqrt(Math.abs(a * a - 4.0 * b * c))) / (2.0 * c);
    else eta = 2.0 * b / (a + Math.sqrt(Math.abs(a * a - 4.0 * b * c)));
    if (f * eta >= 0.0) eta = -f / df;
    tau += eta;
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2.0;
    if (s0 - tau == 0.0 || s1 - tau == 0.0 || s2 - tau == 0.0) return scale ? tau * sclinv : tau;
    fc = 0; df = 0; ddf = 0;
    let err: f64 = 0;
    let r = 1.0 / (s0 - tau), r1 = y0 * r, r2 = r1 * r, r4 = r1 / s0;
    fc += r4; err += Math.abs(r4); df += r2; ddf += r2 * r;
    r = 1.0 / (s1 - tau); r1 = y1 * r; r2 = r1 * r; r4 = r1 / s1;
    fc += r4; err += Math.abs(r4); df += r2; ddf += r2 * r;
    r = 1.0 / (s2 - tau); r1 = y2 * r; r2 = r1 * r; r4 = r1 / s2;
    fc += r4; err += Math.abs(r4); df += r2; ddf += r2 * r;
    f = finit + tau * fc;
    err = 8.0 * (Math.abs(finit) + Math.abs(tau) * err) + Math.abs(tau) * df;
    if (Math.abs(f) <= 4.0 * EPS * err || ubd - lbd <= 4.0 * EPS * Math.abs(tau)) return scale ? tau * sclinv : tau;
    if (f <= 0.0) lbd = tau; else ubd = tau;
  }
  secInfo = 1;
  return scale ? tau * sclinv : tau;
}
