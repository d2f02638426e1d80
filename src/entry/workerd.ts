// workerd / Cloudflare Workers entry: the host refuses to compile wasm from bytes at run time, so the
// binaries are imported as modules (`import mod from "./x.wasm"` gives a WebAssembly.Module).
// `init()` and `initSync()` only instantiate; both work at request time.

import scalarModule from "./kernels-scalar.wasm";
import simdModule from "./kernels-simd.wasm";
import { initAsync, initSync as initSyncFrom, type BuiltinSource, type RuntimeInfo } from "../runtime/kernels.js";
import type { InitOptions } from "../runtime/select.js";

export * from "../index.js";

const imported: BuiltinSource = {
  kind: "imported",
  module: (flavor) => (flavor === "simd" ? simdModule : scalarModule),
};

/** Instantiate the imported kernels (idempotent). `{ simd: false }` forces the scalar binary. */
export function init(options?: InitOptions): Promise<RuntimeInfo> {
  return initAsync(imported, options);
}

/** Synchronous `init()`: allowed in workerd because nothing is compiled from bytes. */
export function initSync(options?: InitOptions): RuntimeInfo {
  return initSyncFrom(imported, options);
}
