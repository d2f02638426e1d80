// Bundle the example worker for local workerd, as wrangler would: esbuild with the "workerd" and
// "worker" export conditions (so "dead-directions" resolves to dist/workerd.js) and *.wasm kept external,
// then copy dist/kernels-*.wasm next to the bundle; config.capnp embeds both as wasm modules.
//
//   node scripts/build.mjs && node examples/workerd/build.mjs [OUT_DIR]   (default: examples/workerd/build)
//   npx workerd serve examples/workerd/config.capnp

import { copyFile, mkdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const out = resolve(process.argv[2] ?? join(here, "build"));
const WASM = ["kernels-simd.wasm", "kernels-scalar.wasm"];

try {
  await mkdir(out, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(here, "worker.mjs")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker"],
    mainFields: ["module", "main"],
    external: ["*.wasm"],
    outfile: join(out, "worker.js"),
    metafile: true,
    logLevel: "warning",
  });
  // The default entry would bundle base64 wasm that workerd refuses to compile at request time:
  // make sure the workerd entry was picked and that it imports both binaries as modules.
  const inputs = Object.keys(result.metafile.inputs);
  const code = await readFile(join(out, "worker.js"), "utf8");
  if (!inputs.includes("dist/workerd.js") || WASM.some((f) => !code.includes(`"./${f}"`))) {
    throw new Error(`"dead-directions" did not resolve to dist/workerd.js (bundle inputs: ${inputs.join(", ")}); run \`node scripts/build.mjs\` first`);
  }
  await Promise.all(WASM.map((f) => copyFile(join(root, "dist", f), join(out, f))));
  console.log(`bundled ${relative(process.cwd(), join(out, "worker.js")) || "worker.js"} (+ ${WASM.join(", ")})`);
} catch (err) {
  console.error(`examples/workerd/build.mjs: ${err?.message ?? err}`);
  process.exit(1);
}
