// In the workerd entry, `.wasm` imports are compiled by the host into WebAssembly.Module objects.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
