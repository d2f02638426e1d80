// Packed 4-vector panels and the 4×4 f64 register tile shared by the Gram (syrk), Cholesky and LU
// updates: C += Σ_k a_k b_kᵀ with a, b packed by `pack`, each entry summed in k order (product, then
// add; no FMA), so SIMD and scalar builds agree bit for bit.
// see: Goto & van de Geijn, "Anatomy of high-performance matrix multiplication" (packing, micro-tile).

// @ts-ignore: decorator
@inline export const KC: i32 = 256; // summation steps per packed block
// @ts-ignore: decorator
@inline export const NC: i32 = 128; // vectors per column block (KC·NC·8 bytes = 256 KiB, L2-resident)

/** Bytes of packed panels for nv vectors and kc steps. */
// @ts-ignore: decorator
@inline export function panelBytes(nv: i32, kc: i32): usize {
  return (<usize>((nv + 3) & ~3) * <usize>kc) << 3;
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
export function pack<T>(x: usize, ldx: i32, nv: i32, sample: bool, k0: i32, kc: i32, w: usize, negate: bool = false): void {
  const panels = (nv + 3) >> 2;
  const panelStride = <usize>kc << 5;
  for (let p: i32 = 0; p < panels; p++) {
    const dst = w + <usize>p * panelStride;
    const full = (p << 2) + 4 <= nv;
    if (!sample && full) {
      // feature side, full panel: each step is 4 contiguous elements of one row; walk the rows
      for (let k: i32 = 0; k < kc; k++) {
        const src = x + ((<usize>(k0 + k) * <usize>ldx + <usize>(p << 2)) << alignof<T>());
        const out = dst + (<usize>k << 5);
        if (ASC_FEATURE_SIMD) {
          let lo: v128, hi: v128;
          if (sizeof<T>() == 8) {
            lo = v128.load(src);
            hi = v128.load(src, 16);
          } else {
            lo = f64x2.promote_low_f32x4(v128.load64_zero(src));
            hi = f64x2.promote_low_f32x4(v128.load64_zero(src, 8));
          }
          if (negate) {
            lo = f64x2.neg(lo);
            hi = f64x2.neg(hi);
          }
          v128.store(out, lo);
          v128.store(out, hi, 16);
        } else {
          for (let r: i32 = 0; r < 4; r++) {
            const e = <f64>load<T>(src + (<usize>r << alignof<T>()));
            store<f64>(out + (<usize>r << 3), negate ? -e : e);
          }
        }
      }
      continue;
    }
    for (let r: i32 = 0; r < 4; r++) {
      const v = (p << 2) + r;
      const lane = dst + (<usize>r << 3);
      if (v >= nv) {
        for (let k: i32 = 0; k < kc; k++) store<f64>(lane + (<usize>k << 5), 0.0);
      } else if (sample) {
        for (let k: i32 = 0; k < kc; k++) {
          const e = at<T>(x, ldx, v, k0 + k);
          store<f64>(lane + (<usize>k << 5), negate ? -e : e);
        }
      } else {
        for (let k: i32 = 0; k < kc; k++) {
          const e = at<T>(x, ldx, k0 + k, v);
          store<f64>(lane + (<usize>k << 5), negate ? -e : e);
        }
      }
    }
  }
}

/** C[0..4][0..4] (row stride ldc) += Σ_k a_k b_kᵀ over packed 4-wide panels a, b of length kc. */
export function tile4x4(a: usize, b: usize, kc: i32, c: usize, ldc: i32): void {
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
export function copyTile(src: usize, lds: i32, dst: usize, ldd: i32, rows: i32, cols: i32): void {
  for (let i: i32 = 0; i < rows; i++) {
    for (let j: i32 = 0; j < cols; j++) {
      store<f64>(dst + (<usize>(i * ldd + j) << 3), load<f64>(src + (<usize>(i * lds + j) << 3)));
    }
  }
}

/**
 * C += Σ_k a_k b_kᵀ over tiles: row tiles from the panels at `pa` (na vectors), column tiles from `pb`
 * (nb vectors), kc steps. `upper`: only tiles with column-tile ≥ row-tile (a symmetric update; the
 * strictly-lower part of diagonal tiles is written too). Edge tiles go through `scratch` (16 f64).
 * Column tiles are swept in blocks of NC vectors so the b-panels stay in L2.
 */
export function accumulate(pa: usize, na: i32, pb: usize, nb: i32, kc: i32, c: usize, ldc: i32, upper: bool, scratch: usize): void {
  const pBytes = <usize>kc << 5;
  const rowTiles = (na + 3) >> 2;
  const colTiles = (nb + 3) >> 2;
  for (let j0: i32 = 0; j0 < colTiles; j0 += NC >> 2) {
    const j1 = j0 + (NC >> 2) < colTiles ? j0 + (NC >> 2) : colTiles;
    const iEnd = upper ? (j1 < rowTiles ? j1 : rowTiles) : rowTiles;
    for (let ti: i32 = 0; ti < iEnd; ti++) {
      const a = pa + <usize>ti * pBytes;
      const i = ti << 2;
      const rows = na - i < 4 ? na - i : 4;
      for (let tj = upper && ti > j0 ? ti : j0; tj < j1; tj++) {
        const b = pb + <usize>tj * pBytes;
        const j = tj << 2;
        const cols = nb - j < 4 ? nb - j : 4;
        const cij = c + ((<usize>i * <usize>ldc + <usize>j) << 3);
        if (rows == 4 && cols == 4) {
          tile4x4(a, b, kc, cij, ldc);
        } else {
          memory.fill(scratch, 0, 128);
          copyTile(cij, ldc, scratch, 4, rows, cols);
          tile4x4(a, b, kc, scratch, 4);
          copyTile(scratch, 4, cij, ldc, rows, cols);
        }
      }
    }
  }
}
