// G = XᵀX / c (feature side, d × d) or K = XXᵀ / c (sample side, n × n) for a row-major X (n × d,
// row stride ldx) of f64 or f32, accumulated in f64, into a row-major result (row stride ldg).
// see: BLAS dsyrk (upper) computed GOTO-style: k-blocks of KC summation steps are packed into
// 4-vector panels (f32 widened exactly to f64 while packing), a 4×4 register tile accumulates the
// products, the upper triangle is mirrored at the end.
//
// Determinism: every entry is the plain left-to-right sum over k of x_ki·x_kj (a product, then an
// add; no FMA, no reassociation), continued across k-blocks from the value stored in G. The SIMD and
// scalar builds therefore return the same bits, and so does every engine.

import { KC, accumulate, pack } from "./panel";

/** Workspace bytes for a Gram of `nv` vectors of length `nk` (nv = d, nk = n on the feature side). */
export function syrk_workspace(nv: i32, nk: i32): i32 {
  const pad = (nv + 3) & ~3;
  const kc = nk < KC ? nk : KC;
  return (kc * pad + 16) << 3;
}

/** The shared body: nv vectors of nk steps; G (nv × nv) = Σ_k v_k v_kᵀ / c. */
function syrk<T>(x: usize, nv: i32, nk: i32, ldx: i32, sample: bool, c: f64, g: usize, ldg: i32, work: usize): i32 {
  if (nv == 0) return 0;
  const scratch = work + (<usize>syrk_workspace(nv, nk) - 128); // last 16 doubles: edge tile
  for (let i: i32 = 0; i < nv; i++) memory.fill(g + (<usize>i * <usize>ldg << 3), 0, <usize>nv << 3);

  for (let k0: i32 = 0; k0 < nk; k0 += KC) {
    const kc = nk - k0 < KC ? nk - k0 : KC;
    pack<T>(x, ldx, nv, sample, k0, kc, work);
    accumulate(work, nv, work, nv, kc, g, ldg, true, scratch);
  }

  for (let i: i32 = 0; i < nv; i++) {
    const rowI = g + (<usize>i * <usize>ldg << 3);
    for (let j: i32 = i; j < nv; j++) {
      const v = load<f64>(rowI + (<usize>j << 3)) / c;
      store<f64>(rowI + (<usize>j << 3), v);
      store<f64>(g + ((<usize>j * <usize>ldg + <usize>i) << 3), v);
    }
  }
  return 0;
}

function checkArgs(n: i32, d: i32, ldx: i32, c: f64, ldg: i32, sample: bool): i32 {
  if (n < 0) return -2;
  if (d < 0) return -3;
  if (ldx < d) return -4;
  if (!(c > 0.0)) return -5;
  const order = sample ? n : d;
  if (ldg < order) return -7;
  return 0;
}

/** G = XᵀX / c, X f64 n × d. Workspace: syrk_workspace(d, n) bytes at `work`. */
export function syrk_f64(x: usize, n: i32, d: i32, ldx: i32, c: f64, g: usize, ldg: i32, work: usize): i32 {
  const bad = checkArgs(n, d, ldx, c, ldg, false);
  return bad != 0 ? bad : syrk<f64>(x, d, n, ldx, false, c, g, ldg, work);
}

/** G = XᵀX / c, X f32 n × d (widened exactly, accumulated in f64). Workspace: syrk_workspace(d, n). */
export function syrk_f32(x: usize, n: i32, d: i32, ldx: i32, c: f64, g: usize, ldg: i32, work: usize): i32 {
  const bad = checkArgs(n, d, ldx, c, ldg, false);
  return bad != 0 ? bad : syrk<f32>(x, d, n, ldx, false, c, g, ldg, work);
}

/** K = XXᵀ / c (n × n), X f64 n × d. Workspace: syrk_workspace(n, d). */
export function syrk_rows_f64(x: usize, n: i32, d: i32, ldx: i32, c: f64, k: usize, ldk: i32, work: usize): i32 {
  const bad = checkArgs(n, d, ldx, c, ldk, true);
  return bad != 0 ? bad : syrk<f64>(x, n, d, ldx, true, c, k, ldk, work);
}

/** K = XXᵀ / c (n × n), X f32 n × d. Workspace: syrk_workspace(n, d). */
export function syrk_rows_f32(x: usize, n: i32, d: i32, ldx: i32, c: f64, k: usize, ldk: i32, work: usize): i32 {
  const bad = checkArgs(n, d, ldx, c, ldk, true);
  return bad != 0 ? bad : syrk<f32>(x, n, d, ldx, true, c, k, ldk, work);
}

/** out[i] = (a[i]·b[i]) / c for i < count (the Hadamard product of two Grams, rescaled). */
export function hadamard_f64(a: usize, b: usize, out: usize, count: i32, c: f64): i32 {
  if (count < 0) return -4;
  if (!(c > 0.0)) return -5;
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    for (; i + 2 <= count; i += 2) {
      const off = <usize>i << 3;
      v128.store(out + off, f64x2.div(f64x2.mul(v128.load(a + off), v128.load(b + off)), cv));
    }
  }
  for (; i < count; i++) {
    const off = <usize>i << 3;
    store<f64>(out + off, (load<f64>(a + off) * load<f64>(b + off)) / c);
  }
  return 0;
}
