// Who frees what in wasm memory (docs/design-decisions.md, "Memory"): caller views until the caller
// frees them, library-held blocks until their operation does, scratch until its synchronous call
// returns; the free list reuses and merges what was freed.

import { beforeAll, describe, expect, it } from "vitest";
import { DdsError, WasmTrapError, arena, deepLinearBridge, gram, init, loadInto, openTensors, readCheckpoint, readOpened, saveSafetensors, type F64View, type MatrixLike } from "../../src/entry/default.js";
import { withKernels } from "../../src/runtime/kernels.js";
import { Rng } from "../helpers/prng.js";

beforeAll(async () => {
  await init();
});

describe("arena lifetimes", () => {
  it("view.free() is idempotent; a freed view refuses every use with a typed error", () => {
    const a = arena();
    const v = a.matrix(2, 2);
    v.data.set([1, 2, 3, 4]);
    expect(v.freed).toBe(false);
    v.free();
    v.free();
    expect(v.freed).toBe(true);
    for (const use of [() => v.array, () => v.data, () => v.ptr, () => gram(v)]) {
      expect(use).toThrow(DdsError);
      expect(use).toThrow(/this view was freed \(by view\.free\(\)\)/);
    }
    expect(a.used).toBe(0);
  });

  it("reuses freed space first-fit, merges neighbours, and lowers the top when the last block goes", () => {
    const a = arena();
    const [x, y, z] = [a.f64(10), a.f64(6), a.f64(4)]; // 80, 48, 32 bytes
    const base = x.ptr;
    expect([y.ptr - base, z.ptr - base]).toEqual([80, 128]);
    const yPtr = y.ptr;
    y.free();
    const small = a.f64(2); // first fit: the start of y's hole
    expect(small.ptr).toBe(yPtr);
    x.free();
    small.free(); // x, small and the rest of y's hole merge into one hole of 128 bytes
    const big = a.f64(16);
    expect(big.ptr).toBe(base);
    big.free();
    z.free(); // the last block: everything merges into the top
    expect(a.used).toBe(0);
    const again = a.f64(1);
    expect(again.ptr).toBe(a.base);
    again.free();
  });

  it("release and reset free the caller's views only, never a block a library operation holds", () => {
    const a = arena();
    const held = a.hold("test", 8, 8);
    held.data.fill(7);
    const mark = a.mark();
    const mine = [a.f64(100), a.matrix(8, 8)];
    a.release(mark);
    expect(mine.map((v) => v.freed)).toEqual([true, true]);
    const more = a.f64(64);
    a.reset();
    expect(more.freed).toBe(true);
    expect(held.freed).toBe(false);
    expect(held.data.every((v) => v === 7)).toBe(true);
    held.free();
    expect(a.used).toBe(0);
  });

  it("a synchronous call's scratch: views made in its callbacks are freed when it returns, holding memory is refused", async () => {
    const a = arena();
    const file = saveSafetensors({ X: { dtype: "F64", shape: [4, 2], data: new Float64Array(8).fill(1) }, G: { dtype: "F64", shape: [4, 2], data: new Float64Array(8).fill(2) } });
    const f = await openTensors(file);
    let inside: F64View | undefined;
    let holdError: unknown;
    let pending: Promise<unknown> | undefined;
    const rows = [[1, 2], [3, 4]];
    const input: MatrixLike = {
      rows: 2,
      columns: 2,
      getRow(i) {
        if (i === 0) {
          inside = a.f64(4); // scratch of this gram call
          inside.array.fill(1);
          try {
            a.hold("test", 2, 2);
          } catch (err) {
            holdError = err;
          }
          pending = readOpened(f, { x: "X", gamma: "G" }); // holds its state only after its first await
        }
        return rows[i]!;
      },
    };
    expect(gram(input, { scale: "sum" }).data).toEqual(new Float64Array([10, 14, 14, 20]));
    expect(holdError).toBeInstanceOf(DdsError);
    expect(String(holdError)).toMatch(/cannot hold wasm memory while the synchronous call gram runs/);
    // an async reading started inside the callback holds memory only after its first await, once gram
    // has returned: it runs to the end like one started outside
    const late = (await pending) as { row: unknown };
    expect(JSON.stringify(late.row)).toBe(JSON.stringify((await readOpened(f, { x: "X", gamma: "G" })).row));
    expect(inside!.freed).toBe(true);
    expect(() => inside!.array).toThrow(/freed \(by the end of the gram call whose scratch space it was\)/);
    await f.close();
    expect(a.used).toBe(0);
  });

  it("a view freed while loadInto fills it makes the load reject, not write into freed memory", async () => {
    const data = new Float64Array(3 * 65536 / 8).map((_, i) => i);
    const file = saveSafetensors({ T: { dtype: "F64", shape: [data.length], data } });
    let reads = 0;
    let view: F64View | undefined;
    const src = { size: file.length, read: async (o: number, l: number) => (++reads === 4 && view!.free(), file.slice(o, o + l)) };
    view = arena().f64(data.length);
    const load = loadInto(src, "T", view, { chunkBytes: 65536 });
    await expect(load).rejects.toThrow(DdsError);
    await expect(load).rejects.toThrow(/this view was freed \(by view\.free\(\)\)/);
    expect(reads).toBe(4); // header length, header, chunk 1 (read ahead: chunk 2) — then refused
    expect(arena().used).toBe(0);
  });

  it("a trap while a reading holds its X and Γ: the reading fails with a typed error, the next one works", async () => {
    const p = deepLinearBridge({ r: 2, N: 200 })[3]!;
    const file = saveSafetensors({ X: { dtype: "F64", shape: [200, 20], data: p.X[0]!.data }, G: { dtype: "F64", shape: [200, 20], data: p.gamma[0]!.data } });
    const opts = { x: "X", gamma: "G", checkpoint: "c", layer: "h1" };
    const ref = JSON.stringify((await readCheckpoint(file, opts)).row);
    let reads = 0;
    let trapped!: () => void;
    const atData = new Promise<void>((r) => (trapped = r));
    const src = { size: file.length, read: (o: number, l: number) => (++reads === 3 && trapped(), new Promise<Uint8Array>((r) => setTimeout(() => r(file.slice(o, o + l)), 1))) };
    const pending = readCheckpoint(src, opts);
    await atData; // X and Γ are held, their bytes on the way
    expect(() => withKernels("test", (ex) => ex.syrk_f64(0x7ffffff0, 64, 64, 64, 1, 0, 64, 0))).toThrow(WasmTrapError);
    await expect(pending).rejects.toThrow(/discarded kernels instance/);
    expect(JSON.stringify((await readCheckpoint(file, opts)).row)).toBe(ref);
    expect(arena().used).toBe(0);
  });

  it("scratch sits above every held block and goes when the call returns", () => {
    const a = arena();
    const v = a.f64(1000);
    v.array.fill(3);
    withKernels("test", (_, ar) => {
      const p = ar.allocBytes(4096, "test");
      expect(p).toBeGreaterThanOrEqual(v.ptr + 8000);
      new Float64Array(ar.buffer("test"), p, 512).fill(-1);
      expect(a.used).toBe(8000 + 4096);
    });
    expect(a.used).toBe(8000);
    expect(v.array.every((x) => x === 3)).toBe(true);
    v.free();
  });

  it("random allocations and frees: no overlap, 16-byte alignment, contents kept, all space back at the end", () => {
    const a = arena();
    const rng = new Rng(2024);
    const live: { v: F64View; tag: number }[] = [];
    let tag = 0;
    const check = () => {
      const spans = live.filter(({ v }) => v.length > 0).map(({ v }) => [v.ptr, v.ptr + v.length * 8] as const).sort((p, q) => p[0] - q[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
      for (const { v, tag: t } of live) {
        expect(v.ptr % 16).toBe(0);
        expect(v.array.every((x, i) => x === t * 1000 + i)).toBe(true);
      }
    };
    let peak = 0;
    for (let step = 0; step < 1500; step++) {
      if (live.length > 0 && rng.u32() % 5 < 2) {
        const [gone] = live.splice(rng.u32() % live.length, 1);
        gone!.v.free();
      } else {
        const v = rng.u32() % 2 ? a.f64(rng.u32() % 300) : a.matrix(rng.u32() % 20, rng.u32() % 20);
        tag++;
        v.array.forEach((_, i, arr) => (arr[i] = tag * 1000 + i));
        live.push({ v, tag });
      }
      peak = Math.max(peak, a.used);
      if (step % 50 === 0) check();
    }
    check();
    for (const { v } of live) v.free();
    expect(a.used).toBe(0);
    expect(peak).toBeGreaterThan(0);
    const next = a.f64(1);
    expect(next.ptr).toBe(a.base); // every hole merged back into the top
    next.free();
  });
});
