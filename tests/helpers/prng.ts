// Deterministic test data: xorshift32 with 53-bit mantissas from two draws (no Math.random in tests).

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.u32() >>> 5;
    const lo = this.u32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
  /** Uniform in [-1, 1). */
  signed(): number {
    return 2 * this.uniform() - 1;
  }
  /** Standard normal (Box–Muller; test data only, never compared across engines). */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  matrix(rows: number, cols: number, f: () => number = () => this.signed()): Float64Array {
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < out.length; i++) out[i] = f();
    return out;
  }
}

/** Both binaries, for `describe.each`. */
export const BINARIES = [
  { name: "simd", simd: true },
  { name: "scalar", simd: false },
] as const;

/** Exact bit equality of two f64 arrays (also -0 vs 0 and NaN payload-insensitive). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
