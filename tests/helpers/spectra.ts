// Test matrices with a prescribed spectrum: U·diag(s)·Vᵀ from seeded orthonormal factors.
import type { Rng } from "./prng.js";

/** N × k with orthonormal columns (modified Gram–Schmidt, twice), row-major. */
export function orthonormal(rng: Rng, N: number, k: number): Float64Array {
  const q = rng.matrix(N, k);
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < N; r++) dot += q[r * k + i]! * q[r * k + j]!;
        for (let r = 0; r < N; r++) q[r * k + j]! -= dot * q[r * k + i]!;
      }
    }
    let nn = 0;
    for (let r = 0; r < N; r++) nn += q[r * k + j]! ** 2;
    for (let r = 0; r < N; r++) q[r * k + j]! /= Math.sqrt(nn);
  }
  return q;
}

/** U·diag(s)·Vᵀ, N × d, with given singular values s (length d ≤ N); pass U, V to reuse factors. */
export function withSingularValues(rng: Rng, N: number, s: readonly number[], factors?: { U: Float64Array; V: Float64Array }): Float64Array {
  const d = s.length;
  const U = factors?.U ?? orthonormal(rng, N, d);
  const V = factors?.V ?? orthonormal(rng, d, d);
  const out = new Float64Array(N * d);
  for (let r = 0; r < N; r++) {
    for (let k = 0; k < d; k++) {
      const us = U[r * d + k]! * s[k]!;
      for (let j = 0; j < d; j++) out[r * d + j]! += us * V[j * d + k]!;
    }
  }
  return out;
}

