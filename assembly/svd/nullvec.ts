// A unit vector u with X·u = 0 for a wide X (n × d, n < d): the last column of Q in Xᵀ = Q·R.
// Row-major X is column-major Xᵀ (d × n, ld d), so the QR runs on a plain copy. Q's columns n…d−1
// are orthogonal to span(Q[:, :n]) ⊇ range(Xᵀ), so X·Q[:, d−1] = 0 whatever X's rank: O(n²·d) work
// instead of a padded d × d SVD (docs/observables.md#activation-side).
// see: LAPACK dgeqrf, then dormqr applied to e_d.

import { geqrf, ormqr, qrWorkDoubles } from "./qr";

function workDoubles(n: i32, d: i32): i64 {
  const copy = <i64>n * <i64>d;
  return ((copy + 1) & ~1) + ((<i64>n + 1) & ~1) + <i64>qrWorkDoubles(n > 1 ? n : 1) + 2;
}

/** Workspace bytes null_vector_f64 needs, or -1 when it exceeds 2 GiB (or the shape is invalid). */
export function null_vector_workspace(n: i32, d: i32): i32 {
  if (n < 0 || d <= n) return -1;
  const bytes = workDoubles(n, d) * 8;
  return bytes > 0x7ff00000 ? -1 : <i32>bytes;
}

/**
 * u (d doubles at `out`): the last column of Q in the Householder QR of Xᵀ, for X n × d (row stride
 * ldx) with n < d; ‖u‖ = 1 and X·u = 0 up to rounding. `x` is not modified. Needs
 * null_vector_workspace(n, d) bytes at `work`. Returns 0, or -k when argument k is invalid.
 */
export function null_vector_f64(x: usize, n: i32, d: i32, ldx: i32, out: usize, work: usize): i32 {
  if (n < 0) return -2;
  if (d <= n) return -3;
  if (ldx < d) return -4;
  const a = work;
  for (let i: i32 = 0; i < n; i++) memory.copy(a + ((<usize>i * <usize>d) << 3), x + ((<usize>i * <usize>ldx) << 3), <usize>d << 3);
  const tau = a + (<usize>(((<i64>n * <i64>d) + 1) & ~1) << 3);
  const w = tau + (<usize>((n + 1) & ~1) << 3);
  memory.fill(out, 0, <usize>d << 3);
  store<f64>(out + (<usize>(d - 1) << 3), 1.0);
  if (n == 0) return 0;
  geqrf(a, d, d, n, tau, w);
  ormqr(a, d, d, n, tau, out, d, 1, w);
  return 0;
}
