// A streaming (flat-tree) TSQR: rows of an N × d matrix arrive in blocks, and what is kept is a
// matrix R of at most d rows with RᵀR = AᵀA (or the centred (A − 1μᵀ)ᵀ(A − 1μᵀ)), so that R has the
// singular values and right singular vectors of A (docs/streaming.md). Memory: O(d·(d + b)) for
// blocks of up to b rows, whatever N is.
//
// Each push appends the block under the rows kept so far and, once there are at least d rows, runs
// the SVD's blocked Householder QR on the stack and keeps its triangle: [R; B] = Q·R′. Householder QR
// is columnwise backward stable at every step, so the composition is too (the accuracy argument of
// the in-memory SVD's own tall reduction, assembly/svd/gejsv.ts).
//
// Centring in one pass (Chan, Golub & LeVeque's pairwise update, written for factors): with block
// mean μ_b over n_b rows and running mean μ_a over n_a rows, the centred Gram of [A; B] is that of
//   [A − 1μ_aᵀ; B − 1μ_bᵀ; √(n_a·n_b/(n_a + n_b))·(μ_a − μ_b)ᵀ],
// so each block is centred by its own mean and one extra row carries the shift. No second pass over
// the source, no cancellation of a large mean against the data.
//
// Range: everything kept is scaled by 2^−e, e the exponent of the largest |entry| seen so far (a
// larger one rescales what is kept by an exact power of two), so 1e±300 entries neither overflow nor
// underflow in the QR. tsqr_r_f64 scales back.
//
// State (f64 slots at `s`): [0] d, [1] b, [2] k rows kept, [3] n rows seen, [4] e, [5] centre,
// [6] e set, [7] ldw; then W (column-major, ldw × d), tau (d), μ (d), μ_b (d), QR work.

import { geqrf, qrWorkDoubles } from "./qr";
import { exponentOf, pow2, scal } from "../blas/vec";

const HEADER: i32 = 8;

function even(n: i64): i64 {
  return (n + 1) & ~1;
}

/** Leading dimension of W: room for d kept rows, a block and the centring row, even, padded. */
function ldwOf(d: i32, b: i32): i64 {
  return even(<i64>d + <i64>b + 1) + 8;
}

function stateDoubles(d: i32, b: i32): i64 {
  return HEADER + ldwOf(d, b) * <i64>d + 3 * even(d) + even(qrWorkDoubles(d > 0 ? d : 1));
}

/** Bytes of state tsqr_init needs for d columns and blocks of up to b rows, or -1 above 2 GiB. */
export function tsqr_state_bytes(d: i32, b: i32): i32 {
  if (d <= 0 || b <= 0) return -1;
  const bytes = stateDoubles(d, b) * 8;
  return bytes > 0x7ff00000 ? -1 : <i32>bytes;
}

// @ts-ignore: decorator
@inline function slot(s: usize, i: i32): usize {
  return s + (<usize>i << 3);
}

/** Start a stream of rows of length d in blocks of at most b rows; centre != 0 centres the columns. */
export function tsqr_init(s: usize, d: i32, b: i32, centre: i32): i32 {
  if (d <= 0) return -2;
  if (b <= 0) return -3;
  const ldw = ldwOf(d, b);
  memory.fill(s, 0, <usize>(stateDoubles(d, b) * 8));
  store<f64>(slot(s, 0), <f64>d);
  store<f64>(slot(s, 1), <f64>b);
  store<f64>(slot(s, 5), centre != 0 ? 1.0 : 0.0);
  store<f64>(slot(s, 7), <f64>ldw);
  return 0;
}

/** Multiply n doubles at x by 2^k (any k) in exact power-of-two steps. */
function scale2k(x: usize, n: i32, k: i32): void {
  while (k > 1000) { scal(pow2(1000), x, n); k -= 1000; }
  while (k < -1000) { scal(pow2(-1000), x, n); k += 1000; }
  if (k != 0) scal(pow2(k), x, n);
}

/**
 * Append rows [0, nb) of the row-major block x (row stride ldx, finite: the caller checks) and reduce.
 * Returns 0, or -k when argument k is invalid.
 */
export function tsqr_push_f64(s: usize, x: usize, nb: i32, ldx: i32): i32 {
  const d = <i32>load<f64>(slot(s, 0));
  const b = <i32>load<f64>(slot(s, 1));
  if (nb < 0 || nb > b) return -3;
  if (ldx < d) return -4;
  if (nb == 0) return 0;
  let k = <i32>load<f64>(slot(s, 2));
  const na = load<f64>(slot(s, 3));
  const centre = load<f64>(slot(s, 5)) != 0.0;
  const ldw = <i32>load<f64>(slot(s, 7));
  const W = slot(s, HEADER);
  const tau = W + (<usize>ldw * <usize>d << 3);
  const mu = tau + (<usize>even(d) << 3);
  const mub = mu + (<usize>even(d) << 3);
  const work = mub + (<usize>even(d) << 3);

  // the block's largest |entry| sets (or raises) the scale 2^−e of everything kept
  let amax: f64 = 0.0;
  for (let i: i32 = 0; i < nb; i++) {
    const row = x + (<usize>i * <usize>ldx << 3);
    for (let j: i32 = 0; j < d; j++) {
      const a = Math.abs(load<f64>(row + (<usize>j << 3)));
      if (a > amax) amax = a;
    }
  }
  let e = <i32>load<f64>(slot(s, 4));
  if (amax > 0.0) {
    const eb = exponentOf(amax);
    if (load<f64>(slot(s, 6)) == 0.0) {
      e = eb;
      store<f64>(slot(s, 6), 1.0);
    } else if (eb > e) {
      for (let j: i32 = 0; j < d; j++) scale2k(W + (<usize>j * <usize>ldw << 3), k, e - eb);
      scale2k(mu, d, e - eb);
      e = eb;
    }
    store<f64>(slot(s, 4), <f64>e);
  }

  // copy the block under the kept rows, transposed to column-major, scaled by 2^−e
  for (let j: i32 = 0; j < d; j++) {
    const col = W + ((<usize>j * <usize>ldw + <usize>k) << 3);
    for (let i: i32 = 0; i < nb; i++) store<f64>(col + (<usize>i << 3), load<f64>(x + ((<usize>i * <usize>ldx + <usize>j) << 3)));
    scale2k(col, nb, -e);
  }
  let rows = k + nb;
  if (centre) {
    const nbf = <f64>nb;
    for (let j: i32 = 0; j < d; j++) {
      const col = W + ((<usize>j * <usize>ldw + <usize>k) << 3);
      let sum: f64 = 0.0;
      for (let i: i32 = 0; i < nb; i++) sum += load<f64>(col + (<usize>i << 3));
      const m = sum / nbf;
      for (let i: i32 = 0; i < nb; i++) store<f64>(col + (<usize>i << 3), load<f64>(col + (<usize>i << 3)) - m);
      store<f64>(mub + (<usize>j << 3), m);
    }
    if (na > 0.0) {
      const w = Math.sqrt((na * nbf) / (na + nbf));
      const f = nbf / (na + nbf);
      for (let j: i32 = 0; j < d; j++) {
        const ma = load<f64>(mu + (<usize>j << 3));
        const mb = load<f64>(mub + (<usize>j << 3));
        store<f64>(W + ((<usize>j * <usize>ldw + <usize>rows) << 3), w * (ma - mb));
        store<f64>(mu + (<usize>j << 3), ma + f * (mb - ma));
      }
      rows++;
    } else {
      memory.copy(mu, mub, <usize>d << 3);
    }
  }
  if (rows >= d) {
    geqrf(W, ldw, rows, d, tau, work);
    // keep the triangle: clear the reflectors below the diagonal (rows ≥ d are overwritten by the next block)
    for (let j: i32 = 0; j < d; j++) memory.fill(W + ((<usize>j * <usize>ldw + <usize>j + 1) << 3), 0, <usize>(d - j - 1) << 3);
    k = d;
  } else {
    k = rows;
  }
  store<f64>(slot(s, 2), <f64>k);
  store<f64>(slot(s, 3), na + <f64>nb);
  return 0;
}

/** Rows kept (≤ d; with centring possibly more than the rows seen while fewer than d). */
export function tsqr_rows(s: usize): i32 {
  return <i32>load<f64>(slot(s, 2));
}

/**
 * The kept rows as a row-major k × d matrix at `out` (row stride d), scaled back by 2^e; RᵀR equals
 * the (centred) Gram of every row pushed, up to rounding. Returns k.
 */
export function tsqr_r_f64(s: usize, out: usize): i32 {
  const d = <i32>load<f64>(slot(s, 0));
  const k = <i32>load<f64>(slot(s, 2));
  const e = <i32>load<f64>(slot(s, 4));
  const ldw = <i32>load<f64>(slot(s, 7));
  const W = slot(s, HEADER);
  for (let i: i32 = 0; i < k; i++) {
    const row = out + (<usize>i * <usize>d << 3);
    for (let j: i32 = 0; j < d; j++) store<f64>(row + (<usize>j << 3), load<f64>(W + ((<usize>j * <usize>ldw + <usize>i) << 3)));
    scale2k(row, d, e);
  }
  return k;
}

/** The running column means (centred streams; zeros otherwise) at `out`, d doubles. */
export function tsqr_mean_f64(s: usize, out: usize): i32 {
  const d = <i32>load<f64>(slot(s, 0));
  const ldw = <i32>load<f64>(slot(s, 7));
  const e = <i32>load<f64>(slot(s, 4));
  const mu = slot(s, HEADER) + (<usize>ldw * <usize>d << 3) + (<usize>even(d) << 3);
  memory.copy(out, mu, <usize>d << 3);
  scale2k(out, d, e);
  return d;
}
