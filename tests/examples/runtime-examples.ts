// Shared by the example tests: the runtime skip switch (as in tests/runtimes/runtimes.test.ts) and the
// Node reference report, computed with the built package (dist/) that the examples import too.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The bundled example checkpoint: the deep-linear bridge at layer h1, r = 2, t index 5 (300 × 20, F64). */
export const EXAMPLE = "examples/data/bridge/r2/t05.safetensors";

/**
 * DDS_SKIP_RUNTIMES=name,… skips a runtime's tests on a developer machine only: with CI=true the list
 * is ignored. Without it, a runtime that cannot start fails its tests (never a silent skip).
 */
export function skipRequested(name: string): boolean {
  const raw = process.env.DDS_SKIP_RUNTIMES ?? "";
  if (!raw.split(/[\s,]+/).filter(Boolean).includes(name)) return false;
  if (process.env.CI === "true") {
    console.warn(`DDS_SKIP_RUNTIMES="${raw}" lists ${name}, but CI=true: skipping is not allowed in CI, running ${name}`);
    return false;
  }
  console.warn(`\n!!!!!!!! SKIPPING the ${name} example tests: DDS_SKIP_RUNTIMES="${raw}". They are NOT checked in this run. !!!!!!!!\n`);
  return true;
}

/** Throw a message naming the fix when the package has not been built (or dist/ is being rebuilt). */
export function requireDist(): void {
  for (const f of ["index.js", "workerd.js", "kernels-simd.wasm", "kernels-scalar.wasm"]) {
    if (!existsSync(`${ROOT}dist/${f}`)) throw new Error(`dist/${f} is missing: run \`node scripts/build.mjs\` before these tests (or rerun: dist/ may have been rebuilt meanwhile)`);
  }
}

type Lib = typeof import("../../dist/index.js");
type Options = Parameters<Lib["readCheckpoint"]>[1];

let lib: Promise<Lib> | undefined;

/** The built package, initialised (SIMD, as the examples run). */
export function nodeLib(): Promise<Lib> {
  return (lib ??= import("../../dist/index.js").then(async (m) => (await m.init(), m)));
}

/** What Node answers for these bytes: readCheckpoint + buildReport, through JSON as the examples send it. */
export async function nodeReport(bytes: Uint8Array, o: Options): Promise<unknown> {
  const { readCheckpoint, buildReport } = await nodeLib();
  const { row } = await readCheckpoint(bytes, o);
  return JSON.parse(JSON.stringify(buildReport({ readings: [row] })));
}

/** The typed error Node throws for these bytes (the examples must report the same). */
export async function nodeError(bytes: Uint8Array, o: Options): Promise<Error & { code: string; offset?: number }> {
  const { readCheckpoint } = await nodeLib();
  try {
    await readCheckpoint(bytes, o);
  } catch (err) {
    return err as Error & { code: string; offset?: number };
  }
  throw new Error("expected readCheckpoint to throw");
}
