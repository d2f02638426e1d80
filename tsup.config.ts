import { defineConfig } from "tsup";

// Two bundles of the same API. `index` embeds both binaries (base64); `workerd` imports the .wasm
// files next to it as modules (kept external so the host compiles them). ESM + CJS, each with types.
export default defineConfig([
  {
    entry: { index: "src/entry/default.ts" },
    format: ["esm", "cjs"],
    target: "es2022",
    platform: "neutral",
    dts: true,
    sourcemap: true,
    clean: false,
    splitting: false,
    treeshake: true,
  },
  {
    entry: { workerd: "src/entry/workerd.ts" },
    format: ["esm"],
    target: "es2022",
    platform: "neutral",
    dts: true,
    sourcemap: true,
    clean: false,
    external: [/\.wasm$/],
  },
]);
