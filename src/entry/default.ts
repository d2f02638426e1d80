// Default entry (Node, Deno, Bun, browsers, bundlers): both binaries embedded as base64, compiled once
// per realm on `init()`. No asset URL to resolve.

import { SCALAR_WASM_BASE64, SIMD_WASM_BASE64 } from "../generated/wasm.js";
import { initAsync, initSync as initSyncFrom, type BuiltinSource, type RuntimeInfo } from "../runtime/kernels.js";
import type { InitOptions } from "../runtime/select.js";

export * from "../index.js";

const decoded = new Map<string, Uint8Array<ArrayBuffer>>();

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const embedded: BuiltinSource = {
  kind: "embedded",
  bytes(flavor) {
    let b = decoded.get(flavor);
    if (!b) decoded.set(flavor, (b = decode(flavor === "simd" ? SIMD_WASM_BASE64 : SCALAR_WASM_BASE64)));
    return b;
  },
};

/**
 * Load the kernels (once per realm; later calls with the same options return at once).
 * `{ simd: false }` forces the scalar binary; `{ module | bytes | url }` loads a binary of your own.
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
