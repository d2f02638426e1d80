// Every committed fixture (np.save / np.savez / savez_compressed / zipfile / the safetensors writer
// of scripts/fixtures/loaders.py) round-trips bit-exactly against the script's own numbers, through
// every kind of source, on both binaries; headers, metadata and dtypes match; refused dtypes say why.

import { beforeAll, describe, expect, it } from "vitest";
import { arena, init, inspect, load, loadInto, loadRaw, NonFiniteError, openTensors, UnsupportedDtypeError } from "../../src/entry/default.js";
import { BINARIES } from "../helpers/prng.js";
import { asSource, EXPECTED, fixture, sameAsScript, SOURCE_KINDS, type ExpectedTensor } from "./helpers.js";

const FILES = Object.entries(EXPECTED.files).filter(([rel]) => !rel.startsWith("sharded/"));

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe.each(BINARIES)("fixtures on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    expect((await init({ simd })).simd).toBe(simd);
  });

  it.each(FILES)("%s: inspect lists names, dtypes, shapes and metadata", async (rel, exp) => {
    const info = await inspect(fixture(rel), { fileName: rel });
    expect(info.format).toBe(exp.format);
    expect(info.file).toBe(rel);
    expect(info.tensors.map((t) => t.name)).toEqual(exp.names);
    expect({ ...info.metadata }).toEqual(exp.metadata);
    for (const t of info.tensors) {
      const e = exp.tensors[t.name];
      if (!e) continue; // rejected npy dtypes have no expectation entry
      expect([t.dtype, [...t.shape], t.order, t.kind]).toEqual([e.dtype, e.shape, e.order, e.kind]);
      expect(t.numel).toBe(e.shape.reduce((a, d) => a * d, 1));
    }
  });

  it.each(FILES)("%s: every tensor decodes to the script's f64 bits, from every kind of source", async (rel, exp) => {
    const bytes = fixture(rel);
    let k = 0;
    for (const [name, e] of Object.entries(exp.tensors)) {
      const kind = SOURCE_KINDS[k++ % SOURCE_KINDS.length]!;
      const src = () => asSource(bytes, kind);
      const fileName = rel;
      const where = `${rel} ${name} via ${kind}`;
      if (e.kind === "unsupported") {
        const err = await rejection(load(src(), name, { fileName }));
        expect(err, where).toBeInstanceOf(UnsupportedDtypeError);
        expect([(err as UnsupportedDtypeError).tensor, (err as UnsupportedDtypeError).dtype]).toEqual([name, e.dtype]);
        continue;
      }
      const nonFinite = (e.firstNonFinite ?? -1) >= 0;
      const integer = e.kind !== "float";
      if (integer) expect(await rejection(load(src(), name, { fileName })), where).toBeInstanceOf(UnsupportedDtypeError);
      const t = await load(src(), name, { fileName, checkFinite: !nonFinite, allowIntegers: integer });
      expect([t.name, t.dtype, [...t.shape]], where).toEqual([name, e.dtype, e.shape]);
      sameAsScript(t.data, e);
      if (integer) {
        const raw = await loadRaw(src(), name, { fileName });
        expect(Array.from(raw.data as ArrayLike<number | bigint>, (v) => String(v)), where).toEqual(e.raw);
        expect(raw.order).toBe(e.order);
      }
    }
  });

  it.each(FILES)("%s: loadInto fills arena views with the same bits", async (rel, exp) => {
    const file = await openTensors(fixture(rel), { fileName: rel });
    for (const [name, e] of Object.entries(exp.tensors) as [string, ExpectedTensor][]) {
      if (e.kind === "unsupported") continue;
      const mark = arena().mark();
      try {
        const view = e.shape.length === 2 ? arena().matrix(e.shape[0]!, e.shape[1]!) : arena().f64(e.shape.reduce((a, d) => a * d, 1));
        const info = await file.loadInto(name, view, { checkFinite: (e.firstNonFinite ?? -1) < 0, allowIntegers: e.kind !== "float" });
        expect(info.name).toBe(name);
        sameAsScript(view.array, e);
      } finally {
        arena().release(mark);
      }
    }
    await file.close();
  });
});

describe("refused dtypes and values", () => {
  beforeAll(() => init());

  it.each([
    ["npy/object.npy", /pickled Python objects/],
    ["npy/structured.npy", /structured/],
    ["npy/complex.npy", /complex/],
    ["npy/unicode.npy", /unicode/],
  ])("%s → UnsupportedDtypeError saying why", async (rel, why) => {
    const err = (await rejection(load(fixture(rel), undefined, { fileName: rel }))) as UnsupportedDtypeError;
    expect(err).toBeInstanceOf(UnsupportedDtypeError);
    expect(err.message).toMatch(/^load: /);
    expect(err.message).toMatch(why);
    expect([err.file, err.tensor]).toEqual([rel, rel.split("/")[1]!.slice(0, -4)]);
    expect((await inspect(fixture(rel))).tensors[0]!.kind).toBe("unsupported");
  });

  it.each([
    ["npy/nonfinite.npy", "nonfinite", 6, 1, 2, NaN],
    ["safetensors/nonfinite.safetensors", "w", 9, 2, 1, NaN],
    ["safetensors/nonfinite.safetensors", "b", 7, 1, 2, Infinity],
    ["safetensors/nonfinite.safetensors", "t3", 23, 5, 3, -Infinity],
  ] as const)("%s %s: NonFiniteError with file, tensor, index, row and column", async (rel, name, index, row, col, value) => {
    for (const op of ["load", "loadInto"] as const) {
      const mark = arena().mark();
      const p = op === "load" ? load(fixture(rel), name, { fileName: rel }) : loadInto(fixture(rel), name, arena().f64(EXPECTED.files[rel]!.tensors[name]!.shape.reduce((a, d) => a * d, 1)), { fileName: rel });
      const err = (await rejection(p)) as NonFiniteError;
      arena().release(mark);
      expect(err).toBeInstanceOf(NonFiniteError);
      expect([err.file, err.tensor, err.index, err.row, err.col, err.value]).toEqual([rel, name, index, row, col, value]);
      expect(err.message).toMatch(new RegExp(`^${op}: ${rel.replace(/[./]/g, "\\$&")}: tensor "${name}" contains`));
    }
  });

  it("special f16 values keep sign, payload and quiet bit (checkFinite: false)", async () => {
    const t = await load(fixture("npy/special_f2.npy"), undefined, { checkFinite: false });
    sameAsScript(t.data, EXPECTED.files["npy/special_f2.npy"]!.tensors["special_f2"]!);
  });

  it("the file of one .npy names its tensor after the file; a wrong name lists what exists", async () => {
    expect((await load(fixture("npy/v2.npy"), undefined, { fileName: "dir/v2.npy" })).name).toBe("v2");
    expect((await load(fixture("npy/v2.npy"))).name).toBe("array");
    const err = await rejection(load(fixture("npz/savez.npz"), "nope", { fileName: "savez.npz" }));
    expect(err.message).toMatch(/^load: savez\.npz: no tensor named "nope"; the file holds "a", "b_be"/);
    const many = await rejection(load(fixture("npz/savez.npz")));
    expect(many.message).toMatch(/holds 8 tensors; pass the name/);
  });
});
