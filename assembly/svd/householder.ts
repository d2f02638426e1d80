// Householder reflectors H = I − τ·v·vᵀ (v₀ = 1) on column-major f64 matrices: generate one
// (larfg), form the triangular factor of a block (larft), apply a block (larfb).
// see: LAPACK dlarfg, dlarft (forward, columnwise), dlarfb (left side); compact WY form
// H₁H₂…H_k = I − V·T·Vᵀ (Schreiber & Van Loan 1989).
//
// Storage follows LAPACK: v_j lives below the diagonal of column j, its unit top entry is implied.
// larft/larfb read only the strictly lower part of V and treat the diagonal as 1 and the upper part
// as 0, so R may stay on and above the diagonal while they run.
//
// Determinism: the 4×2 tiles keep one f64x2 accumulator per entry (lanes = even/odd rows), the
// scalar twin keeps the same two partial sums per entry; both binaries return the same bits.

import { axpy, dot, nrm2, pow2, scal } from "../blas/vec";

/** Rows per chunk in the tiled loops: a chunk of 4 V columns + 2 C columns stays in L1. */
// @ts-ignore: decorator
@inline const CH: i32 = 512;

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

/** W[j0..j0+3][c0, c0+1] += Σ_r V[r, j]·C[r, c] over r in [r0, r1) (4 reflectors × 2 columns). */
function tileDot(v: usize, ldv: i32, c: usize, ldc: i32, r0: i32, r1: i32, w: usize, ldw: i32): void {
  const vs = <usize>ldv << 3, cs = <usize>ldc << 3;
  const v0 = v + (<usize>r0 << 3), c0 = c + (<usize>r0 << 3);
  const v1 = v0 + vs, v2 = v1 + vs, v3 = v2 + vs, c1 = c0 + cs;
  let r = r0;
  let e00: f64 = 0, e01: f64 = 0, e10: f64 = 0, e11: f64 = 0, e20: f64 = 0, e21: f64 = 0, e30: f64 = 0, e31: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let a00 = f64x2.splat(0.0), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    for (; r + 2 <= r1; r += 2) {
      const o = <usize>(r - r0) << 3;
      const x0 = v128.load(c0 + o), x1 = v128.load(c1 + o);
      let p = v128.load(v0 + o);
      a00 = f64x2.add(a00, f64x2.mul(p, x0)); a01 = f64x2.add(a01, f64x2.mul(p, x1));
      p = v128.load(v1 + o);
      a10 = f64x2.add(a10, f64x2.mul(p, x0)); a11 = f64x2.add(a11, f64x2.mul(p, x1));
      p = v128.load(v2 + o);
      a20 = f64x2.add(a20, f64x2.mul(p, x0)); a21 = f64x2.add(a21, f64x2.mul(p, x1));
      p = v128.load(v3 + o);
      a30 = f64x2.add(a30, f64x2.mul(p, x0)); a31 = f64x2.add(a31, f64x2.mul(p, x1));
    }
    e00 = f64x2.extract_lane(a00, 0) + f64x2.extract_lane(a00, 1); e01 = f64x2.extract_lane(a01, 0) + f64x2.extract_lane(a01, 1);
    e10 = f64x2.extract_lane(a10, 0) + f64x2.extract_lane(a10, 1); e11 = f64x2.extract_lane(a11, 0) + f64x2.extract_lane(a11, 1);
    e20 = f64x2.extract_lane(a20, 0) + f64x2.extract_lane(a20, 1); e21 = f64x2.extract_lane(a21, 0) + f64x2.extract_lane(a21, 1);
    e30 = f64x2.extract_lane(a30, 0) + f64x2.extract_lane(a30, 1); e31 = f64x2.extract_lane(a31, 0) + f64x2.extract_lane(a31, 1);
  } else {
    let b00: f64 = 0, b01: f64 = 0, b10: f64 = 0, b11: f64 = 0, b20: f64 = 0, b21: f64 = 0, b30: f64 = 0, b31: f64 = 0;
    for (; r + 2 <= r1; r += 2) {
      const o = <usize>(r - r0) << 3;
      const x0 = load<f64>(c0 + o), x1 = load<f64>(c1 + o), y0 = load<f64>(c0 + o, 8), y1 = load<f64>(c1 + o, 8);
      let p = load<f64>(v0 + o), q = load<f64>(v0 + o, 8);
      e00 += p * x0; b00 += q * y0; e01 += p * x1; b01 += q * y1;
      p = load<f64>(v1 + o); q = load<f64>(v1 + o, 8);
      e10 += p * x0; b10 += q * y0; e11 += p * x1; b11 += q * y1;
      p = load<f64>(v2 + o); q = load<f64>(v2 + o, 8);
      e20 += p * x0; b20 += q * y0; e21 += p * x1; b21 += q * y1;
      p = load<f64>(v3 + o); q = load<f64>(v3 + o, 8);
      e30 += p * x0; b30 += q * y0; e31 += p * x1; b31 += q * y1;
    }
    e00 += b00; e01 += b01; e10 += b10; e11 += b11; e20 += b20; e21 += b21; e30 += b30; e31 += b31;
  }
  if (r < r1) {
    const o = <usize>(r - r0) << 3;
    const x0 = load<f64>(c0 + o), x1 = load<f64>(c1 + o);
    e00 += load<f64>(v0 + o) * x0; e01 += load<f64>(v0 + o) * x1;
    e10 += load<f64>(v1 + o) * x0; e11 += load<f64>(v1 + o) * x1;
    e20 += load<f64>(v2 + o) * x0; e21 += load<f64>(v2 + o) * x1;
    e30 += load<f64>(v3 + o) * x0; e31 += load<f64>(v3 + o) * x1;
  }
  const w1 = w + (<usize>ldw << 3);
  store<f64>(w, load<f64>(w) + e00); store<f64>(w1, load<f64>(w1) + e01);
  store<f64>(w, load<f64>(w, 8) + e10, 8); store<f64>(w1, load<f64>(w1, 8) + e11, 8);
  store<f64>(w, load<f64>(w, 16) + e20, 16); store<f64>(w1, load<f64>(w1, 16) + e21, 16);
  store<f64>(w, load<f64>(w, 24) + e30, 24); store<f64>(w1, load<f64>(w1, 24) + e31, 24);
}

/** C[r, c0..c0+1] −= Σ_j V[r, j]·Y[j, c] for 4 reflectors j and rows r in [r0, r1). */
function tileUpdate(v: usize, ldv: i32, y: usize, ldy: i32, c: usize, ldc: i32, r0: i32, r1: i32): void {
  const vs = <usize>ldv << 3;
  const v0 = v + (<usize>r0 << 3), c0 = c + (<usize>r0 << 3);
  const v1 = v0 + vs, v2 = v1 + vs, v3 = v2 + vs, c1 = c0 + (<usize>ldc << 3);
  const y1 = y + (<usize>ldy << 3);
  const p00 = load<f64>(y), p10 = load<f64>(y, 8), p20 = load<f64>(y, 16), p30 = load<f64>(y, 24);
  const p01 = load<f64>(y1), p11 = load<f64>(y1, 8), p21 = load<f64>(y1, 16), p31 = load<f64>(y1, 24);
  let r = r0;
  if (ASC_FEATURE_SIMD) {
    const q00 = f64x2.splat(p00), q10 = f64x2.splat(p10), q20 = f64x2.splat(p20), q30 = f64x2.splat(p30);
    const q01 = f64x2.splat(p01), q11 = f64x2.splat(p11), q21 = f64x2.splat(p21), q31 = f64x2.splat(p31);
    for (; r + 2 <= r1; r += 2) {
      const o = <usize>(r - r0) << 3;
      const a = v128.load(v0 + o), b = v128.load(v1 + o), e = v128.load(v2 + o), f = v128.load(v3 + o);
      const s0 = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(a, q00), f64x2.mul(b, q10)), f64x2.mul(e, q20)), f64x2.mul(f, q30));
      const s1 = f64x2.add(f64x2.add(f64x2.add(f64x2.mul(a, q01), f64x2.mul(b, q11)), f64x2.mul(e, q21)), f64x2.mul(f, q31));
      v128.store(c0 + o, f64x2.sub(v128.load(c0 + o), s0));
      v128.store(c1 + o, f64x2.sub(v128.load(c1 + o), s1));
    }
  }
  for (; r < r1; r++) {
    const o = <usize>(r - r0) << 3;
    const a = load<f64>(v0 + o), b = load<f64>(v1 + o), e = load<f64>(v2 + o), f = load<f64>(v3 + o);
    store<f64>(c0 + o, load<f64>(c0 + o) - (((a * p00 + b * p10) + e * p20) + f * p30));
    store<f64>(c1 + o, load<f64>(c1 + o) - (((a * p01 + b * p11) + e * p21) + f * p31));
  }
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for C (rows × ncols, ld ldc), V (rows × k unit lower trapezoidal, ld ldv),
 * op(T) = Tᵀ when `trans` (applies H_k…H₁ = Qᵀ), T otherwise (applies H₁…H_k = Q).
 * `w` needs k·(ncols + 1) doubles (k is at most the block size; ld of W is k).
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
  const k4 = k & ~3, n2 = ncols & ~1;
  for (let r0 = k; r0 < rows; r0 += CH) {
    const r1 = rows - r0 > CH ? r0 + CH : rows;
    for (let cc: i32 = 0; cc < n2; cc += 2) {
      const col = c + (<usize>cc * <usize>ldc << 3);
      for (let j: i32 = 0; j < k4; j += 4) {
        tileDot(v + (<usize>j * <usize>ldv << 3), ldv, col, ldc, r0, r1, w + ((<usize>cc * <usize>ldw + <usize>j) << 3), ldw);
      }
    }
    for (let j = k4; j < k; j++) {
      const vj = v + ((<usize>j * <usize>ldv + <usize>r0) << 3);
      for (let cc: i32 = 0; cc < n2; cc++) {
        const p = w + ((<usize>cc * <usize>ldw + <usize>j) << 3);
        store<f64>(p, load<f64>(p) + dot(vj, c + ((<usize>cc * <usize>ldc + <usize>r0) << 3), r1 - r0));
      }
    }
    if (n2 < ncols) {
      for (let j: i32 = 0; j < k; j++) {
        const p = w + ((<usize>n2 * <usize>ldw + <usize>j) << 3);
        store<f64>(p, load<f64>(p) + dot(v + ((<usize>j * <usize>ldv + <usize>r0) << 3), c + ((<usize>n2 * <usize>ldc + <usize>r0) << 3), r1 - r0));
      }
    }
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
  for (let r0 = k; r0 < rows; r0 += CH) {
    const r1 = rows - r0 > CH ? r0 + CH : rows;
    for (let cc: i32 = 0; cc < n2; cc += 2) {
      const col = c + (<usize>cc * <usize>ldc << 3);
      for (let j: i32 = 0; j < k4; j += 4) {
        tileUpdate(v + (<usize>j * <usize>ldv << 3), ldv, w + ((<usize>cc * <usize>ldw + <usize>j) << 3), ldw, col, ldc, r0, r1);
      }
      for (let j = k4; j < k; j++) {
        const vj = v + ((<usize>j * <usize>ldv + <usize>r0) << 3);
        axpy(-load<f64>(w + ((<usize>cc * <usize>ldw + <usize>j) << 3)), vj, col + (<usize>r0 << 3), r1 - r0);
        axpy(-load<f64>(w + (((<usize>cc + 1) * <usize>ldw + <usize>j) << 3)), vj, col + ((<usize>ldc + <usize>r0) << 3), r1 - r0);
      }
    }
    if (n2 < ncols) {
      const col = c + ((<usize>n2 * <usize>ldc + <usize>r0) << 3);
      for (let j: i32 = 0; j < k; j++) {
        axpy(-load<f64>(w + ((<usize>n2 * <usize>ldw + <usize>j) << 3)), v + ((<usize>j * <usize>ldv + <usize>r0) << 3), col, r1 - r0);
      }
    }
  }
}

