// The eigen test battery: matrices rebuilt bit for bit from scripts/fixtures/eigen.py's recipes (same
// xorshift32 stream, same IEEE operations in the same order; CRC-32 checked), numpy's eigenvalues from
// tests/fixtures/eigen/eigen.json, and LAPACK-style scaled error ratios.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "./prng.js";

export const EPS = 2 ** -52;

export interface EigenCase {
  name: string;
  kind: "random" | "diagonal" | "clustered" | "repeated" | "rankdef" | "graded" | "wilkinson" | "zero" | "scaled";
  n: number;
  seed: number;
  param?: number;
  crc32: number;
  eigenvalues: number[];
}

export function loadCases(): EigenCase[] {
  const path = join(import.meta.dirname, "..", "fixtures", "eigen", "eigen.json");
  return (JSON.parse(readFileSync(path, "utf8")) as { cases: EigenCase[] }).cases;
}

/** Lower triangle mirrored up; `+ 0` as numpy's tril(a) + tril(a, -1).T turns −0 into +0. */
function mirror(a: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j]! + 0;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

function randomSym(n: number, seed: number, scale?: number): Float64Array {
  const rng = new Rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const v = rng.signed();
    a[i * n + j] = scale === undefined ? v : v * scale;
  }
  return mirror(a, n);
}

/** Q = H1·H2·H3·I with H = I − (2/uᵀu)·u·uᵀ, sums sequential (as eigen.py). Row-major. */
function reflectors(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < 3; r++) {
    const u = Array.from({ length: n }, () => rng.signed());
    let s = 0;
    for (const x of u) s += x * x;
    const c = 2 / s;
    const t = new Float64Array(n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) t[i]! += q[i * n + j]! * u[j]!;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i * n + j] = q[i * n + j]! - t[i]! * c * u[j]!;
  }
  return q;
}

function withSpectrum(n: number, seed: number, lam: (rng: Rng) => number[]): Float64Array {
  const rng = new Rng(seed);
  const q = reflectors(n, rng);
  const l = lam(rng);
  const a = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) {
    const x = l[k]! * q[i * n + k]!;
    for (let j = 0; j <= i; j++) a[i * n + j]! += x * q[j * n + k]!;
  }
  return mirror(a, n);
}

/** The matrix of a case, row-major n × n, exactly symmetric. */
export function buildMatrix(c: EigenCase): Float64Array {
  const { n, seed } = c;
  const p = c.param ?? 0;
  switch (c.kind) {
    case "random":
      return randomSym(n, seed);
    case "scaled":
      return randomSym(n, seed, p);
    case "diagonal": {
      const rng = new Rng(seed);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) a[i * n + i] = rng.signed();
      return a;
    }
    case "clustered":
      return withSpectrum(n, seed, () => Array.from({ length: n }, (_, i) => [-1, 0.25, 1][i % 3]! + Math.floor(i / 3) * 1e-10));
    case "repeated":
      return withSpectrum(n, seed, () => Array.from({ length: n }, (_, i) => [-2, 0.5, 3][i % 3]!));
    case "rankdef":
      return withSpectrum(n, seed, (rng) => Array.from({ length: n }, (_, k) => (k < p ? rng.signed() : 0)));
    case "graded": {
      const b = randomSym(n, seed);
      const d = Array.from({ length: n }, (_, i) => {
        let v = 1;
        for (let k = Math.floor((100 * i + (n - 1)) / (2 * (n - 1))); k > 0; k--) v *= 0.5;
        return v;
      });
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = d[i]! * b[i * n + j]! * d[j]!;
      return mirror(a, n);
    }
    case "wilkinson": {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        a[i * n + i] = Math.abs(p - i);
        if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = 1;
      }
      return a;
    }
    case "zero":
      return new Float64Array(n * n);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let b = 0; b < 8; b++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (zlib's) of the little-endian bytes of `a`. */
export function crc32(a: Float64Array): number {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** ‖A‖₁ (max column sum) of a row-major n × n matrix. */
export function norm1(a: Float64Array, n: number): number {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[j]! += Math.abs(a[i * n + j]!);
  return s.reduce((x, y) => Math.max(x, y), 0);
}

/** 2^k, exact, for −1022 ≤ k ≤ 1023. */
export function pow2(k: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, (k + 1023) << 20);
  return v.getFloat64(0);
}

export interface Ratios {
  /** max|w − w_ref| / (n·‖A‖₁·ε) */
  value: number;
  /** ‖AV − VΛ‖₁ / (n·‖A‖₁·ε) */
  residual: number;
  /** ‖VᵀV − I‖₁ / (n·ε) */
  orthogonality: number;
}

/**
 * LAPACK-style scaled ratios (dsyt21/dstt21 spirit). A is n × n; w has m values; V is row-major n × m.
 * The residual is formed on A·2^−k (k ≈ log2 ‖A‖₁, exact) so that 1e±300 matrices neither overflow
 * nor fall into subnormals while it is computed.
 */
export function ratios(a: Float64Array, n: number, w: ArrayLike<number>, wRef: ArrayLike<number>, v?: Float64Array): Ratios {
  const m = w.length;
  const anorm = norm1(a, n);
  const den = Math.max(n * anorm * EPS, Number.MIN_VALUE);
  let werr = 0;
  for (let i = 0; i < m; i++) werr = Math.max(werr, Math.abs(w[i]! - wRef[i]!));
  const out: Ratios = { value: werr / den, residual: 0, orthogonality: 0 };
  if (!v) return out;
  const k = anorm > 0 ? Math.round(Math.log2(anorm)) : 0;
  const s = pow2(-k);
  const as = a.map((x) => x * s);
  const col = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let t = 0;
      for (let q = 0; q < n; q++) t += as[i * n + q]! * v[q * m + j]!;
      col[j]! += Math.abs(t - w[j]! * s * v[i * m + j]!);
    }
  }
  out.residual = anorm > 0 ? col.reduce((x, y) => Math.max(x, y), 0) / (n * (anorm * s) * EPS) : 0;
  const oc = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    let t = 0;
    for (let q = 0; q < n; q++) t += v[q * m + i]! * v[q * m + j]!;
    oc[j]! += Math.abs(t - (i === j ? 1 : 0));
  }
  out.orthogonality = oc.reduce((x, y) => Math.max(x, y), 0) / (n * EPS);
  return out;
}

/** One line of the printed ratio table. */
export function row(name: string, n: number, r: Ratios, ms: number): string {
  const f = (x: number) => x.toFixed(3).padStart(8);
  return `${name.padEnd(22)} ${String(n).padStart(4)} ${f(r.value)} ${f(r.residual)} ${f(r.orthogonality)} ${ms.toFixed(1).padStart(8)}`;
}
export const HEADER = `${"case".padEnd(22)} ${"n".padStart(4)} ${"value".padStart(8)} ${"resid".padStart(8)} ${"orth".padStart(8)} ${"ms".padStart(8)}`;
