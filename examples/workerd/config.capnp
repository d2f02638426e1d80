# Run the example worker locally with workerd (see README.md):
#
#   node scripts/build.mjs                 # dist/, incl. dist/kernels-*.wasm
#   node examples/workerd/build.mjs        # examples/workerd/build/: worker.js + kernels-*.wasm
#   npx workerd serve examples/workerd/config.capnp
#
# Paths after `embed` are relative to this file; build/ holds everything the worker needs (the wasm
# files are copied there, so a later rebuild of dist/ does not change a running setup). The bundle keeps `import … from "./kernels-simd.wasm"` (from
# dist/workerd.js): the module names below must match those specifiers, and `wasm = embed` makes
# workerd hand the worker a compiled WebAssembly.Module.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .ddsWorker),
    # The network the worker's fetch() (?url=…) may reach. "public" only: no loopback, no LAN.
    (name = "internet", network = (allow = ["public"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const ddsWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "build/worker.js"),
    (name = "kernels-simd.wasm", wasm = embed "build/kernels-simd.wasm"),
    (name = "kernels-scalar.wasm", wasm = embed "build/kernels-scalar.wasm"),
  ],
  bindings = [
    (name = "MAX_BYTES", text = "67108864"),
    # (name = "ALLOWED_HOSTS", text = "huggingface.co"),
  ],
  compatibilityDate = "2025-09-01",
);
