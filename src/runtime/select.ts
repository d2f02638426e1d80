// Choosing and checking a binary: SIMD detection, the wasm magic-byte check, compile helpers.

import { WasmInitError } from "../errors.js";

export type Flavor = "simd" | "scalar";

/**
 * A compiled `WebAssembly.Module`, typed structurally so that the package's types compile in projects
 * whose `lib` has no `WebAssembly` (Node projects with `lib: ["es2022"]`): there it is `object`.
 */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: never[]) => infer M } } ? M : object;

/** Bytes of a binary: an ArrayBuffer or any view of one (the DOM's BufferSource). */
export type WasmBytes = ArrayBuffer | ArrayBufferView;

/** Options of `init()` / `initSync()`. */
export interface InitOptions {
  /** Force the SIMD (`true`) or scalar (`false`) binary. Default: SIMD when the engine validates it. */
  simd?: boolean;
  /** A compiled kernels module (bundlers with their own wasm handling, workerd). */
  module?: WasmModule;
  /** The bytes of `kernels-simd.wasm` or `kernels-scalar.wasm`. */
  bytes?: WasmBytes;
  /** Where to fetch a kernels `.wasm` from (strict-CSP pages that forbid inline compilation). */
  url?: string | URL;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

function asBytes(src: WasmBytes): Uint8Array {
  if (src instanceof Uint8Array) return src;
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  return new Uint8Array(src);
}

/**
 * Throw a WasmInitError naming the fix when `src` is not a wasm binary; the commonest cause is a
 * server answering an HTML page (404 page or single-page-app fallback) for the `.wasm` URL.
 */
export function checkMagic(op: string, src: WasmBytes, origin: string): Uint8Array {
  const bytes = asBytes(src);
  if (bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b)) return bytes;
  let head = "";
  for (let i = 0; i < Math.min(bytes.length, 64); i++) head += String.fromCharCode(bytes[i]!);
  const text = head.replace(/[^\x20-\x7e]/g, ".").trim();
  if (/^\s*</.test(head)) {
    throw new WasmInitError(
      op,
      `${origin} is HTML, not WebAssembly (it starts with ${JSON.stringify(text.slice(0, 24))}): the server answered a page ` +
        `for the .wasm request (wrong path, or a single-page-app fallback). Serve node_modules/dead-directions/dist/kernels-simd.wasm ` +
        `(or kernels-scalar.wasm) at that URL with Content-Type application/wasm, or call init() without {url} to use the embedded bytes.`,
    );
  }
  throw new WasmInitError(
    op,
    `${origin} is not a WebAssembly binary (${bytes.length} bytes; expected the magic "\\0asm", got ${JSON.stringify(text.slice(0, 16))}). ` +
      `Pass the bytes of dist/kernels-simd.wasm or dist/kernels-scalar.wasm from the dead-directions package.`,
  );
}

/** SIMD support, by validating the SIMD binary itself (what it needs is what we test). */
export function simdSupported(simdBytes: Uint8Array): boolean {
  try {
    return WebAssembly.validate(simdBytes as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}

/** Fetch `url`, check it is wasm, compile it. Streaming compile when the MIME type allows it. */
export async function compileFromUrl(op: string, url: string | URL): Promise<WebAssembly.Module> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new WasmInitError(op, `could not fetch ${String(url)}: ${(cause as Error)?.message ?? cause}`, { cause });
  }
  if (!response.ok) {
    throw new WasmInitError(op, `fetching ${String(url)} answered HTTP ${response.status}: check that the .wasm file is served at that URL`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return compileBytes(op, bytes, String(url));
}

export async function compileBytes(op: string, src: WasmBytes, origin: string): Promise<WebAssembly.Module> {
  const bytes = checkMagic(op, src, origin);
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (cause) {
    throw new WasmInitError(op, `could not compile ${origin}: ${(cause as Error)?.message ?? cause}${cspHint(cause)}`, { cause });
  }
}

/** When the host refused compilation for a Content-Security-Policy, what the page must allow. */
function cspHint(cause: unknown): string {
  const m = String((cause as Error)?.message ?? cause);
  return /content security policy|unsafe-eval|\bCSP\b/i.test(m)
    ? ". The page's Content-Security-Policy forbids compiling WebAssembly: add 'wasm-unsafe-eval' to its script-src (needed for every way of loading — embedded, url or bytes)"
    : "";
}

export function compileBytesSync(op: string, src: WasmBytes, origin: string): WebAssembly.Module {
  const bytes = checkMagic(op, src, origin);
  try {
    return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (cause) {
    throw new WasmInitError(
      op,
      `could not compile ${origin} synchronously: ${(cause as Error)?.message ?? cause}${cspHint(cause)}. ` +
        `Some hosts (browser main threads for large modules, workerd at request time) allow only async compilation: use await init().`,
      { cause },
    );
  }
}
