// Public API shared by every entry. The entries (src/entry/*) add `init`/`initSync`, which know where
// the wasm binaries come from in their runtime.

export { gram, hadamardGram, scaleDivisor, type GramOptions, type HadamardGramOptions, type Scale } from "./linalg/gram.js";
export { cholesky, type CholeskyOptions } from "./linalg/cholesky.js";
export { slogdet, type Slogdet, type SlogdetOptions } from "./linalg/slogdet.js";
export { eigvalsh, type EigvalshOptions } from "./linalg/eigvalsh.js";
export { eigh, type Eigh, type EighOptions } from "./linalg/eigh.js";
export { svdvals, type SvdvalsOptions } from "./linalg/svdvals.js";
export { svd, type SvdOptions, type SvdResult } from "./linalg/svd.js";
export { matmul, type MatmulOptions } from "./linalg/matmul.js";
export { matrixRank, pinv, type RankOptions } from "./linalg/rank.js";
export { toArray, toMatrix, type RowMajor, type Shaped, type NestedMatrixClass } from "./interop.js";
export * from "./dds/index.js";
export * from "./plot/index.js";
export type { Mat, DenseMatrix, MatrixLike, MatrixInput, FlatArray, ShapedTensor, MatrixArg } from "./linalg/input.js";
export * from "./loaders/index.js";
export { arena, runtimeInfo, type RuntimeInfo } from "./runtime/kernels.js";
export { Arena, F64View, MatView } from "./runtime/memory.js";
export type { InitOptions, WasmModule, WasmBytes } from "./runtime/select.js";
export { ABI_VERSION } from "./runtime/abi.js";
export {
  DdsError,
  LinAlgError,
  NotConvergedError,
  NonFiniteError,
  FormatError,
  UnsupportedDtypeError,
  WasmInitError,
  WasmTrapError,
  ReadError,
  AbortedError,
  type ErrorCode,
  type ErrorLocation,
} from "./errors.js";
