// Bench sections that run as their own processes (memory figures need a fresh heap).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

function section(name, { quick }) {
  const script = join(import.meta.dirname, `${name}.mjs`);
  if (!existsSync(script)) {
    console.log(`${name}: not built yet`);
    return;
  }
  console.log(`\n--- ${name} (fresh process) ---`);
  const r = spawnSync(process.execPath, ["--expose-gc", script, ...(quick ? ["--quick"] : [])], { stdio: "inherit" });
  if (r.status !== 0) console.log(`${name}: exited with ${r.status}`);
}

export const loaderSection = (o) => section("loaders", o);
export const layerSection = (o) => section("layer", o);
export const concurrencySection = (o) => section("concurrency", o);
export const streamingSection = (o) => section("streaming", o);
export const wideSection = (o) => section("wide", o);
