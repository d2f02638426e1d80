import { defineConfig } from "tsup";

// Two bundles of the same API. `index` embeds both binaries (base64); `workerd` imports the .wasm
// files next to it as modules (kept external so the host compiles them). ESM + CJS, each with types.
// `node` (dead-directions/node) is built with `index` and shares its code (a chunk), so both are one library.
export default defineConfig([
  {
    // `node` (dead-directions/node) = the default entry + path-aware loaders. Split into a shared chunk so
    // that importing both "dead-directions" and "dead-directions/node" gives ONE kernels instance (init once).
    entry: { index: "src/entry/default.ts", node: "src/entry/node.ts", scalar: "src/entry/scalar.ts" },
    format: ["esm", "cjs"],
    target: "es2022",
    platform: "neutral",
    external: [/^node:/],
    // fflate (inflate for .npz) is bundled: the entries stay self-contained (a page can import
    // dist/index.js with no import map), and only its Inflate is kept after tree shaking.
    noExternal: ["fflate"],
    dts: { compilerOptions: { stripInternal: true } }, // @internal members stay out of users' completions
    sourcemap: true,
    clean: false,
    splitting: true,
    treeshake: true,
  },
  {
    entry: { workerd: "src/entry/workerd.ts" },
    format: ["esm"],
    target: "es2022",
    platform: "neutral",
    dts: { compilerOptions: { stripInternal: true } }, // @internal members stay out of users' completions
    sourcemap: true,
    clean: false,
    external: [/\.wasm$/],
    noExternal: ["fflate"],
  },
  {
    // the `dds` command line (Node only): an ESM file with a shebang that imports the package's own
    // ./node.js (and through it the shared chunk), so the library and its wasm ship once
    entry: { cli: "src/cli/main.ts" },
    esbuildPlugins: [
      {
        name: "cli-imports-the-node-entry",
        setup(build) {
          build.onResolve({ filter: /\/entry\/node\.js$/ }, () => ({ path: "./node.js", external: true }));
        },
      },
    ],
    format: ["esm"],
    target: "node20",
    platform: "node",
    dts: false,
    sourcemap: false,
    clean: false,
    noExternal: ["fflate"],
    banner: { js: "#!/usr/bin/env node" },
  },
]);
