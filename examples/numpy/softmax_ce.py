#!/usr/bin/env python3
"""Softmax cross-entropy near zero loss: Γ without cancellation, saved for dds.

A classifier h = tanh(W1 x + b1) (the layer read, width d), logits z = W h + b (C classes), loss
ℓᵢ = −log pᵢ[yᵢ] with pᵢ = softmax(zᵢ). The per-sample gradient w.r.t. the layer's output is
    Γᵢ = ∂ℓᵢ/∂hᵢ = Wᵀ(pᵢ − e_yᵢ),   i.e.   Γ = (P − Y) W     (Y one-hot, W is C × d).

Structural rank: every row of P − Y sums to zero (Σⱼ pᵢⱼ = 1), so Γ has rank ≤ C − 1 at any width d
and any N; G = ΓᵀΓ/N has at most C − 1 positive eigenvalues. That count is the loss's, not the network's.

Cancellation: near zero loss pᵢ_y = 1 − δᵢ with δᵢ tiny. The obvious (P − Y)ᵢ_y = pᵢ_y − 1 subtracts two
numbers that agree in their first −log10 δᵢ digits; pᵢ_y carries an absolute rounding error of order
1e-16, which the subtraction keeps while the true value is only δᵢ (once δᵢ is below about 1e-16, pᵢ_y
rounds to 1 and the entry is 0). The rows stop summing to zero and G gains a spurious C-th direction,
far below the true ones but well above fp64's trust floor for Γ: dds would count it. PyTorch's autograd
through cross_entropy / log_softmax forms p − onehot by the same subtraction.

The cancellation-free form never computes 1 − p:  (P − Y)ᵢ_y = −Σ_{j≠y} pᵢⱼ,  a sum of positive terms,
each taken from the log-softmax with a small *relative* error. Its rows sum to zero up to rounding
relative to δᵢ, not to 1. (−(Σⱼ pᵢⱼ − pᵢ_y) is NOT cancellation-free: Σⱼ pᵢⱼ ≈ 1 cancels against pᵢ_y.)

The classifier here is trained for 3000 full-batch steps on well-separated classes, then its
output layer (W, b) is scaled up until every training sample has pᵢ_y ≥ 1 − 1e-8: what long training
does slowly (the weight norm grows along the max-margin direction), done in one step.

Usage: python3 examples/numpy/softmax_ce.py OUT.npz [N] [seed]
Writes X_h1 (= h), G_naive and G_stable (float64, N × d); read with
`dds read OUT.npz --x X_h1 --gamma G_stable` (and compare with --gamma G_naive).
"""
import sys

import numpy as np


def log_softmax(z):
    """Row-wise log-softmax, shifted by the row maximum (no overflow, small relative error in exp of it)."""
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def softmax(z):
    """The usual stable softmax exp(z − max) / Σ exp(z − max)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def ce_grad_naive(z, y):
    """∂ℓᵢ/∂zᵢ = pᵢ − e_yᵢ the obvious way: pᵢ_y − 1 cancels near zero loss (absolute error ~1e-16)."""
    g = softmax(z)
    g[np.arange(len(y)), y] -= 1.0
    return g


def ce_grad_stable(z, y):
    """∂ℓᵢ/∂zᵢ = pᵢ − e_yᵢ without cancellation: pᵢⱼ (j ≠ y) from the log-softmax, and
    (P − Y)ᵢ_y = −Σ_{j≠y} pᵢⱼ (positive terms only). Every entry has a small relative error."""
    rows = np.arange(len(y))
    q = np.exp(log_softmax(z))
    q[rows, y] = 0.0                  # drop pᵢ_y ≈ 1 before summing: never form 1 − pᵢ_y
    q[rows, y] = -q.sum(axis=1)       # = −Σ_{j≠y} pᵢⱼ
    return q


def one_minus_p_true(z, y):
    """δᵢ = 1 − pᵢ_y = Σ_{j≠y} pᵢⱼ, accurately (for reporting; pᵢ_y itself rounds near 1)."""
    q = np.exp(log_softmax(z))
    q[np.arange(len(y)), y] = 0.0
    return q.sum(axis=1)


def classifier(N=300, seed=0, C=10, d=24, d_in=12, steps=3000, lr=0.5, delta=1e-8):
    """Train h = tanh(W1 x + b1), z = W h + b on C well-separated Gaussian classes (full-batch gradient
    descent on the mean cross-entropy, float64), then scale (W, b) by the smallest factor that makes
    every training sample's 1 − pᵢ_y ≤ delta. Returns a dict: x, y, h, z, W1, b1, W, b, scale."""
    rng = np.random.default_rng(seed)
    means = 1.5 * rng.standard_normal((C, d_in))
    y = rng.permutation(np.arange(N) % C)                    # balanced classes, shuffled
    x = means[y] + 0.5 * rng.standard_normal((N, d_in))
    W1 = rng.standard_normal((d, d_in)) / np.sqrt(d_in)
    b1 = 0.1 * rng.standard_normal(d)
    W = rng.standard_normal((C, d)) / np.sqrt(d)
    b = np.zeros(C)
    for _ in range(steps):
        h = np.tanh(x @ W1.T + b1)
        dz = ce_grad_stable(h @ W.T + b, y) / N              # ∂(mean loss)/∂z
        dh = (dz @ W) * (1.0 - h * h)
        W -= lr * (dz.T @ h)
        b -= lr * dz.sum(axis=0)
        W1 -= lr * (dh.T @ x)
        b1 -= lr * dh.sum(axis=0)
    h = np.tanh(x @ W1.T + b1)
    z = h @ W.T + b
    if np.any(z.argmax(axis=1) != y):
        raise RuntimeError("softmax_ce: the classifier does not separate its training set; no scale reaches zero loss")

    # Scale the output layer: log max_i δᵢ(α) with δᵢ(α) = Σ_{j≠y} exp(α(zᵢⱼ − zᵢ_y)) decreases in α; bisect.
    gap = z - z[np.arange(N), y][:, None]
    gap[np.arange(N), y] = -np.inf
    def log_max_delta(a):
        s = a * gap
        m = s.max(axis=1)
        return np.max(m + np.log(np.exp(s - m[:, None]).sum(axis=1)))
    lo, hi = 1.0, 2.0
    while log_max_delta(hi) > np.log(delta):
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        lo, hi = (lo, mid) if log_max_delta(mid) <= np.log(delta) else (mid, hi)
    W, b = hi * W, hi * b
    z = h @ W.T + b                                          # the logits of the scaled network itself
    return {"x": x, "y": y, "h": h, "z": z, "W1": W1, "b1": b1, "W": W, "b": b, "scale": hi}


def layer(N=300, seed=0, **kw):
    """X_h1 = h and Γ in both forms, (P − Y)·W, from the classifier above (kw: classifier's options)."""
    net = classifier(N, seed, **kw)
    z, y, W = net["z"], net["y"], net["W"]
    return net, {"X_h1": net["h"], "G_naive": ce_grad_naive(z, y) @ W, "G_stable": ce_grad_stable(z, y) @ W}


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "softmax.npz"
    N = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    net, arrays = layer(N, seed)
    np.savez(out, **{k: v.astype(np.float64) for k, v in arrays.items()})
    C = net["W"].shape[0]
    dlt = one_minus_p_true(net["z"], net["y"])
    print(f"wrote {out}: X_h1, G_naive, G_stable {arrays['X_h1'].shape} (float64); C = {C}, "
          f"max 1 − p_iy = {dlt.max():.2e}, output layer scaled ×{net['scale']:.3g}")
    for k in ("G_naive", "G_stable"):
        lam = np.linalg.svd(arrays[k], compute_uv=False) ** 2 / N
        print(f"  {k:8s}: eigenvalues of G #{C - 1} = {lam[C - 2]:.3e}, #{C} = {lam[C - 1]:.3e} "
              f"({np.log10(lam[C - 2] / lam[C - 1]):.1f} decades apart)")
