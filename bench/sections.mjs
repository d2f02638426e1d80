// Bench sections that run as their own processes (memory figures need a fresh heap).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export async function loaderSection({ quick }) {
  const script = join(import.meta.dirname, "loaders.mjs");
  if (!existsSync(script)) {
    console.log("loaders: not built yet");
    return;
  }
  const r = spawnSync(process.execPath, ["--expose-gc", script, ...(quick ? ["--quick"] : [])], { stdio: "inherit" });
  if (r.status !== 0) console.log(`loaders: exited with ${r.status}`);
}
