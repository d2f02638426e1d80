// Shared pieces of the symmetric eigensolver: LAPACK machine constants, dlapy2, a scaled dnrm2.
// see: LAPACK dlamch, dlapy2, dnrm2. The BLAS-1 loops (dot, axpy, scal, pow2) are the package's
// shared ones in blas/vec.ts, re-exported here; their determinism note applies.

export { axpy, dot, pow2, scal } from "../blas/vec";
import { pow2 } from "../blas/vec";

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

/** x·2^k, exact unless the result over/underflows; k may be anything in [-2100, 2100]. */
export function scaleByPow2(x: f64, k: i32): f64 {
  while (k > 1000) { x *= pow2(1000); k -= 1000; }
  while (k < -1000) { x *= pow2(-1000); k += 1000; }
  return x * pow2(k);
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
