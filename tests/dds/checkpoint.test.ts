import { beforeAll, describe, expect, it } from "vitest";
import { LinAlgError, deepLinearBridge, init, layerReading, layerRow, readCheckpoint, saveSafetensors, inspect } from "../../src/entry/default.js";

beforeAll(async () => {
  await init();
});

describe("readCheckpoint (tensor file → layer reading → report row)", () => {
  const p = deepLinearBridge({ r: 2 })[3]!;
  const file = saveSafetensors({
    X_h1: { dtype: "F64", shape: [300, 20], data: p.X[0]!.data },
    G_h1: { dtype: "F64", shape: [3, 100, 20], data: p.gamma[0]!.data }, // leading axes are samples
    v: { dtype: "F32", shape: [4], data: new Float32Array(4) },
  }, { t: String(p.t), note: "bridge r=2" });

  it("writes a file our own reader inspects", async () => {
    const ins = await inspect(file);
    expect(ins.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([["X_h1", "F64", [300, 20]], ["G_h1", "F64", [3, 100, 20]], ["v", "F32", [4]]]);
    expect(ins.metadata).toEqual({ t: String(p.t), note: "bridge r=2" });
  });

  it("gives the same row as layerReading on the arrays, with t from metadata", async () => {
    const got = await readCheckpoint(file, { x: "X_h1", gamma: "G_h1", tFromMetadata: "t", checkpoint: "c3", layer: "h1" });
    const { warnings, ...ref } = layerRow("c3", "h1", layerReading(p.X[0]!, p.gamma[0]!), p.t);
    Object.assign(ref, { "dds/input_dtype": "F64", warnings }); // files add the stored dtype of Γ
    expect(got.t).toBe(p.t);
    expect(JSON.stringify(got.row)).toBe(JSON.stringify(ref));
  });

  it("names the file and tensor when X and Γ do not fit", async () => {
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "v" })).rejects.toThrow(/shape \[4\]; a layer reading needs at least 2 axes/);
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "nope" })).rejects.toThrow(/no tensor named "nope"/);
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "G_h1", tFromMetadata: "note" })).rejects.toThrow(LinAlgError);
  });
});

describe("input precision of stored tensors", () => {
  it("records the dtype and warns when λ⁺min is below the storage floor of an F32 Γ", async () => {
    const p = deepLinearBridge({ r: 1 })[0]!; // t = 1e-3: the dead eigenvalue is ~1e-21 relative
    const f32 = saveSafetensors({
      X: { dtype: "F32", shape: [300, 20], data: Float32Array.from(p.X[0]!.data) },
      G: { dtype: "F32", shape: [300, 20], data: Float32Array.from(p.gamma[0]!.data) },
    });
    const r = await readCheckpoint(f32, { x: "X", gamma: "G" });
    expect(r.row["dds/input_dtype"]).toBe("F32");
    expect(r.row["dds/input_floor"] as number).toBeGreaterThan(0);
    expect((r.row.warnings as string[]).some((w) => /stored as F32/.test(w))).toBe(true);
    const f64 = await readCheckpoint(saveSafetensors({
      X: { dtype: "F64", shape: [300, 20], data: p.X[0]!.data },
      G: { dtype: "F64", shape: [300, 20], data: p.gamma[0]!.data },
    }), { x: "X", gamma: "G" });
    expect((f64.row.warnings as string[]).some((w) => /stored as/.test(w))).toBe(false);
    expect(f64.row["dds/input_dtype"]).toBe("F64");
    expect(f64.row).not.toHaveProperty(["dds/input_floor"]);
  });
});
