// Storing test matrices in the coarse float formats (F32, F16, BF16) as a dump would: each entry
// rounded to nearest, and a safetensors file holding the raw bits, so readings see the stored dtype.

/** Round to `p` significant bits (nearest; Veltkamp split), for values in the format's normal range. */
function roundBits(v: number, p: number): number {
  const c = v * (2 ** (53 - p) + 1);
  return c - (c - v);
}

import { saveSafetensors, type TensorToWrite } from "../../src/entry/default.js";

export type LowDtype = "F64" | "F32" | "F16" | "BF16";

/** The value each entry takes when stored in `dtype` (throws on overflow, and on BF16 subnormals). */
export function roundTo(dtype: LowDtype, x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x);
  if (dtype === "F64") return out;
  if (dtype === "F32") return out.map((v) => Math.fround(v));
  const [p, min, max] = dtype === "F16" ? [11, 2 ** -14, 65504] : [8, 2 ** -126, 3.38e38];
  return out.map((v) => {
    if (Math.abs(v) > max) throw new Error(`roundTo(${dtype}): ${v} overflows`);
    if (Math.abs(v) >= min) return roundBits(v, p);
    if (dtype === "BF16" && v !== 0) throw new Error(`roundTo(BF16): ${v} is subnormal`);
    return Math.round(v / 2 ** -24) * 2 ** -24; // F16 subnormals: multiples of 2⁻²⁴ (error ≤ 2⁻²⁵ = η)
  });
}

/** The bits of values already representable in F16. */
function f16Bits(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  if (Math.abs(v) < 2 ** -14) return (v < 0 ? 0x8000 : 0) | Math.abs(v) / 2 ** -24; // subnormal
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0);
  const e = ((hi >>> 20) & 0x7ff) - 1023;
  const mant = (hi >>> 10) & 0x3ff; // the top 10 of the 52 mantissa bits
  return ((hi >>> 31) << 15) | ((e + 15) << 10) | mant;
}

/** A safetensors file with each tensor stored in its dtype (values rounded first with roundTo). */
export function lowpSafetensors(tensors: Record<string, { dtype: LowDtype; shape: number[]; data: ArrayLike<number> }>, metadata?: Record<string, string>): Uint8Array {
  const out: Record<string, TensorToWrite> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const v = roundTo(t.dtype, t.data);
    let data: Float64Array | Float32Array | Uint16Array = t.dtype === "F64" ? v : Float32Array.from(v);
    if (t.dtype === "F16" || t.dtype === "BF16") {
      const f32 = new Uint32Array(Float32Array.from(v).buffer);
      data = t.dtype === "BF16" ? Uint16Array.from(f32, (b) => b >>> 16) : Uint16Array.from(v, f16Bits);
    }
    out[name] = { dtype: t.dtype, shape: t.shape, data };
  }
  return saveSafetensors(out, metadata);
}
