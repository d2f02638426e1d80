// G = XᵀX / c (feature side, d × d) or K = XXᵀ / c (sample side, n × n) for a row-major X (n × d,
// row stride ldx) of f64 or f32, accumulated in f64, into a row-major result (row stride ldg).
// see: BLAS dsyrk (upper) computed GOTO-style: k-blocks of KC summation steps are packed into
// 4-vector panels (f32 widened exactly to f64 while packing), a 4×4 register tile accumulates the
// products, the upper triangle is mirrored at the end.
//
// Determinism: every entry is the plain left-to-right sum over k of x_ki·x_kj (a product, then an
// add; no FMA, no reassociation), continued across k-blocks from the value stored in G. The SIMD and
// scalar builds therefore return the same bits, and so does every engine.

// @ts-ignore: decorator
@inline const KC: i32 = 256; // summation steps per packed block
// @ts-ignore: decorator
@inline const NC: i32 = 128; // vectors per j-block (KC·NC·8 bytes = 256 KiB, L2-resident)

/** Workspace bytes for a Gram of `nv` vectors of length `nk` (nv = d, nk = n on the feature side). */
export function syrk_workspace(nv: i32, nk: i32): i32 {
  const pad = (nv + 3) & ~3;
  const kc = nk < KC ? nk : KC;
  return (kc * pad + 16) << 3;
}

// @ts-ignore: decorator
@inline function at<T>(x: usize, ldx: i32, row: i32, col: i32): f64 {
  return <f64>load<T>(x + ((<usize>row * <usize>ldx + <usize>col) << alignof<T>()));
}

/**
 * Pack summation steps [k0, k0+kc) into 4-vector panels: panel p holds step k at W[p·kc·4 + 4k + r]
 * = element (vector 4p+r, step k0+k), zero past the last vector. Feature side: vector i = column i,
 * step k = row k; sample side: vector i = row i, step k = column k.
 */
function pack<T>(x: usize, ldx: i32, nv: i32, sample: bool, k0: i32, kc: i32, w: usize): void {
  const panels = (nv + 3) >> 2;
  const panelStride = <usize>kc << 5;
  for (let p: i32 = 0; p < panels; p++) {
    const dst = w + <usize>p * panelStride;
    if (ASC_FEATURE_SIMD) {
      // feature side, f64, full panel: each step is a contiguous quadruple, copied two lanes at a time
      if (!sample && sizeof<T>() == 8 && (p << 2) + 4 <= nv) {
        for (let k: i32 = 0; k < kc; k++) {
          const src = x + ((<usize>(k0 + k) * <usize>ldx + <usize>(p << 2)) << 3);
          v128.store(dst + (<usize>k << 5), v128.load(src));
          v128.store(dst + (<usize>k << 5), v128.load(src, 16), 16);
        }
        continue;
      }
    }
    for (let r: i32 = 0; r < 4; r++) {
      const v = (p << 2) + r;
      const lane = dst + (<usize>r << 3);
      if (v >= nv) {
        for (let k: i32 = 0; k < kc; k++) store<f64>(lane + (<usize>k << 5), 0.0);
      } else if (sample) {
        for (let k: i32 = 0; k < kc; k++) store<f64>(lane + (<usize>k << 5), at<T>(x, ldx, v, k0 + k));
      } else {
        for (let k: i32 = 0; k < kc; k++) store<f64>(lane + (<usize>k << 5), at<T>(x, ldx, k0 + k, v));
      }
    }
  }
}

/** C[0..4][0..4] (row stride ldc) += Σ_k a_k b_kᵀ over packed 4-wide panels a, b of length kc. */
function tile4x4(a: usize, b: usize, kc: i32, c: usize, ldc: i32): void {
  const r1 = c + (<usize>ldc << 3);
  const r2 = r1 + (<usize>ldc << 3);
  const r3 = r2 + (<usize>ldc << 3);
  if (ASC_FEATURE_SIMD) {
    let c00 = v128.load(c), c01 = v128.load(c, 16);
    let c10 = v128.load(r1), c11 = v128.load(r1, 16);
    let c20 = v128.load(r2), c21 = v128.load(r2, 16);
    let c30 = v128.load(r3), c31 = v128.load(r3, 16);
    for (let k: i32 = 0; k < kc; k++) {
      const pa = a + (<usize>k << 5);
      const pb = b + (<usize>k << 5);
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let s = v128.load64_splat(pa);
      c00 = f64x2.add(c00, f64x2.mul(s, b0));
      c01 = f64x2.add(c01, f64x2.mul(s, b1));
      s = v128.load64_splat(pa, 8);
      c10 = f64x2.add(c10, f64x2.mul(s, b0));
      c11 = f64x2.add(c11, f64x2.mul(s, b1));
      s = v128.load64_splat(pa, 16);
      c20 = f64x2.add(c20, f64x2.mul(s, b0));
      c21 = f64x2.add(c21, f64x2.mul(s, b1));
      s = v128.load64_splat(pa, 24);
      c30 = f64x2.add(c30, f64x2.mul(s, b0));
      c31 = f64x2.add(c31, f64x2.mul(s, b1));
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(r1, c10); v128.store(r1, c11, 16);
    v128.store(r2, c20); v128.store(r2, c21, 16);
    v128.store(r3, c30); v128.store(r3, c31, 16);
  } else {
    let c00 = load<f64>(c), c01 = load<f64>(c, 8), c02 = load<f64>(c, 16), c03 = load<f64>(c, 24);
    let c10 = load<f64>(r1), c11 = load<f64>(r1, 8), c12 = load<f64>(r1, 16), c13 = load<f64>(r1, 24);
    let c20 = load<f64>(r2), c21 = load<f64>(r2, 8), c22 = load<f64>(r2, 16), c23 = load<f64>(r2, 24);
    let c30 = load<f64>(r3), c31 = load<f64>(r3, 8), c32 = load<f64>(r3, 16), c33 = load<f64>(r3, 24);
    for (let k: i32 = 0; k < kc; k++) {
      const pa = a + (<usize>k << 5);
      const pb = b + (<usize>k << 5);
      const b0 = load<f64>(pb), b1 = load<f64>(pb, 8), b2 = load<f64>(pb, 16), b3 = load<f64>(pb, 24);
      let s = load<f64>(pa);
      c00 += s * b0; c01 += s * b1; c02 += s * b2; c03 += s * b3;
      s = load<f64>(pa, 8);
      c10 += s * b0; c11 += s * b1; c12 += s * b2; c13 += s * b3;
      s = load<f64>(pa, 16);
      c20 += s * b0; c21 += s * b1; c22 += s * b2; c23 += s * b3;
      s = load<f64>(pa, 24);
      c30 += s * b0; c31 += s * b1; c32 += s * b2; c33 += s * b3;
    }
    store<f64>(c, c00); store<f64>(c, c01, 8); store<f64>(c, c02, 16); store<f64>(c, c03, 24);
    store<f64>(r1, c10); store<f64>(r1, c11, 8); store<f64>(r1, c12, 16); store<f64>(r1, c13, 24);
    store<f64>(r2, c20); store<f64>(r2, c21, 8); store<f64>(r2, c22, 16); store<f64>(r2, c23, 24);
    store<f64>(r3, c30); store<f64>(r3, c31, 8); store<f64>(r3, c32, 16); store<f64>(r3, c33, 24);
  }
}

/** Copy a rows×cols corner between a G tile (stride lds) and a tile of stride ldd. */
function copyTile(src: usize, lds: i32, dst: usize, ldd: i32, rows: i32, cols: i32): void {
  for (let i: i32 = 0; i < rows; i++) {
    for (let j: i32 = 0; j < cols; j++) {
      store<f64>(dst + (<usize>(i * ldd + j) << 3), load<f64>(src + (<usize>(i * lds + j) << 3)));
    }
  }
}

/** The shared body: nv vectors of nk steps; G (nv × nv) = Σ_k v_k v_kᵀ / c. */
function syrk<T>(x: usize, nv: i32, nk: i32, ldx: i32, sample: bool, c: f64, g: usize, ldg: i32, work: usize): i32 {
  if (nv == 0) return 0;
  const panels = (nv + 3) >> 2;
  const scratch = work + (<usize>syrk_workspace(nv, nk) - 128); // last 16 doubles: edge tile
  for (let i: i32 = 0; i < nv; i++) memory.fill(g + (<usize>i * <usize>ldg << 3), 0, <usize>nv << 3);

  for (let k0: i32 = 0; k0 < nk; k0 += KC) {
    const kc = nk - k0 < KC ? nk - k0 : KC;
    pack<T>(x, ldx, nv, sample, k0, kc, work);
    const panelBytes = <usize>kc << 5;
    for (let j0: i32 = 0; j0 < panels; j0 += NC >> 2) {
      const j1 = j0 + (NC >> 2) < panels ? j0 + (NC >> 2) : panels;
      for (let pi: i32 = 0; pi < j1; pi++) {
        const a = work + <usize>pi * panelBytes;
        const i = pi << 2;
        const rows = nv - i < 4 ? nv - i : 4;
        for (let pj = pi > j0 ? pi : j0; pj < j1; pj++) {
          const b = work + <usize>pj * panelBytes;
          const j = pj << 2;
          const cols = nv - j < 4 ? nv - j : 4;
          const cij = g + ((<usize>i * <usize>ldg + <usize>j) << 3);
          if (rows == 4 && cols == 4) {
            tile4x4(a, b, kc, cij, ldg);
          } else {
            memory.fill(scratch, 0, 128);
            copyTile(cij, ldg, scratch, 4, rows, cols);
            tile4x4(a, b, kc, scratch, 4);
            copyTile(scratch, 4, cij, ldg, rows, cols);
          }
        }
      }
    }
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
