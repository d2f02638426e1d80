// One divide-and-conquer merge: given T1 = Q1·D1·Q1ᵀ and T2 = Q2·D2·Q2ᵀ (the torn halves), the
// eigen-decomposition of T = diag(T1, T2) + |β|·v·vᵀ, v = e_cut−1 + sign(β)·e_cut, β the torn
// off-diagonal:
//   T = diag(Q1, Q2)·(D + ρ·z·zᵀ)·diag(Q1, Q2)ᵀ,  z ∝ [last row of Q1, ±first row of Q2],
//   D + ρ·z·zᵀ = U·Λ·Uᵀ,  eigenvectors of T = diag(Q1, Q2)·U.
// see: LAPACK dlaed1 (driver), dlaed2 (deflation), dlaed3 (secular equation, Gu–Eisenstat vectors,
//      the two dgemm), dlamrg (merge two sorted lists).
//      M. Gu, S. C. Eisenstat, "A divide-and-conquer algorithm for the symmetric tridiagonal
//      eigenproblem", SIAM J. Matrix Anal. Appl. 16 (1995) — recomputing ẑ from the computed roots
//      (Löwner's formula) makes the vectors numerically orthogonal without extra precision.
//
// Deflation (dlaed2): a component with ρ·|z_j| ≤ tol = 8·ε·max(|d|, |z|) leaves (d_j, q_j) as an
// eigenpair; two poles closer than tol/|c·s| are combined by a Givens rotation, which zeroes one z.
// The columns kept are grouped by their nonzero pattern (1: top rows only, 2: both halves, 3: bottom
// only, 4: deflated) so that each dgemm skips the zero blocks of diag(Q1, Q2).
// Q is COLUMN-major (Q(r, c) at q[c·ldq + r]), n × n here: a diagonal block of the whole matrix.
// Index arrays hold 0-based positions; the i32 arrays and f64 scratch are set by `setMergeWork`.

import { EPS, ld, ldi, lapy2, nrm2, sign, st, sti } from "./common";
import { gemmAcc, zeroBlock } from "./gemm";
import { laed4, secInfo, secLam } from "./secular";

// scratch (see setMergeWork): f64 n each, the Q2 and S regions (n² each), the packing buffers
let zv: usize = 0, dlamda: usize = 0, wv: usize = 0, q2: usize = 0, sbuf: usize = 0;
let pa: usize = 0, pb: usize = 0, scratch: usize = 0;
// i32 n each
let indx: usize = 0, indxc: usize = 0, indxp: usize = 0, coltyp: usize = 0;

/** Point the merge at its scratch (all sized for the largest merge). */
export function setMergeWork(z: usize, dl: usize, w: usize, qq: usize, s: usize, pA: usize, pB: usize, scr: usize, ix: usize, ixc: usize, ixp: usize, ct: usize): void {
  zv = z; dlamda = dl; wv = w; q2 = qq; sbuf = s; pa = pA; pb = pB; scratch = scr;
  indx = ix; indxc = ixc; indxp = ixp; coltyp = ct;
}

// @ts-ignore: decorator
@inline function col(q: usize, ldq: i32, c: i32): usize {
  return q + (<usize>c * <usize>ldq << 3);
}

/**
 * index such that a[index[0]] ≤ a[index[1]] ≤ … for the two sorted runs a[0..n1) and a[n1..n1+n2),
 * each ascending (s = 1) or descending (s = −1). see: dlamrg.
 */
export function lamrg(n1: i32, n2: i32, a: usize, s1: i32, s2: i32, index: usize): void {
  let i1 = s1 > 0 ? 0 : n1 - 1;
  let i2 = s2 > 0 ? n1 : n1 + n2 - 1;
  let k: i32 = 0;
  while (n1 > 0 && n2 > 0) {
    if (ld(a, i1) <= ld(a, i2)) { sti(index, k++, i1); i1 += s1; n1--; }
    else { sti(index, k++, i2); i2 += s2; n2--; }
  }
  for (; n2 > 0; n2--) { sti(index, k++, i2); i2 += s2; }
  for (; n1 > 0; n1--) { sti(index, k++, i1); i1 += s1; }
}

/**
 * Merge the two solved halves (sizes cut, n − cut) of the n × n block: d and Q in, the eigenvalues
 * and eigenvectors out; indxq in: each half's ascending order, out: the merged order (d[indxq[i]]
 * ascending). ρ: the torn off-diagonal. Returns 0, or 1 when the secular equation did not converge.
 * see: dlaed1.
 */
export function laed1(n: i32, d: usize, q: usize, ldq: i32, indxq: usize, rho: f64, cut: i32): i32 {
  // z = [last row of Q1, first row of Q2]
  for (let j: i32 = 0; j < cut; j++) st(zv, j, ld(col(q, ldq, j), cut - 1));
  for (let j = cut; j < n; j++) st(zv, j, ld(col(q, ldq, j), cut));
  const k = laed2(n, cut, d, q, ldq, indxq, rho);
  if (k == 0) {
    for (let i: i32 = 0; i < n; i++) sti(indxq, i, i);
    return 0;
  }
  if (laed3(k, n, cut, d, q, ldq) != 0) return 1;
  lamrg(k, n - k, d, 1, -1, indxq);
  return 0;
}

let rhoAbs: f64 = 0; // |2ρ| after laed2's normalisation of z (dlaed2's in-out RHO)

/**
 * Deflation: returns K, the size of the secular problem; fills dlamda, w (its poles and weights),
 * Q2 (the kept columns, compressed by type, then the deflated ones), indxc (row permutation for
 * laed3) and the four type counts in coltyp[0..3]. Deflated eigenpairs end up in d[K..n), Q[:, K..n).
 * see: dlaed2.
 */
function laed2(n: i32, n1: i32, d: usize, q: usize, ldq: i32, indxq: usize, rho: f64): i32 {
  const n2 = n - n1;
  if (rho < 0.0) for (let i = n1; i < n; i++) st(zv, i, -ld(zv, i));
  // ‖z‖ = √2 (a row of each orthogonal Q1, Q2): normalise to 1 and absorb the 2 into ρ
  const t = 1.0 / Math.sqrt(2.0);
  for (let i: i32 = 0; i < n; i++) st(zv, i, ld(zv, i) * t);
  rhoAbs = Math.abs(2.0 * rho);
  for (let i = n1; i < n; i++) sti(indxq, i, ldi(indxq, i) + n1);
  for (let i: i32 = 0; i < n; i++) st(dlamda, i, ld(d, ldi(indxq, i)));
  lamrg(n1, n2, dlamda, 1, 1, indxc);
  for (let i: i32 = 0; i < n; i++) sti(indx, i, ldi(indxq, ldi(indxc, i)));
  let zmax: f64 = 0, dmax: f64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const a = Math.abs(ld(zv, i)); if (a > zmax) zmax = a;
    const b = Math.abs(ld(d, i)); if (b > dmax) dmax = b;
  }
  // 8ε as LAPACK has always used: 64ε (LAPACK PR #1317) was reverted (#1372), as it deflated
  // near-degenerate pairs that should be solved and degraded the vectors (OpenBLAS #5995)
  const tol = 8.0 * EPS * Math.max(dmax, zmax);
  if (rhoAbs * zmax <= tol) {
    // ρ·z negligible: T is already diagonalised, only sort
    for (let j: i32 = 0; j < n; j++) {
      const i = ldi(indx, j);
      memory.copy(col(q2, n, j), col(q, ldq, i), <usize>n << 3);
      st(dlamda, j, ld(d, i));
    }
    for (let j: i32 = 0; j < n; j++) memory.copy(col(q, ldq, j), col(q2, n, j), <usize>n << 3);
    memory.copy(d, dlamda, <usize>n << 3);
    return 0;
  }
  for (let i: i32 = 0; i < n; i++) sti(coltyp, i, i < n1 ? 1 : 3);
  let k: i32 = 0, k2: i32 = n;
  let j: i32 = 0, pj: i32 = -1;
  for (; j < n; j++) {
    const nj = ldi(indx, j);
    if (rhoAbs * Math.abs(ld(zv, nj)) <= tol) { k2--; sti(coltyp, nj, 4); sti(indxp, k2, nj); }
    else { pj = nj; break; }
  }
  // pj ≥ 0 here: the largest |z| was not negligible
  for (j++; j < n; j++) {
    const nj = ldi(indx, j);
    if (rhoAbs * Math.abs(ld(zv, nj)) <= tol) { k2--; sti(coltyp, nj, 4); sti(indxp, k2, nj); continue; }
    // close poles d_pj, d_nj: rotate z_pj into z_nj when the off-diagonal this leaves is negligible
    let s = ld(zv, pj), c = ld(zv, nj);
    const tau = lapy2(c, s);
    const dd = ld(d, nj) - ld(d, pj);
    c /= tau; s = -s / tau;
    if (Math.abs(dd * c * s) <= tol) {
      st(zv, nj, tau); st(zv, pj, 0.0);
      if (ldi(coltyp, nj) != ldi(coltyp, pj)) sti(coltyp, nj, 2);
      sti(coltyp, pj, 4);
      drot(n, col(q, ldq, pj), col(q, ldq, nj), c, s);
      const dp = ld(d, pj), dn = ld(d, nj);
      st(d, pj, dp * (c * c) + dn * (s * s));
      st(d, nj, dp * (s * s) + dn * (c * c));
      // insert pj into the deflated list, kept in descending order of d
      k2--;
      let i: i32 = 1;
      while (k2 + i <= n - 1 && ld(d, pj) < ld(d, ldi(indxp, k2 + i))) {
        sti(indxp, k2 + i - 1, ldi(indxp, k2 + i));
        sti(indxp, k2 + i, pj);
        i++;
      }
      sti(indxp, k2 + i - 1, pj);
    } else {
      st(dlamda, k, ld(d, pj)); st(wv, k, ld(zv, pj)); sti(indxp, k, pj);
      k++;
    }
    pj = nj;
  }
  st(dlamda, k, ld(d, pj)); st(wv, k, ld(zv, pj)); sti(indxp, k, pj);
  k++;
  // group the columns by type: 1, 2, 3, then the deflated (4)
  let c1: i32 = 0, c2: i32 = 0, c3: i32 = 0, c4: i32 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const ct = ldi(coltyp, i);
    if (ct == 1) c1++; else if (ct == 2) c2++; else if (ct == 3) c3++; else c4++;
  }
  let p1: i32 = 0, p2 = c1, p3 = c1 + c2, p4 = c1 + c2 + c3;
  for (let i: i32 = 0; i < n; i++) {
    const js = ldi(indxp, i);
    const ct = ldi(coltyp, js);
    const p = ct == 1 ? p1++ : ct == 2 ? p2++ : ct == 3 ? p3++ : p4++;
    sti(indx, p, js);
    sti(indxc, p, i);
  }
  // Q2: the top n1 rows of types 1, 2 (stride n1), the bottom n2 rows of types 2, 3 (stride n2),
  // then the deflated columns whole; z is reused for the matching d values
  let iq1: usize = q2, iq2: usize = q2 + (<usize>(c1 + c2) * <usize>n1 << 3);
  let i: i32 = 0;
  for (let jj: i32 = 0; jj < c1 + c2 + c3; jj++, i++) {
    const js = ldi(indx, i);
    const ct = ldi(coltyp, js);
    if (ct != 3) { memory.copy(iq1, col(q, ldq, js), <usize>n1 << 3); iq1 += <usize>n1 << 3; }
    if (ct != 1) { memory.copy(iq2, col(q, ldq, js) + (<usize>n1 << 3), <usize>n2 << 3); iq2 += <usize>n2 << 3; }
    st(zv, i, ld(d, js));
  }
  const defl = iq2;
  for (let jj: i32 = 0; jj < c4; jj++, i++) {
    const js = ldi(indx, i);
    memory.copy(iq2, col(q, ldq, js), <usize>n << 3);
    iq2 += <usize>n << 3;
    st(zv, i, ld(d, js));
  }
  k = n - c4;
  for (let jj: i32 = 0; jj < c4; jj++) memory.copy(col(q, ldq, k + jj), defl + (<usize>jj * <usize>n << 3), <usize>n << 3);
  for (let jj = k; jj < n; jj++) st(d, jj, ld(zv, jj));
  sti(coltyp, 0, c1); sti(coltyp, 1, c2); sti(coltyp, 2, c3); sti(coltyp, 3, c4);
  return k;
}

/** x ← c·x + s·y, y ← c·y − s·x over n entries. see: BLAS drot. */
function drot(n: i32, x: usize, y: usize, c: f64, s: f64): void {
  for (let i: i32 = 0; i < n; i++) {
    const a = ld(x, i), b = ld(y, i);
    st(x, i, c * a + s * b);
    st(y, i, c * b - s * a);
  }
}

/**
 * The K roots of the secular equation into d[0..K), the eigenvectors U of D + ρ·z·zᵀ (rows permuted
 * by indxc into Q2's column order), then Q[:, 0..K) = diag(Q1, Q2)·U as two products that skip the
 * zero blocks. Returns 0, or 1 if a root did not converge. see: dlaed3.
 */
function laed3(k: i32, n: i32, n1: i32, d: usize, q: usize, ldq: i32): i32 {
  for (let j: i32 = 0; j < k; j++) {
    laed4(k, j, dlamda, wv, col(q, ldq, j), rhoAbs);
    st(d, j, secLam);
    if (secInfo != 0) return 1;
  }
  if (k == 2) {
    for (let j: i32 = 0; j < 2; j++) {
      const c = col(q, ldq, j);
      const w0 = ld(c, 0), w1 = ld(c, 1);
      st(c, 0, ldi(indxc, 0) == 0 ? w0 : w1);
      st(c, 1, ldi(indxc, 1) == 0 ? w0 : w1);
    }
  } else if (k > 2) {
    // Löwner: ẑ_i² = −Π_j (d_i − λ_j) / Π_{j≠i} (d_i − d_j) (up to 1/ρ, which the normalisation below
    // removes), from δ_ij = d_i − λ_j in Q(i, j); the sign is that of the original z_i
    memory.copy(sbuf, wv, <usize>k << 3);
    for (let i: i32 = 0; i < k; i++) st(wv, i, ld(col(q, ldq, i), i));
    for (let j: i32 = 0; j < k; j++) {
      const c = col(q, ldq, j);
      const lj = ld(dlamda, j);
      for (let i: i32 = 0; i < j; i++) st(wv, i, ld(wv, i) * (ld(c, i) / (ld(dlamda, i) - lj)));
      for (let i = j + 1; i < k; i++) st(wv, i, ld(wv, i) * (ld(c, i) / (ld(dlamda, i) - lj)));
    }
    for (let i: i32 = 0; i < k; i++) st(wv, i, sign(Math.sqrt(-ld(wv, i)), ld(sbuf, i)));
    // u_j = (ẑ_i / (d_i − λ_j))_i, normalised
    for (let j: i32 = 0; j < k; j++) {
      const c = col(q, ldq, j);
      for (let i: i32 = 0; i < k; i++) st(sbuf, i, ld(wv, i) / ld(c, i));
      const nrm = nrm2(sbuf, k);
      for (let i: i32 = 0; i < k; i++) st(c, i, ld(sbuf, ldi(indxc, i)) / nrm);
    }
  }
  // Q[:, 0..K) = [Q2top·U(rows of types 1, 2); Q2bottom·U(rows of types 2, 3)], bottom first
  // because U's rows of types 2, 3 may reach below row n1, which the top product overwrites
  const n2 = n - n1;
  const ct1 = ldi(coltyp, 0), ct2 = ldi(coltyp, 1), ct3 = ldi(coltyp, 2);
  const n12 = ct1 + ct2, n23 = ct2 + ct3;
  copyBlock(q + (<usize>ct1 << 3), ldq, n23, k, sbuf);
  zeroBlock(q + (<usize>n1 << 3), k, n2, ldq);
  // tile rows = columns c of Q (a_c(k) = S(k, c) = sbuf[c·n23 + k]: sample side), tile columns =
  // rows r (b_r(k) = Q2b(r, k) = q2b[k·n2 + r]: feature side)
  const q2b = q2 + (<usize>n1 * <usize>n12 << 3);
  gemmAcc(k, n2, n23, sbuf, n23, true, q2b, n2, false, false, q + (<usize>n1 << 3), ldq, pa, pb, scratch);
  copyBlock(q, ldq, n12, k, sbuf);
  zeroBlock(q, k, n1, ldq);
  gemmAcc(k, n1, n12, sbuf, n12, true, q2, n1, false, false, q, ldq, pa, pb, scratch);
  return 0;
}

/** S (rows × cols, column-major, ld = rows) ← the block at q (column-major, ldq). */
function copyBlock(q: usize, ldq: i32, rows: i32, cols: i32, s: usize): void {
  for (let j: i32 = 0; j < cols; j++) memory.copy(s + (<usize>j * <usize>rows << 3), col(q, ldq, j), <usize>rows << 3);
}
