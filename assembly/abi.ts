// ABI surface shared with src/runtime/abi.ts: version and status codes.
// see: docs/design-decisions.md, "Status info" (pointer-only exports returning an i32 status, LAPACK `info` style).
// A test reads these globals from the built module and compares them with the TS table.

/** Bumped whenever an export's signature or meaning changes. */
export const ABI_VERSION: i32 = 2;

/** Success. */
export const STATUS_OK: i32 = 0;
/** An iterative method hit its cap; `status_info()` = how many values did not converge. */
export const STATUS_NOT_CONVERGED: i32 = 1;
/** A NaN or ±Inf was met; `status_info()` = its flat index. */
export const STATUS_NON_FINITE: i32 = 2;
/** Cholesky met a non-positive pivot; `status_info()` = the order of the failing leading minor. */
export const STATUS_NOT_POSITIVE_DEFINITE: i32 = 3;
// Negative statuses: argument -k is invalid (the TS side validates first, so this is a bug guard).

let info: i32 = 0;

/** Detail of the last status (index, count …); meaning depends on the status. */
export function status_info(): i32 {
  return info;
}

// @ts-ignore: decorator
@inline export function setInfo(v: i32): void {
  info = v;
}

/** 1 when this binary was compiled with SIMD, 0 for the scalar build. */
export function simd_enabled(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** Version of this ABI; the TS side refuses a module whose version differs. */
export function abi_version(): i32 {
  return ABI_VERSION;
}

/** First byte the host may use: the arena starts here, 16-byte aligned. */
export function heap_base(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
