// The arena: the only code that grows wasm memory. Two kinds of space (docs/design-decisions.md,
// "Memory"):
//  - held blocks, from a first-fit free list with coalescing: everything that must outlive one
//    synchronous call (a caller's views, the X and Γ of a reading that awaits its bytes). Each is
//    freed by its owner only, so overlapping asynchronous operations cannot free each other's memory;
//  - scratch, bumped above every held block while a synchronous kernel call runs (withKernels) and
//    dropped when it returns. Nothing can interleave inside a synchronous call, so a stack is safe
//    there, and only there. No held block is made while scratch is in use (it could land on it).
// Views re-derive their typed array whenever the memory's buffer changed (growth detaches the old
// ArrayBuffer), so a view made before a growth stays valid after it.

import { DdsError, WasmTrapError } from "../errors.js";
import { describe } from "../validate.js";

const PAGE = 65536;
const MAX_BYTES = 4 * 1024 * 1024 * 1024; // wasm32: 65536 pages

/**
 * @internal One allocation. `owner` says who frees it: the caller (view.free(), release, reset),
 * the library operation that made it (view.free() in its `finally`), or the end of the synchronous
 * call whose scratch it is.
 */
export interface Block {
  readonly ptr: number;
  /** Size rounded up to 16 bytes. */
  readonly bytes: number;
  readonly owner: "caller" | "library" | "scratch";
  /** Caller blocks: allocation number, compared with marks. */
  readonly seq: number;
  /** How the block was freed, once it is. */
  freed: string | undefined;
}

/** A synchronous kernel call's scratch: from `start` up, dropped (with the views made in it) when it returns. */
interface Scope {
  readonly op: string;
  readonly start: number;
  readonly blocks: Block[];
}

/** A free range of the held region. */
interface Hole {
  ptr: number;
  bytes: number;
}

/**
 * A run of f64 in wasm memory. `array` is always a live Float64Array over it.
 *
 * Lifetime: a view made by `arena().f64()`/`arena().matrix()` outside any library call belongs to
 * the caller and stays valid until the caller frees it — `view.free()`, `arena().release(mark)` for a
 * mark taken before it, or `arena().reset()` — whatever other calls (also overlapping asynchronous
 * ones) do meanwhile. A view made inside a callback the library runs during a synchronous call (a
 * matrix's `getRow`) is that call's scratch and is freed when the call returns. Using a freed view
 * (`array`, `data`, `ptr`, or passing it to a function) throws a DdsError (code BAD_ARGUMENT); a view
 * of an instance discarded after a trap throws WasmTrapError.
 */
export class F64View {
  /** Number of f64 elements. */
  readonly length: number;
  /** @internal */
  readonly arena: Arena;
  /** @internal */
  readonly block: Block;
  private cache: Float64Array | undefined;

  /** @internal */
  constructor(arena: Arena, block: Block, length: number) {
    this.arena = arena;
    this.block = block;
    this.length = length;
  }

  /** Byte offset in wasm memory (16-byte aligned). @throws {DdsError} the view was freed. */
  get ptr(): number {
    if (this.block.freed !== undefined) throw freedError(this.block);
    return this.block.ptr;
  }

  /** True once the view was freed (its memory may hold anything since). */
  get freed(): boolean {
    return this.block.freed !== undefined;
  }

  /**
   * A Float64Array over the view, re-derived if memory grew since it was last taken. Do not keep it
   * across calls. @throws {DdsError} the view was freed. @throws {WasmTrapError} its instance was discarded.
   */
  get array(): Float64Array {
    const buffer = this.arena.buffer("F64View.array");
    const ptr = this.ptr;
    if (this.cache === undefined || this.cache.buffer !== buffer) {
      this.cache = new Float64Array(buffer, ptr, this.length);
    }
    return this.cache;
  }

  /** Give the memory back now (idempotent). Afterwards every use of the view throws. */
  free(): void {
    this.arena.free(this.block, "view.free()");
  }
}

/** A row-major `rows × cols` f64 matrix living in wasm memory: accepted zero-copy by every kernel. */
export class MatView extends F64View {
  readonly rows: number;
  readonly cols: number;
  /** @internal */
  constructor(arena: Arena, block: Block, rows: number, cols: number) {
    super(arena, block, rows * cols);
    this.rows = rows;
    this.cols = cols;
  }
  /** Same as `array`: the row-major data. */
  get data(): Float64Array {
    return this.array;
  }
}

function freedError(b: Block): DdsError {
  return new DdsError("F64View", "BAD_ARGUMENT", `F64View: this view was freed (by ${b.freed}); its memory may hold anything now. Allocate a new one with arena().f64() or arena().matrix()`);
}

/**
 * The kernels' memory, from the module's heap base upward. Kernels never allocate: callers reserve
 * workspace here (LAPACK `lwork` style).
 *
 * For callers: `f64(n)` and `matrix(r, c)` return views that are yours until you free them —
 * `view.free()` (any order), or `release(mark)` (every view you made after `mark()`), or `reset()`
 * (every view you made). These never touch memory the library holds for its own operations (an
 * overlapping `readCheckpoint`'s X and Γ), and no library call frees yours. Marks are per arena and
 * apply to all views made through it: two of your own asynchronous flows that each mark, await and
 * release can still free each other's views — across awaits, prefer `view.free()`.
 */
export class Arena {
  readonly base: number;
  private readonly memory: WebAssembly.Memory;
  private alive = true;
  /** End of the held region: every held block lies in [base, top). */
  private top: number;
  /** Free ranges below top, sorted by address, never adjacent to each other or to top. */
  private readonly holes: Hole[] = [];
  /** Live caller blocks, in allocation order. */
  private readonly callers: Block[] = [];
  private seq = 0;
  private heldBytes = 0;
  /** Open synchronous calls (nested when a callback calls a kernel), innermost last. */
  private readonly scopes: Scope[] = [];
  private scratchTop = 0;

  /** @internal */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.base = base;
    this.top = base;
  }

  /** Bytes in live blocks: views not yet freed (yours and the library's), plus a running call's scratch. */
  get used(): number {
    return this.heldBytes + (this.scopes.length > 0 ? this.scratchTop - this.scopes[0]!.start : 0);
  }

  /** Current size of wasm memory in bytes (it only grows). */
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

  /** Make sure `bytes` more bytes (after alignment) fit above everything in use without further growth. */
  reserve(bytes: number): void {
    if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw new DdsError("Arena.reserve", "BAD_ARGUMENT", `bytes must be a non-negative integer, got ${describe(bytes)}`);
    }
    this.ensure((this.scopes.length > 0 ? this.scratchTop : this.top) + bytes, "Arena.reserve");
  }

  /**
   * @internal `bytes` bytes, 16-byte aligned; returns the byte offset. Inside a synchronous kernel
   * call: scratch of that call. Outside: a caller block, freed by `release`/`reset` only.
   */
  allocBytes(bytes: number, op = "Arena.alloc"): number {
    return this.alloc(bytes, this.scopes.length > 0 ? "scratch" : "caller", op).ptr;
  }

  /**
   * A view of `length` f64 (zero-filled only if the memory was fresh: call `.array.fill(0)` if
   * needed), yours until you free it (see the class notes).
   */
  f64(length: number): F64View {
    checkDim("Arena.f64", length, "length");
    return new F64View(this, this.place(length * 8, "Arena.f64"), length);
  }

  /** A `rows × cols` row-major matrix view, yours until you free it (see the class notes). */
  matrix(rows: number, cols: number): MatView {
    checkDim("Arena.matrix", rows, "rows");
    checkDim("Arena.matrix", cols, "cols");
    return new MatView(this, this.place(rows * cols * 8, "Arena.matrix"), rows, cols);
  }

  /** A public view's block: the running call's scratch inside one (freed when it returns), else the caller's. */
  private place(bytes: number, op: string): Block {
    const scope = this.scopes.at(-1);
    const block = this.alloc(bytes, scope ? "scratch" : "caller", op);
    scope?.blocks.push(block);
    return block;
  }

  /**
   * @internal A matrix held by a library operation across awaits; it alone frees it (`view.free()`,
   * in a `finally`). Refused while a synchronous kernel call runs (its scratch sits above top).
   */
  hold(op: string, rows: number, cols: number): MatView {
    return new MatView(this, this.alloc(rows * cols * 8, "library", op), rows, cols);
  }

  /** A token for `release`: the views you make after it are the ones `release` frees. */
  mark(): number {
    return this.seq;
  }

  /** Free every view you made (through this arena's `f64`/`matrix`) after `mark` was taken. */
  release(mark: number): void {
    if (!Number.isSafeInteger(mark) || mark < 0 || mark > this.seq) {
      throw new DdsError("Arena.release", "BAD_ARGUMENT", `mark ${describe(mark)} was not returned by mark() of this arena`);
    }
    while (this.callers.length > 0 && this.callers.at(-1)!.seq >= mark) this.free(this.callers.at(-1)!, "arena().release(mark)");
  }

  /** Free every view you made through this arena (memory held by running library operations stays theirs). */
  reset(): void {
    while (this.callers.length > 0) this.free(this.callers.at(-1)!, "arena().reset()");
  }

  /** @internal Free a block (idempotent). Scratch is reclaimed when its call returns. */
  free(block: Block, how: string): void {
    if (block.freed !== undefined) return;
    block.freed = how;
    if (block.owner === "scratch") return;
    if (block.owner === "caller") this.callers.splice(this.callers.lastIndexOf(block), 1);
    this.heldBytes -= block.bytes;
    if (block.bytes > 0) this.giveBack(block.ptr, block.bytes);
  }

  /** @internal Open the scratch of a synchronous call: allocations bump from above every held block. */
  openScope(op: string): object {
    const start = this.scopes.length > 0 ? this.scratchTop : this.top;
    const scope: Scope = { op, start, blocks: [] };
    this.scopes.push(scope);
    this.scratchTop = start;
    return scope;
  }

  /** @internal Drop the innermost call's scratch; views made in it are freed. */
  closeScope(scope: object): void {
    if (this.scopes.at(-1) !== scope) throw new DdsError("Arena", "BAD_ARGUMENT", "internal error: kernel calls returned out of order (please report this)");
    const s = this.scopes.pop()!;
    for (const b of s.blocks) b.freed ??= `the end of the ${s.op} call whose scratch space it was`;
    this.scratchTop = s.start;
  }

  private alloc(bytes: number, owner: Block["owner"], op: string): Block {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new DdsError(op, "BAD_ARGUMENT", `size must be a non-negative integer, got ${bytes}`);
    }
    const size = align16(bytes);
    if (owner === "scratch") {
      const ptr = this.scratchTop;
      this.ensure(ptr + size, op);
      this.scratchTop = ptr + size;
      return { ptr, bytes: size, owner, seq: -1, freed: undefined };
    }
    const running = this.scopes.at(-1);
    if (running) {
      throw new DdsError(op, "BAD_ARGUMENT", `${op}: cannot hold wasm memory while the synchronous call ${running.op} runs (probably from a callback it made, such as a matrix's getRow): start this after that call returns`);
    }
    const ptr = this.take(size, op);
    this.heldBytes += size;
    const block: Block = { ptr, bytes: size, owner, seq: owner === "caller" ? this.seq++ : -1, freed: undefined };
    if (owner === "caller") this.callers.push(block);
    return block;
  }

  /** First fit among the holes, else from the top (growing memory if needed). */
  private take(size: number, op: string): number {
    for (let i = 0; i < this.holes.length; i++) {
      const h = this.holes[i]!;
      if (h.bytes < size) continue;
      const ptr = h.ptr;
      h.ptr += size;
      h.bytes -= size;
      if (h.bytes === 0) this.holes.splice(i, 1);
      return ptr;
    }
    const ptr = this.top;
    this.ensure(ptr + size, op);
    this.top = ptr + size;
    return ptr;
  }

  /** Return a range to the free list, merging it with its neighbours and into the top. */
  private giveBack(ptr: number, bytes: number): void {
    const holes = this.holes;
    let i = 0;
    while (i < holes.length && holes[i]!.ptr < ptr) i++;
    const prev = holes[i - 1];
    const next = holes[i];
    let hole: Hole;
    if (prev && prev.ptr + prev.bytes === ptr) {
      prev.bytes += bytes;
      hole = prev;
      i--;
    } else {
      hole = { ptr, bytes };
      holes.splice(i, 0, hole);
    }
    if (next && hole.ptr + hole.bytes === next.ptr) {
      hole.bytes += next.bytes;
      holes.splice(i + 1, 1);
    }
    if (hole.ptr + hole.bytes === this.top) {
      this.top = hole.ptr;
      holes.splice(i, 1);
    }
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
    throw new DdsError(op, "BAD_ARGUMENT", `${what} must be an integer in [0, 2^31), got ${describe(n)}`);
  }
}
