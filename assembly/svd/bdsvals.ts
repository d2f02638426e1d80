// Singular values only, normwise accurate, fast: Householder bidiagonalisation B = Uᵀ·A·V, then the
// eigenvalues ±σ of the Golub–Kahan tridiagonal [[0, Bᵀ], [B, 0]] (perfect-shuffled: zero diagonal,
// off-diagonal d₀, e₀, d₁, e₁, …) by the root-free QL/QR iteration of eigen/ql.ts.
// see: LAPACK dgebd2 (m ≥ n branch, upper bidiagonal) and dsterf; Golub & Kahan (1965).
//
// Accuracy: every step is an orthogonal transformation, so the computed σ̂ are the exact singular
// values of A + E with ‖E‖₂ ≤ p(n)·ε·‖A‖₂ (normwise); |σ̂ᵢ − σᵢ| ≤ p(n)·ε·σ₁. That is *absolute*
// accuracy: unlike the one-sided Jacobi SVD (gejsv.ts) it does not keep the relative accuracy of tiny
// singular values of graded matrices. The readings use it only where docs/trust-floors.md
// ("Which SVD a reading uses") shows the difference cannot reach a reported digit.
//
// Speed: the trailing matrix streams through memory once per step (dgebd2 streams it three times).
// The working copy M is row-major with r ≥ c (A or Aᵀ). Step k applies the left reflector H_k
// (from column k) to the rows, computes the right reflector G_k from row k and applies it, and in
// the same pass over each row i collects y += x_i·row_i (x_i = row i's entry in column k + 1 after
// both updates). The next step's vᵀ·A is then row_{k+1} + y/(α − β) — the vector dgebd2 would form
// in a separate pass — so the next left update needs no pass of its own.
//
// Determinism: only blas/vec.ts's dot/axpy/scal/nrm2 and element-wise loops, whose SIMD and scalar
// bodies return the same bits, in a fixed order.

import { setInfo, STATUS_NOT_CONVERGED, STATUS_OK } from "../abi";
import { axpy, dot, exponentOf, nrm2, pow2, scal } from "../blas/vec";
import { sterf } from "../eigen/ql";
import { hypot, larfg, larfgBeta } from "./householder";

/** dlamch('S')/dlamch('E') = 2^-969: a reflector whose β is below this is rescaled (dlarfg). */
// @ts-ignore: decorator
@inline const SAFMIN_E: f64 = 2.0041683600089728e-292;

/** Row stride of the working copy: even (16-byte rows) and not a multiple of 512 doubles. */
function strideOf(c: i32): i32 {
  let ld = (c + 1) & ~1;
  if ((ld & 511) == 0) ld += 8;
  return ld;
}

function even64(v: i64): i64 {
  return (v + 1) & ~1;
}

// @ts-ignore: decorator
@inline function even(v: i32): i32 {
  return (v + 1) & ~1;
}

function workDoubles(m: i32, n: i32): i64 {
  const r: i64 = m >= n ? m : n;
  const c: i32 = m >= n ? n : m;
  return r * <i64>strideOf(c) + 6 * even64(<i64>c) + even64(r) + 4 * even64(2 * <i64>c) + 8;
}

/** Workspace bytes bdsvals_f64 needs for an m × n input, or -1 (invalid shape, or above 2 GiB). */
export function bdsvals_workspace(m: i32, n: i32): i32 {
  if (m < 0 || n < 0) return -1;
  const bytes = workDoubles(m, n) * 8;
  return bytes > 0x7ff00000 ? -1 : <i32>bytes;
}

// @ts-ignore: decorator
@inline function at(base: usize, i: i32, ld: i32, j: i32): usize {
  return base + ((<usize>i * <usize>ld + <usize>j) << 3);
}

/**
 * The min(m, n) singular values of A (m × n, row-major, row stride lda ≥ n), descending, into s.
 * When `nul` ≠ 0 and m < n, also a unit u (n doubles at `nul`) with A·u = 0 up to rounding: the last
 * column of H₀·H₁⋯H_{m−1}, the left reflectors of Aᵀ's reduction, which is orthogonal to range(Aᵀ)
 * (the work of a QR of Aᵀ, already done). `a` is not modified. Needs bdsvals_workspace(m, n) bytes
 * at `work` (8-byte aligned). Returns STATUS_OK, STATUS_NOT_CONVERGED (status_info = unconverged
 * count; s is then unspecified), or -k when argument k is invalid. The input must be finite.
 */
export function bdsvals_f64(a: usize, m: i32, n: i32, lda: i32, s: usize, nul: usize, work: usize): i32 {
  setInfo(0);
  if (m < 0) return -2;
  if (n < 0) return -3;
  if (lda < n || lda < 1) return -4;
  if (nul != 0 && m >= n) return -6;
  const tall = m >= n;
  const r = tall ? m : n;
  const c = tall ? n : m;
  if (c == 0) {
    if (nul != 0) {
      memory.fill(nul, 0, <usize>n << 3);
      store<f64>(nul + (<usize>(n - 1) << 3), 1.0);
    }
    return STATUS_OK;
  }
  const ld = strideOf(c);
  const M = work;
  const w = M + ((<usize>r * <usize>ld) << 3);
  const y = w + (<usize>even(c) << 3);
  const u = y + (<usize>even(c) << 3);
  const dd = u + (<usize>even(c) << 3);
  const ee = dd + (<usize>even(c) << 3);
  const col = ee + (<usize>even(c) << 3);
  const td = col + (<usize>even(r) << 3);
  const te = td + (<usize>even(2 * c) << 3);
  const taus = te + (<usize>even(2 * c) << 3);

  // copy (transposed when wide) and scale by a power of two so that max|a| ∈ [1/2, 1): no product
  // below can overflow and the results scale back exactly
  let amax: f64 = 0.0;
  for (let i: i32 = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>lda) << 3);
    for (let j: i32 = 0; j < n; j++) {
      const v = Math.abs(load<f64>(row + (<usize>j << 3)));
      if (v > amax) amax = v;
    }
  }
  if (amax == 0.0) {
    memory.fill(s, 0, <usize>c << 3);
    if (nul != 0) {
      memory.fill(nul, 0, <usize>n << 3);
      store<f64>(nul + (<usize>(n - 1) << 3), 1.0);
    }
    return STATUS_OK;
  }
  const e = exponentOf(amax) + 1;
  const down = e > 1000 || e < -1000 ? 0.0 : pow2(-e);
  for (let i: i32 = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>lda) << 3);
    for (let j: i32 = 0; j < n; j++) {
      const v = load<f64>(row + (<usize>j << 3));
      const sv = down != 0.0 ? v * down : v / amax;
      store<f64>(tall ? at(M, i, ld, j) : at(M, j, ld, i), sv);
    }
  }
  const back = down != 0.0 ? 0.0 : amax;

  // H_0 from column 0, and its vᵀA explicitly
  let tau = leftReflector(M, r, ld, 0, col);
  store<f64>(dd, larfgBeta);
  store<f64>(taus, tau);
  if (tau != 0.0) explicitW(M, r, c, ld, 0, w);
  for (let k: i32 = 0; k < c; k++) {
    const L = c - k - 1;
    if (L == 0) break;
    const rowk = at(M, k, ld, k + 1);
    if (tau != 0.0) axpy(-tau, w, rowk, L);
    // G_k from row k, entries k+1 … c−1: u = [1; v]
    const pi = larfg(load<f64>(rowk), rowk + 8, L - 1);
    store<f64>(ee + (<usize>k << 3), larfgBeta);
    store<f64>(u, 1.0);
    memory.copy(u + 8, rowk + 8, <usize>(L - 1) << 3);
    memory.fill(y, 0, <usize>L << 3);
    for (let i = k + 1; i < r; i++) {
      const ai = at(M, i, ld, k + 1);
      const tv = tau != 0.0 ? -tau * load<f64>(at(M, i, ld, k)) : 0.0;
      const z = updateDot(ai, w, tv, u, L);
      const x = pi != 0.0 ? updateAcc(ai, u, -pi * z, y, L, i >= k + 2) : load<f64>(ai);
      if (pi == 0.0 && i >= k + 2 && L >= 2 && x != 0.0) axpy(x, ai + 8, y, L - 1);
      store<f64>(col + (<usize>i << 3), x);
    }
    // H_{k+1} from column k + 1 (rows k+1 …): the fast form of vᵀA when no rescaling was needed
    const alpha = load<f64>(at(M, k + 1, ld, k + 1));
    const n1 = r - k - 2;
    const x = col + (<usize>(k + 2) << 3);
    const xnorm = n1 > 0 ? nrm2(x, n1) : 0.0;
    if (xnorm == 0.0) {
      tau = 0.0;
      store<f64>(taus + (<usize>(k + 1) << 3), 0.0);
      store<f64>(dd + (<usize>(k + 1) << 3), alpha);
      continue;
    }
    const beta = -copysign(hypot(alpha, xnorm), alpha);
    if (Math.abs(beta) < SAFMIN_E) {
      tau = leftReflector(M, r, ld, k + 1, col);
      store<f64>(taus + (<usize>(k + 1) << 3), tau);
      store<f64>(dd + (<usize>(k + 1) << 3), larfgBeta);
      if (tau != 0.0) explicitW(M, r, c, ld, k + 1, w);
      continue;
    }
    tau = (beta - alpha) / beta;
    store<f64>(taus + (<usize>(k + 1) << 3), tau);
    const sc = 1.0 / (alpha - beta);
    scal(sc, x, n1);
    for (let i = k + 2; i < r; i++) store<f64>(at(M, i, ld, k + 1), load<f64>(col + (<usize>i << 3)));
    store<f64>(dd + (<usize>(k + 1) << 3), beta);
    if (L >= 2) {
      memory.copy(w, at(M, k + 1, ld, k + 2), <usize>(L - 1) << 3);
      axpy(sc, y, w, L - 1);
    }
  }

  // u = H₀⋯H_{c−1}·e_{r−1} (M = Aᵀ, r = n > c = m): orthogonal to the first c columns of H₀⋯H_{c−1},
  // which span range(Aᵀ); the reflectors' scaling by 2^-e does not change them
  if (nul != 0) {
    memory.fill(nul, 0, <usize>r << 3);
    store<f64>(nul + (<usize>(r - 1) << 3), 1.0);
    for (let k = c - 1; k >= 0; k--) {
      const t = load<f64>(taus + (<usize>k << 3));
      if (t == 0.0) continue;
      let vu = load<f64>(nul + (<usize>k << 3));
      for (let i = k + 1; i < r; i++) vu += load<f64>(at(M, i, ld, k)) * load<f64>(nul + (<usize>i << 3));
      const f = -t * vu;
      store<f64>(nul + (<usize>k << 3), load<f64>(nul + (<usize>k << 3)) + f);
      for (let i = k + 1; i < r; i++) store<f64>(nul + (<usize>i << 3), load<f64>(nul + (<usize>i << 3)) + f * load<f64>(at(M, i, ld, k)));
    }
  }

  // σ = the c largest eigenvalues of the Golub–Kahan tridiagonal (zero diagonal)
  const n2 = 2 * c;
  memory.fill(td, 0, <usize>n2 << 3);
  for (let k: i32 = 0; k < c; k++) {
    store<f64>(te + (<usize>(2 * k) << 3), load<f64>(dd + (<usize>k << 3)));
    if (k + 1 < c) store<f64>(te + (<usize>(2 * k + 1) << 3), load<f64>(ee + (<usize>k << 3)));
  }
  store<f64>(te + (<usize>(n2 - 1) << 3), 0.0);
  const left = sterf(n2, td, te, 0);
  if (left != 0) {
    setInfo(left);
    return STATUS_NOT_CONVERGED;
  }
  // ascending: the top c are +σ (a zero σ may come out as ±tiny: take |·| and re-sort descending)
  for (let k: i32 = 0; k < c; k++) {
    const v = Math.abs(load<f64>(td + (<usize>(n2 - 1 - k) << 3)));
    store<f64>(s + (<usize>k << 3), v);
  }
  for (let k: i32 = 1; k < c; k++) {
    const v = load<f64>(s + (<usize>k << 3));
    let j = k - 1;
    while (j >= 0 && load<f64>(s + (<usize>j << 3)) < v) {
      store<f64>(s + (<usize>(j + 1) << 3), load<f64>(s + (<usize>j << 3)));
      j--;
    }
    store<f64>(s + (<usize>(j + 1) << 3), v);
  }
  for (let k: i32 = 0; k < c; k++) {
    const p = s + (<usize>k << 3);
    store<f64>(p, back != 0.0 ? load<f64>(p) * back : load<f64>(p) * pow2(e));
  }
  return STATUS_OK;
}

/**
 * a −= tv·w (skipped when tv = 0), then returns aᵀu: four partial sums per lane pair, combined as
 * ((p0 + p2) + (p1 + p3)), then the tail in order — the scalar twin keeps the same sums.
 */
function updateDot(a: usize, w: usize, tv: f64, u: usize, n: i32): f64 {
  let j: i32 = 0;
  let r: f64 = 0.0;
  const upd = tv != 0.0;
  if (ASC_FEATURE_SIMD) {
    const t = f64x2.splat(tv);
    let s0 = f64x2.splat(0.0), s1 = s0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 3;
      let a0 = v128.load(a + o), a1 = v128.load(a + o, 16);
      if (upd) {
        a0 = f64x2.add(a0, f64x2.mul(t, v128.load(w + o)));
        a1 = f64x2.add(a1, f64x2.mul(t, v128.load(w + o, 16)));
        v128.store(a + o, a0);
        v128.store(a + o, a1, 16);
      }
      s0 = f64x2.add(s0, f64x2.mul(a0, v128.load(u + o)));
      s1 = f64x2.add(s1, f64x2.mul(a1, v128.load(u + o, 16)));
    }
    const sv = f64x2.add(s0, s1);
    r = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
  } else {
    let p0: f64 = 0.0, p1: f64 = 0.0, p2: f64 = 0.0, p3: f64 = 0.0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 3;
      let a0 = load<f64>(a + o), a1 = load<f64>(a + o, 8), a2 = load<f64>(a + o, 16), a3 = load<f64>(a + o, 24);
      if (upd) {
        a0 = a0 + tv * load<f64>(w + o);
        a1 = a1 + tv * load<f64>(w + o, 8);
        a2 = a2 + tv * load<f64>(w + o, 16);
        a3 = a3 + tv * load<f64>(w + o, 24);
        store<f64>(a + o, a0);
        store<f64>(a + o, a1, 8);
        store<f64>(a + o, a2, 16);
        store<f64>(a + o, a3, 24);
      }
      p0 += a0 * load<f64>(u + o);
      p1 += a1 * load<f64>(u + o, 8);
      p2 += a2 * load<f64>(u + o, 16);
      p3 += a3 * load<f64>(u + o, 24);
    }
    r = (p0 + p2) + (p1 + p3);
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    let v = load<f64>(a + o);
    if (upd) {
      v = v + tv * load<f64>(w + o);
      store<f64>(a + o, v);
    }
    r += v * load<f64>(u + o);
  }
  return r;
}

/**
 * a −= pz·u over n entries (pz already negated: a += pz·u); returns the new a₀ = x and, when `acc`,
 * adds x·a[1:] to y (n − 1 entries) in the same pass.
 */
function updateAcc(a: usize, u: usize, pz: f64, y: usize, n: i32, acc: bool): f64 {
  const x = load<f64>(a) + pz * load<f64>(u);
  store<f64>(a, x);
  if (!acc || x == 0.0 || n < 2) {
    axpy(pz, u + 8, a + 8, n - 1);
    return x;
  }
  const a1 = a + 8, u1 = u + 8;
  const m = n - 1;
  let j: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const p = f64x2.splat(pz), xv = f64x2.splat(x);
    for (; j + 2 <= m; j += 2) {
      const o = <usize>j << 3;
      const v = f64x2.add(v128.load(a1 + o), f64x2.mul(p, v128.load(u1 + o)));
      v128.store(a1 + o, v);
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(xv, v)));
    }
  }
  for (; j < m; j++) {
    const o = <usize>j << 3;
    const v = load<f64>(a1 + o) + pz * load<f64>(u1 + o);
    store<f64>(a1 + o, v);
    store<f64>(y + o, load<f64>(y + o) + x * v);
  }
  return x;
}

/**
 * H_k from column k of M (rows k … r−1) by dlarfg: v is written back below the diagonal, β is left
 * in larfgBeta, τ returned. `col` is scratch (r doubles).
 */
function leftReflector(M: usize, r: i32, ld: i32, k: i32, col: usize): f64 {
  const n1 = r - k - 1;
  for (let i = k + 1; i < r; i++) store<f64>(col + (<usize>i << 3), load<f64>(at(M, i, ld, k)));
  const tau = larfg(load<f64>(at(M, k, ld, k)), col + (<usize>(k + 1) << 3), n1);
  for (let i = k + 1; i < r; i++) store<f64>(at(M, i, ld, k), load<f64>(col + (<usize>i << 3)));
  return tau;
}

/** w = vᵀ·M[k:, k+1:] with v = [1; M[k+1:, k]] (dgebd2's separate pass). */
function explicitW(M: usize, r: i32, c: i32, ld: i32, k: i32, w: usize): void {
  const L = c - k - 1;
  if (L <= 0) return;
  memory.copy(w, at(M, k, ld, k + 1), <usize>L << 3);
  for (let i = k + 1; i < r; i++) {
    const v = load<f64>(at(M, i, ld, k));
    if (v != 0.0) axpy(v, at(M, i, ld, k + 1), w, L);
  }
}
