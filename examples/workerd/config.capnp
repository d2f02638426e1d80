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
  # The limits of worker.mjs; README.md ("Limits") says what each protects against. All are text.
  bindings = [
    # Hosts ?url= and every redirect hop may reach (comma-separated; "host" = default port only,
    # "host:port", "*.domain"; "*" = any). Empty: ?url= is answered 403 (fail closed).
    (name = "ALLOWED_HOSTS", text = "huggingface.co,*.huggingface.co,*.hf.co"),
    # Largest POST body, and most bytes fetched upstream per request (counted as they stream).
    (name = "MAX_BYTES", text = "67108864"),
    # Deadline of each upstream fetch (headers and body) → 504.
    (name = "FETCH_TIMEOUT_MS", text = "10000"),
    # Deadline of all upstream fetching of one request → 504.
    (name = "REQUEST_TIMEOUT_MS", text = "30000"),
    # Upstream fetches per request, redirect hops included → 413.
    (name = "MAX_FETCHES", text = "32"),
    # Redirect hops followed on the first fetch (each re-checked against ALLOWED_HOSTS) → 502 beyond.
    (name = "MAX_REDIRECTS", text = "3"),
  ],
  compatibilityDate = "2025-09-01",
);
