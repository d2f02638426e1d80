// The loaders' public surface (re-exported by src/index.ts).
export { load, loadInto, loadRaw, openTensors, TensorFile, type LoadOptions, type LoadedTensor, type RawTensor } from "./api.js";
export { inspect, type Inspection } from "./inspect.js";
export type { TensorInfo } from "./container.js";
export type { DTypeKind } from "./dtype.js";
export type { OpenOptions, TensorFormat } from "./open.js";
export type { RawArray } from "./raw.js";
export type { ShardResolver } from "./sharded.js";
export type { ByteSource, SourceInput } from "./source.js";
export { saveSafetensors, type TensorToWrite } from "./write.js";
