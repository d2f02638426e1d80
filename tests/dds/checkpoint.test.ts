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
    const got = await readCheckpoint(file, { x: "X_h1", gamma: "G_h1", tFromMetadata: "t", checkpoint: "c3", layer: "h1", flatten: true });
    const ref = layerRow("c3", "h1", layerReading(p.X[0]!, p.gamma[0]!), p.t);
    expect(got.t).toBe(p.t);
    expect(got.row["dds/input_dtype"]).toBe("F64");
    expect(JSON.stringify(got.row)).toBe(JSON.stringify(ref));
  });

  it("names the file and tensor when X and Γ do not fit", async () => {
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "v" })).rejects.toThrow(/tensor "v" has shape \[4\]; a layer reading needs a matrix/);
    // more than two axes: refused unless the caller says to merge the leading ones into samples
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "G_h1" })).rejects.toThrow(/tensor "G_h1" has shape \[3, 100, 20\] \(3 axes\).*3·100 = 300 rows of 20\), pass flatten: true \(CLI: --flatten\)/);
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "G_h1", flatten: true, tFromMetadata: "nope" })).rejects.toThrow(/metadata key "nope" is missing \(the file's metadata keys are "t", "note"\)/);
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "nope" })).rejects.toThrow(/no tensor named "nope"/);
    await expect(readCheckpoint(file, { x: "X_h1", gamma: "G_h1", tFromMetadata: "note" })).rejects.toThrow(LinAlgError);
  });
});
