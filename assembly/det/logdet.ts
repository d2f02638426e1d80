// sign·exp(logabsdet) = det(A) from a factorisation: Σ ln|u_ii| (never the product, so no overflow).
// see: numpy.linalg.slogdet (LU route) and the Cholesky route det A = Π u_ii².
// Logs are AssemblyScript's own Math.log, computed in wasm: identical bits in every engine.

/**
 * out[0] = sign, out[1] = log|det|. pos = 1: U from potrf (det = Π u_ii², sign 1); pos = 0: LU from
 * getrf with pivots ipiv (sign from row swaps and the signs of u_ii). A zero u_ii gives (0, -Inf).
 */
export function logdet_tri_f64(a: usize, n: i32, lda: i32, ipiv: usize, pos: i32, out: usize): i32 {
  if (n < 0) return -2;
  if (lda < n) return -3;
  let sign: f64 = 1.0;
  let sum: f64 = 0.0;
  for (let i: i32 = 0; i < n; i++) {
    const u = load<f64>(a + ((<usize>i * <usize>lda + <usize>i) << 3));
    if (u == 0.0) {
      store<f64>(out, 0.0);
      store<f64>(out, -Infinity, 8);
      return 0;
    }
    if (pos == 0) {
      if (u < 0.0) sign = -sign;
      if (load<i32>(ipiv + (<usize>i << 2)) != i) sign = -sign;
    }
    sum += Math.log(Math.abs(u));
  }
  store<f64>(out, sign);
  store<f64>(out, pos != 0 ? 2.0 * sum : sum, 8);
  return 0;
}

/** Copy the strictly lower triangle onto the upper one (so kernels that read the upper triangle see the lower). */
export function mirror_lower_f64(a: usize, n: i32, lda: i32): i32 {
  for (let i: i32 = 0; i < n; i++) {
    for (let j: i32 = i + 1; j < n; j++) {
      store<f64>(a + ((<usize>i * <usize>lda + <usize>j) << 3), load<f64>(a + ((<usize>j * <usize>lda + <usize>i) << 3)));
    }
  }
  return 0;
}
