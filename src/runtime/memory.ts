// The arena: the only code that grows wasm memory. Views re-derive their typed array whenever the
// memory's buffer changed (growth detaches the old ArrayBuffer), so a view made before a growth stays
// valid after it. See DESIGN.md §2.

import { DdsError, WasmTrapError } from "../errors.js";

const PAGE = 65536;
const MAX_BYTES = 4 * 1024 * 1024 * 1024; // wasm32: 65536 pages

/** A run of f64 in wasm memory. `array` is always a live Float64Array over it. */
export class F64View {
  /** Byte offset in wasm memory (16-byte aligned). */
  readonly ptr: number;
  /** Number of f64 elements. */
  readonly length: number;
  /** @internal */
  readonly arena: Arena;
  private cache: Float64Array | undefined;

  /** @internal */
  constructor(arena: Arena, ptr: number, length: number) {
    this.arena = arena;
    this.ptr = ptr;
    this.length = length;
  }

  /** A Float64Array over the view, re-derived if memory grew since it was last taken. Do not keep it across calls. */
  get array(): Float64Array {
    const buffer = this.arena.buffer("F64View.array");
    if (this.cache === undefined || this.cache.buffer !== buffer) {
      this.cache = new Float64Array(buffer, this.ptr, this.length);
    }
    return this.cache;
  }
}

/** A row-major `rows × cols` f64 matrix living in wasm memory: accepted zero-copy by every kernel. */
export class MatView extends F64View {
  readonly rows: number;
  readonly cols: number;
  /** @internal */
  constructor(arena: Arena, ptr: number, rows: number, cols: number) {
    super(arena, ptr, rows * cols);
    this.rows = rows;
    this.cols = cols;
  }
  /** Same as `array`: the row-major data. */
  get data(): Float64Array {
    return this.array;
  }
}

/**
 * Bump allocator over the kernels' memory, from the module's heap base upward. Kernels never
 * allocate: callers reserve workspace here (LAPACK `lwork` style). `mark()`/`release()` free in
 * stack order; `reset()` frees everything (views made before become invalid).
 */
export class Arena {
  readonly base: number;
  private top: number;
  private readonly memory: WebAssembly.Memory;
  private alive = true;

  /** @internal */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.base = base;
    this.top = base;
  }

  /** Bytes in use above the heap base. */
  get used(): number {
    return this.top - this.base;
  }

  /** Current size of wasm memory in bytes. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** @internal The live buffer; throws if this arena's instance was discarded after a trap. */
  buffer(op: string): ArrayBuffer {
    if (!this.alive) {
      throw new WasmTrapError(op, "this view belongs to a wasm instance discarded after a trap; allocate a new view");
    }
    return this.memory.buffer as ArrayBuffer;
  }

  /** @internal Called when the instance is discarded. */
  kill(): void {
    this.alive = false;
  }

  /** Make sure `bytes` more bytes (after alignment) fit without further growth. */
  reserve(bytes: number): void {
    this.ensure(align16(this.top) + bytes, "Arena.reserve");
  }

  /** Allocate `bytes` bytes, 16-byte aligned; returns the byte offset. */
  allocBytes(bytes: number, op = "Arena.alloc"): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new DdsError(op, "BAD_ARGUMENT", `size must be a non-negative integer, got ${bytes}`);
    }
    const ptr = align16(this.top);
    this.ensure(ptr + bytes, op);
    this.top = ptr + bytes;
    return ptr;
  }

  /** A view of `length` f64 (zero-filled only if the memory was fresh: call `.array.fill(0)` if needed). */
  f64(length: number): F64View {
    return new F64View(this, this.allocBytes(length * 8, "Arena.f64"), length);
  }

  /** A `rows × cols` row-major matrix view. */
  matrix(rows: number, cols: number): MatView {
    checkDim("Arena.matrix", rows, "rows");
    checkDim("Arena.matrix", cols, "cols");
    return new MatView(this, this.allocBytes(rows * cols * 8, "Arena.matrix"), rows, cols);
  }

  /** Current top, to be passed to `release`. */
  mark(): number {
    return this.top;
  }

  /** Free everything allocated after `mark` (views made after it become invalid). */
  release(mark: number): void {
    if (mark < this.base || mark > this.top) throw new DdsError("Arena.release", "BAD_ARGUMENT", `mark ${mark} is not inside the arena`);
    this.top = mark;
  }

  /** Free everything. */
  reset(): void {
    this.top = this.base;
  }

  private ensure(end: number, op: string): void {
    this.buffer(op);
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (end > MAX_BYTES) {
      throw new WasmTrapError(op, `needs ${mib(end)} of wasm memory; a wasm32 memory holds at most 4096 MiB`, "OUT_OF_MEMORY");
    }
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new WasmTrapError(op, `could not grow wasm memory from ${mib(have)} to ${mib(end)} (the engine refused)`, "OUT_OF_MEMORY", { cause });
    }
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** (internal) */
export function checkDim(op: string, n: unknown, what: string): asserts n is number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new DdsError(op, "BAD_ARGUMENT", `${what} must be an integer in [0, 2^31), got ${String(n)}`);
  }
}
