// Level-1 helpers on contiguous f64 vectors: xᵀy, ‖x‖₂ (safe), y += a·x, x ← a·x, plane rotations.
// see: reference BLAS ddot/dnrm2/daxpy/dscal/drot; dnrm2's scaling idea (Blue 1978, Anderson 2017)
// is used only on the rare path where the plain sum of squares under- or overflows.
//
// Determinism: the SIMD bodies keep f64x2 accumulators; the scalar twins keep the same partial sums
// (one per lane) and combine them in the same order, so both binaries return the same bits.
// Element-wise loops (axpy, scal, rotations) are trivially identical.

/** Squares below this lose bits to underflow, so nrm2 takes the scaled path (2^-900 ≈ 1.2e-271). */
// @ts-ignore: decorator
@inline export const SS_LO: f64 = 1.1769988e-271;

/**
 * xᵀy over n contiguous elements. Eight partial sums (four f64x2 accumulators) hide the add latency;
 * they are combined as ((a+b)+(c+d)) lane-wise, then lane 0 + lane 1, then the tail in order.
 */
export function dot(x: usize, y: usize, n: i32): f64 {
  let i: i32 = 0;
  let r: f64 = 0.0;
  if (ASC_FEATURE_SIMD) {
    let a = f64x2.splat(0.0), b = a, c = a, d = a;
    for (; i + 8 <= n; i += 8) {
      const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
      a = f64x2.add(a, f64x2.mul(v128.load(px), v128.load(py)));
      b = f64x2.add(b, f64x2.mul(v128.load(px, 16), v128.load(py, 16)));
      c = f64x2.add(c, f64x2.mul(v128.load(px, 32), v128.load(py, 32)));
      d = f64x2.add(d, f64x2.mul(v128.load(px, 48), v128.load(py, 48)));
    }
    const s = f64x2.add(f64x2.add(a, b), f64x2.add(c, d));
    r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  } else {
    let a0: f64 = 0.0, a1: f64 = 0.0, b0: f64 = 0.0, b1: f64 = 0.0;
    let c0: f64 = 0.0, c1: f64 = 0.0, d0: f64 = 0.0, d1: f64 = 0.0;
    for (; i + 8 <= n; i += 8) {
      const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
      a0 += load<f64>(px) * load<f64>(py);
      a1 += load<f64>(px, 8) * load<f64>(py, 8);
      b0 += load<f64>(px, 16) * load<f64>(py, 16);
      b1 += load<f64>(px, 24) * load<f64>(py, 24);
      c0 += load<f64>(px, 32) * load<f64>(py, 32);
      c1 += load<f64>(px, 40) * load<f64>(py, 40);
      d0 += load<f64>(px, 48) * load<f64>(py, 48);
      d1 += load<f64>(px, 56) * load<f64>(py, 56);
    }
    r = ((a0 + b0) + (c0 + d0)) + ((a1 + b1) + (c1 + d1));
  }
  for (; i < n; i++) r += load<f64>(x + (<usize>i << 3)) * load<f64>(y + (<usize>i << 3));
  return r;
}

/** 2^k for k in [-1022, 1023], exactly. */
export function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** Exponent e with 2^e ≤ |v| < 2^(e+1) for finite v > 0 (subnormals included). */
export function exponentOf(v: f64): i32 {
  const bits = reinterpret<u64>(v);
  const e = <i32>((bits >> 52) & 0x7ff);
  if (e != 0) return e - 1023;
  return exponentOf(v * 18014398509481984.0) - 54; // subnormal: scale by 2^54 first
}

/** ‖x‖₂ without harmful under/overflow: plain sum of squares, rescaled by a power of 2 when needed. */
export function nrm2(x: usize, n: i32): f64 {
  const ss = dot(x, x, n);
  if (ss >= SS_LO && ss < Infinity) return Math.sqrt(ss);
  return nrm2Scaled(x, n, ss);
}

/** The slow path of nrm2 (and of the fused norms in rotations): scale by 2^-e with e from max|x_i|. */
export function nrm2Scaled(x: usize, n: i32, ss: f64): f64 {
  if (ss != ss) return ss; // NaN stays NaN
  let amax: f64 = 0.0;
  for (let i: i32 = 0; i < n; i++) {
    const a = Math.abs(load<f64>(x + (<usize>i << 3)));
    if (a > amax) amax = a;
  }
  if (amax == 0.0 || amax == Infinity) return amax;
  const e = exponentOf(amax);
  const down = e > 1000 || e < -1000 ? 0.0 : pow2(-e); // |e| > 1000 only for huge/subnormal amax
  let s: f64 = 0.0;
  if (down != 0.0) {
    for (let i: i32 = 0; i < n; i++) {
      const t = load<f64>(x + (<usize>i << 3)) * down;
      s += t * t;
    }
    return Math.sqrt(s) * pow2(e);
  }
  for (let i: i32 = 0; i < n; i++) {
    const t = load<f64>(x + (<usize>i << 3)) / amax; // rounding here is harmless next to the range
    s += t * t;
  }
  return Math.sqrt(s) * amax;
}

/** y += a·x. */
export function axpy(a: f64, x: usize, y: usize, n: i32): void {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(a);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
}

/** x ← a·x. */
export function scal(a: f64, x: usize, n: i32): void {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(a);
    for (; i + 2 <= n; i += 2) v128.store(x + (<usize>i << 3), f64x2.mul(av, v128.load(x + (<usize>i << 3))));
  }
  for (; i < n; i++) store<f64>(x + (<usize>i << 3), a * load<f64>(x + (<usize>i << 3)));
}

/** Swap x and y (n elements each). */
export function swap(x: usize, y: usize, n: i32): void {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const t = v128.load(x + o);
      v128.store(x + o, v128.load(y + o));
      v128.store(y + o, t);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/**
 * [x y] ← [x y]·[[c, s], [-s, c]] (x' = c·x − s·y, y' = s·x + c·y), four elements per iteration (two
 * f64x2 per column).
 */
export function rot(x: usize, y: usize, n: i32, c: f64, s: f64): void {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c), sv = f64x2.splat(s);
    for (; i + 4 <= n; i += 4) {
      const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
      const x0 = v128.load(px), y0 = v128.load(py), x1 = v128.load(px, 16), y1 = v128.load(py, 16);
      v128.store(px, f64x2.sub(f64x2.mul(cv, x0), f64x2.mul(sv, y0)));
      v128.store(px, f64x2.sub(f64x2.mul(cv, x1), f64x2.mul(sv, y1)), 16);
      v128.store(py, f64x2.add(f64x2.mul(sv, x0), f64x2.mul(cv, y0)));
      v128.store(py, f64x2.add(f64x2.mul(sv, x1), f64x2.mul(cv, y1)), 16);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const xa = load<f64>(x + o), ya = load<f64>(y + o);
    store<f64>(x + o, c * xa - s * ya);
    store<f64>(y + o, s * xa + c * ya);
  }
}

/** zᵀx' after the last rotDot (read right after the call). */
export let rotDotZ: f64 = 0.0;

/**
 * rot(x, y, n, c, s) and, in the same pass, rotDotZ = x'ᵀz: one-sided Jacobi rotates (p, q) and needs
 * x_pᵀx_{q+1} next, so the fused pass saves re-reading x_p. z = 0: plain rot. The dot product is
 * summed in four partial sums (i ≡ 0, 1 and i ≡ 2, 3 mod 4, the SIMD lanes) in both builds.
 */
export function rotDot(x: usize, y: usize, z: usize, n: i32, c: f64, s: f64): void {
  if (z == 0) {
    rot(x, y, n, c, s);
    return;
  }
  let i: i32 = 0;
  let sz: f64 = 0.0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c), sv = f64x2.splat(s);
    let az = f64x2.splat(0.0), bz = az;
    for (; i + 4 <= n; i += 4) {
      const px = x + (<usize>i << 3), py = y + (<usize>i << 3), pz = z + (<usize>i << 3);
      const x0 = v128.load(px), y0 = v128.load(py), x1 = v128.load(px, 16), y1 = v128.load(py, 16);
      const u0 = f64x2.sub(f64x2.mul(cv, x0), f64x2.mul(sv, y0)), u1 = f64x2.sub(f64x2.mul(cv, x1), f64x2.mul(sv, y1));
      v128.store(px, u0); v128.store(px, u1, 16);
      v128.store(py, f64x2.add(f64x2.mul(sv, x0), f64x2.mul(cv, y0)));
      v128.store(py, f64x2.add(f64x2.mul(sv, x1), f64x2.mul(cv, y1)), 16);
      az = f64x2.add(az, f64x2.mul(u0, v128.load(pz))); bz = f64x2.add(bz, f64x2.mul(u1, v128.load(pz, 16)));
    }
    const tz = f64x2.add(az, bz);
    sz = f64x2.extract_lane(tz, 0) + f64x2.extract_lane(tz, 1);
  } else {
    let az0: f64 = 0.0, az1: f64 = 0.0, bz0: f64 = 0.0, bz1: f64 = 0.0;
    for (; i + 4 <= n; i += 4) {
      const px = x + (<usize>i << 3), py = y + (<usize>i << 3), pz = z + (<usize>i << 3);
      const x0 = load<f64>(px), x1 = load<f64>(px, 8), x2 = load<f64>(px, 16), x3 = load<f64>(px, 24);
      const y0 = load<f64>(py), y1 = load<f64>(py, 8), y2 = load<f64>(py, 16), y3 = load<f64>(py, 24);
      const u0 = c * x0 - s * y0, u1 = c * x1 - s * y1, u2 = c * x2 - s * y2, u3 = c * x3 - s * y3;
      store<f64>(px, u0); store<f64>(px, u1, 8); store<f64>(px, u2, 16); store<f64>(px, u3, 24);
      store<f64>(py, s * x0 + c * y0); store<f64>(py, s * x1 + c * y1, 8); store<f64>(py, s * x2 + c * y2, 16); store<f64>(py, s * x3 + c * y3, 24);
      az0 += u0 * load<f64>(pz); az1 += u1 * load<f64>(pz, 8); bz0 += u2 * load<f64>(pz, 16); bz1 += u3 * load<f64>(pz, 24);
    }
    sz = (az0 + bz0) + (az1 + bz1);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const xa = load<f64>(x + o), ya = load<f64>(y + o);
    const nx = c * xa - s * ya;
    store<f64>(x + o, nx);
    store<f64>(y + o, s * xa + c * ya);
    sz += nx * load<f64>(z + o);
  }
  rotDotZ = sz;
}
