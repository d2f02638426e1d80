#!/usr/bin/env python3
"""numpy side of `npm run bench`: times one op on matrices written by bench/run.mjs.
Usage: numpy_ops.py OP ROWS COLS FILE REPS  → prints JSON {"ms": [...], "threads": ..., "blas": ...}.
Run by bench/run.mjs with one BLAS thread and OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset (this process only)."""
import json
import sys
import time

import numpy as np

op, rows, cols, path, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
x = np.fromfile(path, dtype="<f8").reshape(rows, cols)
if op == "gram_f32":
    x = x.astype(np.float32)
elif op in ("eigvalsh", "eigh", "slogdet_pos"):
    x = (x + x.T) / 2
    if op == "slogdet_pos":
        x = x + rows * np.eye(rows)

try:
    import scipy.linalg as sla
except ImportError:  # scipy is optional: numpy's routines are used where it is absent
    sla = None


def run():
    if op == "gram":
        return x.T @ x / rows
    if op == "gram_f32":  # numpy has no f32-input/f64-accumulate syrk: widen, then multiply
        y = x.astype(np.float64)
        return y.T @ y / rows
    if op == "eigvalsh":
        return np.linalg.eigvalsh(x)
    if op == "eigh":
        return np.linalg.eigh(x)
    if op == "svdvals":
        return np.linalg.svd(x, compute_uv=False)
    if op == "svd":
        return np.linalg.svd(x, full_matrices=False)
    if op == "slogdet_pos":  # Cholesky route (scipy), else numpy's LU slogdet
        if sla is not None:
            c = sla.cho_factor(x, lower=True, check_finite=False)[0]
            return 2 * np.sum(np.log(np.diag(c)))
        return np.linalg.slogdet(x)
    raise SystemExit(f"unknown op {op}")


run()  # warm-up
ms = []
for _ in range(reps):
    t0 = time.perf_counter()
    run()
    ms.append((time.perf_counter() - t0) * 1000)
info = {}
try:
    from threadpoolctl import threadpool_info
    info = [{k: p.get(k) for k in ("internal_api", "num_threads", "version", "architecture")} for p in threadpool_info()]
except Exception:
    info = np.__version__
print(json.dumps({"ms": ms, "blas": info, "numpy": np.__version__}))
