// Streaming reads across containers and stored dtypes (docs/streaming.md): readCheckpoint of a file —
// safetensors F64/F32/F16/BF16, .npz with stored and deflated .npy members (little- and big-endian,
// C and Fortran order), 3-D tensors with flatten — gives the bits of layerReading on the tensors as
// load() decodes them, with the stored dtype's input floor.
import { zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { init, layerReading, load, openTensors, readCheckpoint, readOpened, saveSafetensors } from "../../src/entry/default.js";
import { blockRows } from "../../src/dds/stream.js";
import { Rng } from "../helpers/prng.js";

/** A .npy file of f8 or f4 data, little- or big-endian, C or Fortran order (data given row-major). */
function npy(data: Float64Array, shape: readonly number[], o: { f4?: boolean; big?: boolean; fortran?: boolean } = {}): Uint8Array {
  const descr = `${o.big ? ">" : "<"}${o.f4 ? "f4" : "f8"}`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${o.fortran ? "True" : "False"}, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  dict += " ".repeat(pad % 64) + "\n";
  const head = new Uint8Array(10 + dict.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(head.buffer).setUint16(8, dict.length, true);
  head.set(new TextEncoder().encode(dict), 10);
  const size = o.f4 ? 4 : 8;
  const body = new Uint8Array(data.length * size);
  const dv = new DataView(body.buffer);
  const [r, c] = [shape.slice(0, -1).reduce((a, b) => a * b, 1), shape.at(-1)!];
  for (let k = 0; k < data.length; k++) {
    // stored position of row-major element k: itself (C) or its column-major index (Fortran, 2-D here)
    const pos = o.fortran ? (k % c) * r + Math.floor(k / c) : k;
    if (o.f4) dv.setFloat32(pos * 4, data[k]!, !o.big);
    else dv.setFloat64(pos * 8, data[k]!, !o.big);
  }
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

describe("streaming readings across containers and dtypes", () => {
  beforeAll(async () => {
    await init();
  });

  const d = 24;
  const N = 2 * blockRows(d) + 17; // three blocks
  const rng = new Rng(77);
  const X = rng.matrix(N, d);
  const G = rng.matrix(N, d);
  for (let i = 0; i < N; i++) G[i * d + d - 1] = G[i * d]!; // rank d − 1

  async function same(bytes: Uint8Array, what: string, o: { flatten?: boolean; centerX?: boolean } = {}): Promise<void> {
    const got = await readCheckpoint(bytes, { x: "X", gamma: "G", ...o });
    const [lx, lg] = [await load(bytes, "X"), await load(bytes, "G")];
    const n = lx.data.length / d;
    const ref = layerReading({ rows: n, cols: d, data: lx.data }, { rows: n, cols: d, data: lg.data }, { inputDtype: { x: lx.dtype, gamma: lg.dtype }, centerX: o.centerX });
    expect(JSON.stringify(got.reading.factor), what).toBe(JSON.stringify(ref.factor));
    expect(JSON.stringify(got.reading.gram), what).toBe(JSON.stringify(ref.gram));
    expect(Array.from(got.reading.activation.uDead), what).toEqual(Array.from(ref.activation.uDead));
    expect(got.reading.factor!.nPos, what).toBe(d - 1);
  }

  it("safetensors F64, F32 (X centred) and BF16", async () => {
    // BF16 raw bits: the top half of the f32 bits (truncated; load() decodes exactly these values)
    const bf16 = (a: Float64Array) => Uint16Array.from(new Uint32Array(new Float32Array(a).buffer), (b) => b >>> 16);
    await same(saveSafetensors({ X: { dtype: "F64", shape: [N, d], data: X }, G: { dtype: "F64", shape: [N, d], data: G } }), "F64");
    await same(saveSafetensors({ X: { dtype: "F32", shape: [N, d], data: new Float32Array(X) }, G: { dtype: "F32", shape: [N, d], data: new Float32Array(G) } }), "F32", { centerX: true });
    await same(saveSafetensors({ X: { dtype: "BF16", shape: [N, d], data: bf16(X) }, G: { dtype: "BF16", shape: [N, d], data: bf16(G) } }), "BF16");
  });

  it("a 3-D tensor with flatten: true", async () => {
    await same(saveSafetensors({ X: { dtype: "F64", shape: [3, N / 3 | 0, d], data: X.subarray(0, 3 * (N / 3 | 0) * d) }, G: { dtype: "F64", shape: [3, N / 3 | 0, d], data: G.subarray(0, 3 * (N / 3 | 0) * d) } }), "3-D", { flatten: true });
  });

  it(".npz with stored and deflated members, f8 and f4, little- and big-endian, C and Fortran order", async () => {
    for (const level of [0, 6] as const) {
      for (const o of [{}, { f4: true }, { big: true }, { fortran: true }, { f4: true, big: true, fortran: true }]) {
        const file = zipSync({ "X.npy": npy(X, [N, d], o), "G.npy": npy(G, [N, d], o) }, { level });
        await same(file, `npz level ${level} ${JSON.stringify(o)}`);
      }
    }
  });

  it("a deflated member read forward slides its window; a read behind it inflates again from the start", async () => {
    const file = zipSync({ "X.npy": npy(X, [N, d]), "G.npy": npy(G, [N, d]) }, { level: 6 });
    expect(N * d * 8).toBeGreaterThan(4 * 2 ** 20); // past the 1 MiB kept behind the latest read
    const f = await openTensors(file);
    try {
      const r = await readOpened(f, { x: "X", gamma: "G" });
      expect(r.reading.factor!.nPos).toBe(d - 1);
      const again = await f.load("X"); // from the member's start: behind the slid window
      expect(Array.from(again.data)).toEqual(Array.from((await load(file, "X")).data));
      const twice = await readOpened(f, { x: "X", gamma: "G" });
      expect(JSON.stringify(twice.row)).toBe(JSON.stringify(r.row));
    } finally {
      await f.close();
    }
  });
});
