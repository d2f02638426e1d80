// The binaries embedded as base64 (default entry: the SIMD one; the "./scalar" subpath registers the
// scalar one), decoded once per realm. One module shared by both entries, so a registration made by
// importing the subpath is seen by init().

import { WasmInitError } from "../errors.js";
import { PACKAGE_NAME } from "../generated/package.js";
import type { BuiltinSource } from "../runtime/kernels.js";
import type { Flavor } from "../runtime/select.js";

const base64 = new Map<Flavor, string>();
const decoded = new Map<Flavor, Uint8Array<ArrayBuffer>>();

/** (internal) Make a binary available to init() (the scalar subpath calls this when imported). */
export function registerEmbedded(flavor: Flavor, b64: string): void {
  base64.set(flavor, b64);
}

/** Decode base64 without Buffer or atob-free fallbacks: atob exists in every runtime we target. */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export const embedded: BuiltinSource = {
  kind: "embedded",
  bytes(flavor) {
    let b = decoded.get(flavor);
    if (b) return b;
    const text = base64.get(flavor);
    if (text === undefined) {
      throw new WasmInitError("init", flavor === "scalar"
        ? `the scalar (non-SIMD) binary is not bundled with the default entry: add \`import "${PACKAGE_NAME}/scalar"\` once (it registers it), or pass init({ simd: false, url }) / init({ simd: false, bytes }) with dist/kernels-scalar.wasm. Every engine this package targets runs the SIMD binary`
        : `no embedded ${flavor} binary`);
    }
    decoded.set(flavor, (b = decodeBase64(text)));
    return b;
  },
};
