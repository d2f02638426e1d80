import { beforeAll, describe, expect, it } from "vitest";
import { WasmTrapError, arena, gram, init } from "../../src/entry/default.js";
import { withKernels } from "../../src/runtime/kernels.js";
import { BINARIES, Rng, sameBits } from "../helpers/prng.js";

describe.each(BINARIES)("arena on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("keeps a view valid when memory grows between creating and using it", () => {
    const a = arena();
    const mark = a.mark();
    try {
      const n = 50, d = 7;
      const rng = new Rng(5);
      const x = rng.matrix(n, d);
      const view = a.matrix(n, d);
      view.array.set(x);
      const stale = view.array;
      const before = a.memoryBytes;
      a.f64(4 * 1024 * 1024); // 32 MiB more: forces memory.grow, which detaches the old buffer
      expect(a.memoryBytes).toBeGreaterThan(before);
      expect(stale.byteLength).toBe(0); // the typed array taken before growth is detached…
      expect(view.array.byteLength).toBe(n * d * 8); // …and the view re-derives a live one
      expect(sameBits(view.array, x)).toBe(true);
      // and a kernel reading the view in place after growth sees the right data
      expect(sameBits(gram(view).data, gram(x, [n, d]).data)).toBe(true);
    } finally {
      a.release(mark);
    }
  });

  it("aligns views to 16 bytes, frees what the caller made after a mark, and rejects bad sizes and marks", () => {
    const a = arena();
    const before = a.used;
    const mark = a.mark();
    const v1 = a.f64(3);
    const v2 = a.f64(5);
    expect(v1.ptr % 16).toBe(0);
    expect(v2.ptr % 16).toBe(0);
    expect(v2.ptr >= v1.ptr + 32 || v1.ptr >= v2.ptr + 48).toBe(true);
    expect(a.used).toBe(before + 32 + 48);
    a.release(mark);
    expect([v1.freed, v2.freed]).toEqual([true, true]);
    expect(a.used).toBe(before);
    a.release(mark); // again: nothing left to free
    expect(() => a.f64(-1)).toThrow(/length must be an integer/);
    expect(() => a.f64(1.5)).toThrow(/length must be an integer/);
    expect(() => a.matrix(1.5, 2)).toThrow(/rows must be an integer/);
    for (const bad of [-1, 1.5, a.mark() + 1, Number.NaN]) expect(() => a.release(bad)).toThrow(/was not returned by mark\(\) of this arena/);
  });

  it("refuses to grow past 4 GiB with a typed error and stays usable", () => {
    const a = arena();
    const mark = a.mark();
    expect(() => a.f64(2 ** 30)).toThrow(WasmTrapError);
    expect(() => a.f64(2 ** 30)).toThrow(/at most 4096 MiB/);
    a.release(mark);
    expect(gram([[2]], { scale: "sum" }).data[0]).toBe(4);
  });

  it("recovers after a wasm trap: the instance is re-created and old views are refused", () => {
    const view = arena().matrix(2, 2);
    view.array.set([1, 2, 3, 4]);
    let err: unknown;
    try {
      // an out-of-bounds pointer makes the kernel trap (memory access out of bounds)
      withKernels("test", (ex) => ex.syrk_f64(0x7ffffff0, 64, 64, 64, 1, 0, 64, 0));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WasmTrapError);
    expect((err as WasmTrapError).message).toMatch(/^test: a WebAssembly trap/);
    expect(() => view.array).toThrow(/discarded after a trap/);
    expect(() => gram(view)).toThrow(/discarded after a trap|another \(discarded\)/);
    // the next call works on a fresh instance, with the same binary
    expect(gram([[1, 2], [3, 4]], { scale: "sum" }).data).toEqual(new Float64Array([10, 14, 14, 20]));
    expect(arena().used).toBe(0);
  });
});
