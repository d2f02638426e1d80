import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ABI_VERSION, Status } from "../../src/runtime/abi.js";

const root = join(import.meta.dirname, "..", "..");
const wasm = (flavor: string) => readFileSync(join(root, "build", `kernels-${flavor}.wasm`));

/** A fresh copy of the library (its module state starts uninitialised). */
async function freshLib() {
  vi.resetModules();
  const lib = await import("../../src/entry/default.js");
  await import("../../src/entry/scalar.js"); // registers the opt-in scalar binary with this fresh instance
  return lib;
}

describe("the wasm ABI", () => {
  it.each(["simd", "scalar"])("%s: imports nothing, exports memory, and its globals match the TS table", (flavor) => {
    const mod = new WebAssembly.Module(wasm(flavor));
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
    const ex = new WebAssembly.Instance(mod, {}).exports as Record<string, WebAssembly.Global | ((...a: number[]) => number)>;
    expect((ex.ABI_VERSION as WebAssembly.Global).value).toBe(ABI_VERSION);
    expect((ex.STATUS_OK as WebAssembly.Global).value).toBe(Status.OK);
    expect((ex.STATUS_NOT_CONVERGED as WebAssembly.Global).value).toBe(Status.NOT_CONVERGED);
    expect((ex.STATUS_NON_FINITE as WebAssembly.Global).value).toBe(Status.NON_FINITE);
    expect((ex.STATUS_NOT_POSITIVE_DEFINITE as WebAssembly.Global).value).toBe(Status.NOT_POSITIVE_DEFINITE);
    expect((ex.simd_enabled as () => number)()).toBe(flavor === "simd" ? 1 : 0);
    expect(((ex.heap_base as () => number)() >>> 0) % 16).toBe(0);
  });

  it("the SIMD binary validates on this engine (so auto-selection picks it)", () => {
    expect(WebAssembly.validate(wasm("simd"))).toBe(true);
  });
});

describe("init", () => {
  it("refuses use before init with a WasmInitError naming the fix", async () => {
    const lib = await freshLib();
    expect(lib.runtimeInfo()).toBeUndefined();
    expect(() => lib.gram([[1]])).toThrow(lib.WasmInitError);
    expect(() => lib.gram([[1]])).toThrow(/call `await init\(\)`/);
  });

  it("is idempotent, picks SIMD by default, and switches binary on request", async () => {
    const lib = await freshLib();
    const [a, b] = await Promise.all([lib.init(), lib.init()]);
    expect(a).toEqual(b);
    expect(a.simd).toBe(true);
    expect(a.source).toBe("embedded");
    expect((await lib.init()).simd).toBe(true);
    expect((await lib.init({ simd: false })).simd).toBe(false);
    expect(lib.runtimeInfo()?.simd).toBe(false);
    expect(lib.initSync({ simd: true }).simd).toBe(true);
    expect(lib.gram([[3]], { scale: "sum" }).data[0]).toBe(9);
  });

  it("loads a caller's module or bytes, and initSync works in Node", async () => {
    const lib = await freshLib();
    const info = await lib.init({ module: new WebAssembly.Module(wasm("scalar")) });
    expect([info.simd, info.source]).toEqual([false, "module"]);
    expect(lib.gram([[2, 1]], { scale: "sum" }).data).toEqual(new Float64Array([4, 2, 2, 1]));
    expect(lib.initSync({ bytes: wasm("simd") })).toMatchObject({ simd: true, source: "bytes" });
    expect(lib.gram([[2, 1]], { scale: "sum" }).data).toEqual(new Float64Array([4, 2, 2, 1]));
  });

  it("turns HTML or junk instead of wasm into a WasmInitError naming the fix", async () => {
    const lib = await freshLib();
    const html = new TextEncoder().encode("<!DOCTYPE html><html><body>Not found</body></html>");
    await expect(lib.init({ bytes: html })).rejects.toThrow(lib.WasmInitError);
    await expect(lib.init({ bytes: html })).rejects.toThrow(/is HTML, not WebAssembly.*application\/wasm/);
    expect(() => lib.initSync({ bytes: new Uint8Array([1, 2, 3]) })).toThrow(/not a WebAssembly binary/);
    await expect(lib.init({ bytes: html, simd: true, module: new WebAssembly.Module(wasm("simd")) })).rejects.toThrow(/at most one of/);
    // a valid wasm module that is not ours
    const other = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    await expect(lib.init({ bytes: other })).rejects.toThrow(/not a dead-directions kernels module/);
    // the library is still usable after failed inits
    await lib.init();
    expect(lib.gram([[5]], { scale: "sum" }).data[0]).toBe(25);
  });

  describe("from a URL (served on 127.0.0.1)", () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === "/kernels-simd.wasm") {
          res.writeHead(200, { "content-type": "application/wasm" }).end(wasm("simd"));
        } else if (req.url === "/missing.wasm") {
          res.writeHead(404, { "content-type": "text/html" }).end("<html>404</html>");
        } else {
          res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>app</title>"); // SPA fallback
        }
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("fetches, checks and compiles the module", async () => {
      const lib = await freshLib();
      expect(await lib.init({ url: `${base}/kernels-simd.wasm` })).toMatchObject({ simd: true, source: "url" });
      expect(lib.gram([[1, 2]], { scale: "sum" }).data).toEqual(new Float64Array([1, 2, 2, 4]));
    });

    it("names the fix for an SPA fallback page and for HTTP errors", async () => {
      const lib = await freshLib();
      await expect(lib.init({ url: `${base}/wrong/path/kernels.wasm` })).rejects.toThrow(/is HTML, not WebAssembly/);
      await expect(lib.init({ url: `${base}/missing.wasm` })).rejects.toThrow(/HTTP 404/);
      expect(() => lib.initSync({ url: `${base}/kernels-simd.wasm` })).toThrow(/cannot fetch a URL synchronously/);
    });
  });
});
