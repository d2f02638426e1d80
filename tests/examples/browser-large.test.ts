// Issue 15 item 5: the example page reads a ≥ 512 MiB file picked by the user, streaming (wasm memory
// ≤ 200 MiB), shows progress, and its Cancel button stops a reading with an AbortError after which the
// next reading works. The file is written here in blocks (never whole in memory) and deleted after.
import { closeSync, constants, existsSync, openSync, writeSync } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS } from "../runtimes/runners/browsers.js";
import { startStaticServer, type StaticServer } from "../runtimes/server.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM_PATH = process.env.DDS_CHROMIUM_PATH ?? "/usr/bin/chromium";
const SMALL = join(ROOT, "examples", "data", "bridge", "r2", "t05.safetensors");
const MiB = 2 ** 20;
const [N, d] = [262144, 256]; // X and Γ F32: 2 × 256 MiB

/** X: 11-bit dyadic entries with unit 17 dead; Γ: 255 random columns and c255 = 2·c4 (rank 255, exact in F32). */
function writeLarge(file: string): number {
  const header = JSON.stringify({
    __metadata__: { source: "tests/examples/browser-large.test.ts" },
    X: { dtype: "F32", shape: [N, d], data_offsets: [0, N * d * 4] },
    G: { dtype: "F32", shape: [N, d], data_offsets: [N * d * 4, 2 * N * d * 4] },
  });
  const h = Buffer.from(header + " ".repeat((8 - ((header.length + 8) % 8)) % 8));
  const fd = openSync(file, "w");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  writeSync(fd, len);
  writeSync(fd, h);
  const rows = 8192;
  const block = new Float32Array(rows * d);
  for (const [which, seed] of [["X", 7], ["G", 13]] as const) {
    let s = seed;
    const u32 = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
    for (let r0 = 0; r0 < N; r0 += rows) {
      for (let k = 0; k < block.length; k++) block[k] = ((u32() >>> 21) - 1024) / 1024;
      for (let i = 0; i < rows; i++) {
        if (which === "X") block[i * d + 17] = 0;
        else block[i * d + 255] = 2 * block[i * d + 4]!;
      }
      writeSync(fd, new Uint8Array(block.buffer));
    }
  }
  closeSync(fd);
  return 8 + h.length + 2 * N * d * 4;
}

describe("examples/browser: a 512 MiB file in Chromium, streamed", () => {
  let server: StaticServer | undefined;
  let ctx: BrowserContext | undefined;
  let page: Page;
  let scratch: string | undefined;
  let profile: string | undefined;
  let big = "";
  const messages: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist", "index.js"))) throw new Error("dist/ is missing: run npm run build before this test");
    await access(CHROMIUM_PATH, constants.X_OK).catch(() => {
      throw new Error(`${CHROMIUM_PATH} is not an executable file: install Debian's chromium (apt-get install chromium) or point DDS_CHROMIUM_PATH at one`);
    });
    scratch = await mkdtemp(join(tmpdir(), "dds-page-large-"));
    profile = await mkdtemp(join(tmpdir(), "dds-page-large-profile-"));
    big = join(scratch, "large.safetensors");
    expect(writeLarge(big)).toBeGreaterThanOrEqual(512 * MiB);
    server = await startStaticServer(ROOT, { dirs: ["dist", "examples"], home: "/examples/browser/" });
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 20_000 });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(120_000);
    page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && messages.push(`console.error: ${m.text()}`));
  }, 120_000);

  afterAll(async () => {
    await ctx?.close().catch(() => undefined);
    await server?.close();
    for (const dir of [scratch, profile]) if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  });

  async function pick(file: string): Promise<void> {
    await page.setInputFiles("#file", file);
    await page.waitForSelector("#tensors tbody tr");
  }

  test("reads it with wasm memory ≤ 200 MiB, shows progress, and shows Node's numbers bit for bit", async () => {
    await page.goto(`${server!.origin}/examples/browser/`);
    await page.waitForSelector("body[data-state=ready]");
    await pick(big);
    await page.click("#read");
    await page.waitForFunction(() => (window as unknown as { __ddsRow?: unknown; __ddsError?: unknown }).__ddsRow !== undefined || (window as unknown as { __ddsError?: unknown }).__ddsError !== undefined, undefined, { timeout: 120_000 });
    const got = await page.evaluate(() => {
      const w = window as unknown as { __ddsRow?: Record<string, unknown>; __ddsError?: unknown; __ddsProgress?: number[]; __ddsMemory?: number };
      return { row: w.__ddsRow, error: w.__ddsError, progress: w.__ddsProgress, memory: w.__ddsMemory };
    });
    expect(got.error, messages.join("\n")).toBeUndefined();
    // the page read in blocks: progress from 0 to 1, increasing, many steps (2 MiB each)
    const p = got.progress!;
    expect(p.length).toBeGreaterThan(100);
    expect(p[0]).toBe(0);
    expect(p.at(-1)).toBe(1);
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]!);
    expect(got.memory!).toBeLessThanOrEqual(200 * MiB);
    console.log(`512 MiB file in Chromium: wasm memory ${(got.memory! / MiB).toFixed(0)} MiB, ${p.length} progress events`);

    const node = (await import(pathToFileURL(join(ROOT, "dist", "node.js")).href)) as typeof import("../../src/entry/node.js");
    await node.init();
    const ref = await node.readCheckpoint(big, { x: "X", gamma: "G", centerX: false, checkpoint: "large.safetensors", layer: "X" });
    expect(ref.row["dds/n_pos"]).toBe(255);
    expect(ref.row["act/x_null_dim"]).toBe(1);
    for (const [k, v] of Object.entries(ref.row)) {
      if (typeof v === "number") expect(Object.is(got.row![k], v), `${k}: ${String(got.row![k])} vs ${v}`).toBe(true);
    }
  }, 240_000);

  test("Cancel stops a reading with an AbortError, and the next reading works", async () => {
    await page.goto(`${server!.origin}/examples/browser/`);
    await page.waitForSelector("body[data-state=ready]");
    await pick(big);
    await page.click("#read");
    await page.waitForFunction(() => ((window as unknown as { __ddsProgress?: number[] }).__ddsProgress ?? []).some((v) => v > 0.05));
    await page.click("#cancel");
    await page.waitForFunction(() => (window as unknown as { __ddsError?: unknown }).__ddsError !== undefined, undefined, { timeout: 20_000 });
    const err = await page.evaluate(() => (window as unknown as { __ddsError: { name: string; message: string }; __ddsProgress: number[] }).__ddsError);
    expect(err.name).toBe("AbortError");
    expect(err.message).toMatch(/cancelled by the user/);
    const last = await page.evaluate(() => (window as unknown as { __ddsProgress: number[] }).__ddsProgress.at(-1)!);
    expect(last).toBeLessThan(1);
    expect(await page.isHidden("#cancel")).toBe(true);

    await pick(SMALL);
    await page.click("#read");
    await page.waitForFunction(() => (window as unknown as { __ddsRow?: { "dds/n_pos"?: number } }).__ddsRow?.["dds/n_pos"] !== undefined, undefined, { timeout: 30_000 });
    expect(await page.isHidden("#error")).toBe(true);
    expect(messages.filter((m) => m.startsWith("pageerror"))).toEqual([]);
  }, 120_000);
});
