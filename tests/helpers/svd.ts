// SVD fixtures (scripts/fixtures/svd.py → tests/fixtures/svd/) and LAPACK-style test ratios
// (as in LAPACK's dsvdts/dort01: errors divided by dimension · norm · ε, so ≲ 30 means "backward stable").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "./prng.js";

export const EPS = 2 ** -52;
const DIR = join(import.meta.dirname, "..", "fixtures", "svd");

export interface SvdCase {
  name: string;
  kind: string;
  m: number;
  n: number;
  note: string;
  crc32: number;
  file?: string;
  seed?: number;
  svals: string[];
}

export interface RelativeCase {
  name: string;
  m: number;
  n: number;
  file: string;
  crc32: number;
  note: string;
  svals_mp: string[];
  numpy_gram_lambda_min: string;
  numpy_gram_rel_error_min: string;
  numpy_svd_rel_error_min: string;
}

const index = JSON.parse(readFileSync(join(DIR, "svd.json"), "utf8")) as { cases: SvdCase[]; relative: RelativeCase[] };
export const CASES = index.cases;
export const RELATIVE = index.relative;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The input of a case (row-major), from its .bin or rebuilt from its seed; CRC-checked. */
export function loadInput(c: { m: number; n: number; crc32: number; file?: string; seed?: number; name: string }): Float64Array {
  let a: Float64Array;
  if (c.file) {
    const buf = readFileSync(join(DIR, c.file));
    a = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  } else {
    const rng = new Rng(c.seed!);
    a = rng.matrix(c.m, c.n);
  }
  if (a.length !== c.m * c.n) throw new Error(`${c.name}: expected ${c.m * c.n} values, got ${a.length}`);
  const crc = crc32(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  if (crc !== c.crc32) throw new Error(`${c.name}: CRC-32 ${crc} differs from the fixture's ${c.crc32}`);
  return a;
}

/** max|s − ref| / (max(m,n)·σ₁·ε); 0 when both are exactly zero. */
export function svalRatio(s: Float64Array, ref: readonly number[], m: number, n: number): number {
  let err = 0;
  for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(s[i]! - ref[i]!));
  const scale = Math.max(m, n) * (ref[0] ?? 0) * EPS;
  return err === 0 ? 0 : scale === 0 ? Infinity : err / scale;
}

/** ‖X‖₁ (max column sum) of a row-major r × c matrix. */
function norm1(x: Float64Array, r: number, c: number): number {
  const col = new Float64Array(c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) col[j]! += Math.abs(x[i * c + j]!);
  return col.reduce((a, b) => Math.max(a, b), 0);
}

/** ‖A − U·diag(S)·Vh‖₁ / (max(m,n)·‖A‖₁·ε). */
export function residualRatio(a: Float64Array, m: number, n: number, U: Float64Array, S: Float64Array, Vh: Float64Array): number {
  const k = S.length;
  const r = Float64Array.from(a);
  const us = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < k; c++) us[c] = U[i * k + c]! * S[c]!;
    const off = i * n;
    for (let c = 0; c < k; c++) {
      const f = us[c]!;
      if (f === 0) continue;
      const vo = c * n;
      for (let j = 0; j < n; j++) r[off + j]! -= f * Vh[vo + j]!;
    }
  }
  const rn = norm1(r, m, n);
  const an = norm1(a, m, n);
  return rn === 0 ? 0 : an === 0 ? Infinity : rn / (Math.max(m, n) * an * EPS);
}

/**
 * ‖QᵀQ − I‖₁ / (len·ε) for the k columns of a row-major len × k matrix (`rows: false`), or for the k
 * rows of a row-major k × len matrix (`rows: true`).
 */
export function orthoRatio(q: Float64Array, len: number, k: number, rows: boolean): number {
  const g = new Float64Array(k * k);
  if (rows) {
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let t = 0; t < len; t++) s += q[a * len + t]! * q[b * len + t]!;
        g[a * k + b] = s;
        g[b * k + a] = s;
      }
    }
  } else {
    for (let t = 0; t < len; t++) {
      const row = t * k;
      for (let a = 0; a < k; a++) {
        const qa = q[row + a]!;
        if (qa === 0) continue;
        for (let b = 0; b < k; b++) g[a * k + b]! += qa * q[row + b]!;
      }
    }
  }
  for (let a = 0; a < k; a++) g[a * k + a]! -= 1;
  const e = norm1(g, k, k);
  return e / (Math.max(len, 1) * EPS);
}

/** A markdown-ish table for the test log. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [head, ...rows.map((r) => r.map((v) => (typeof v === "number" ? fmt(v) : v)))];
  const w = head.map((_, j) => Math.max(...cells.map((r) => String(r[j]).length)));
  return cells.map((r) => r.map((v, j) => String(v).padStart(w[j]!)).join("  ")).join("\n");
}

function fmt(v: number): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 0.01 && Math.abs(v) < 1e4 ? v.toFixed(3) : v.toExponential(2);
}
