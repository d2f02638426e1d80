// Shared pieces of the symmetric eigensolver: LAPACK machine constants and the BLAS-1 loops.
// see: LAPACK dlamch, dlapy2, dnrm2; BLAS ddot, daxpy, dscal.
//
// Determinism: `dot` sums in eight partial sums (the lanes of four f64x2 accumulators in the SIMD
// build, eight scalars in the scalar build) combined in the same tree, then the tail in order.
// Element-wise loops (axpy, scal) do the same operations in both builds. Wasm has no FMA outside
// relaxed SIMD and Binaryen never reassociates floating point, so both binaries return the same bits.

/** dlamch('E'): unit roundoff 2^-53. */
// @ts-ignore: decorator
@inline export const EPS: f64 = 1.1102230246251565e-16;
/** dlamch('P'): ulp of 1, 2^-52. */
// @ts-ignore: decorator
@inline export const ULP: f64 = 2.220446049250313e-16;
/** dlamch('S'): smallest normal number 2^-1022 (its reciprocal does not overflow). */
// @ts-ignore: decorator
@inline export const SAFMIN: f64 = 2.2250738585072014e-308;
/** dlamch('O'): largest finite number. */
// @ts-ignore: decorator
@inline export const HUGE: f64 = 1.7976931348623157e308;

// @ts-ignore: decorator
@inline export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline export function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline export function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline export function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/** Fortran SIGN(a, b): |a| with the sign of b (b = ±0 counts as positive). */
// @ts-ignore: decorator
@inline export function sign(a: f64, b: f64): f64 {
  return b >= 0.0 ? Math.abs(a) : -Math.abs(a);
}

/** sqrt(x² + y²) without needless overflow or underflow. see: LAPACK dlapy2. */
export function lapy2(x: f64, y: f64): f64 {
  if (x != x) return x;
  if (y != y) return y;
  const xa = Math.abs(x), ya = Math.abs(y);
  const w = xa > ya ? xa : ya;
  const z = xa > ya ? ya : xa;
  if (z == 0.0 || w > HUGE) return w;
  const q = z / w;
  return w * Math.sqrt(1.0 + q * q);
}

/** 2^k for -1022 ≤ k ≤ 1023, exact. */
export function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** x·2^k, exact unless the result over/underflows; k may be anything in [-2100, 2100]. */
export function scaleByPow2(x: f64, k: i32): f64 {
  while (k > 1000) { x *= pow2(1000); k -= 1000; }
  while (k < -1000) { x *= pow2(-1000); k += 1000; }
  return x * pow2(k);
}

/** Σ x_i·y_i for i < n (four partial sums; see the note at the top). */
export function dot(x: usize, y: usize, n: i32): f64 {
  let i: i32 = 0;
  let s: f64;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
    }
    const a = f64x2.add(f64x2.add(a0, a2), f64x2.add(a1, a3));
    s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  } else {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, s5: f64 = 0, s6: f64 = 0, s7: f64 = 0;
    for (; i + 8 <= n; i += 8) {
      s0 += ld(x, i) * ld(y, i);
      s1 += ld(x, i + 1) * ld(y, i + 1);
      s2 += ld(x, i + 2) * ld(y, i + 2);
      s3 += ld(x, i + 3) * ld(y, i + 3);
      s4 += ld(x, i + 4) * ld(y, i + 4);
      s5 += ld(x, i + 5) * ld(y, i + 5);
      s6 += ld(x, i + 6) * ld(y, i + 6);
      s7 += ld(x, i + 7) * ld(y, i + 7);
    }
    // lanes: a0 = (s0, s1), a1 = (s2, s3), a2 = (s4, s5), a3 = (s6, s7)
    s = ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7));
  }
  for (; i < n; i++) s += ld(x, i) * ld(y, i);
  return s;
}

/** y_i += α·x_i for i < n. */
export function axpy(alpha: f64, x: usize, y: usize, n: i32): void {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(alpha);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
    }
  }
  for (; i < n; i++) st(y, i, ld(y, i) + alpha * ld(x, i));
}

/** x_i *= α for i < n. */
export function scal(alpha: f64, x: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) st(x, i, ld(x, i) * alpha);
}

/**
 * ‖x‖₂ of n entries. Fast path: the plain sum of squares, kept when it neither overflowed nor came
 * near underflow (then squares that underflowed could not have mattered). Otherwise the sum is
 * redone on x/max|x|, as dnrm2's scaling does, so tiny and huge vectors keep full accuracy.
 */
export function nrm2(x: usize, n: i32): f64 {
  let ssq: f64 = 0;
  for (let i: i32 = 0; i < n; i++) { const v = ld(x, i); ssq += v * v; }
  if (ssq >= 1e-280 && ssq <= 1e300) return Math.sqrt(ssq);
  let amax: f64 = 0;
  for (let i: i32 = 0; i < n; i++) { const v = Math.abs(ld(x, i)); if (v > amax) amax = v; }
  if (amax == 0.0 || amax != amax || amax > HUGE) return amax;
  // scale by 2^-e (two exact steps, as 2^-e may not be representable) so that max|x|·2^-e ∈ [1, 2)
  const e = exponent(amax);
  const h = -e >> 1;
  const r1 = pow2(h), r2 = pow2(-e - h);
  ssq = 0;
  for (let i: i32 = 0; i < n; i++) { const v = ld(x, i) * r1 * r2; ssq += v * v; }
  return scaleByPow2(Math.sqrt(ssq), e);
}

/** floor(log2 x) for finite x > 0, subnormals included. */
export function exponent(x: f64): i32 {
  const b = <i32>((reinterpret<u64>(x) >> 52) & 0x7ff);
  if (b != 0) return b - 1023;
  return <i32>((reinterpret<u64>(x * 18446744073709551616.0) >> 52) & 0x7ff) - 1023 - 64;
}
