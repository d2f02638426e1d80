// The TypeScript half of the wasm ABI (assembly/abi.ts is the other half; a test compares them).

export const ABI_VERSION = 2;

export const Status = {
  OK: 0,
  NOT_CONVERGED: 1,
  NON_FINITE: 2,
  NOT_POSITIVE_DEFINITE: 3,
} as const;

/** The raw exports of a kernels module: pointers are byte offsets into `memory`, counts are i32. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  abi_version(): number;
  simd_enabled(): number;
  heap_base(): number;
  status_info(): number;
  abort_line(): number;
  abort_column(): number;
  find_nonfinite_f64(x: number, n: number): number;
  find_nonfinite_f32(x: number, n: number): number;
  /** Workspace bytes for a Gram of nv vectors of length nk (feature side: nv = d, nk = n). */
  syrk_workspace(nv: number, nk: number): number;
  syrk_f64(x: number, n: number, d: number, ldx: number, c: number, g: number, ldg: number, work: number): number;
  syrk_f32(x: number, n: number, d: number, ldx: number, c: number, g: number, ldg: number, work: number): number;
  syrk_rows_f64(x: number, n: number, d: number, ldx: number, c: number, k: number, ldk: number, work: number): number;
  syrk_rows_f32(x: number, n: number, d: number, ldx: number, c: number, k: number, ldk: number, work: number): number;
  hadamard_f64(a: number, b: number, out: number, count: number, c: number): number;
  /** Loaders (assembly/convert): widen n elements at x to f64 at y; STATUS_NON_FINITE + info = first NaN/±Inf index. */
  cvt_f64_f64(x: number, n: number, y: number, swap: number): number;
  cvt_f32_f64(x: number, n: number, y: number, swap: number): number;
  cvt_f16_f64(x: number, n: number, y: number, swap: number): number;
  cvt_bf16_f64(x: number, n: number, y: number, swap: number): number;
  cvt_f8e4m3_f64(x: number, n: number, y: number): number;
  cvt_f8e5m2_f64(x: number, n: number, y: number): number;
  cvt_int_f64(x: number, n: number, y: number, width: number, signed: number, swap: number): number;
  cvt_bool_f64(x: number, n: number, y: number): number;
  fortran_scatter_f64(x: number, count: number, start: number, y: number, dims: number, ndim: number, work: number): number;
  potrf_workspace(n: number): number;
  potrf_f64(a: number, n: number, lda: number, work: number): number;
  getrf_workspace(n: number): number;
  getrf_f64(a: number, n: number, lda: number, ipiv: number, work: number): number;
  logdet_tri_f64(a: number, n: number, lda: number, ipiv: number, pos: number, out: number): number;
  mirror_lower_f64(a: number, n: number, lda: number): number;
  map_f64(x: number, out: number, n: number, op: number): number;
  pow_f64(x: number, y: number): number;
  sum_log_f64(x: number, n: number): number;
  gemv_f64(a: number, m: number, n: number, lda: number, x: number, y: number): number;
  sumsq_f64(x: number, n: number): number;
  /** Workspace bytes for null_vector_f64 (n < d), or -1 when above 2 GiB or the shape is invalid. */
  null_vector_workspace(n: number, d: number): number;
  /** A unit null vector of a wide n × d X (n < d): the last column of Q in Xᵀ = QR. */
  null_vector_f64(x: number, n: number, d: number, ldx: number, out: number, work: number): number;
  /** Workspace bytes for bdsvals_f64, or -1 when above 2 GiB or the shape is invalid. */
  bdsvals_workspace(m: number, n: number): number;
  /** Singular values only, normwise accurate (Householder bidiagonalisation + Golub–Kahan tridiagonal). */
  bdsvals_f64(a: number, m: number, n: number, lda: number, s: number, nul: number, work: number): number;
  /** Streaming TSQR (assembly/svd/tsqr.ts): state bytes for d columns and blocks of ≤ b rows, or -1. */
  tsqr_state_bytes(d: number, b: number): number;
  tsqr_init(s: number, d: number, b: number, centre: number): number;
  /** Append nb rows (row stride ldx) and reduce to ≤ d rows with the same (centred) Gram. */
  tsqr_push_f64(s: number, x: number, nb: number, ldx: number): number;
  tsqr_rows(s: number): number;
  /** The kept rows, k × d row-major, scaled back; returns k. */
  tsqr_r_f64(s: number, out: number): number;
  tsqr_mean_f64(s: number, out: number): number;
  /** ‖x‖₂ of n f64, scaled (dnrm2): no overflow for huge entries, no underflow for tiny ones. */
  nrm2_f64(x: number, n: number): number;
  center_cols_f64(a: number, m: number, n: number, lda: number, work: number): number;
  gemm_workspace(m: number, n: number, k: number): number;
  gemm_f64(m: number, n: number, k: number, a: number, lda: number, transA: number, b: number, ldb: number, transB: number, c: number, ldc: number, work: number): number;
  syev_f64_workspace(n: number, wantVectors: number): number;
  syev_f64(a: number, n: number, lda: number, lower: number, w: number, z: number, ldz: number, wantVectors: number, maxIter: number, work: number): number;
  syevx_f64_workspace(n: number, mMax: number, wantVectors: number): number;
  syevx_f64(a: number, n: number, lda: number, lower: number, byValue: number, il: number, iu: number, vl: number, vu: number, w: number, z: number, ldz: number, wantVectors: number, maxIter: number, mOut: number, work: number): number;
  /** Workspace bytes for gejsv_f64, or -1 when above 2 GiB. */
  gejsv_f64_workspace(m: number, n: number, wantU: number, wantV: number): number;
  gejsv_f64(a: number, m: number, n: number, lda: number, s: number, u: number, ldu: number, vt: number, ldvt: number, wantU: number, wantV: number, maxSweeps: number, work: number): number;
}

/** Names every module must export; checked once per instantiation. */
export const REQUIRED_EXPORTS: readonly (keyof KernelExports)[] = [
  "memory",
  "abi_version",
  "simd_enabled",
  "heap_base",
  "status_info",
  "find_nonfinite_f64",
  "syrk_workspace",
  "syrk_f64",
  "syrk_f32",
  "syrk_rows_f64",
  "syrk_rows_f32",
  "hadamard_f64",
  "cvt_f64_f64",
  "cvt_f32_f64",
  "cvt_f16_f64",
  "cvt_bf16_f64",
  "cvt_f8e4m3_f64",
  "cvt_f8e5m2_f64",
  "cvt_int_f64",
  "cvt_bool_f64",
  "fortran_scatter_f64",
  "gejsv_f64_workspace",
  "gejsv_f64",
  "syev_f64_workspace",
  "syev_f64",
  "syevx_f64_workspace",
  "syevx_f64",
  "nrm2_f64",
  "null_vector_f64",
  "null_vector_workspace",
  "bdsvals_f64",
  "bdsvals_workspace",
  "tsqr_state_bytes",
  "tsqr_init",
  "tsqr_push_f64",
  "tsqr_rows",
  "tsqr_r_f64",
  "tsqr_mean_f64",
];
