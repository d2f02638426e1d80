// Elementwise transcendentals for reported numbers: AssemblyScript's own Math (musl-derived, in wasm),
// so every engine returns the same bits (JS engines' Math.log/exp/pow differ in the last bit).
// see: docs/design-decisions.md, "Transcendentals". op: 0 ln, 1 log10, 2 exp, 3 log2, 4 expm1, 5 log1p.

export function map_f64(x: usize, out: usize, n: i32, op: i32): i32 {
  if (n < 0) return -3;
  if (op < 0 || op > 5) return -4;
  for (let i: i32 = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    let r: f64;
    switch (op) {
      case 0: r = Math.log(v); break;
      case 1: r = Math.log10(v); break;
      case 2: r = Math.exp(v); break;
      case 3: r = Math.log2(v); break;
      case 4: r = Math.expm1(v); break;
      default: r = Math.log1p(v);
    }
    store<f64>(out + (<usize>i << 3), r);
  }
  return 0;
}

/** x^y for one pair (AssemblyScript's pow). */
export function pow_f64(x: f64, y: f64): f64 {
  return Math.pow(x, y);
}

/** Σ ln x_i over i < n, summed in index order. */
export function sum_log_f64(x: usize, n: i32): f64 {
  let s: f64 = 0.0;
  for (let i: i32 = 0; i < n; i++) s += Math.log(load<f64>(x + (<usize>i << 3)));
  return s;
}
