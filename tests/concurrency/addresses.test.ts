// Overlapping calls put a reading's X and Γ, and every kernel's scratch, at addresses that depend on
// what else is in flight. The same bits come out only if the kernels depend on addresses through
// 16-byte alignment alone and never read memory they did not write: checked here by moving the
// inputs and the scratch over 16-byte steps and over memory left full of zeros, NaNs or random bits.

import { beforeAll, describe, expect, it } from "vitest";
import { arena, deepLinearBridge, eigh, eigvalsh, gram, init, layerReading, matmul, slogdet, svd, svdvals, type MatView } from "../../src/entry/default.js";
import { BINARIES, Rng } from "../helpers/prng.js";
import { bitsKey } from "./helpers.js";

const point = deepLinearBridge({ r: 2, N: 300 })[4]!;
const [N, d] = [point.X[0]!.rows, point.X[0]!.cols];

/** Everything computed from views X and Γ (in place) and from copies staged in scratch. */
function results(X: MatView, G: MatView): string {
  const g = gram(X);
  const spd = gram(G, { scale: "sum" });
  return bitsKey({
    gram: g.data,
    svdvals: svdvals(X),
    svd: svd(G),
    eigvalsh: eigvalsh(g),
    eigh: eigh(spd),
    slogdet: slogdet(spd, { assumeA: "pos" }),
    matmul: matmul(X, g).data,
    reading: layerReading(X, G),
    staged: layerReading(point.X[0]!, point.gamma[0]!),
  });
}

/** Leave `bytes` of freed memory above everything live, filled by `fill` (scratch lands there next). */
function dirty(bytes: number, fill: "zeros" | "nan" | "random", seed: number): void {
  const v = arena().f64(bytes / 8);
  const a = v.array;
  if (fill === "zeros") a.fill(0);
  else if (fill === "nan") new Uint32Array(a.buffer, a.byteOffset, a.length * 2).fill(0x7ff4dead);
  else {
    const rng = new Rng(seed);
    const u = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
    for (let i = 0; i < u.length; i++) u[i] = rng.u32();
  }
  v.free();
}

describe.each(BINARIES)("kernels on the $name binary depend on addresses only through 16-byte alignment", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("same bits with inputs and scratch shifted by 16·k bytes, over memory left dirty", () => {
    const a = arena();
    const keys = new Map<string, string>();
    for (const fill of ["zeros", "nan", "random"] as const) {
      for (let k = 0; k < 8; k++) {
        const pad = a.f64(2 * k); // moves what follows by 16·k bytes
        const X = a.matrix(N, d);
        const G = a.matrix(N, d);
        X.data.set(point.X[0]!.data);
        G.data.set(point.gamma[0]!.data);
        dirty(8 << 20, fill, k + 1);
        keys.set(`${fill} +${16 * k} at ${X.ptr}`, results(X, G));
        for (const v of [pad, X, G]) v.free();
      }
    }
    const [first] = [...keys.values()];
    const differ = [...keys].filter(([, v]) => v !== first).map(([where]) => where);
    expect(keys.size).toBe(24);
    expect(differ).toEqual([]);
    expect(a.used).toBe(0);
  });
});
