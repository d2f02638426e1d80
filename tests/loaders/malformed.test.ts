// The malformed-input suite (≥ 200 generated cases; see malformed-cases.ts). Each case runs in a
// worker thread under a per-case deadline, so a hang — even a synchronous one — fails that case
// instead of the run. Every case must end in a typed error (DdsError) naming the file and a tensor
// or a byte offset, with a message starting with the public function; right after it, a valid load
// must give the right values.

import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTROL, malformedCases, type Case } from "./malformed-cases.js";
import type { Outcome } from "./malformed-worker.js";
import { fixture } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const CASE_TIMEOUT_MS = 3000;
const cases = malformedCases();
const timings: number[] = [];
let dir: string;
let script: string;
let worker: Worker | undefined;
let waiting: ((o: Outcome | { ready: true }) => void) | undefined;

function start(): Promise<void> {
  worker = new Worker(script);
  worker.on("message", (m) => waiting?.(m));
  worker.on("error", (e) => waiting?.({ id: "?", ms: 0, resolved: false, typed: false, name: "WorkerError", message: String(e), after: "" }));
  return new Promise((resolve) => {
    waiting = () => resolve();
    worker!.postMessage({ control: { bytes: fixture(CONTROL.rel), tensor: CONTROL.tensor } });
  });
}

/** Run one case; on a deadline, terminate the worker (a fresh one serves the next case). */
async function run(c: Case | "hang"): Promise<Outcome | "timeout"> {
  if (!worker) await start();
  let timer: NodeJS.Timeout | undefined;
  const answer = new Promise<Outcome>((resolve) => (waiting = (m) => resolve(m as Outcome)));
  const late = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), CASE_TIMEOUT_MS)));
  worker!.postMessage(c === "hang" ? { hang: true } : { case: c });
  const out = await Promise.race([answer, late]);
  clearTimeout(timer);
  if (out === "timeout") {
    await worker!.terminate();
    worker = undefined;
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(ROOT, ".tmp-malformed-"));
  script = join(dir, "worker.mjs");
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, "tests", "loaders", "malformed-worker.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: script,
    logLevel: "silent",
  });
  await start();
}, 60_000);

afterAll(async () => {
  await worker?.terminate();
  rmSync(dir, { recursive: true, force: true });
  const sorted = [...timings].sort((a, b) => a - b);
  const sum = sorted.reduce((s, t) => s + t, 0);
  console.log(`malformed suite: ${cases.length} cases, ${sum.toFixed(0)} ms in the loaders (median ${sorted[sorted.length >> 1]?.toFixed(2)} ms, max ${sorted.at(-1)?.toFixed(1)} ms)`);
});

describe("malformed input", () => {
  it("has at least 200 distinct cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it("the per-case deadline stops even a synchronous hang, and the next case runs", async () => {
    expect(await run("hang")).toBe("timeout");
    expect(((await run(cases[0]!)) as Outcome).after).toBe("1,-2,0.5,3");
  }, 20_000);

  it.each(cases.map((c) => [c.id, c] as const))("%s", async (_, c) => {
    const out = await run(c);
    expect(out, "no answer within the per-case deadline (hang)").not.toBe("timeout");
    const o = out as Outcome;
    timings.push(o.ms);
    expect(o.resolved, `resolved instead of failing`).toBe(false);
    expect(o.typed, `untyped ${o.name}: ${o.message}`).toBe(true);
    expect(["FormatError", "UnsupportedDtypeError"], o.message).toContain(o.name);
    expect(o.message.startsWith(`${c.op}: `), o.message).toBe(true);
    expect(o.file === c.file || o.file?.startsWith(`${c.file}:`), `file: ${o.file}; ${o.message}`).toBe(true);
    expect(o.offset !== undefined || o.tensor !== undefined, `neither offset nor tensor: ${o.message}`).toBe(true);
    expect(o.after, "a valid load right after the error").toBe("1,-2,0.5,3");
  });
});
