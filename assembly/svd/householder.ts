// Householder reflectors H = I − τ·v·vᵀ (v₀ = 1) on column-major f64 matrices: generate one
// (larfg), form the triangular factor of a block (larft), apply a block (larfb).
// see: LAPACK dlarfg, dlarft (forward, columnwise), dlarfb (left side); compact WY form
// H₁H₂…H_k = I − V·T·Vᵀ (Schreiber & Van Loan 1989).
//
// Storage follows LAPACK: v_j lives below the diagonal of column j, its unit top entry is implied.
// larft/larfb read only the strictly lower part of V and treat the diagonal as 1 and the upper part
// as 0, so R may stay on and above the diagonal while they run.
//
// larfb's two products over the rows below the unit triangle (W = VᵀC and C −= V·Y, nearly all of
// the QR's flops) run on the packed 4×4 tile of blas/panel.ts through eigen/gemm.ts's gemmAcc, in
// chunks so the packing buffers stay small. Determinism: the tile sums each entry in index order
// (product, then add) in both builds, so the SIMD and scalar binaries return the same bits.

import { axpy, dot, nrm2, pow2, scal } from "../blas/vec";
import { KC, panelBytes } from "../blas/panel";
import { gemmAcc } from "../eigen/gemm";

/** larfb's chunks: C columns per product call, and rows per call of the update. */
// @ts-ignore: decorator
@inline const COLS_CHUNK: i32 = 128;
// @ts-ignore: decorator
@inline const ROWS_CHUNK: i32 = 1024;

/**
 * Doubles of packing space larfb needs after its W block (k ≤ kMax reflectors): the a-panels of
 * COLS_CHUNK columns over KC steps, the b-panels of max(ROWS_CHUNK rows × kMax steps, kMax × KC),
 * and a 16-double edge tile.
 */
export function larfbPackDoubles(kMax: i32): i32 {
  const a = <i32>panelBytes(COLS_CHUNK, KC) >> 3;
  const b1 = <i32>panelBytes(ROWS_CHUNK, kMax) >> 3, b2 = <i32>panelBytes(kMax, KC) >> 3;
  return a + (b1 > b2 ? b1 : b2) + 16;
}

/** Scratch output of larfg: β, the new top entry (R's diagonal). */
export let larfgBeta: f64 = 0.0;

/**
 * Generate H with H·[α; x] = [β; 0]: returns τ, writes v (without its unit top) over x (n − 1
 * entries) and β to larfgBeta. τ = 0 (H = I) when x = 0. Rescales when |β| is near underflow.
 */
export function larfg(alpha: f64, x: usize, n1: i32): f64 {
  let xnorm = nrm2(x, n1);
  if (xnorm == 0.0) {
    larfgBeta = alpha;
    return 0.0;
  }
  let beta = -copysign(hypot(alpha, xnorm), alpha);
  const safmin: f64 = 2.0041683600089728e-292; // dlamch('S')/dlamch('E') = 2^-969
  let knt: i32 = 0;
  if (Math.abs(beta) < safmin) {
    // dlarfg: scale x and α up until β is safely normal (at most 20 rounds; 2^969 per round)
    const up = pow2(969);
    do {
      knt++;
      scal(up, x, n1);
      beta *= up;
      alpha *= up;
    } while (Math.abs(beta) < safmin && knt < 20);
    xnorm = nrm2(x, n1);
    beta = -copysign(hypot(alpha, xnorm), alpha);
  }
  const tau = (beta - alpha) / beta;
  scal(1.0 / (alpha - beta), x, n1);
  for (let j: i32 = 0; j < knt; j++) beta *= safmin;
  larfgBeta = beta;
  return tau;
}

/** √(a² + b²) without overflow or harmful underflow. */
export function hypot(a: f64, b: f64): f64 {
  a = Math.abs(a);
  b = Math.abs(b);
  const hi = a > b ? a : b;
  const lo = a > b ? b : a;
  if (hi == 0.0) return 0.0;
  const r = lo / hi;
  return hi * Math.sqrt(1.0 + r * r);
}

/** Apply H = I − τ·v·vᵀ (v₀ = 1 implied, v₁… at v) from the left to `ncols` columns of C (rows = len). */
export function larf(v: usize, len: i32, tau: f64, c: usize, ldc: i32, ncols: i32): void {
  if (tau == 0.0) return;
  for (let j: i32 = 0; j < ncols; j++) {
    const cj = c + (<usize>j * <usize>ldc << 3);
    const w = load<f64>(cj) + dot(v, cj + 8, len - 1);
    const t = -tau * w;
    store<f64>(cj, load<f64>(cj) + t);
    axpy(t, v, cj + 8, len - 1);
  }
}

/**
 * T (k × k upper triangular, column-major, ld ldt) with H₁…H_k = I − V·T·Vᵀ for the k reflectors
 * stored in V (rows × k, ld ldv; v_j starts at row j).
 */
export function larft(v: usize, ldv: i32, rows: i32, k: i32, tau: usize, t: usize, ldt: i32): void {
  for (let i: i32 = 0; i < k; i++) {
    const ti = load<f64>(tau + (<usize>i << 3));
    const tcol = t + (<usize>i * <usize>ldt << 3);
    const vi = v + ((<usize>i * <usize>ldv + <usize>i) << 3); // v_i from its (unit) top row i
    for (let j: i32 = 0; j < i; j++) {
      // (V[:, j]ᵀ v_i) = V[i, j]·1 + Σ_{r>i} V[r, j]·v_i[r]
      const vj = v + ((<usize>j * <usize>ldv + <usize>i) << 3);
      const w = ti == 0.0 ? 0.0 : load<f64>(vj) + dot(vj + 8, vi + 8, rows - i - 1);
      store<f64>(tcol + (<usize>j << 3), -ti * w);
    }
    // T[0:i, i] = T[0:i, 0:i] · T[0:i, i]  (upper triangular times vector, in place, top down)
    for (let j: i32 = 0; j < i; j++) {
      let s: f64 = 0.0;
      for (let l = j; l < i; l++) s += load<f64>(t + ((<usize>l * <usize>ldt + <usize>j) << 3)) * load<f64>(tcol + (<usize>l << 3));
      store<f64>(tcol + (<usize>j << 3), s);
    }
    store<f64>(tcol + (<usize>i << 3), ti);
  }
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for C (rows × ncols, ld ldc), V (rows × k unit lower trapezoidal, ld ldv),
 * op(T) = Tᵀ when `trans` (applies H_k…H₁ = Qᵀ), T otherwise (applies H₁…H_k = Q).
 * `w` needs k·(ncols + 1) + 1 doubles (k is at most the block size kMax; ld of W is k), then
 * larfbPackDoubles(kMax) for the packing buffers.
 */
export function larfb(trans: bool, v: usize, ldv: i32, rows: i32, k: i32, t: usize, ldt: i32, c: usize, ldc: i32, ncols: i32, w: usize): void {
  if (ncols <= 0 || k <= 0) return;
  const ldw = k;
  // W = Vᵀ·C: the unit lower triangle (rows 0..k-1) element by element, the rectangle below in tiles
  for (let cc: i32 = 0; cc < ncols; cc++) {
    const col = c + (<usize>cc * <usize>ldc << 3);
    for (let j: i32 = 0; j < k; j++) {
      let s = load<f64>(col + (<usize>j << 3));
      for (let r = j + 1; r < k; r++) s += load<f64>(v + ((<usize>j * <usize>ldv + <usize>r) << 3)) * load<f64>(col + (<usize>r << 3));
      store<f64>(w + ((<usize>cc * <usize>ldw + <usize>j) << 3), s);
    }
  }
  // ... and the rectangle below: W'[cc][j] += Σ_{r ≥ k} C[r, cc]·V[r, j] (W' = Wᵀ is how w stores W)
  const pa = w + (((<usize>k * <usize>(ncols + 1) + 1) & ~(<usize>1)) << 3);
  const pb = pa + panelBytes(COLS_CHUNK, KC);
  const scratch = pb + (panelBytes(ROWS_CHUNK, k) > panelBytes(k, KC) ? panelBytes(ROWS_CHUNK, k) : panelBytes(k, KC));
  const below = rows - k;
  for (let c0: i32 = 0; c0 < ncols; c0 += COLS_CHUNK) {
    const nc = ncols - c0 < COLS_CHUNK ? ncols - c0 : COLS_CHUNK;
    gemmAcc(nc, k, below, c + ((<usize>c0 * <usize>ldc + <usize>k) << 3), ldc, true, v + (<usize>k << 3), ldv, true, false, w + (<usize>c0 * <usize>ldw << 3), ldw, pa, pb, scratch);
  }
  // Y = op(T)·W, column by column in place (tmp column at w + k·ncols)
  const tmp = w + (<usize>k * <usize>ncols << 3);
  for (let cc: i32 = 0; cc < ncols; cc++) {
    const wc = w + (<usize>cc * <usize>ldw << 3);
    for (let j: i32 = 0; j < k; j++) {
      let s: f64 = 0.0;
      if (trans) {
        for (let l: i32 = 0; l <= j; l++) s += load<f64>(t + ((<usize>j * <usize>ldt + <usize>l) << 3)) * load<f64>(wc + (<usize>l << 3));
      } else {
        for (let l = j; l < k; l++) s += load<f64>(t + ((<usize>l * <usize>ldt + <usize>j) << 3)) * load<f64>(wc + (<usize>l << 3));
      }
      store<f64>(tmp + (<usize>j << 3), s);
    }
    memory.copy(wc, tmp, <usize>k << 3);
  }
  // C −= V·Y: the unit lower triangle element by element, the rectangle in tiles
  for (let cc: i32 = 0; cc < ncols; cc++) {
    const col = c + (<usize>cc * <usize>ldc << 3);
    const yc = w + (<usize>cc * <usize>ldw << 3);
    for (let r: i32 = 0; r < k; r++) {
      let s = load<f64>(yc + (<usize>r << 3));
      for (let j: i32 = 0; j < r; j++) s += load<f64>(v + ((<usize>j * <usize>ldv + <usize>r) << 3)) * load<f64>(yc + (<usize>j << 3));
      store<f64>(col + (<usize>r << 3), load<f64>(col + (<usize>r << 3)) - s);
    }
  }
  // ... and the rectangle: Cᵀ[cc][r] −= Σ_j Y[j, cc]·V[r, j] for r ≥ k (Cᵀ row-major = C column-major)
  for (let c0: i32 = 0; c0 < ncols; c0 += COLS_CHUNK) {
    const nc = ncols - c0 < COLS_CHUNK ? ncols - c0 : COLS_CHUNK;
    for (let r0 = k; r0 < rows; r0 += ROWS_CHUNK) {
      const nr = rows - r0 < ROWS_CHUNK ? rows - r0 : ROWS_CHUNK;
      gemmAcc(nc, nr, k, w + (<usize>c0 * <usize>ldw << 3), ldw, true, v + (<usize>r0 << 3), ldv, false, true, c + ((<usize>c0 * <usize>ldc + <usize>r0) << 3), ldc, pa, pb, scratch);
    }
  }
}
