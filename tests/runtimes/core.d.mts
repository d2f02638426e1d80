// Types for core.mjs, which stays plain JS so that every runtime (browsers included) loads it as is.

export interface Case {
  rows: number;
  cols: number;
  scale: "sum" | "mean" | "unbiased" | number;
}

export interface CaseResult {
  case: string;
  inputHash: string;
  outHash: string;
  sampleIndex: number;
  sampleHex: string;
}

export interface BinaryResult {
  requested: "simd" | "scalar";
  simd?: boolean;
  source?: string;
  abiVersion?: number;
  cases?: CaseResult[];
  nonFiniteName?: string;
  nonFiniteRow?: number;
  nonFiniteCol?: number;
  nonFiniteCode?: string;
  afterErrorHash?: string;
  combined?: string;
  error?: string;
}

export interface RunResult {
  runtime: string;
  host: string;
  binaries: Record<"simd" | "scalar", BinaryResult>;
}

export interface Lib {
  init(opts?: { simd?: boolean }): Promise<{ simd: boolean; source: string; abiVersion: number }>;
  gram(x: Float64Array, shape: readonly [number, number], opts?: { scale?: Case["scale"] }): { rows: number; cols: number; data: Float64Array };
}

export const CASES: readonly Case[];
export function makeMatrix(rows: number, cols: number, seed: number): Float64Array;
export function caseInput(index: number): Float64Array;
export function fnv1a64(bytes: Uint8Array): string;
export function hashF64(arr: Float64Array): string;
export function f64Hex(x: number): string;
export function combineHashes(hexes: string[]): string;
export function run(lib: Lib, runtimeName: string): Promise<RunResult>;
