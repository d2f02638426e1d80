// Entry run by Deno and Bun (`deno run --allow-read=<repo> cli-entry.mjs`, `bun cli-entry.mjs`): the
// built default entry plus the shared driver (and the loader fixtures, read from disk); one marked
// JSON line on stdout for the Node side.
import * as lib from "../../../dist/index.js";
import "../../../dist/scalar.js"; // the scalar binary is opt-in: every case runs on both
import { LOADER_FIXTURES, run } from "../core.mjs";

const name = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "unknown";
// Loader fixtures, read with the runtime's own file API (Deno has read permission on the repo only).
const fixtures = {};
for (const rel of LOADER_FIXTURES) {
  const url = new URL(`../../fixtures/loaders/${rel}`, import.meta.url);
  fixtures[rel] = globalThis.Deno ? await Deno.readFile(url) : new Uint8Array(await Bun.file(url).arrayBuffer());
}
const result = await run(lib, name, fixtures);
console.log("@@DDS_RESULT " + JSON.stringify(result));
