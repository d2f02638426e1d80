// The Deno example (examples/deno/read.ts) run as a user would: `deno run --allow-read read.ts FILE X
// GAMMA`, with read access to the repository only and no network permission. Its JSON report must
// equal what Node computes with readCheckpoint + buildReport on the same file; bad input must give a
// non-zero exit and a message naming the file.

import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCommand, RuntimeStartError, stopAll, type Completed } from "../runtimes/proc.js";
import { EXAMPLE, nodeReport, requireDist, ROOT, skipRequested } from "./runtime-examples.js";

const PKG = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };

const BIN = join(ROOT, "node_modules", ".bin", "deno");
const SCRIPT = "examples/deno/read.ts";
const timings: string[] = [];

// Skipped only when DDS_SKIP_RUNTIMES lists deno outside CI (skipRequested warns loudly; CI never skips).
const skipDeno = skipRequested("deno");
describe.skipIf(skipDeno)(`examples/deno: read.ts in real Deno${skipDeno ? " — SKIPPED: DDS_SKIP_RUNTIMES lists deno" : ""}`, () => {
  let bytes: Uint8Array;
  let dir = "";

  beforeAll(async () => {
    requireDist();
    if (!existsSync(BIN)) throw new Error(`deno: binary missing at ${BIN} (devDependency "deno": run npm install)`);
    const t0 = performance.now();
    try {
      const { stdout } = await promisify(execFile)(BIN, ["--version"], { timeout: 15_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } });
      timings.push(`${stdout.split("\n")[0]}: --version ${(performance.now() - t0).toFixed(0)} ms`);
    } catch (err) {
      throw new RuntimeStartError("deno", `${BIN} --version`, (err as Error).message);
    }
    bytes = new Uint8Array(await readFile(join(ROOT, EXAMPLE)));
    dir = await mkdtemp(join(tmpdir(), "dds-example-deno-"));
  });

  afterAll(async () => {
    await stopAll();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (timings.length) console.log(`examples/deno timings: ${timings.join("; ")}`);
  });

  /** deno run with read access to the repo (and the temp dir) only: no --allow-net, no prompt. */
  async function deno(...args: string[]): Promise<Completed> {
    const t0 = performance.now();
    const out = await runCommand("deno", BIN, ["run", `--allow-read=${ROOT},${dir}`, "--no-prompt", SCRIPT, ...args], {
      cwd: ROOT,
      // No update check (it would ask the network) and no telemetry from a test.
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", DO_NOT_TRACK: "1" },
      timeoutMs: 30_000,
    });
    timings.push(`read.ts ${args.join(" ").slice(0, 60)} ${(performance.now() - t0).toFixed(0)} ms`);
    return out;
  }

  const parse = (out: Completed): unknown => {
    expect(out.code, `exit ${out.code}\nstderr: ${out.stderr}`).toBe(0);
    return JSON.parse(out.stdout);
  };

  test("the report equals Node's readCheckpoint + buildReport on the same file", async () => {
    const got = parse(await deno(EXAMPLE, "X_h1", "G_h1")) as { readings: Record<string, unknown>[]; library: unknown };
    // The checkpoint label is the path as given (the byte source's name), as Node's with that name.
    expect(got).toEqual(await nodeReport(bytes, { x: "X_h1", gamma: "G_h1", open: { fileName: EXAMPLE } }));
    expect(got.readings).toHaveLength(1);
    expect(got.readings[0]).toMatchObject({ checkpoint: EXAMPLE, layer: "X_h1", N: 300, d: 20 });
    expect(got.library).toMatchObject({ name: PKG.name, version: PKG.version, simd: true });
  });

  test("--center-x and --recipe are passed through", async () => {
    const got = parse(await deno(EXAMPLE, "X_h1", "G_h1", "--center-x", "--recipe", "gram"));
    expect(got).toEqual(await nodeReport(bytes, { x: "X_h1", gamma: "G_h1", centerX: true, recipe: "gram", open: { fileName: EXAMPLE } }));
  });

  test("a missing file: exit 1 and a message naming the file", async () => {
    const missing = "examples/data/bridge/r2/no-such-file.safetensors";
    const out = await deno(missing, "X_h1", "G_h1");
    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain(`read.ts: cannot open ${missing}: No such file or directory`);
  });

  test("a truncated file: exit 1 and the typed error with file and the problem", async () => {
    const cut = join(dir, "cut.safetensors");
    await writeFile(cut, bytes.subarray(0, 5000));
    const out = await deno(cut, "X_h1", "G_h1");
    expect(out.code, out.stderr).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain(`read.ts: FormatError [FORMAT]: openTensors: ${cut}: the tensors need 96000 bytes of data but the file holds 4712 (truncated?)`);
  });

  test("usage errors: exit 2 with the usage line", async () => {
    const none = await deno();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/expected FILE X GAMMA, got 0 argument\(s\)\nusage: deno run --allow-read read\.ts FILE X GAMMA/);
    const recipe = await deno(EXAMPLE, "X_h1", "G_h1", "--recipe", "svd");
    expect(recipe.code).toBe(2);
    expect(recipe.stderr).toMatch(/--recipe must be factor, gram or both, got svd/);
  });
});
