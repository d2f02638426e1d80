// `import "dead-directions/scalar"`: registers the scalar (non-SIMD) binary with the default entry, so that
// `init({ simd: false })` works. The default entry embeds only the SIMD binary (every engine this
// package targets runs it), which keeps bundles small for everyone who does not ask for this one.

import { SCALAR_WASM_BASE64 } from "../generated/wasm-scalar.js";
import { decodeBase64, registerEmbedded } from "./embedded.js";

registerEmbedded("scalar", SCALAR_WASM_BASE64);

/** The bytes of the scalar binary (e.g. for `init({ simd: false, bytes: scalarWasm() })` in another realm). */
export function scalarWasm(): Uint8Array<ArrayBuffer> {
  return decodeBase64(SCALAR_WASM_BASE64);
}
