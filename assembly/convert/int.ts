// y[i] = x[i] as f64 for integer x of `width` bytes (1, 2, 4, 8), signed or not, little-endian or
// byte-swapped (`swap` ≠ 0); booleans: any nonzero byte → 1.0. Integers cannot be NaN: status is OK
// unless an argument is invalid (-4: width, -1: n).
// see: wasm f64.convert_i32_s/u, f64.convert_i64_s/u (round to nearest, ties to even: exact up to
// 2^53, the same rounding in every engine).

export function cvt_int_f64(x: usize, n: i32, y: usize, width: i32, signed: i32, swap: i32): i32 {
  if (n < 0) return -2;
  if (width == 1) {
    for (let i: i32 = 0; i < n; i++) {
      const v = signed ? <f64>load<i8>(x + <usize>i) : <f64>load<u8>(x + <usize>i);
      store<f64>(y + (<usize>i << 3), v);
    }
  } else if (width == 2) {
    for (let i: i32 = 0; i < n; i++) {
      let b = load<u16>(x + (<usize>i << 1));
      if (swap) b = bswap<u16>(b);
      store<f64>(y + (<usize>i << 3), signed ? <f64><i16>b : <f64>b);
    }
  } else if (width == 4) {
    for (let i: i32 = 0; i < n; i++) {
      let b = load<u32>(x + (<usize>i << 2));
      if (swap) b = bswap<u32>(b);
      store<f64>(y + (<usize>i << 3), signed ? <f64><i32>b : <f64>b);
    }
  } else if (width == 8) {
    for (let i: i32 = 0; i < n; i++) {
      let b = load<u64>(x + (<usize>i << 3));
      if (swap) b = bswap<u64>(b);
      store<f64>(y + (<usize>i << 3), signed ? <f64><i64>b : <f64>b);
    }
  } else return -4;
  return 0;
}

/** Booleans (one byte each): 0 → 0.0, anything else → 1.0. */
export function cvt_bool_f64(x: usize, n: i32, y: usize): i32 {
  if (n < 0) return -2;
  for (let i: i32 = 0; i < n; i++) store<f64>(y + (<usize>i << 3), load<u8>(x + <usize>i) != 0 ? 1.0 : 0.0);
  return 0;
}
