// Shared pieces of the concurrency tests: checkpoint files, byte sources whose reads resolve late,
// caller views filled with a known pattern, and keys that compare results bit for bit.

import { deepLinearBridge, saveSafetensors, type ByteSource, type F64View } from "../../src/entry/default.js";
import { Rng } from "../helpers/prng.js";

/** The 16 hex digits of a double's bit pattern (NaN payloads and −0 included). */
function f64Hex(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16).padStart(16, "0");
}

function bytesHex(a: ArrayBufferView): string {
  const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = "";
  for (let i = 0; i < u.length; i++) s += u[i]!.toString(16).padStart(2, "0");
  return s;
}

/**
 * A string that differs whenever any bit of `value` differs: numbers become their bit patterns and
 * typed arrays their raw bytes, inside the JSON of everything else (report rows, readings, headers).
 */
export function bitsKey(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _k, v: unknown) {
    if (typeof v === "number") return `f64:${f64Hex(v)}`;
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}:${bytesHex(v)}`;
    return v;
  });
}

/** One checkpoint file: X and Γ of layer h1 of a bridge point, stored as `dtype`. */
export interface Checkpoint {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Checkpoint files of different sizes and dtypes: X and Γ of a few bridge points, from 48 KB (one
 * decode chunk) to 290 KB (five chunks of 64 KiB), so readings allocate blocks of different sizes.
 */
export function checkpoints(): Checkpoint[] {
  const out: Checkpoint[] = [];
  const specs = [
    { N: 300, r: 2, point: 3, dtype: "F64" as const },
    { N: 120, r: 1, point: 6, dtype: "F32" as const },
    { N: 900, r: 2, point: 8, dtype: "F64" as const },
    { N: 450, r: 3, point: 1, dtype: "F32" as const },
  ];
  for (const [i, s] of specs.entries()) {
    const p = deepLinearBridge({ r: s.r, N: s.N })[s.point]!;
    const data = (m: { data: Float64Array }) => (s.dtype === "F64" ? m.data : Float32Array.from(m.data));
    const bytes = saveSafetensors(
      { X: { dtype: s.dtype, shape: [s.N, 20], data: data(p.X[0]!) }, G: { dtype: s.dtype, shape: [s.N, 20], data: data(p.gamma[0]!) } },
      { t: String(p.t) },
    );
    out.push({ name: `c${i}`, bytes, rows: s.N, cols: 20 });
  }
  return out;
}

/** How a delayed source answers one read. */
export type Delay = "sync" | "microtask" | number;

/** Wait as `delay` says: nothing, one queued microtask, or a timer of that many ms. */
export function after<T>(delay: Delay, make: () => T): T | Promise<T> {
  if (delay === "sync") return make();
  if (delay === "microtask") return new Promise((resolve) => queueMicrotask(() => resolve(make())));
  return new Promise((resolve) => setTimeout(() => resolve(make()), delay));
}

/** A seeded random delay: a synchronous answer, a microtask, or a timer of 0–5 ms. */
export function randomDelay(rng: Rng): Delay {
  const k = rng.u32() % 8;
  return k === 0 ? "sync" : k === 1 ? "microtask" : k - 2;
}

/**
 * `{ size, read }` over `bytes` whose every read resolves after a seeded random delay; `during`
 * runs inside each read callback (while the loader that asked is suspended), for code that must
 * not disturb it. Each read returns a fresh copy, as a network source would.
 */
export function delayedSource(bytes: Uint8Array, rng: Rng, during?: () => void): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      during?.();
      return after(randomDelay(rng), () => bytes.slice(offset, offset + length));
    },
  };
}

/** `{ size, read }` over `bytes` whose every read resolves after a timer of `ms` milliseconds. */
export function slowSource(bytes: Uint8Array, ms: number): ByteSource {
  return { size: bytes.length, read: (offset, length) => after(ms, () => bytes.slice(offset, offset + length)) };
}

/** Fill a caller's view with a pattern derived from `seed` (every entry distinct). */
export function fillPattern(view: F64View, seed: number): void {
  const a = view.array;
  for (let i = 0; i < a.length; i++) a[i] = seed * 1e6 + i + 0.25;
}

/** How many entries of `view` no longer hold the pattern of `seed`. */
export function patternDamage(view: F64View, seed: number): number {
  const a = view.array;
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== seed * 1e6 + i + 0.25) bad++;
  return bad;
}

/** The outcomes of settled promises: results, and the rejections' messages. */
export function split<T>(settled: PromiseSettledResult<T>[]): { values: (T | undefined)[]; errors: string[] } {
  return {
    values: settled.map((s) => (s.status === "fulfilled" ? s.value : undefined)),
    errors: settled.flatMap((s) => (s.status === "rejected" ? [String((s.reason as Error)?.message ?? s.reason)] : [])),
  };
}

export { Rng };
