// y[i] = x[i] widened exactly to f64, for x in f64, f32, f16, bf16, f8 E4M3 (fn) or f8 E5M2, read
// little-endian or byte-swapped (`swap` ≠ 0: big-endian data); returns STATUS_NON_FINITE with
// status_info() = the first i whose value is NaN or ±Inf (every element is still converted).
// see: IEEE 754-2008 §5.4.2 (widening conversions are exact); OCP 8-bit floating point spec v1.0
// (E4M3: bias 7, no ±Inf, S.1111.111 = NaN; E5M2: bias 15, IEEE-like).
//
// Determinism: results are assembled from bits, never through f64.promote_f32 on a NaN (wasm leaves
// the payload of a promoted NaN to the engine). NaN policy: sign and payload kept (payload shifted to
// the top of the f64 significand), quiet bit set, as x86 and ARM widen. Subnormals are m · 2^-k:
// an integer times a power of two, exact.

import { setInfo, STATUS_NON_FINITE, STATUS_OK } from "../abi";

// @ts-ignore: decorator
@inline const EXP: u64 = 0x7ff0000000000000;
// @ts-ignore: decorator
@inline const QUIET: u64 = 0x0008000000000000;

// @ts-ignore: decorator
@inline function done(bad: i32): i32 {
  if (bad < 0) return STATUS_OK;
  setInfo(bad);
  return STATUS_NON_FINITE;
}

// @ts-ignore: decorator
@inline function special(sign: u64, payload: u64): u64 {
  return sign | EXP | payload | (payload != 0 ? QUIET : 0);
}

/** f64 bits of the f32 with bits b (also bf16: b = h << 16). */
// @ts-ignore: decorator
@inline function f32Bits(b: u32): u64 {
  if ((b & 0x7f800000) == 0x7f800000) return special(<u64>(b & 0x80000000) << 32, <u64>(b & 0x7fffff) << 29);
  return reinterpret<u64>(<f64>reinterpret<f32>(b)); // finite: promotion is exact and deterministic
}

/** f64 bits of the binary16 with bits h. */
// @ts-ignore: decorator
@inline function f16Bits(h: u32): u64 {
  const s = <u64>(h & 0x8000) << 48;
  const e = (h >>> 10) & 0x1f;
  const m = <u64>(h & 0x3ff);
  if (e == 0x1f) return special(s, m << 42);
  if (e == 0) return m == 0 ? s : s | reinterpret<u64>(<f64>m * 5.9604644775390625e-8); // m · 2^-24
  return s | (<u64>(e + 1008) << 52) | (m << 42); // exponent e − 15 + 1023
}

/** f64 bits of the f8 E4M3 (fn) with bits v. */
// @ts-ignore: decorator
@inline function e4m3Bits(v: u32): u64 {
  const s = <u64>(v & 0x80) << 56;
  const e = (v >>> 3) & 0xf;
  const m = <u64>(v & 7);
  if (e == 0xf && m == 7) return special(s, m << 49); // the only NaN; no infinities
  if (e == 0) return m == 0 ? s : s | reinterpret<u64>(<f64>m * 0.001953125); // m · 2^-9
  return s | (<u64>(e + 1016) << 52) | (m << 49); // exponent e − 7 + 1023
}

/** f64 bits of the f8 E5M2 with bits v (the top byte of a binary16). */
// @ts-ignore: decorator
@inline function e5m2Bits(v: u32): u64 {
  const s = <u64>(v & 0x80) << 56;
  const e = (v >>> 2) & 0x1f;
  const m = <u64>(v & 3);
  if (e == 0x1f) return special(s, m << 50);
  if (e == 0) return m == 0 ? s : s | reinterpret<u64>(<f64>m * 0.0000152587890625); // m · 2^-16
  return s | (<u64>(e + 1008) << 52) | (m << 50);
}

// @ts-ignore: decorator
@inline function put(y: usize, i: i32, bits: u64, bad: i32): i32 {
  store<u64>(y + (<usize>i << 3), bits);
  return bad < 0 && (bits & EXP) == EXP ? i : bad;
}

/** f64 → f64 (a bit copy; byte-swapped when `swap`). `y` may equal `x`. */
export function cvt_f64_f64(x: usize, n: i32, y: usize, swap: i32): i32 {
  let bad: i32 = -1;
  for (let i: i32 = 0; i < n; i++) {
    const b = load<u64>(x + (<usize>i << 3));
    bad = put(y, i, swap ? bswap<u64>(b) : b, bad);
  }
  return done(bad);
}

/** f32 → f64. */
export function cvt_f32_f64(x: usize, n: i32, y: usize, swap: i32): i32 {
  let bad: i32 = -1;
  for (let i: i32 = 0; i < n; i++) {
    const b = load<u32>(x + (<usize>i << 2));
    bad = put(y, i, f32Bits(swap ? bswap<u32>(b) : b), bad);
  }
  return done(bad);
}

/** IEEE binary16 → f64. */
export function cvt_f16_f64(x: usize, n: i32, y: usize, swap: i32): i32 {
  let bad: i32 = -1;
  for (let i: i32 = 0; i < n; i++) {
    const h = <u32>load<u16>(x + (<usize>i << 1));
    bad = put(y, i, f16Bits(swap ? <u32>bswap<u16>(<u16>h) : h), bad);
  }
  return done(bad);
}

/** bfloat16 (the top half of an f32) → f64. */
export function cvt_bf16_f64(x: usize, n: i32, y: usize, swap: i32): i32 {
  let bad: i32 = -1;
  for (let i: i32 = 0; i < n; i++) {
    const h = <u32>load<u16>(x + (<usize>i << 1));
    bad = put(y, i, f32Bits((swap ? <u32>bswap<u16>(<u16>h) : h) << 16), bad);
  }
  return done(bad);
}

/** f8 E4M3 (fn: finite, one NaN per sign) → f64. */
export function cvt_f8e4m3_f64(x: usize, n: i32, y: usize): i32 {
  let bad: i32 = -1;
  for (let i: i32 = 0; i < n; i++) bad = put(y, i, e4m3Bits(<u32>load<u8>(x + <usize>i)), bad);
  return done(bad);
}

/** f8 E5M2 → f64. */
export function cvt_f8e5m2_f64(x: usize, n: i32, y: usize): i32 {
  let bad: i32 = -1;
  for (let i: i32 = 0; i < n; i++) bad = put(y, i, e5m2Bits(<u32>load<u8>(x + <usize>i)), bad);
  return done(bad);
}
