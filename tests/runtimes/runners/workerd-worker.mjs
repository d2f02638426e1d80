// Module worker for workerd. "dds-wasm" is resolved by esbuild with the "workerd" export condition
// (as wrangler does), so this runs dist/workerd.js, whose .wasm imports workerd hands over as
// compiled WebAssembly.Module objects: nothing is compiled from bytes at request time.
import * as lib from "dds-wasm";
import { run } from "../core.mjs";

export default {
  async fetch() {
    try {
      return Response.json(await run(lib, "workerd"));
    } catch (err) {
      return new Response(String((err && err.stack) || err), { status: 500 });
    }
  },
};
