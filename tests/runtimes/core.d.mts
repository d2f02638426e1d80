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
  loaders?: LoaderResult;
  dds?: { inputHash: string; rowHash: string; uDeadHash: string; spectraHash: string; logdetSlope: string; lambdaMinPos: string };
  /** A wide F32 reading (N < d): which SVD each side used, nPos, and a hash of the row, spectra, σ(X) and u_dead. */
  wide?: { svd: string; nPos: number; hash: string };
  loadersError?: string;
  /** Overlapping readCheckpoint calls: combined hashes one at a time and all at once, calls whose hash differs, arena().used after. */
  concurrent?: { oneByOne: string; together: string; differing: string[]; usedAfter: number };
  concurrentError?: string;
  streaming?: { hash: string; nPos: number; sameAsInMemory: boolean; usedAfter: number };
  streamingError?: string;
}

export interface LoaderFileResult {
  names: string;
  /** FNV-1a 64 of each tensor's decoded f64 bits (or "Error:dtype" for refused dtypes). */
  tensors: Record<string, string>;
  viaBlob: string;
  viaArena: string;
  combined: string;
}

export type LoaderResult = Record<string, LoaderFileResult> & { nonFinite?: string };

export interface RunResult {
  runtime: string;
  host: string;
  binaries: Record<"simd" | "scalar", BinaryResult>;
}

export interface Lib {
  init(opts?: { simd?: boolean }): Promise<{ simd: boolean; source: string; abiVersion: number }>;
  inspect(src: unknown, opts?: object): Promise<{ tensors: { name: string; kind: string; numel: number }[] }>;
  load(src: unknown, name?: string, opts?: object): Promise<{ data: Float64Array }>;
  loadInto(src: unknown, name: string | undefined, view: unknown, opts?: object): Promise<unknown>;
  arena(): { mark(): number; release(m: number): void; f64(n: number): { array: Float64Array }; used: number };
  gram(x: Float64Array, shape: readonly [number, number], opts?: { scale?: Case["scale"] }): { rows: number; cols: number; data: Float64Array };
}

export const CASES: readonly Case[];
export function makeMatrix(rows: number, cols: number, seed: number): Float64Array;
export function caseInput(index: number): Float64Array;
export function fnv1a64(bytes: Uint8Array): string;
export function hashF64(arr: Float64Array): string;
export function f64Hex(x: number): string;
export function combineHashes(hexes: string[]): string;
export const LOADER_FIXTURES: readonly string[];
export function run(lib: Lib, runtimeName: string, fixtures?: Record<string, Uint8Array>): Promise<RunResult>;
