// Entry run by Deno and Bun (`deno run --allow-read=<repo> cli-entry.mjs`, `bun cli-entry.mjs`): the
// built default entry plus the shared driver; one marked JSON line on stdout for the Node side.
import * as lib from "../../../dist/index.js";
import { run } from "../core.mjs";

const name = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "unknown";
const result = await run(lib, name);
console.log("@@DDS_RESULT " + JSON.stringify(result));
