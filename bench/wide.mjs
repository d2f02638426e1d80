#!/usr/bin/env node
// Wide layers (issue 14, item 4): a full layer reading at N < d (961 × 1024; and 961 × 512 for comparison, --quick:
// 241 × 256) against numpy's equivalent work on the same data, in paired rounds (ours, numpy, ours,
// numpy; medians). numpy's work: svd(Γ, values) [factor path], eigvalsh(ΓΓᵀ/N) [Gram path, sample
// side], svd(X, values) and the last column of Q in Xᵀ = QR [σ(X), u_dead] (N ≥ d: eigvalsh(ΓᵀΓ/N) and
// svd(X) with Vᵀ), ‖Γu‖² [q_dead]. Goal ≤ 2×.
// The data are float32 values (what a torch dump holds), read twice: as F32-stored arrays (the
// reading may take the bidiagonal SVD, docs/trust-floors.md "Which SVD a reading uses") and as the same
// values declared float64 (the reading then keeps the relatively accurate Jacobi SVD, beside LAPACK's
// own Jacobi SVD dgejsv). numpy always works on the float64 values.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as dds from "../dist/index.js";

const quick = process.argv.includes("--quick");
const shapes = quick ? [[241, 256]] : [[961, 1024], [961, 512]];
const tmp = mkdtempSync(join(tmpdir(), "dds-wide-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

function rng(seed) {
  let s = seed >>> 0 || 1;
  const u32 = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
  return () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992 - 0.5;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const python = process.env.PYTHON ?? "python3";
const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
const NUMPY = `
import numpy as np, sys, time, json
N, d, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
a = np.fromfile(path, dtype="<f8").reshape(2, N, d)
X, G = a[0], a[1]
t = time.perf_counter()
s = np.linalg.svd(G, compute_uv=False)
if N < d:
    w = np.linalg.eigvalsh(G @ G.T / N)
    sx = np.linalg.svd(X, compute_uv=False)
    q, _ = np.linalg.qr(X.T, mode="complete")
    u = q[:, -1]
else:
    w = np.linalg.eigvalsh(G.T @ G / N)
    _, sx, vt = np.linalg.svd(X, full_matrices=False)
    u = vt[-1]
qd = np.sum((G @ u) ** 2) / N
ms = (time.perf_counter() - t) * 1000
# the same work with LAPACK dgejsv (the relatively accurate Jacobi SVD this library implements) for
# the two SVDs, when scipy is there: the like-for-like algorithm, beside numpy's gesdd
try:
    from scipy.linalg import lapack
    t = time.perf_counter()
    T = G.T if N < d else G
    s = lapack.dgejsv(np.asfortranarray(T), joba=2, jobu=3, jobv=3)[0]
    w = np.linalg.eigvalsh(G @ G.T / N if N < d else G.T @ G / N)
    if N < d:
        sx = lapack.dgejsv(np.asfortranarray(X.T), joba=2, jobu=3, jobv=3)[0]
        q, _ = np.linalg.qr(X.T, mode="complete")
        u = q[:, -1]
    else:
        r = lapack.dgejsv(np.asfortranarray(X), joba=2, jobu=1, jobv=1)  # scipy refuses V without U: LAPACK does extra work here
        u = r[2][:, -1]
    qd = np.sum((G @ u) ** 2) / N
    jsv = (time.perf_counter() - t) * 1000
except Exception:
    jsv = None
print(json.dumps({"ms": ms, "jsv": jsv}))
`;

await dds.init();
console.log(`wide layers (N < d): layerReading against numpy's equivalent work, one thread, paired rounds (goal ≤ 2×)`);
for (const [N, d] of shapes) {
  const u = rng(N * d);
  const X = new Float32Array(N * d).map(() => u());
  const G = new Float32Array(N * d).map(() => u());
  const file = join(tmp, `w${N}x${d}.bin`);
  const both = new Float64Array(2 * N * d);
  both.set(X);
  both.set(G, N * d);
  writeFileSync(file, new Uint8Array(both.buffer));
  const X32 = { rows: N, cols: d, data: X };
  const G32 = { rows: N, cols: d, data: G };
  const X64 = { rows: N, cols: d, data: Float64Array.from(X) };
  const G64 = { rows: N, cols: d, data: Float64Array.from(G) };
  dds.layerReading(X32, G32); // warm-up
  const [o32, o64, np, jsv] = [[], [], [], []];
  let svd = "";
  for (let k = 0; k < 3; k++) {
    let t0 = performance.now();
    const r = dds.layerReading(X32, G32);
    o32.push(performance.now() - t0);
    svd = `${r.factor.svd}/${r.activation.svd}`;
    if (N < d && (r.activation.sigmaMin !== 0 || r.activation.xNullDim !== d - N)) throw new Error("wide reading: σ_min must be 0 and xNullDim d − N");
    const p = spawnSync(python, ["-c", NUMPY, String(N), String(d), file], { encoding: "utf8", env });
    const out = p.status === 0 ? JSON.parse(p.stdout) : {};
    np.push(out.ms ?? NaN);
    jsv.push(out.jsv ?? NaN);
    t0 = performance.now();
    dds.layerReading(X64, G64);
    o64.push(performance.now() - t0);
  }
  const [a, b, a64, c] = [median(o32), median(np), median(o64), median(jsv)];
  const ratio = a / b;
  const fin = Number.isFinite;
  console.log(`  ${N} × ${d} F32-stored (SVD ${svd}): ours ${a.toFixed(0)} ms, numpy (gesdd) ${fin(b) ? b.toFixed(0) : "–"} ms → ${fin(ratio) ? `${ratio.toFixed(2)}× (${ratio <= 2 ? "PASS" : "MISS"} ≤ 2×)` : "numpy skipped"}`);
  console.log(`  ${N} × ${d} the same values as F64 (Jacobi SVD, relatively accurate): ours ${a64.toFixed(0)} ms` + (fin(b) ? ` → ${(a64 / b).toFixed(2)}× numpy's gesdd` : "") +
    (fin(c) ? `; the same work with LAPACK's Jacobi SVD dgejsv ${c.toFixed(0)} ms → ${(a64 / c).toFixed(2)}×` : ""));
}
