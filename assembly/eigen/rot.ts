// Z := Z·G_0·G_1·… (or in reverse) for a sequence of plane rotations G_k in the plane of columns
// (k, k+1) of a column-major Z: z_{·,k+1} ← c_k·z_{·,k+1} − s_k·z_{·,k}, z_{·,k} ← s_k·z_{·,k+1} + c_k·z_{·,k}.
// see: LAPACK dlasr (SIDE = 'R', PIVOT = 'V', DIRECT = 'F' | 'B').
//
// A QL/QR sweep is a chain: the column rotation k writes is the one rotation k±1 reads next. We apply
// the rotations two at a time (three columns in registers: 3 loads and 3 stores per 2 rotations instead
// of 4 and 4; measured faster than groups of 1 or 4 at n = 1024) on CHUNK rows at a time, so the column
// shared by consecutive groups is still in L1.
// Every entry sees dlasr's operations in dlasr's order (dlasr's skip of c = 1, s = 0 is kept only
// outside the groups, where it changes nothing but the sign of a zero), so SIMD and scalar builds agree.

import { ld } from "./common";

// @ts-ignore: decorator
@inline const CHUNK: i32 = 128;

/**
 * Rotations k0 and k0+dir (dir = −1 backward, +1 forward) on `len` rows, three columns in registers.
 * p is the first column of the chain (k0+1 backward, k0 forward), cs the byte step between chain
 * columns (±ldz·8). Four rows per SIMD iteration.
 */
function group2(p: usize, cs: isize, c: usize, s: usize, k0: i32, dir: i32, len: i32, backward: bool): void {
  const c0 = ld(c, k0), c1 = ld(c, k0 + dir);
  const s0 = ld(s, k0), s1 = ld(s, k0 + dir);
  const q1 = p + cs, q2 = q1 + cs;
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vc0 = f64x2.splat(c0), vc1 = f64x2.splat(c1);
    const vs0 = f64x2.splat(s0), vs1 = f64x2.splat(s1);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 3;
      let x = v128.load(p + o), xb = v128.load(p + o, 16);
      const y1 = v128.load(q1 + o), y2 = v128.load(q2 + o);
      const y1b = v128.load(q1 + o, 16), y2b = v128.load(q2 + o, 16);
      if (backward) {
        v128.store(p + o, f64x2.sub(f64x2.mul(vc0, x), f64x2.mul(vs0, y1)));
        v128.store(p + o, f64x2.sub(f64x2.mul(vc0, xb), f64x2.mul(vs0, y1b)), 16);
        x = f64x2.add(f64x2.mul(vs0, x), f64x2.mul(vc0, y1));
        xb = f64x2.add(f64x2.mul(vs0, xb), f64x2.mul(vc0, y1b));
        v128.store(q1 + o, f64x2.sub(f64x2.mul(vc1, x), f64x2.mul(vs1, y2)));
        v128.store(q1 + o, f64x2.sub(f64x2.mul(vc1, xb), f64x2.mul(vs1, y2b)), 16);
        x = f64x2.add(f64x2.mul(vs1, x), f64x2.mul(vc1, y2));
        xb = f64x2.add(f64x2.mul(vs1, xb), f64x2.mul(vc1, y2b));
      } else {
        v128.store(p + o, f64x2.add(f64x2.mul(vs0, y1), f64x2.mul(vc0, x)));
        v128.store(p + o, f64x2.add(f64x2.mul(vs0, y1b), f64x2.mul(vc0, xb)), 16);
        x = f64x2.sub(f64x2.mul(vc0, y1), f64x2.mul(vs0, x));
        xb = f64x2.sub(f64x2.mul(vc0, y1b), f64x2.mul(vs0, xb));
        v128.store(q1 + o, f64x2.add(f64x2.mul(vs1, y2), f64x2.mul(vc1, x)));
        v128.store(q1 + o, f64x2.add(f64x2.mul(vs1, y2b), f64x2.mul(vc1, xb)), 16);
        x = f64x2.sub(f64x2.mul(vc1, y2), f64x2.mul(vs1, x));
        xb = f64x2.sub(f64x2.mul(vc1, y2b), f64x2.mul(vs1, xb));
      }
      v128.store(q2 + o, x);
      v128.store(q2 + o, xb, 16);
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    let x = load<f64>(p + o);
    const y1 = load<f64>(q1 + o), y2 = load<f64>(q2 + o);
    if (backward) {
      store<f64>(p + o, c0 * x - s0 * y1); x = s0 * x + c0 * y1;
      store<f64>(q1 + o, c1 * x - s1 * y2); x = s1 * x + c1 * y2;
    } else {
      store<f64>(p + o, s0 * y1 + c0 * x); x = c0 * y1 - s0 * x;
      store<f64>(q1 + o, s1 * y2 + c1 * x); x = c1 * y2 - s1 * x;
    }
    store<f64>(q2 + o, x);
  }
}

/** One rotation k on `len` rows: columns lo (= k) and lo + cs (= k+1); skipped when c = 1, s = 0. */
function single(lo: usize, cs: usize, ct: f64, st: f64, len: i32): void {
  if (ct == 1.0 && st == 0.0) return;
  const hi = lo + cs;
  let i: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f64x2.splat(ct), vs = f64x2.splat(st);
    for (; i + 2 <= len; i += 2) {
      const o = <usize>i << 3;
      const t = v128.load(hi + o), x = v128.load(lo + o);
      v128.store(hi + o, f64x2.sub(f64x2.mul(vc, t), f64x2.mul(vs, x)));
      v128.store(lo + o, f64x2.add(f64x2.mul(vs, t), f64x2.mul(vc, x)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    const t = load<f64>(hi + o), x = load<f64>(lo + o);
    store<f64>(hi + o, ct * t - st * x);
    store<f64>(lo + o, st * t + ct * x);
  }
}

/** Apply rotations (c[k], s[k]), k = 0..mm−2, to the n-row column-major block at z (stride ldz). */
export function lasr(n: i32, mm: i32, c: usize, s: usize, z: usize, ldz: i32, backward: bool): void {
  const cs = <usize>ldz << 3;
  const nrot = mm - 1;
  for (let r0: i32 = 0; r0 < n; r0 += CHUNK) {
    const len = n - r0 < CHUNK ? n - r0 : CHUNK;
    const base = z + (<usize>r0 << 3);
    let t: i32 = 0;
    for (; t + 2 <= nrot; t += 2) {
      if (backward) group2(base + <usize>(nrot - t) * cs, -<isize>cs, c, s, nrot - 1 - t, -1, len, true);
      else group2(base + <usize>t * cs, <isize>cs, c, s, t, 1, len, false);
    }
    for (; t < nrot; t++) {
      const k = backward ? nrot - 1 - t : t;
      single(base + <usize>k * cs, cs, ld(c, k), ld(s, k), len);
    }
  }
}
