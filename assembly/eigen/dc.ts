// T = Z·Λ·Zᵀ for symmetric tridiagonal T = tridiag(e, d, e) by Cuppen's divide and conquer: tear T
// into halves by a rank-one correction, T = diag(T1', T2') + |e|·v·vᵀ, solve the halves the same way
// down to SMLSIZ (by implicit QL/QR there), then merge pairs up the tree (merge.ts).
// see: LAPACK dstedc (COMPZ = 'I': split where e is negligible, scale, sort), dlaed0 (ICOMPQ = 2:
//      the subproblem tree, leaves by dsteqr, merges by dlaed1).
//
// Z is COLUMN-major (Z(r, c) at z[c·ldz + r]). Blocks found by the split are scaled by an exact power
// of two (dlascl by the block's max norm in LAPACK) so that their largest entry lies in [1, 2).
// Iteration caps: the leaves' QL/QR sweeps share one budget, maxIt when positive (else 30·size per
// leaf, as dsteqr); every secular root has dlaed4's. A failure returns a positive count (LAPACK's
// info > 0): the off-diagonals a leaf left unconverged, or the order of the block whose secular
// equation failed. Workspace: see stedcWorkspace; nothing is allocated.

import { EPS, exponent, ld, ldi, pow2, st, sti } from "./common";
import { gemmPanelBytes } from "./gemm";
import { laed1, setMergeWork } from "./merge";
import { qlSweeps, sortPairs, steqr } from "./ql";

/** Largest leaf solved by QL/QR (LAPACK's SMLSIZ, ilaenv ispec 9). */
// @ts-ignore: decorator
@inline export const SMLSIZ: i32 = 25;

/** Bytes of stedc's workspace for order n: 6n + 2n² f64, two packing buffers, 6n i32 (+ slack). */
export function stedcWorkspace(n: i32): f64 {
  const nn = <f64>n;
  return (6.0 * nn + 2.0 * nn * nn) * 8.0 + 2.0 * <f64>gemmPanelBytes(n) + 128.0 + 6.0 * nn * 4.0 + 32.0;
}

// shared QL/QR budget of the leaves: < 0 when unlimited
let budget: i32 = -1;

/** dsteqr on a leaf (Z block = I), charged to the budget. Returns the unconverged count. */
function leaf(m: i32, d: usize, e: usize, z: usize, ldz: i32, cs: usize): i32 {
  if (budget == 0) return m - 1;
  const left = steqr(m, d, e, z, ldz, cs, budget > 0 ? budget : 0);
  if (budget > 0) budget -= qlSweeps;
  return left;
}

/**
 * Eigenvalues of T into d (ascending) and its eigenvectors into the n × n column-major Z (stride
 * ldz, overwritten). e is destroyed. maxIt > 0 caps the leaves' total QL/QR sweeps. work:
 * stedcWorkspace(n) bytes. Returns 0 or the unconverged count (see the header). see: dstedc.
 */
export function stedc(n: i32, d: usize, e: usize, z: usize, ldz: i32, maxIt: i32, work: usize): i32 {
  budget = maxIt > 0 ? maxIt : -1;
  if (n <= 0) return 0;
  // workspace layout
  const nb = <usize>n << 3;
  const zv = work, dlamda = zv + nb, wv = dlamda + nb, tmp = wv + nb, cs = tmp + nb; // cs: 2n
  const q2 = cs + 2 * nb;
  const sbuf = q2 + <usize>n * nb;
  const pa = (sbuf + <usize>n * nb + 15) & ~<usize>15; // 16-aligned panels
  const pb = pa + gemmPanelBytes(n);
  const scr = pb + gemmPanelBytes(n);
  const iw = scr + 128; // i32: partition (n), indxq (n), indx, indxc, indxp, coltyp (n each)
  const ib = <usize>n << 2;
  const indxq = iw + ib;
  setMergeWork(zv, dlamda, wv, q2, sbuf, pa, pb, scr, indxq + ib, indxq + 2 * ib, indxq + 3 * ib, indxq + 4 * ib);

  for (let j: i32 = 0; j < n; j++) {
    const c = z + (<usize>j * <usize>ldz << 3);
    memory.fill(c, 0, nb);
    st(c, j, 1.0);
  }
  if (n == 1) return 0;
  let start: i32 = 0;
  while (start < n) {
    let finish = start;
    while (finish < n - 1) {
      const tiny = EPS * Math.sqrt(Math.abs(ld(d, finish))) * Math.sqrt(Math.abs(ld(d, finish + 1)));
      if (!(Math.abs(ld(e, finish)) > tiny)) break;
      finish++;
    }
    const m = finish - start + 1;
    const ds = d + (<usize>start << 3), es = e + (<usize>start << 3);
    const zs = z + ((<usize>start * <usize>ldz + <usize>start) << 3);
    if (m > SMLSIZ) {
      // scale the block by 2^k so that its largest entry lies in [1, 2)
      let anorm: f64 = 0;
      for (let i: i32 = 0; i < m; i++) anorm = Math.max(anorm, Math.abs(ld(ds, i)));
      for (let i: i32 = 0; i < m - 1; i++) anorm = Math.max(anorm, Math.abs(ld(es, i)));
      const k = anorm > 0.0 ? -exponent(anorm) : 0;
      const f = pow2(k);
      for (let i: i32 = 0; i < m; i++) st(ds, i, ld(ds, i) * f);
      for (let i: i32 = 0; i < m - 1; i++) st(es, i, ld(es, i) * f);
      const left = laed0(m, ds, es, zs, ldz, iw, indxq, tmp, q2, cs);
      if (left != 0) return left;
      const g = pow2(-k);
      for (let i: i32 = 0; i < m; i++) st(ds, i, ld(ds, i) * g);
    } else if (m > 1) {
      const left = leaf(m, ds, es, zs, ldz, cs);
      if (left != 0) return left;
    }
    start = finish + 1;
  }
  sortPairs(d, z, n, ldz); // across the blocks
  return 0;
}

/**
 * One unreduced block of order n (> SMLSIZ): the subproblem tree, leaves, merges, and the final
 * reordering into ascending order. Q (column-major, ldq) is I on entry. iw, indxq: n i32 each;
 * tmp: n f64; qs: n² f64; cs: 2n f64. Returns 0 or a failure count (see the header). see: dlaed0.
 */
function laed0(n: i32, d: usize, e: usize, q: usize, ldq: i32, iw: usize, indxq: usize, tmp: usize, qs: usize, cs: usize): i32 {
  // sizes of the subproblems: halve (floor first) until all are ≤ SMLSIZ
  sti(iw, 0, n);
  let subpbs: i32 = 1;
  while (ldi(iw, subpbs - 1) > SMLSIZ) {
    for (let j = subpbs - 1; j >= 0; j--) {
      const s = ldi(iw, j);
      sti(iw, 2 * j + 1, (s + 1) / 2);
      sti(iw, 2 * j, s / 2);
    }
    subpbs *= 2;
  }
  for (let j: i32 = 1; j < subpbs; j++) sti(iw, j, ldi(iw, j) + ldi(iw, j - 1)); // ends
  // rank-one tears: T = diag(T1 − |e|·e_last·e_lastᵀ, T2 − |e|·e_1·e_1ᵀ) + |e|·v·vᵀ
  for (let i: i32 = 0; i < subpbs - 1; i++) {
    const s = ldi(iw, i);
    const a = Math.abs(ld(e, s - 1));
    st(d, s - 1, ld(d, s - 1) - a);
    st(d, s, ld(d, s) - a);
  }
  // leaves by QL/QR, each into its diagonal block of Q
  for (let i: i32 = 0; i < subpbs; i++) {
    const sub = i == 0 ? 0 : ldi(iw, i - 1);
    const m = ldi(iw, i) - sub;
    const left = leaf(m, d + (<usize>sub << 3), e + (<usize>sub << 3), q + ((<usize>sub * <usize>ldq + <usize>sub) << 3), ldq, cs);
    if (left != 0) return left;
    for (let k: i32 = 0; k < m; k++) sti(indxq, sub + k, k);
  }
  // merge neighbours, level by level
  while (subpbs > 1) {
    for (let i: i32 = 0; i <= subpbs - 2; i += 2) {
      const sub = i == 0 ? 0 : ldi(iw, i - 1);
      const m = ldi(iw, i + 1) - sub;
      const cut = ldi(iw, i) - sub;
      const rho = ld(e, sub + cut - 1);
      if (laed1(m, d + (<usize>sub << 3), q + ((<usize>sub * <usize>ldq + <usize>sub) << 3), ldq, indxq + (<usize>sub << 2), rho, cut) != 0) return m;
      sti(iw, i / 2, ldi(iw, i + 1));
    }
    subpbs /= 2;
  }
  // ascending order: d[indxq[i]] and its column go to position i
  for (let i: i32 = 0; i < n; i++) {
    const j = ldi(indxq, i);
    st(tmp, i, ld(d, j));
    memory.copy(qs + (<usize>i * <usize>n << 3), q + (<usize>j * <usize>ldq << 3), <usize>n << 3);
  }
  memory.copy(d, tmp, <usize>n << 3);
  for (let i: i32 = 0; i < n; i++) memory.copy(q + (<usize>i * <usize>ldq << 3), qs + (<usize>i * <usize>n << 3), <usize>n << 3);
  return 0;
}
