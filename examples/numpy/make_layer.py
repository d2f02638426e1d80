#!/usr/bin/env python3
"""The numpy recipe: activations X and per-sample gradients Γ of one hidden layer, saved for dds.

A two-layer network h = relu(W1 x + b1), ŷ = W2 h, loss ℓ_i = ½‖ŷ_i − y_i‖². The per-sample gradient
of the loss with respect to the layer's output h is Γ_i = ∂ℓ_i/∂h_i = W2ᵀ(ŷ_i − y_i): one row per
sample, the same shape as X. Save both (float64!) and read them with `dds read FILE --x X_h1 --gamma G_h1`.

Usage: python3 examples/numpy/make_layer.py OUT.npz [N] [seed]
"""
import sys

import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "layer.npz"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 512
rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
d_in, d_h, d_out = 10, 24, 3

x = rng.standard_normal((N, d_in))
y = np.tanh(x[:, :d_out]) + 0.05 * rng.standard_normal((N, d_out))   # a target the net can partly fit
W1 = rng.standard_normal((d_h, d_in)) / np.sqrt(d_in)
b1 = 0.1 * rng.standard_normal(d_h)
W2 = rng.standard_normal((d_out, d_h)) / np.sqrt(d_h)

H = np.maximum(x @ W1.T + b1, 0.0)          # X_h1: N × d_h activations (post-ReLU)
residual = H @ W2.T - y                      # ∂ℓ_i/∂ŷ_i
G = residual @ W2                            # Γ_h1: N × d_h, row i = W2ᵀ(ŷ_i − y_i)

np.savez(out, X_h1=H.astype(np.float64), G_h1=G.astype(np.float64))
print(f"wrote {out}: X_h1 {H.shape}, G_h1 {G.shape} (float64)")
