// Module worker for workerd. "dead-directions" is resolved by esbuild with the "workerd" export condition
// (as wrangler does), so this runs dist/workerd.js, whose .wasm imports workerd hands over as
// compiled WebAssembly.Module objects: nothing is compiled from bytes at request time.
import * as lib from "dead-directions";
import { run } from "../core.mjs";
// Loader fixtures: `data` modules in the workerd config (runners/workerd.ts), handed over as ArrayBuffers.
import safetensors from "./all.safetensors";
import npz from "./savez_compressed.npz";

const fixtures = {
  "safetensors/all.safetensors": new Uint8Array(safetensors),
  "npz/savez_compressed.npz": new Uint8Array(npz),
};

export default {
  async fetch() {
    try {
      return Response.json(await run(lib, "workerd", fixtures));
    } catch (err) {
      return new Response(String((err && err.stack) || err), { status: 500 });
    }
  },
};
