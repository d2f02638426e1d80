// A = Q·T·Qᵀ for symmetric A: T = tridiag(e, d, e), Q = H(n-2)···H(1)·H(0), H(j) = I − τ_j·v_j·v_jᵀ.
// see: LAPACK dsytd2 (UPLO='U'), dlarfg, dorgtr/dorg2l (form Q), dormtr/dorm2l (apply Q).
//
// Storage: A is row-major and only its lower triangle (j ≤ i) is read. The row-major lower triangle is
// the column-major upper triangle of the same memory, so we follow dsytd2's UPLO='U' branch, whose
// every access (v_j, the symv dot products, the syr2 rank-2 update) runs along one of our rows. H(j)
// acts on indices 0..j; v_j = [row j+1 of A, entries 0..j-1 after the reduction; 1 at index j].
//
// The rank-2 update of step k is fused with the symmetric mat-vec of step k−1 (row k−1 is updated and
// reflected first, then each row r < k−1 is updated and immediately multiplied by the next v), so the
// trailing triangle streams through memory once per step instead of twice; rows go two at a time
// (`syr2SymvPair`: the vectors are loaded once for both, ~20% faster at n = 1024 when memory
// bandwidth is shared, the same bits). Every entry is computed by the same operations in the same
// order as the unfused dsytd2 loops; SIMD (f64x2) and scalar builds agree bit for bit (common.ts).

import { EPS, SAFMIN, axpy, dot, ld, lapy2, nrm2, scal, sign, st } from "./common";

/** dlamch('S')/dlamch('E'): below this a reflector is rescaled (dlarfg). */
// @ts-ignore: decorator
@inline const RSMALL: f64 = SAFMIN / EPS;

let larfgTau: f64 = 0;

/**
 * H·[α; x] = [β; 0] with H = I − τ·[1; u]·[1; u]ᵀ; x (n−1 entries) is overwritten by u. Returns β
 * and leaves τ in `larfgTau` (τ = 0 when x = 0: H = I). see: LAPACK dlarfg.
 */
function larfg(n: i32, alpha: f64, x: usize): f64 {
  larfgTau = 0;
  if (n <= 1) return alpha;
  let xnorm = nrm2(x, n - 1);
  if (xnorm == 0.0) return alpha;
  let beta = -sign(lapy2(alpha, xnorm), alpha);
  let knt: i32 = 0;
  if (Math.abs(beta) < RSMALL) {
    // x and α tiny: rescale (at most 20 times) so β is computed accurately
    do {
      knt++;
      scal(1.0 / RSMALL, x, n - 1);
      beta *= 1.0 / RSMALL;
      alpha *= 1.0 / RSMALL;
    } while (Math.abs(beta) < RSMALL && knt < 20);
    xnorm = nrm2(x, n - 1);
    beta = -sign(lapy2(alpha, xnorm), alpha);
  }
  larfgTau = (beta - alpha) / beta;
  scal(1.0 / (alpha - beta), x, n - 1);
  for (let j: i32 = 0; j < knt; j++) beta *= RSMALL;
  return beta;
}

/** Reflect row k (entries 0..k−1) of A: e[k−1] = β, v stored in place with v[k−1] = 1 when τ ≠ 0. */
function reflectRow(a: usize, lda: i32, k: i32, e: usize): f64 {
  const row = a + (<usize>k * <usize>lda << 3);
  const beta = larfg(k, ld(row, k - 1), row);
  st(e, k - 1, beta);
  if (larfgTau != 0.0) st(row, k - 1, 1.0);
  return larfgTau;
}

/** row_c −= v_c·wr + w_c·vr for c < len (one row of the symmetric rank-2 update, dsyr2). */
function syr2Row(row: usize, v: usize, w: usize, vr: f64, wr: f64, len: i32): void {
  let c: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(vr), sw = f64x2.splat(wr);
    for (; c + 2 <= len; c += 2) {
      const o = <usize>c << 3;
      const p = f64x2.add(f64x2.mul(v128.load(v + o), sw), f64x2.mul(v128.load(w + o), sv));
      v128.store(row + o, f64x2.sub(v128.load(row + o), p));
    }
  }
  for (; c < len; c++) st(row, c, ld(row, c) - (ld(v, c) * wr + ld(w, c) * vr));
}

/**
 * One row of the fused step, c < len: row_c −= v_c·wr + w_c·vr; y2_c += t1·row_c; returns
 * Σ row_c·v2_c (partial sums as in `dot`).
 */
function syr2SymvRow(row: usize, v: usize, w: usize, vr: f64, wr: f64, v2: usize, y2: usize, t1: f64, len: i32): f64 {
  let c: i32 = 0;
  let s: f64;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(vr), sw = f64x2.splat(wr), st1 = f64x2.splat(t1);
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0);
    for (; c + 4 <= len; c += 4) {
      const o = <usize>c << 3;
      const r0 = f64x2.sub(v128.load(row + o), f64x2.add(f64x2.mul(v128.load(v + o), sw), f64x2.mul(v128.load(w + o), sv)));
      const r1 = f64x2.sub(v128.load(row + o, 16), f64x2.add(f64x2.mul(v128.load(v + o, 16), sw), f64x2.mul(v128.load(w + o, 16), sv)));
      v128.store(row + o, r0);
      v128.store(row + o, r1, 16);
      v128.store(y2 + o, f64x2.add(v128.load(y2 + o), f64x2.mul(st1, r0)));
      v128.store(y2 + o, f64x2.add(v128.load(y2 + o, 16), f64x2.mul(st1, r1)), 16);
      a0 = f64x2.add(a0, f64x2.mul(r0, v128.load(v2 + o)));
      a1 = f64x2.add(a1, f64x2.mul(r1, v128.load(v2 + o, 16)));
    }
    const a = f64x2.add(a0, a1);
    s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  } else {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (; c + 4 <= len; c += 4) {
      const r0 = ld(row, c) - (ld(v, c) * wr + ld(w, c) * vr);
      const r1 = ld(row, c + 1) - (ld(v, c + 1) * wr + ld(w, c + 1) * vr);
      const r2 = ld(row, c + 2) - (ld(v, c + 2) * wr + ld(w, c + 2) * vr);
      const r3 = ld(row, c + 3) - (ld(v, c + 3) * wr + ld(w, c + 3) * vr);
      st(row, c, r0); st(row, c + 1, r1); st(row, c + 2, r2); st(row, c + 3, r3);
      st(y2, c, ld(y2, c) + t1 * r0);
      st(y2, c + 1, ld(y2, c + 1) + t1 * r1);
      st(y2, c + 2, ld(y2, c + 2) + t1 * r2);
      st(y2, c + 3, ld(y2, c + 3) + t1 * r3);
      s0 += r0 * ld(v2, c); s1 += r1 * ld(v2, c + 1); s2 += r2 * ld(v2, c + 2); s3 += r3 * ld(v2, c + 3);
    }
    s = (s0 + s2) + (s1 + s3);
  }
  for (; c < len; c++) {
    const r = ld(row, c) - (ld(v, c) * wr + ld(w, c) * vr);
    st(row, c, r);
    st(y2, c, ld(y2, c) + t1 * r);
    s += r * ld(v2, c);
  }
  return s;
}

// partial sums of the pair kernel's shared loop: row r (p0..p3) and row r+1 (q0..q3), lanes c mod 4
let p0: f64 = 0, p1: f64 = 0, p2: f64 = 0, p3: f64 = 0, q0: f64 = 0, q1: f64 = 0, q2: f64 = 0, q3: f64 = 0;

/**
 * Rows r and r+1 of the fused step at once (the common case: both reflectors non-trivial), each
 * entry seeing exactly the operations, in the order, of `syr2SymvRow` on row r, then its diagonal,
 * then row r+1: v, w, v2 and y2 are loaded once for both rows. Row r has r entries left of its
 * diagonal, row r+1 has r+1; the shared loop covers whole blocks of 4 of row r, row r+1 may have one
 * more, and the per-row partial sums (lanes c mod 4, as in `dot`) are kept apart throughout.
 */
function syr2SymvPair(row0: usize, row1: usize, v: usize, w: usize, v2: usize, y2: usize, tn: f64, r: i32): void {
  const vr0 = ld(v, r), wr0 = ld(w, r), vr1 = ld(v, r + 1), wr1 = ld(w, r + 1);
  const t10 = tn * ld(v2, r), t11 = tn * ld(v2, r + 1);
  let c: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    const sv0 = f64x2.splat(vr0), sw0 = f64x2.splat(wr0), sv1 = f64x2.splat(vr1), sw1 = f64x2.splat(wr1);
    const st0 = f64x2.splat(t10), st1 = f64x2.splat(t11);
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), b0 = f64x2.splat(0.0), b1 = f64x2.splat(0.0);
    for (; c + 4 <= r; c += 4) {
      const o = <usize>c << 3;
      const va = v128.load(v + o), vb = v128.load(v + o, 16);
      const wa = v128.load(w + o), wb = v128.load(w + o, 16);
      const xa = v128.load(v2 + o), xb = v128.load(v2 + o, 16);
      const r0a = f64x2.sub(v128.load(row0 + o), f64x2.add(f64x2.mul(va, sw0), f64x2.mul(wa, sv0)));
      const r0b = f64x2.sub(v128.load(row0 + o, 16), f64x2.add(f64x2.mul(vb, sw0), f64x2.mul(wb, sv0)));
      const r1a = f64x2.sub(v128.load(row1 + o), f64x2.add(f64x2.mul(va, sw1), f64x2.mul(wa, sv1)));
      const r1b = f64x2.sub(v128.load(row1 + o, 16), f64x2.add(f64x2.mul(vb, sw1), f64x2.mul(wb, sv1)));
      v128.store(row0 + o, r0a);
      v128.store(row0 + o, r0b, 16);
      v128.store(row1 + o, r1a);
      v128.store(row1 + o, r1b, 16);
      v128.store(y2 + o, f64x2.add(f64x2.add(v128.load(y2 + o), f64x2.mul(st0, r0a)), f64x2.mul(st1, r1a)));
      v128.store(y2 + o, f64x2.add(f64x2.add(v128.load(y2 + o, 16), f64x2.mul(st0, r0b)), f64x2.mul(st1, r1b)), 16);
      a0 = f64x2.add(a0, f64x2.mul(r0a, xa));
      a1 = f64x2.add(a1, f64x2.mul(r0b, xb));
      b0 = f64x2.add(b0, f64x2.mul(r1a, xa));
      b1 = f64x2.add(b1, f64x2.mul(r1b, xb));
    }
    p0 = f64x2.extract_lane(a0, 0); p1 = f64x2.extract_lane(a0, 1); p2 = f64x2.extract_lane(a1, 0); p3 = f64x2.extract_lane(a1, 1);
    q0 = f64x2.extract_lane(b0, 0); q1 = f64x2.extract_lane(b0, 1); q2 = f64x2.extract_lane(b1, 0); q3 = f64x2.extract_lane(b1, 1);
  } else {
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0, b0: f64 = 0, b1: f64 = 0, b2: f64 = 0, b3: f64 = 0;
    for (; c + 4 <= r; c += 4) {
      const v0 = ld(v, c), v1 = ld(v, c + 1), v2c = ld(v, c + 2), v3 = ld(v, c + 3);
      const w0 = ld(w, c), w1 = ld(w, c + 1), w2 = ld(w, c + 2), w3 = ld(w, c + 3);
      const x0 = ld(row0, c) - (v0 * wr0 + w0 * vr0), x1 = ld(row0, c + 1) - (v1 * wr0 + w1 * vr0);
      const x2 = ld(row0, c + 2) - (v2c * wr0 + w2 * vr0), x3 = ld(row0, c + 3) - (v3 * wr0 + w3 * vr0);
      const z0 = ld(row1, c) - (v0 * wr1 + w0 * vr1), z1 = ld(row1, c + 1) - (v1 * wr1 + w1 * vr1);
      const z2 = ld(row1, c + 2) - (v2c * wr1 + w2 * vr1), z3 = ld(row1, c + 3) - (v3 * wr1 + w3 * vr1);
      st(row0, c, x0); st(row0, c + 1, x1); st(row0, c + 2, x2); st(row0, c + 3, x3);
      st(row1, c, z0); st(row1, c + 1, z1); st(row1, c + 2, z2); st(row1, c + 3, z3);
      st(y2, c, (ld(y2, c) + t10 * x0) + t11 * z0);
      st(y2, c + 1, (ld(y2, c + 1) + t10 * x1) + t11 * z1);
      st(y2, c + 2, (ld(y2, c + 2) + t10 * x2) + t11 * z2);
      st(y2, c + 3, (ld(y2, c + 3) + t10 * x3) + t11 * z3);
      const u0 = ld(v2, c), u1 = ld(v2, c + 1), u2 = ld(v2, c + 2), u3 = ld(v2, c + 3);
      a0 += x0 * u0; a1 += x1 * u1; a2 += x2 * u2; a3 += x3 * u3;
      b0 += z0 * u0; b1 += z1 * u1; b2 += z2 * u2; b3 += z3 * u3;
    }
    p0 = a0; p1 = a1; p2 = a2; p3 = a3; q0 = b0; q1 = b1; q2 = b2; q3 = b3;
  }
  // row r: its tail, then its diagonal (before row r+1 touches y2 there)
  let s0 = (p0 + p2) + (p1 + p3);
  for (let cc = c; cc < r; cc++) {
    const x = ld(row0, cc) - (ld(v, cc) * wr0 + ld(w, cc) * vr0);
    st(row0, cc, x);
    st(y2, cc, ld(y2, cc) + t10 * x);
    s0 += x * ld(v2, cc);
  }
  st(row0, r, ld(row0, r) - (vr0 * wr0 + wr0 * vr0));
  st(y2, r, ld(y2, r) + (t10 * ld(row0, r) + tn * s0));
  // row r+1: possibly one more block of 4, its tail, its diagonal
  if (c + 4 <= r + 1) {
    for (let j: i32 = 0; j < 4; j++) {
      const cj = c + j;
      const x = ld(row1, cj) - (ld(v, cj) * wr1 + ld(w, cj) * vr1);
      st(row1, cj, x);
      st(y2, cj, ld(y2, cj) + t11 * x);
      const u = x * ld(v2, cj);
      if (j == 0) q0 += u; else if (j == 1) q1 += u; else if (j == 2) q2 += u; else q3 += u;
    }
    c += 4;
  }
  let s1 = (q0 + q2) + (q1 + q3);
  for (let cc = c; cc < r + 1; cc++) {
    const x = ld(row1, cc) - (ld(v, cc) * wr1 + ld(w, cc) * vr1);
    st(row1, cc, x);
    st(y2, cc, ld(y2, cc) + t11 * x);
    s1 += x * ld(v2, cc);
  }
  st(row1, r + 1, ld(row1, r + 1) - (vr1 * wr1 + wr1 * vr1));
  st(y2, r + 1, ld(y2, r + 1) + (t11 * ld(row1, r + 1) + tn * s1));
}

/**
 * Tridiagonalise the lower triangle of A (n × n, row stride lda): d (n), e (n−1), τ (n−1); the
 * reflectors stay in A (see the header). ya, yb: two scratch vectors of n.
 */
export function sytrd(a: usize, n: i32, lda: i32, d: usize, e: usize, tau: usize, ya: usize, yb: usize): void {
  if (n <= 0) return;
  const rs = <usize>lda << 3; // bytes per row
  let y = ya, y2 = yb;
  let k = n - 1;
  let tk = k >= 1 ? reflectRow(a, lda, k, e) : 0.0;
  if (tk != 0.0) {
    // prologue: y = τ·A[0:k, 0:k]·v for the first reflector (dsymv, upper column-major)
    const v = a + <usize>k * rs;
    memory.fill(y, 0, <usize>k << 3);
    for (let r: i32 = 0; r < k; r++) {
      const row = a + <usize>r * rs;
      const t1 = tk * ld(v, r);
      const s = symvOnly(row, v, y, t1, r);
      st(y, r, ld(y, r) + (t1 * ld(row, r) + tk * s));
    }
  }
  for (; k >= 1; k--) {
    const v = a + <usize>k * rs;
    if (tk != 0.0) axpy(-0.5 * tk * dot(y, v, k), v, y, k); // y := w = y − ½τ(yᵀv)·v
    let tn: f64 = 0;
    if (k >= 2) {
      // row k−1 first: it carries the next reflector v2
      const rowm = a + <usize>(k - 1) * rs;
      if (tk != 0.0) syr2Row(rowm, v, y, ld(v, k - 1), ld(y, k - 1), k);
      tn = reflectRow(a, lda, k - 1, e);
      if (tn != 0.0) memory.fill(y2, 0, <usize>(k - 1) << 3);
      for (let r: i32 = 0; r < k - 1; r++) {
        const row = a + <usize>r * rs;
        const vr = ld(v, r), wr = ld(y, r);
        if (tn != 0.0 && tk != 0.0 && r + 1 < k - 1) {
          syr2SymvPair(row, row + rs, v, y, rowm, y2, tn, r);
          r++;
        } else if (tn != 0.0) {
          const t1 = tn * ld(rowm, r);
          let s: f64;
          if (tk != 0.0) {
            s = syr2SymvRow(row, v, y, vr, wr, rowm, y2, t1, r);
            st(row, r, ld(row, r) - (vr * wr + wr * vr));
          } else {
            s = symvOnly(row, rowm, y2, t1, r);
          }
          st(y2, r, ld(y2, r) + (t1 * ld(row, r) + tn * s));
        } else if (tk != 0.0) {
          syr2Row(row, v, y, vr, wr, r + 1);
        }
      }
    } else if (tk != 0.0) {
      syr2Row(a, v, y, ld(v, 0), ld(y, 0), 1);
    }
    st(v, k - 1, ld(e, k - 1));
    st(d, k, ld(v, k));
    st(tau, k - 1, tk);
    tk = tn;
    const t = y; y = y2; y2 = t;
  }
  st(d, 0, load<f64>(a));
}

/** y_c += t1·row_c for c < len; returns Σ row_c·v_c (partial sums as in `dot`). */
function symvOnly(row: usize, v: usize, y: usize, t1: f64, len: i32): f64 {
  axpy(t1, row, y, len);
  return dot(row, v, len);
}

/**
 * Q (n × n) from the reflectors left in A by `sytrd`, stored COLUMN-major in q (column stride ldq):
 * q[c·ldq + r] = Q_rc. Column j of Q is contiguous, which the QL sweeps rotate. see: dorgtr, dorg2l.
 */
export function orgtr(a: usize, n: i32, lda: i32, tau: usize, q: usize, ldq: i32): void {
  if (n <= 0) return;
  const cs = <usize>ldq << 3;
  const rs = <usize>lda << 3;
  for (let j: i32 = 0; j < n; j++) {
    const col = q + <usize>j * cs;
    memory.fill(col, 0, <usize>n << 3);
    if (j < n - 1) memory.copy(col, a + <usize>(j + 1) * rs, <usize>j << 3); // v_j, entries 0..j-1
  }
  st(q + <usize>(n - 1) * cs, n - 1, 1.0);
  for (let i: i32 = 0; i < n - 1; i++) {
    const t = ld(tau, i);
    const v = q + <usize>i * cs;
    st(v, i, 1.0);
    if (t != 0.0) {
      // apply H(i) to columns 0..i−1 of the leading (i+1) rows (dlarf, left)
      for (let c: i32 = 0; c < i; c++) {
        const col = q + <usize>c * cs;
        const s = dot(v, col, i + 1);
        if (s != 0.0) axpy(-t * s, v, col, i + 1);
      }
    }
    scal(-t, v, i);
    st(v, i, 1.0 - t);
  }
}

/**
 * C := Q·C for C (n × m) stored column-major (column stride ldc), Q from `sytrd`'s reflectors:
 * H(0) is applied first. see: dormtr, dorm2l (side 'L', no transpose).
 */
export function ormtr(a: usize, n: i32, lda: i32, tau: usize, c: usize, ldc: i32, m: i32): void {
  const rs = <usize>lda << 3;
  const cs = <usize>ldc << 3;
  for (let j: i32 = 0; j < n - 1; j++) {
    const t = ld(tau, j);
    if (t == 0.0) continue;
    const v = a + <usize>(j + 1) * rs; // v[0..j-1]; v[j] = 1 is implicit (A holds e there)
    for (let k: i32 = 0; k < m; k++) {
      const col = c + <usize>k * cs;
      const s = t * (dot(v, col, j) + ld(col, j));
      if (s == 0.0) continue;
      axpy(-s, v, col, j);
      st(col, j, ld(col, j) - s);
    }
  }
}

/** Transpose the n × n block at z (stride ldz) in place, in 32 × 32 tiles (both stay in L1). */
export function transposeInPlace(z: usize, n: i32, ldz: i32): void {
  for (let i0: i32 = 0; i0 < n; i0 += 32) {
    const i1 = i0 + 32 < n ? i0 + 32 : n;
    for (let j0: i32 = 0; j0 <= i0; j0 += 32) {
      for (let i = i0; i < i1; i++) {
        const j1 = j0 == i0 ? i : j0 + 32;
        for (let j = j0; j < j1; j++) {
          const p = z + ((<usize>i * <usize>ldz + <usize>j) << 3);
          const q = z + ((<usize>j * <usize>ldz + <usize>i) << 3);
          const t = load<f64>(p);
          store<f64>(p, load<f64>(q));
          store<f64>(q, t);
        }
      }
    }
  }
}
