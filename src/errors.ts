/**
 * Typed errors of dead-directions (docs/design-decisions.md, "Errors"; codes and messages: docs/validation.md). Every error carries a stable `code`, the public function
 * that raised it (`op`, also the first word of the message) and, where it applies, where in the data
 * the problem is. Catch by class (`err instanceof LinAlgError`) or by `err.code`.
 *
 * Hierarchy: DdsError ← LinAlgError ← (NotConvergedError, NonFiniteError);
 *            DdsError ← FormatError ← UnsupportedDtypeError; DdsError ← WasmInitError, WasmTrapError, ReadError.
 * NotConvergedError and NonFiniteError extend LinAlgError so that, as in numpy, catching LinAlgError
 * catches every numerical failure.
 */

export type ErrorCode =
  | "LINALG"
  | "BAD_ARGUMENT"
  | "NOT_CONVERGED"
  | "NON_FINITE"
  | "NOT_POSITIVE_DEFINITE"
  | "FORMAT"
  | "UNSUPPORTED_DTYPE"
  | "WASM_INIT"
  | "WASM_TRAP"
  | "OUT_OF_MEMORY"
  | "READ"
  | "ABORTED";

/** Where in a matrix or tensor a problem sits. All fields optional; those present are exact. */
export interface ErrorLocation {
  file?: string;
  tensor?: string;
  offset?: number;
  shape?: readonly number[];
  index?: number;
  row?: number;
  col?: number;
}

/** Base class: `code`, `op` and location fields. */
export class DdsError extends Error {
  readonly code: ErrorCode;
  readonly op: string;
  readonly file?: string;
  readonly tensor?: string;
  readonly offset?: number;
  readonly shape?: readonly number[];
  readonly index?: number;
  readonly row?: number;
  readonly col?: number;

  constructor(op: string, code: ErrorCode, message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(message.startsWith(op) ? message : `${op}: ${message}`, options);
    // from a table, not new.target.name: minifiers rename classes ("t", "n"), names must survive
    this.name = ERROR_NAMES.get(new.target) ?? "DdsError";
    this.code = code;
    this.op = op;
    for (const key of ["file", "tensor", "offset", "shape", "index", "row", "col"] as const) {
      if (where[key] !== undefined) (this as Record<string, unknown>)[key] = where[key];
    }
  }
}

/** A numerical failure or an argument a linear-algebra function cannot take (numpy's LinAlgError). */
export class LinAlgError extends DdsError {
  constructor(op: string, message: string, where: ErrorLocation = {}, code: ErrorCode = "LINALG") {
    super(op, code, message, where);
  }
}

/** An iterative method reached its cap; `unconverged` says how many values were left. */
export class NotConvergedError extends LinAlgError {
  readonly unconverged: number;
  readonly iterations?: number;
  constructor(op: string, message: string, unconverged: number, iterations?: number) {
    super(op, message, {}, "NOT_CONVERGED");
    this.unconverged = unconverged;
    if (iterations !== undefined) this.iterations = iterations;
  }
}

/** NaN or ±Inf in input data; `index` is the flat index, `row`/`col` the position, `value` what was found. */
export class NonFiniteError extends LinAlgError {
  readonly value: number;
  constructor(op: string, message: string, value: number, where: ErrorLocation) {
    super(op, message, where, "NON_FINITE");
    this.value = value;
  }
}

/** A file or buffer that does not follow its format; names file, tensor and byte offset where known. */
export class FormatError extends DdsError {
  constructor(op: string, message: string, where: ErrorLocation = {}, code: ErrorCode = "FORMAT") {
    super(op, code, message, where);
  }
}

/** A well-formed tensor whose dtype this library does not decode (or not for this use). */
export class UnsupportedDtypeError extends FormatError {
  readonly dtype: string;
  constructor(op: string, message: string, dtype: string, where: ErrorLocation = {}) {
    super(op, message, where, "UNSUPPORTED_DTYPE");
    this.dtype = dtype;
  }
}

/**
 * A byte source failed to deliver what was asked: an I/O error, a read callback that threw or
 * returned the wrong number of bytes, a file that changed size while open. The data itself may be fine.
 */
export class ReadError extends DdsError {
  constructor(op: string, message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(op, "READ", message, where, options);
  }
}

/** The WebAssembly module could not be loaded, compiled or instantiated; the message names the fix. */
export class WasmInitError extends DdsError {
  constructor(op: string, message: string, options?: { cause?: unknown }) {
    super(op, "WASM_INIT", message, {}, options);
  }
}

/**
 * A WebAssembly trap (or a wasm memory that could not grow) interrupted a kernel. The instance is
 * discarded and a fresh one is created on the next call, so the library stays usable; arena views
 * made before the trap are invalid afterwards.
 */
export class WasmTrapError extends DdsError {
  constructor(op: string, message: string, code: ErrorCode = "WASM_TRAP", options?: { cause?: unknown }) {
    super(op, code, message, {}, options);
  }
}

/**
 * The caller's AbortSignal stopped a long operation (e.g. a streaming `readCheckpoint`). Its `name`
 * is "AbortError", as for fetch and DOM operations, so `err.name === "AbortError"` checks work; the
 * signal's reason is the `cause`. Nothing is left half-done: the library stays usable.
 */
export class AbortedError extends DdsError {
  constructor(op: string, message: string, options?: { cause?: unknown }) {
    super(op, "ABORTED", message, {}, options);
  }
}

/** Each class's public name, kept through minification (bundlers rename the classes themselves). */
const ERROR_NAMES = new Map<abstract new (...args: never[]) => DdsError, string>([
  [DdsError, "DdsError"], [LinAlgError, "LinAlgError"], [NotConvergedError, "NotConvergedError"], [NonFiniteError, "NonFiniteError"],
  [FormatError, "FormatError"], [UnsupportedDtypeError, "UnsupportedDtypeError"], [ReadError, "ReadError"], [WasmInitError, "WasmInitError"],
  [WasmTrapError, "WasmTrapError"], [AbortedError, "AbortError"],
]);
