// The precision of the input itself (docs/trust-floors.md): a tensor stored as F32, F16, BF16 or F8
// already carries a relative error of its format's unit roundoff u in every entry, and a Γ computed
// through a cancellation carries more. Stored entries Γ̃ = Γ + E with |E_ij| ≤ u·|Γ̃_ij| + η (η: half
// the format's smallest subnormal, for entries that underflowed) give ‖E‖₂ ≤ ‖E‖_F ≤ u‖Γ̃‖_F + η√(Np),
// so by Weyl every singular value moves by at most that much: the input floor of a reading.

import { DdsError } from "../errors.js";
import { describe } from "../validate.js";
import { options, READING_SPEC } from "./args.js";
import { asMat } from "./prep.js";
import { shapeOf, stage, type MatrixInput } from "../linalg/input.js";
import { withKernels } from "../runtime/kernels.js";

/** Unit roundoff u and underflow error η (half the smallest subnormal) of each stored float format. */
const FORMATS: Readonly<Record<string, { readonly u: number; readonly eta: number }>> = {
  F64: { u: 2 ** -53, eta: 0 }, // η = 2⁻¹⁰⁷⁵ is below the smallest f64: no f64 bound can see it
  F32: { u: 2 ** -24, eta: 2 ** -150 },
  F16: { u: 2 ** -11, eta: 2 ** -25 },
  BF16: { u: 2 ** -8, eta: 2 ** -134 },
  F8_E4M3: { u: 2 ** -4, eta: 2 ** -10 },
  F8_E5M2: { u: 2 ** -3, eta: 2 ** -17 },
  // 64-bit integers widen to f64 with rounding; narrower integers and BOOL are exact
  I64: { u: 2 ** -53, eta: 0 },
  U64: { u: 2 ** -53, eta: 0 },
};

/** How accurate the entries of one input matrix are: |E_ij| ≤ rtol·|x_ij| + atol. */
export interface InputPrecision {
  /** The stored dtype this was derived from (safetensors spelling), "F64" for plain f64 arrays. */
  readonly dtype: string;
  /** Relative accuracy of each entry: the caller's `inputRtol`, else the dtype's unit roundoff. */
  readonly rtol: number;
  /** Absolute accuracy of each entry (underflow of the stored format). */
  readonly atol: number;
}

/** Stored dtypes whose values widen to f64 exactly (unit roundoff 0). */
const EXACT = ["I32", "U32", "I16", "U16", "I8", "U8", "BOOL"];

/**
 * Unit roundoff of a stored dtype (safetensors spelling: "F64", "F32", "F16", "BF16", "F8_E4M3",
 * "F8_E5M2", "I64", "U64"; 0 for the exact types I32 … U8 and BOOL).
 * @throws {DdsError} an unknown dtype name.
 */
export function unitRoundoff(dtype: string): number {
  if (typeof dtype !== "string" || (FORMATS[dtype] === undefined && !EXACT.includes(dtype))) {
    throw new DdsError("unitRoundoff", "BAD_ARGUMENT", `dtype must be one of ${[...Object.keys(FORMATS), ...EXACT].join(", ")}, got ${describe(dtype)}`);
  }
  return FORMATS[dtype]?.u ?? 0;
}

/**
 * The input precision of a matrix (docs/trust-floors.md): `inputRtol` when given, else the unit
 * roundoff of `inputDtype` (default: "F32" for Float32Array data, else "F64"), with the stored
 * format's underflow as `atol`.
 * @throws {DdsError} x not a matrix, unknown options, inputRtol outside [0, 1), an unknown dtype.
 */
export function inputPrecision(x: MatrixInput, o: { inputDtype?: string; inputRtol?: number } = {}): InputPrecision {
  const op = "inputPrecision";
  asMat(op, x); // entries checked (no coercion)
  options(op, o, { inputDtype: READING_SPEC.inputDtype, inputRtol: READING_SPEC.inputRtol });
  return inputPrecisionOf(op, x, o?.inputDtype, o?.inputRtol);
}

/** The stored dtype of an in-memory input: F32 for Float32Array data, F64 otherwise. */
export function dtypeOf(x: MatrixInput): string {
  const data = (x as { data?: unknown }).data;
  return x instanceof Float32Array || data instanceof Float32Array ? "F32" : "F64";
}

/**
 * The input precision of one matrix: `inputRtol` when the caller states it, else the unit roundoff of
 * `dtype` (given, or inferred from the array type).
 * @throws {DdsError} inputRtol not a finite number in [0, 1).
 */
export function inputPrecisionOf(op: string, x: MatrixInput, dtype: string | undefined, inputRtol: number | undefined): InputPrecision {
  if (inputRtol !== undefined && !(typeof inputRtol === "number" && inputRtol >= 0 && inputRtol < 1)) {
    throw new DdsError(op, "BAD_ARGUMENT", `inputRtol must be a number in [0, 1) (the relative accuracy of the input's entries), got ${String(inputRtol)}`);
  }
  const dt = dtype ?? dtypeOf(x);
  const f = FORMATS[dt];
  return Object.freeze({ dtype: dt, rtol: inputRtol ?? f?.u ?? 0, atol: f?.eta ?? 0 });
}

/** ‖x‖_F of the matrix as given (before any centring), in wasm with dnrm2's scaling. */
export function frobeniusNorm(op: string, x: MatrixInput): number {
  const [rows, cols] = shapeOf(op, x);
  if (rows * cols === 0) return 0;
  return withKernels(op, (ex, arena) => {
    const s = stage(op, ex, arena, x, undefined, { checkFinite: false });
    return ex.nrm2_f64(s.ptr, rows * cols);
  });
}

/**
 * The input floor in singular-value units: δ = rtol·‖x‖_F + atol·√(rows·cols) bounds ‖E‖₂, so no
 * singular value at or below δ can be told from the input's own error. Centring does not raise it:
 * (I − 11ᵀ/N)E has ‖·‖₂ ≤ ‖E‖₂, with ‖x‖_F taken of the matrix as stored.
 */
export function inputSvFloor(frob: number, rows: number, cols: number, p: InputPrecision): number {
  return p.rtol * frob + p.atol * Math.sqrt(rows * cols);
}
