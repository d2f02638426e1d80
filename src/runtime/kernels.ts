// One kernels instance per realm: initialisation, trap recovery and the status → typed-error table.

import { DdsError, LinAlgError, NonFiniteError, NotConvergedError, WasmInitError, WasmTrapError } from "../errors.js";
import { ABI_VERSION, REQUIRED_EXPORTS, Status, type KernelExports } from "./abi.js";
import { Arena } from "./memory.js";
import { describe, is, options, type Check } from "../validate.js";
import { compileBytes, compileBytesSync, compileFromUrl, simdSupported, type Flavor, type InitOptions } from "./select.js";

/** How an entry point provides the built-in binaries. */
export interface BuiltinSource {
  /** "embedded" (base64 in the bundle) or "imported" (workerd: `import mod from "./x.wasm"`). */
  readonly kind: "embedded" | "imported";
  /** Bytes of a flavor (embedded entries). */
  bytes?(flavor: Flavor): Uint8Array<ArrayBuffer>;
  /** A compiled module of a flavor (entries whose host compiles the .wasm imports). */
  module?(flavor: Flavor): WebAssembly.Module;
}

/** What `init()` loaded. */
export interface RuntimeInfo {
  /** True when the SIMD binary runs. */
  readonly simd: boolean;
  readonly abiVersion: number;
  /** Where the module came from. */
  readonly source: "embedded" | "imported" | "module" | "bytes" | "url";
  /** Current wasm memory size. */
  readonly memoryBytes: number;
}

interface State {
  readonly key: string;
  readonly module: WebAssembly.Module;
  readonly source: RuntimeInfo["source"];
  instance: WebAssembly.Instance;
  exports: KernelExports;
  arena: Arena;
  simd: boolean;
  poisoned: boolean;
}

let state: State | undefined;
const pending = new Map<string, Promise<RuntimeInfo>>();
/** One compiled module per realm and flavor for the built-in binaries. */
const builtinModules = new Map<string, WebAssembly.Module>();
let uniqueKey = 0;

const INIT_SPEC: { readonly [K in keyof InitOptions]-?: Check } = {
  simd: is.bool,
  module: (v) => (v instanceof WebAssembly.Module ? undefined : `must be a WebAssembly.Module (for bytes use {bytes}, for a location use {url}), got ${describe(v)}`),
  bytes: (v) => (v instanceof ArrayBuffer || (ArrayBuffer.isView(v) && !(v instanceof BigInt64Array || v instanceof BigUint64Array)) ? undefined : `must be an ArrayBuffer or a Uint8Array (the bytes of a kernels .wasm), got ${describe(v)}`),
  url: (v) => (typeof v === "string" || v instanceof URL ? undefined : `must be a string or a URL, got ${describe(v)}`),
};

/** init's options, checked (docs/validation.md): null/undefined = defaults, unknown names refused. */
function validateOptions(op: string, given0: unknown): InitOptions {
  const opts = options<InitOptions>(op, given0, INIT_SPEC);
  const given = (["module", "bytes", "url"] as const).filter((k) => opts[k] !== undefined);
  if (given.length > 1) throw new WasmInitError(op, `pass at most one of module, bytes, url (got ${given.join(", ")})`);
  return opts;
}

function builtinFlavor(src: BuiltinSource, opts: InitOptions): Flavor {
  if (opts.simd !== undefined) return opts.simd ? "simd" : "scalar";
  if (src.bytes) return simdSupported(src.bytes("simd")) ? "simd" : "scalar";
  return "simd"; // imported modules: the host already compiled (hence supports) the SIMD one
}

function builtinModule(op: string, src: BuiltinSource, flavor: Flavor, sync: boolean): WebAssembly.Module | Promise<WebAssembly.Module> {
  const key = `${src.kind}:${flavor}`;
  const cached = builtinModules.get(key);
  if (cached) return cached;
  if (src.module) {
    const m = src.module(flavor);
    builtinModules.set(key, m);
    return m;
  }
  const bytes = src.bytes!(flavor);
  const origin = `the embedded kernels-${flavor}.wasm`;
  if (sync) {
    const m = compileBytesSync(op, bytes, origin);
    builtinModules.set(key, m);
    return m;
  }
  return compileBytes(op, bytes, origin).then((m) => {
    builtinModules.set(key, m);
    return m;
  });
}

function adopt(op: string, key: string, module: WebAssembly.Module, instance: WebAssembly.Instance, source: RuntimeInfo["source"]): RuntimeInfo {
  const ex = instance.exports as unknown as KernelExports;
  const missing = REQUIRED_EXPORTS.filter((name) => !(name in ex));
  if (missing.length > 0) {
    throw new WasmInitError(op, `the module is not a dead-directions kernels module (missing exports: ${missing.join(", ")})`);
  }
  const abi = ex.abi_version();
  if (abi !== ABI_VERSION) {
    throw new WasmInitError(op, `the module has ABI version ${abi} but this package expects ${ABI_VERSION}: use the .wasm files from the same dead-directions version`);
  }
  if (state) state.arena.kill();
  state = {
    key,
    module,
    source,
    instance,
    exports: ex,
    arena: new Arena(ex.memory, ex.heap_base() >>> 0),
    simd: ex.simd_enabled() === 1,
    poisoned: false,
  };
  return info(state);
}

function info(s: State): RuntimeInfo {
  return Object.freeze({ simd: s.simd, abiVersion: ABI_VERSION, source: s.source, memoryBytes: s.arena.memoryBytes });
}

function instantiateSync(op: string, module: WebAssembly.Module): WebAssembly.Instance {
  try {
    return new WebAssembly.Instance(module, {});
  } catch (cause) {
    throw new WasmInitError(op, `could not instantiate the kernels module: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

async function instantiateAsync(op: string, module: WebAssembly.Module): Promise<WebAssembly.Instance> {
  try {
    return await WebAssembly.instantiate(module, {});
  } catch (cause) {
    throw new WasmInitError(op, `could not instantiate the kernels module: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

function keyFor(src: BuiltinSource, opts: InitOptions): string {
  if (opts.module || opts.bytes || opts.url) return `user:${++uniqueKey}`;
  return `${src.kind}:${builtinFlavor(src, opts)}`;
}

/** Async initialisation (idempotent for the same options; switching flavor re-instantiates). */
export function initAsync(src: BuiltinSource, options?: InitOptions): Promise<RuntimeInfo> {
  const op = "init";
  try {
    const opts = validateOptions(op, options);
    const key = keyFor(src, opts);
    if (state && !state.poisoned && state.key === key) return Promise.resolve(info(state));
    const inflight = pending.get(key);
    if (inflight) return inflight;
    const run = (async (): Promise<RuntimeInfo> => {
      let module: WebAssembly.Module;
      let source: RuntimeInfo["source"];
      if (opts.module) [module, source] = [opts.module, "module"];
      else if (opts.bytes) [module, source] = [await compileBytes(op, opts.bytes, "the bytes passed to init()"), "bytes"];
      else if (opts.url) [module, source] = [await compileFromUrl(op, opts.url), "url"];
      else [module, source] = [await builtinModule(op, src, builtinFlavor(src, opts), false), src.kind];
      return adopt(op, key, module, await instantiateAsync(op, module), source);
    })();
    pending.set(key, run);
    const clear = (): void => void pending.delete(key);
    run.then(clear, clear);
    return run;
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Synchronous initialisation where the host allows synchronous compilation (Node, Deno, Bun, workers). */
export function initSync(src: BuiltinSource, options?: InitOptions): RuntimeInfo {
  const op = "initSync";
  const opts = validateOptions(op, options);
  if (opts.url) throw new WasmInitError(op, "cannot fetch a URL synchronously: use await init({ url })");
  const key = keyFor(src, opts);
  if (state && !state.poisoned && state.key === key) return info(state);
  let module: WebAssembly.Module;
  let source: RuntimeInfo["source"];
  if (opts.module) [module, source] = [opts.module, "module"];
  else if (opts.bytes) [module, source] = [compileBytesSync(op, opts.bytes, "the bytes passed to initSync()"), "bytes"];
  else [module, source] = [builtinModule(op, src, builtinFlavor(src, opts), true) as WebAssembly.Module, src.kind];
  return adopt(op, key, module, instantiateSync(op, module), source);
}

/** The live instance; re-created from its compiled module if a trap poisoned it. */
export function live(op: string): State {
  if (!state) {
    throw new WasmInitError(op, "dead-directions is not initialised: call `await init()` once (or `initSync()` in Node, Deno, Bun and workers) before using it");
  }
  if (state.poisoned) {
    adopt(op, state.key, state.module, instantiateSync(op, state.module), state.source);
  }
  return state;
}

/** What the live instance is, or undefined before init. */
export function runtimeInfo(): RuntimeInfo | undefined {
  return state ? info(state) : undefined;
}

/**
 * The arena of the live instance (for zero-copy views). The views you make there are yours until you
 * free them (`view.free()`, `release(mark)`, `reset()`); no other call frees them (see Arena).
 */
export function arena(): Arena {
  return live("arena").arena;
}

function isTrap(err: unknown): boolean {
  return err instanceof WebAssembly.RuntimeError || (err instanceof Error && err.name === "RuntimeError");
}

/**
 * Run `body` against the live kernels with a scratch region: everything it allocates in the arena
 * (allocBytes, f64, matrix) sits above every held block and is freed when it returns. `body` must be
 * synchronous: scratch is a stack, safe only because nothing can interleave inside one call
 * (docs/design-decisions.md, "Memory"). A trap poisons the instance (re-created on the next call)
 * and becomes a WasmTrapError.
 */
export function withKernels<T>(op: string, body: (ex: KernelExports, arena: Arena) => T): T {
  const s = live(op);
  const scope = s.arena.openScope(op);
  try {
    return body(s.exports, s.arena);
  } catch (err) {
    if (!isTrap(err)) throw err;
    s.poisoned = true;
    s.arena.kill();
    let where = "";
    try {
      const line = s.exports.abort_line();
      if (line) where = ` (kernel assertion at line ${line})`;
    } catch {
      /* the instance is gone anyway */
    }
    throw new WasmTrapError(op, `a WebAssembly trap interrupted the kernel${where}: ${(err as Error).message}. The instance was discarded; the next call uses a fresh one`, "WASM_TRAP", { cause: err });
  } finally {
    if (!s.poisoned) s.arena.closeScope(scope);
  }
}

/** Context used to turn a NON_FINITE status into row and column. */
export interface StatusContext {
  cols?: number;
  what?: string;
  value?: (index: number) => number;
}

/** The status → typed-error table (docs/design-decisions.md, "Errors"). */
export function checkStatus(op: string, status: number, ex: KernelExports, ctx: StatusContext = {}): void {
  if (status === Status.OK) return;
  const detail = ex.status_info();
  if (status === Status.NOT_CONVERGED) {
    throw new NotConvergedError(op, `${detail} value(s) did not converge within the iteration cap`, detail);
  }
  if (status === Status.NON_FINITE) throw nonFinite(op, detail, ctx);
  if (status === Status.NOT_POSITIVE_DEFINITE) {
    throw new LinAlgError(op, `the matrix is not positive definite (leading minor of order ${detail} is not)`, {}, "NOT_POSITIVE_DEFINITE");
  }
  if (status < 0) {
    throw new DdsError(op, "BAD_ARGUMENT", `internal error: the kernel rejected argument ${-status} (please report this)`);
  }
  throw new DdsError(op, "LINALG", `internal error: unknown kernel status ${status}`);
}

/** A NonFiniteError for flat `index` of a row-major matrix with `ctx.cols` columns. */
export function nonFinite(op: string, index: number, ctx: StatusContext): NonFiniteError {
  const value = ctx.value ? ctx.value(index) : NaN;
  const what = ctx.what ?? "input";
  const cols = ctx.cols ?? 0;
  const where = cols > 0 ? { index, row: Math.floor(index / cols), col: index % cols } : { index };
  const pos = cols > 0 ? ` at row ${where.row}, column ${where.col}` : "";
  return new NonFiniteError(op, `${what} contains ${String(value)}${pos} (flat index ${index}); pass checkFinite: false to skip this check`, value, where);
}
