// Orthonormal completion for svd({ fullMatrices: true }): given m × k orthonormal columns Q1 (k ≤ m),
// the m × (m − k) columns Q2 with [Q1 Q2] orthogonal. Householder QR of Q1 (H_0 … H_{k−1}), then
// Q2 = H_0 ⋯ H_{k−1} [e_k … e_{m−1}]: orthogonal to Q1 to working accuracy whatever Q1's conditioning,
// deterministic, O(m·k·(m − k)) flops. Internal (docs/interop.md, "Full SVD").

/** Columns k … m−1 of the Q of Q1's Householder QR; `q1` is row-major m × k. Returns row-major m × (m − k). */
export function complement(q1: Float64Array, m: number, k: number): Float64Array {
  // column-major working copy of Q1
  const a = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) a[j * m + i] = q1[i * k + j]!;
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const c = j * m;
    // Q1's entries are at most 1 in size: a plain sum of squares cannot overflow, and √ is correctly
    // rounded everywhere (Math.hypot is not: engines differ in its last bit)
    let ss = 0;
    for (let i = j; i < m; i++) ss += a[c + i]! * a[c + i]!;
    const norm = Math.sqrt(ss);
    if (norm === 0) continue; // H_j = I
    const alpha = a[c + j]! > 0 ? -norm : norm; // v = x − alpha·e_j without cancellation
    a[c + j] = a[c + j]! - alpha;
    // v is stored in a[c + j … c + m − 1]; H = I − tau·v·vᵀ with tau = 2 / (vᵀv)
    let vv = 0;
    for (let i = j; i < m; i++) vv += a[c + i]! * a[c + i]!;
    tau[j] = 2 / vv;
    for (let t = j + 1; t < k; t++) {
      const d = t * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += a[c + i]! * a[d + i]!;
      const f = tau[j]! * dot;
      for (let i = j; i < m; i++) a[d + i] = a[d + i]! - f * a[c + i]!;
    }
  }
  const out = new Float64Array(m * (m - k));
  const x = new Float64Array(m);
  for (let col = k; col < m; col++) {
    x.fill(0);
    x[col] = 1;
    for (let j = k - 1; j >= 0; j--) {
      if (tau[j] === 0) continue;
      const c = j * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += a[c + i]! * x[i]!;
      const f = tau[j]! * dot;
      for (let i = j; i < m; i++) x[i] = x[i]! - f * a[c + i]!;
    }
    // the sign convention of the other singular vectors: the entry of largest magnitude positive
    let at = 0;
    for (let i = 1; i < m; i++) if (Math.abs(x[i]!) > Math.abs(x[at]!)) at = i;
    const s = x[at]! < 0 ? -1 : 1;
    for (let i = 0; i < m; i++) out[i * (m - k) + (col - k)] = s * x[i]! + 0;
  }
  return out;
}

/** [Q1 Q2] row-major m × m from the row-major m × k Q1. */
export function fullColumns(q1: Float64Array, m: number, k: number): Float64Array {
  const q2 = complement(q1, m, k);
  const out = new Float64Array(m * m);
  const r = m - k;
  for (let i = 0; i < m; i++) {
    out.set(q1.subarray(i * k, i * k + k), i * m);
    out.set(q2.subarray(i * r, i * r + r), i * m + k);
  }
  return out;
}

/** [R1; R2] row-major n × n from the row-major k × n R1 with orthonormal rows. */
export function fullRows(r1: Float64Array, k: number, n: number): Float64Array {
  const t = new Float64Array(n * k); // R1ᵀ, n × k
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) t[j * k + i] = r1[i * n + j]!;
  const q2 = complement(t, n, k); // n × (n − k): its columns are the new rows
  const out = new Float64Array(n * n);
  out.set(r1.subarray(0, k * n), 0);
  const r = n - k;
  for (let c = 0; c < r; c++) for (let j = 0; j < n; j++) out[(k + c) * n + j] = q2[j * r + c]!;
  return out;
}
