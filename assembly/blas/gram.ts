// G = XᵀX / c for a row-major X (n × d, row stride ldx), into a row-major G (d × d, row stride ldg).
// see: BLAS dsyrk (upper, trans) computed GOTO-style: k-blocks of KC rows are packed into 4-column
// panels, a 4×4 register tile accumulates f64 products, the upper triangle is mirrored at the end.
//
// Determinism: every entry is the plain left-to-right sum over k of x_ki·x_kj (a product, then an
// add; no FMA, no reassociation), continued across k-blocks from the value stored in G. The SIMD and
// scalar builds therefore return the same bits, and so does every engine.

// @ts-ignore: decorator
@inline const KC: i32 = 256; // rows per packed k-block
// @ts-ignore: decorator
@inline const NC: i32 = 128; // columns per j-block (KC·NC·8 bytes = 256 KiB, L2-resident)

/** Workspace bytes syrk_f64 needs for an n × d input. */
export function syrk_f64_workspace(n: i32, d: i32): i32 {
  const dpad = (d + 3) & ~3;
  const kc = n < KC ? n : KC;
  return (kc * dpad + 16) << 3;
}

/** Pack rows [k0, k0+kc) of X into 4-column panels: panel p holds row k at W[p·kc·4 + 4k + r]. */
function pack(x: usize, ldx: i32, d: i32, k0: i32, kc: i32, w: usize): void {
  const full = d & ~3;
  for (let k: i32 = 0; k < kc; k++) {
    const row = x + (<usize>(k0 + k) * <usize>ldx << 3);
    let dst = w + (<usize>k << 5);
    const panelStride = <usize>kc << 5;
    for (let j: i32 = 0; j < full; j += 4) {
      if (ASC_FEATURE_SIMD) {
        v128.store(dst, v128.load(row + (<usize>j << 3)));
        v128.store(dst, v128.load(row + (<usize>j << 3), 16), 16);
      } else {
        const src = row + (<usize>j << 3);
        store<f64>(dst, load<f64>(src));
        store<f64>(dst, load<f64>(src, 8), 8);
        store<f64>(dst, load<f64>(src, 16), 16);
        store<f64>(dst, load<f64>(src, 24), 24);
      }
      dst += panelStride;
    }
    if (full < d) {
      for (let r: i32 = 0; r < 4; r++) {
        const j = full + r;
        store<f64>(dst + (<usize>r << 3), j < d ? load<f64>(row + (<usize>j << 3)) : 0.0);
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

/** Copy a rows×cols corner between a G tile (stride ldg) and a dense 4×4 scratch tile. */
function copyTile(src: usize, lds: i32, dst: usize, ldd: i32, rows: i32, cols: i32): void {
  for (let i: i32 = 0; i < rows; i++) {
    for (let j: i32 = 0; j < cols; j++) {
      store<f64>(dst + (<usize>(i * ldd + j) << 3), load<f64>(src + (<usize>(i * lds + j) << 3)));
    }
  }
}

/**
 * G = XᵀX / c (upper triangle computed, then mirrored). Needs `syrk_f64_workspace(n, d)` bytes at
 * `work` (8-byte aligned). Returns 0, or -k when argument k is invalid.
 */
export function syrk_f64(x: usize, n: i32, d: i32, ldx: i32, c: f64, g: usize, ldg: i32, work: usize): i32 {
  if (n < 0) return -2;
  if (d < 0) return -3;
  if (ldx < d) return -4;
  if (!(c > 0.0)) return -5;
  if (ldg < d) return -7;
  if (d == 0) return 0;
  const panels = (d + 3) >> 2;
  const scratch = work + (<usize>syrk_f64_workspace(n, d) - 128); // last 16 doubles: edge tile
  for (let i: i32 = 0; i < d; i++) memory.fill(g + (<usize>i * <usize>ldg << 3), 0, <usize>d << 3);

  for (let k0: i32 = 0; k0 < n; k0 += KC) {
    const kc = n - k0 < KC ? n - k0 : KC;
    pack(x, ldx, d, k0, kc, work);
    const panelBytes = <usize>kc << 5;
    for (let j0: i32 = 0; j0 < panels; j0 += NC >> 2) {
      const j1 = j0 + (NC >> 2) < panels ? j0 + (NC >> 2) : panels;
      for (let pi: i32 = 0; pi < j1; pi++) {
        const a = work + <usize>pi * panelBytes;
        const i = pi << 2;
        const rows = d - i < 4 ? d - i : 4;
        for (let pj = pi > j0 ? pi : j0; pj < j1; pj++) {
          const b = work + <usize>pj * panelBytes;
          const j = pj << 2;
          const cols = d - j < 4 ? d - j : 4;
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

  for (let i: i32 = 0; i < d; i++) {
    const rowI = g + (<usize>i * <usize>ldg << 3);
    for (let j: i32 = i; j < d; j++) {
      const v = load<f64>(rowI + (<usize>j << 3)) / c;
      store<f64>(rowI + (<usize>j << 3), v);
      store<f64>(g + ((<usize>j * <usize>ldg + <usize>i) << 3), v);
    }
  }
  return 0;
}
