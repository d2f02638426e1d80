// The reduction every layer reading starts with (docs/streaming.md): the rows of X (or Γ) go, in
// blocks of rows fixed by d alone, through a streaming TSQR that keeps a matrix R of at most d rows
// with RᵀR = AᵀA (centred: the Gram of A − 1μᵀ). R has A's singular values and right singular
// vectors, so σ(Γ), λ(G) = σ²/c, σ_min(X), u_dead and ‖Γu‖² = ‖R_Γ u‖² all come from it, in
// O(d·(d + b)) memory whatever N is. Blocks come from memory (layerReading) or straight from a tensor
// file (readCheckpoint): the same blocks, the same pushes, the same bits.

import { DdsError, LinAlgError } from "../errors.js";
import { shapeOf, stage, type MatrixInput, type Mat } from "../linalg/input.js";
import type { KernelExports } from "../runtime/abi.js";
import { arena as liveArena, checkStatus, withKernels } from "../runtime/kernels.js";
import type { Arena, MatView } from "../runtime/memory.js";

/**
 * Rows per block for d columns: at least 2¹⁸ values (so small d do not make tiny reads), up to 8d rows
 * (the TSQR's extra flops are then (d + b)/b − 1 ≤ 12.5 %) but at most 2²¹ values (16 MiB of f64) unless
 * that is fewer than d rows. A function of d alone: the bits never depend on the machine or the source.
 */
export function blockRows(d: number): number {
  if (d <= 0) return 1;
  return Math.max(Math.ceil(2 ** 18 / d), Math.min(8 * d, Math.max(d, Math.floor(2 ** 21 / d))));
}

/** A reduced factor of one N × d input: `R` (k × d, k ≤ max(d, …)) with RᵀR the input's (centred) Gram. */
export interface Factor {
  readonly N: number;
  readonly d: number;
  readonly R: Mat;
  /** ‖A‖_F of the input as stored (before centring), accumulated block by block with scaling. */
  readonly frob: number;
}

/** √(a² + b²) for a, b ≥ 0 without overflow or underflow, with basic operations only (bit-identical everywhere). */
export function hypotNorm(a: number, b: number): number {
  const m = Math.max(a, b);
  if (m === 0) return 0;
  const x = a / m;
  const y = b / m;
  return m * Math.sqrt(x * x + y * y);
}

/** Bytes of the TSQR state for d columns (blocks of blockRows(d) rows). */
export function stateBytes(op: string, ex: KernelExports, d: number): number {
  const bytes = ex.tsqr_state_bytes(d, blockRows(d));
  if (bytes < 0) throw new LinAlgError(op, `a reading of d = ${d} columns needs a working set above 2 GiB (${formatBytes(workingSetBytes(d))} in all), more than wasm32 memory allows`, {}, "OUT_OF_MEMORY");
  return bytes;
}

/** MiB/GiB for messages. */
function formatBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * The O(d²) working set of one streaming layer reading, in bytes (docs/streaming.md): the TSQR state
 * ((d + b + 1)·d f64), one decoded block (b·d f64) and its stored bytes (≤ b·d·8), R_X kept while Γ
 * streams, R_Γ and the SVD of a d × d factor with its vectors (≈ 5d² f64).
 */
export function workingSetBytes(d: number): number {
  const b = blockRows(d);
  return 8 * ((d + b + 12) * d + 2 * b * d + 7 * d * d);
}

/** 4 GiB, the whole of wasm32 memory. */
export const WASM32_BYTES = 2 ** 32;

/** Refuse a d whose working set cannot fit in wasm32 memory, before any work. */
export function checkWorkingSet(op: string, d: number): void {
  const need = workingSetBytes(d);
  if (need > WASM32_BYTES - 64 * 2 ** 20) {
    throw new LinAlgError(op, `a reading of d = ${d} columns needs a working set of about ${formatBytes(need)} (O(d²), whatever the number of samples), more than the 4 GiB of wasm32 memory`, {}, "OUT_OF_MEMORY");
  }
}

/** Push `rows` rows at `ptr` (row-major, stride d) into the state at `s`; returns the block's ‖·‖_F. */
export function pushRows(op: string, ex: KernelExports, s: number, ptr: number, rows: number, d: number): number {
  if (rows === 0) return 0;
  const norm = ex.nrm2_f64(ptr, rows * d);
  checkStatus(op, ex.tsqr_push_f64(s, ptr, rows, d), ex);
  return norm;
}

/** R (k × d) and its row count from a state, as a JS copy. */
export function finishState(op: string, ex: KernelExports, arena: Arena, s: number, d: number): Mat {
  const k = ex.tsqr_rows(s);
  const out = arena.f64(Math.max(1, k * d));
  ex.tsqr_r_f64(s, out.ptr);
  const data = out.array.slice(0, k * d);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new LinAlgError(op, `the reduced factor overflowed (an entry of R is ${String(data[i])}): the input's column norms exceed the float64 range`, {}, "NON_FINITE");
  }
  return Object.freeze({ rows: k, cols: d, data });
}

/**
 * The factor of an in-memory N × d matrix: staged once, pushed in blocks of blockRows(d) rows — the
 * blocks a streaming read of the same tensor pushes.
 * @throws {NonFiniteError} NaN/±Inf (with row and column). @throws {LinAlgError} too large for wasm32.
 */
export function factorOf(op: string, x: MatrixInput, center: boolean, what: string, rowsPerBlock?: number): Factor {
  const [N, d] = shapeOf(op, x);
  if (d === 0 || N === 0) return Object.freeze({ N, d, R: Object.freeze({ rows: 0, cols: d, data: new Float64Array(0) }), frob: 0 });
  checkWorkingSet(op, d);
  return withKernels(op, (ex, arena) => {
    const X = stage(op, ex, arena, x, undefined, { checkFinite: true, what });
    // rowsPerBlock: tests only (other block sizes exercise the merges); readings always use blockRows(d)
    const b = rowsPerBlock ?? blockRows(d);
    const bytes = rowsPerBlock === undefined ? stateBytes(op, ex, d) : ex.tsqr_state_bytes(d, b);
    const s = arena.allocBytes(bytes, op);
    checkStatus(op, ex.tsqr_init(s, d, b, center ? 1 : 0), ex);
    let frob = 0;
    for (let r0 = 0; r0 < N; r0 += b) frob = hypotNorm(frob, pushRows(op, ex, s, X.ptr + r0 * d * 8, Math.min(b, N - r0), d));
    return Object.freeze({ N, d, R: finishState(op, ex, arena, s, d), frob });
  });
}

/**
 * A TSQR state held across awaits (a streaming read): `push` runs inside one synchronous kernel
 * call per block; `finish` returns the factor; `free` (in a `finally`) releases the state.
 */
export class FactorStream {
  readonly d: number;
  readonly b: number;
  private readonly held: MatView;
  private readonly arena: Arena;
  private rows = 0;
  private frob = 0;

  constructor(
    private readonly op: string,
    d: number,
    center: boolean,
  ) {
    this.d = d;
    this.b = blockRows(d);
    const bytes = withKernels(op, (ex) => stateBytes(op, ex, d));
    this.arena = liveArena();
    this.held = this.arena.hold(op, 1, Math.ceil(bytes / 8));
    try {
      withKernels(op, (ex) => checkStatus(op, ex.tsqr_init(this.held.ptr, d, this.b, center ? 1 : 0), ex));
    } catch (err) {
      this.held.free();
      throw err;
    }
  }

  /** Push a decoded block (call inside the withKernels that decoded it). */
  push(ex: KernelExports, arena: Arena, ptr: number, rows: number): void {
    if (arena !== this.arena) throw new DdsError(this.op, "WASM_TRAP", `${this.op}: this reading's memory belonged to a discarded kernels instance (a trap in another call discarded it); read again`);
    this.frob = hypotNorm(this.frob, pushRows(this.op, ex, this.held.ptr, ptr, rows, this.d));
    this.rows += rows;
  }

  finish(): Factor {
    return withKernels(this.op, (ex, arena) => {
      if (arena !== this.arena) throw new DdsError(this.op, "WASM_TRAP", `${this.op}: this reading's memory belonged to a discarded kernels instance (a trap in another call discarded it); read again`);
      return Object.freeze({ N: this.rows, d: this.d, R: finishState(this.op, ex, arena, this.held.ptr, this.d), frob: this.frob });
    });
  }

  free(): void {
    this.held.free();
  }
}
