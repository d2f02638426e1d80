// first index i < n with x[i] not finite (NaN or ±Inf), or -1: finite(x) ⇔ x − x == 0.
// see: one pass, two lanes at a time; the scalar build checks one element at a time.

export function find_nonfinite_f64(x: usize, n: i32): i32 {
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f64x2.splat(0.0);
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 3);
      const a = v128.load(p);
      const b = v128.load(p, 16);
      const c = v128.load(p, 32);
      const d = v128.load(p, 48);
      const ok = v128.and(
        v128.and(f64x2.eq(f64x2.sub(a, a), zero), f64x2.eq(f64x2.sub(b, b), zero)),
        v128.and(f64x2.eq(f64x2.sub(c, c), zero), f64x2.eq(f64x2.sub(d, d), zero)),
      );
      if (!i64x2.all_true(ok)) break; // locate the exact element below
    }
  }
  for (; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    if (v - v != 0.0) return i;
  }
  return -1;
}

/** Same as find_nonfinite_f64 for f32 data. */
export function find_nonfinite_f32(x: usize, n: i32): i32 {
  for (let i: i32 = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v != 0.0) return i;
  }
  return -1;
}
