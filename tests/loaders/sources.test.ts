// Sources: only the header and the requested tensor's bytes are read (also at offsets beyond 4 GiB),
// chunked reads give the same bits, failing sources become ReadError, concurrent use of the arena
// is safe, sharded checkpoints resolve their shards, and the dead-directions/node entry reads paths.

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { arena, DdsError, FormatError, init, inspect, load, loadInto, loadRaw, openTensors, ReadError, UnsupportedDtypeError } from "../../src/entry/default.js";
import * as nodeEntry from "../../src/entry/node.js";
import { counting, EXPECTED, fixture, FIXTURES, sameAsScript } from "./helpers.js";

async function rejection(p: Promise<unknown>): Promise<DdsError> {
  try {
    await p;
  } catch (err) {
    return err as DdsError;
  }
  throw new Error("expected a rejection");
}

/** A .npy file of an f64 array in Fortran order (column-major data), built here. */
function fortranNpy(rows: number, cols: number, value: (i: number, j: number) => number): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': True, 'shape': (${rows}, ${cols}), }`;
  header += " ".repeat(64 - ((10 + header.length + 1) % 64)) + "\n";
  const out = new Uint8Array(10 + header.length + rows * cols * 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) dv.setFloat64((j * rows + i) * 8, value(i, j), true);
  return out;
}

beforeAll(() => init());

describe("reading only what is needed", () => {
  it("safetensors: one tensor costs 8 + header + its own bytes", async () => {
    const bytes = fixture("safetensors/all.safetensors");
    const info = await inspect(bytes);
    const headerEnd = Math.min(...info.tensors.map((t) => t.byteOffset));
    for (const name of ["f32", "f16_all", "i64"]) {
      const t = info.tensors.find((x) => x.name === name)!;
      const src = counting(bytes);
      await load(src, name, { allowIntegers: true, checkFinite: false });
      expect(src.bytesRead()).toBe(headerEnd + t.byteSize);
      for (const [o, l] of src.reads) expect(o + l <= headerEnd || (o >= t.byteOffset && o + l <= t.byteOffset + t.byteSize), `read ${o}+${l}`).toBe(true);
    }
  });

  it("safetensors beyond 4 GiB: a small tensor after a 6 GB one is read alone", async () => {
    const big = 1_500_000_000; // F32 elements: 6e9 bytes, never read
    const json = JSON.stringify({ big: { dtype: "F32", shape: [big], data_offsets: [0, big * 4] }, small: { dtype: "F32", shape: [2, 2], data_offsets: [big * 4, big * 4 + 16] } });
    const head = new TextEncoder().encode(json + " ".repeat((8 - (json.length % 8)) % 8));
    const start = 8 + head.length;
    const size = start + big * 4 + 16;
    const reads: [number, number][] = [];
    const src = {
      size,
      name: "huge.safetensors",
      read(offset: number, length: number) {
        reads.push([offset, length]);
        const out = new Uint8Array(length);
        for (let k = 0; k < length; k++) {
          const p = offset + k;
          if (p < 8) out[k] = p === 0 ? head.length & 0xff : p === 1 ? head.length >> 8 : 0;
          else if (p < start) out[k] = head[p - 8]!;
          else out[k] = [0, 0, 0x80, 0x3f][(p - start) % 4]!; // 1.0f
        }
        return Promise.resolve(out);
      },
    };
    const t = await load(src, "small");
    expect(Array.from(t.data)).toEqual([1, 1, 1, 1]);
    expect(reads.reduce((s, [, l]) => s + l, 0)).toBe(start + 16);
    expect(reads.at(-1)).toEqual([start + big * 4, 16]);
  });

  it("npz: one member's bytes, not the others' (stored and deflated)", async () => {
    for (const rel of ["npz/savez.npz", "npz/savez_compressed.npz"]) {
      const bytes = fixture(rel);
      const src = counting(bytes);
      const t = await load(src, "fortran");
      sameAsScript(t.data, EXPECTED.files[rel]!.tensors["fortran"]!);
      const touched = src.bytesRead();
      expect(touched, rel).toBeLessThan(bytes.length / (rel.includes("compressed") ? 3 : 2));
    }
  });

  it("inspect of a compressed npz inflates headers only", async () => {
    const bytes = fixture("npz/savez_compressed.npz");
    const src = counting(bytes);
    const info = await inspect(src);
    expect(info.tensors.every((t) => t.compressed)).toBe(true);
    expect(src.bytesRead()).toBeLessThan(bytes.length);
  });
});

describe("loadRaw: stored elements, no copy when aligned", () => {
  it("aligned little-endian data of an in-memory file is a view on it; unaligned data is copied", async () => {
    const all = fixture("safetensors/all.safetensors");
    const f32 = await loadRaw(all.buffer, "f32");
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(f32.data.buffer).toBe(all.buffer); // zero-copy
    const un = fixture("safetensors/unaligned.safetensors");
    const info = await inspect(un);
    expect(info.tensors.find((t) => t.name === "f32")!.byteOffset % 4).not.toBe(0);
    const raw = await loadRaw(un, "f32");
    expect(raw.data.buffer).not.toBe(un.buffer);
    expect(Array.from(raw.data as Float32Array)).toEqual(Array.from((await load(un, "f32")).data));
    const bits = await loadRaw(all, "bf16");
    expect(bits.data).toBeInstanceOf(Uint16Array);
    const big = await loadRaw(fixture("npy/i8_be.npy"));
    expect(big.data).toBeInstanceOf(BigInt64Array);
    expect((big.data as BigInt64Array)[0]).toBe(-(2n ** 63n));
    const f = await loadRaw(fixture("npy/fortran_i2_be.npy"));
    expect([f.order, [...f.shape]]).toEqual(["F", [3, 4]]);
    expect(await loadRaw(all, "c64").catch((e) => e)).toBeInstanceOf(UnsupportedDtypeError);
  });

  it("TensorFile: info, load, loadRaw on one parse", async () => {
    const tf = await openTensors(fixture("npz/savez.npz"), { fileName: "savez.npz" });
    expect(tf.format).toBe("npz");
    expect(tf.info("fortran").order).toBe("F");
    expect(tf.info("a").compressed).toBe(false);
    expect((await tf.load("scalar")).data[0]).toBe(-0.125);
    expect(Array.from((await tf.loadRaw("arr_0")).data as Int32Array)).toEqual([0, 1, 2, 3, 4]);
    const err = await rejection(tf.load("arr_0"));
    expect([err.name, err.message.startsWith("TensorFile.load: savez.npz:")]).toEqual(["UnsupportedDtypeError", true]);
    await tf.close();
  });
});

describe("chunked decoding", () => {
  it("small chunks give the same bits (C order, through JS and into the arena)", async () => {
    const bytes = fixture("safetensors/all.safetensors");
    const e = EXPECTED.files["safetensors/all.safetensors"]!.tensors["f16_all"]!;
    const src = counting(bytes);
    const t = await load(src, "f16_all", { checkFinite: false, chunkBytes: 65536 });
    sameAsScript(t.data, e);
    expect(src.reads.length).toBeGreaterThan(8); // 128 KiB of f16 in 8192-element chunks
    const view = arena().matrix(256, 256);
    await loadInto(bytes, "f16_all", view, { checkFinite: false, chunkBytes: 65536 });
    sameAsScript(view.array, e);
  });

  it("Fortran order across chunk boundaries lands row-major", async () => {
    const [rows, cols] = [301, 517]; // 155617 elements: 19 chunks of 8192
    const f = (i: number, j: number) => i * 1000 + j + 0.5;
    const npy = fortranNpy(rows, cols, f);
    const view = arena().matrix(rows, cols);
    await loadInto(npy, undefined, view, { chunkBytes: 65536 });
    const viaJs = await load(npy, undefined, { chunkBytes: 65536 });
    const want = new Float64Array(rows * cols).map((_, k) => f(Math.floor(k / cols), k % cols));
    expect(view.array).toEqual(want);
    expect(viaJs.data).toEqual(want);
  });

  it("a NaN in a later chunk of a Fortran array reports its row-major position", async () => {
    const npy = fortranNpy(300, 400, (i, j) => (i === 217 && j === 333 ? NaN : 1));
    const err = await rejection(loadInto(npy, undefined, arena().matrix(300, 400), { chunkBytes: 65536, fileName: "f.npy" }));
    expect([err.name, err.row, err.col, err.index, err.tensor, err.file]).toEqual(["NonFiniteError", 217, 333, 217 * 400 + 333, "f", "f.npy"]);
  });
});

describe("failing sources and arguments", () => {
  const bytes = fixture("safetensors/small.safetensors");

  it("a read callback that throws, returns too little or returns garbage → ReadError with offset", async () => {
    const bad = [
      { size: bytes.length, name: "x", read: () => Promise.reject(new Error("network down")) },
      { size: bytes.length, name: "x", read: (o: number, l: number) => bytes.slice(o, o + l - 1) },
      { size: bytes.length, name: "x", read: () => "nope" as unknown as Uint8Array },
      { size: bytes.length + 100, name: "x", read: (o: number, l: number) => bytes.slice(o, o + l) },
    ];
    for (const src of bad) {
      const err = await rejection(load(src, "a"));
      expect(err).toBeInstanceOf(DdsError);
      expect(err.file).toBe("x");
      expect(err.offset).toBeTypeOf("number");
    }
    expect((await rejection(load(bad[0]!, "a")))).toBeInstanceOf(ReadError);
    expect((await load(bytes, "a")).data.length).toBe(4);
  });

  it("bad arguments are DdsError BAD_ARGUMENT naming the function", async () => {
    for (const p of [
      load("path.safetensors" as unknown as ArrayBuffer, "a"),
      load(bytes, "a", { chunkBytes: 10 }),
      load(bytes, "a", { format: "pickle" as "npy" }),
      loadInto(bytes, "a", arena().f64(3)),
      loadInto(bytes, "a", arena().matrix(4, 1)),
      loadInto(bytes, "a", new Float64Array(4) as never),
      load({ size: -1, read: () => new Uint8Array() }, "a"),
    ]) {
      const err = await rejection(p);
      expect(err.code, err.message).toBe("BAD_ARGUMENT");
      expect(err.message).toMatch(/^load(Into)?: /);
    }
    expect((await rejection(load("x.npy" as never))).message).toMatch(/dead-directions\/node/);
  });

  it("another call may use the arena while a read is pending", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = { size: bytes.length, read: async (o: number, l: number) => (o > 100 ? (await gate, bytes.slice(o, o + l)) : bytes.slice(o, o + l)) };
    const pending = load(slow, "a");
    await new Promise((r) => setTimeout(r, 10));
    const mine = arena().f64(1000);
    mine.array.fill(7);
    release();
    expect(Array.from((await pending).data)).toEqual([1, -2, 0.5, 3]);
    expect(mine.array.every((v) => v === 7)).toBe(true);
  });

  it("load needs init(); inspect does not", async () => {
    vi.resetModules();
    const fresh = await import("../../src/entry/default.js");
    expect((await fresh.inspect(bytes)).tensors.length).toBe(2);
    expect((await rejection(fresh.load(bytes, "a"))).name).toBe("WasmInitError");
  });
});

describe("sharded checkpoints", () => {
  const dir = "sharded/";
  const index = fixture(`${dir}model.safetensors.index.json`);
  const exp = EXPECTED.files[`${dir}model.safetensors.index.json`]!;
  const resolveShard = (f: string) => fixture(dir + f);

  it("inspect, load and openTensors through resolveShard", async () => {
    const info = await inspect(index, { resolveShard, fileName: "model.safetensors.index.json" });
    expect(info.format).toBe("safetensors-index");
    expect(info.tensors.map((t) => t.name)).toEqual(exp.names);
    expect({ ...info.metadata }).toEqual(exp.metadata);
    expect(info.tensors[0]!.file).toMatch(/^model-0000\d-of-00002\.safetensors$/);
    for (const name of exp.names) sameAsScript((await load(index, name, { resolveShard })).data, exp.tensors[name]!);
    const tf = await openTensors(index, { resolveShard });
    expect(tf.tensors.length).toBe(4);
    await tf.close();
  });

  it("an index without a resolver, with a bad shard name, or pointing at the wrong shard → FormatError", async () => {
    expect((await rejection(load(index, "layer0.bias"))).message).toMatch(/resolveShard/);
    const wrong = new TextEncoder().encode(JSON.stringify({ weight_map: { "layer0.bias": "model-00002-of-00002.safetensors" } }));
    const e1 = await rejection(load(wrong, "layer0.bias", { resolveShard }));
    expect([e1.constructor, e1.tensor]).toEqual([FormatError, "layer0.bias"]);
    const escape = new TextEncoder().encode(JSON.stringify({ weight_map: { w: "../secret.safetensors" } }));
    expect((await rejection(load(escape, "w", { resolveShard }))).message).toMatch(/not a relative file name/);
  });
});

describe("dead-directions/node: paths", () => {
  it("load, loadInto, loadRaw, inspect and openTensors take paths and file: URLs", async () => {
    const p = join(FIXTURES, "safetensors", "all.safetensors");
    const e = EXPECTED.files["safetensors/all.safetensors"]!.tensors;
    sameAsScript((await nodeEntry.load(p, "f64")).data, e["f64"]!);
    sameAsScript((await nodeEntry.load(pathToFileURL(p), "bf16")).data, e["bf16"]!);
    const view = arena().matrix(3, 4);
    await nodeEntry.loadInto(p, "f32", view);
    sameAsScript(view.array, e["f32"]!);
    expect(Array.from((await nodeEntry.loadRaw(p, "u8")).data as Uint8Array)).toEqual(e["u8"]!.raw!.map(Number));
    expect((await nodeEntry.inspect(p)).file).toBe(p);
    const tf = await nodeEntry.openTensors(p);
    expect((await tf.load("f16")).dtype).toBe("F16");
    await tf.close();
    await expect(tf.load("f16")).rejects.toBeInstanceOf(ReadError);
  });

  it("a sharded index path resolves its shards next to it", async () => {
    const p = join(FIXTURES, "sharded", "model.safetensors.index.json");
    const exp = EXPECTED.files["sharded/model.safetensors.index.json"]!;
    expect((await nodeEntry.inspect(p)).tensors.map((t) => t.name)).toEqual(exp.names);
    sameAsScript((await nodeEntry.load(p, "layer1.weight")).data, exp.tensors["layer1.weight"]!);
    const tf = await nodeEntry.openTensors(p);
    sameAsScript((await tf.load("layer0.weight")).data, exp.tensors["layer0.weight"]!);
    await tf.close();
  });

  it("a missing file is a ReadError naming it", async () => {
    const err = await rejection(nodeEntry.load(join(FIXTURES, "nope.npy")));
    expect([err.name, err.code, err.file]).toEqual(["ReadError", "READ", join(FIXTURES, "nope.npy")]);
  });
});
