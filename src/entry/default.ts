// Default entry (Node, Deno, Bun, browsers, bundlers): the SIMD binary embedded as base64, compiled
// once per realm on `init()`. No asset URL to resolve. The scalar binary is opt-in: `import
// "dead-directions/scalar"` registers it (src/entry/scalar.ts), so bundles that never need it stay small.

import { SIMD_WASM_BASE64 } from "../generated/wasm-simd.js";
import { initAsync, initSync as initSyncFrom, type RuntimeInfo } from "../runtime/kernels.js";
import type { InitOptions } from "../runtime/select.js";
import { embedded, registerEmbedded } from "./embedded.js";

export * from "../index.js";

registerEmbedded("simd", SIMD_WASM_BASE64);

/**
 * Load the kernels (once per realm; later calls with the same options return at once).
 * `{ simd: false }` forces the scalar binary (after `import "dead-directions/scalar"`, or with `url`/`bytes`);
 * `{ module | bytes | url }` loads a binary of your own.
 * @throws {WasmInitError} the binary is missing, not wasm (e.g. an HTML page), or of another version.
 */
export function init(options?: InitOptions): Promise<RuntimeInfo> {
  return initAsync(embedded, options);
}

/**
 * Synchronous `init()`, where the host compiles wasm synchronously (Node, Deno, Bun, web workers;
 * and browser main threads for modules under 8 MiB, as Chromium 156 and Firefox ESR allow; older Chromium: 4 KiB).
 * @throws {WasmInitError} as `init()`, or when synchronous compilation is refused.
 */
export function initSync(options?: InitOptions): RuntimeInfo {
  return initSyncFrom(embedded, options);
}
