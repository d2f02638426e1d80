// The ABI surface: re-exports only, one line per export (docs/design-decisions.md, "Status info").
export { ABI_VERSION, STATUS_OK, STATUS_NOT_CONVERGED, STATUS_NON_FINITE, STATUS_NOT_POSITIVE_DEFINITE } from "./abi";
export { status_info, simd_enabled, abi_version, heap_base } from "./abi";
export { abort_line, abort_column } from "./util/abort";
export { find_nonfinite_f64, find_nonfinite_f32 } from "./util/finite";
export { syrk_workspace, syrk_f64, syrk_f32, syrk_rows_f64, syrk_rows_f32, hadamard_f64 } from "./blas/gram";
export { potrf_workspace, potrf_f64 } from "./det/cholesky";
export { getrf_workspace, getrf_f64 } from "./det/lu";
export { logdet_tri_f64, mirror_lower_f64 } from "./det/logdet";
export { syev_f64, syev_f64_workspace, syevx_f64, syevx_f64_workspace } from "./eigen/syev";
export { gejsv_f64, gejsv_f64_workspace } from "./svd/gejsv";
export { null_vector_f64, null_vector_workspace } from "./svd/nullvec";
export { tsqr_state_bytes, tsqr_init, tsqr_push_f64, tsqr_rows, tsqr_r_f64, tsqr_mean_f64 } from "./svd/tsqr";
export { map_f64, pow_f64, sum_log_f64 } from "./util/math";
export { cvt_f64_f64, cvt_f32_f64, cvt_f16_f64, cvt_bf16_f64, cvt_f8e4m3_f64, cvt_f8e5m2_f64 } from "./convert/float";
export { cvt_int_f64, cvt_bool_f64 } from "./convert/int";
export { fortran_scatter_f64 } from "./convert/order";
export { gemv_f64, sumsq_f64, nrm2_f64, center_cols_f64 } from "./blas/gemv";
export { gemm_workspace, gemm_f64 } from "./blas/gemm";
