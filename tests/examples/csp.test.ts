// What a page with a strict Content-Security-Policy needs to load the kernels, proven in Chromium:
// each way of loading (the embedded binary, init({ url }), init({ bytes })) under `script-src 'self'`
// and under `script-src 'self' 'wasm-unsafe-eval'`. Pages and scripts come from a 127.0.0.1 server
// that sets the CSP header; the README states the result.
//
// A missing Chromium fails the suite; DDS_SKIP_RUNTIMES=chromium skips it outside CI only.
import { constants } from "node:fs";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../runtimes/runners/browsers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM_PATH = process.env.DDS_CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = (process.env.DDS_SKIP_RUNTIMES ?? "").split(/[\s,]+/).includes("chromium") && process.env.CI !== "true";
if (skip) console.warn("\n!!!!!!!! SKIPPING the strict-CSP page test: DDS_SKIP_RUNTIMES lists chromium !!!!!!!!\n");

const POLICIES = { strict: "script-src 'self'; default-src 'self'", wasm: "script-src 'self' 'wasm-unsafe-eval'; default-src 'self'" } as const;
/** The page script for each way of loading: it reports { ok, gram } or { ok: false, name, message }. */
const SCRIPTS: Record<string, string> = {
  embedded: "await init();",
  url: "await init({ url: '/dist/kernels-simd.wasm' });",
  bytes: "await init({ bytes: new Uint8Array(await (await fetch('/dist/kernels-simd.wasm')).arrayBuffer()) });",
};

let server: Server;
let origin = "";
let ctx: BrowserContext | undefined;
let profile: string | undefined;

beforeAll(async () => {
  if (skip) return;
  await access(CHROMIUM_PATH, constants.X_OK).catch(() => {
    throw new Error(`${CHROMIUM_PATH} is not an executable file: apt-get install chromium (DDS_SKIP_RUNTIMES=chromium skips this test outside CI)`);
  });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const m = /^\/(strict|wasm)\/(embedded|url|bytes)\/(index\.html|app\.js)$/.exec(url.pathname);
    const csp = m ? POLICIES[m[1] as keyof typeof POLICIES] : POLICIES.strict;
    if (m && m[3] === "index.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": csp }).end(`<!doctype html><title>csp</title><script type="module" src="app.js"></script>`);
    } else if (m) {
      const body = `import { init, gram } from "/dist/index.js";
try { ${SCRIPTS[m[2]!]} window.__result = { ok: true, gram: Array.from(gram([[1, 2], [3, 4]], { scale: "sum" }).data) }; }
catch (e) { window.__result = { ok: false, name: e.name, code: e.code, message: e.message }; }`;
      res.writeHead(200, { "content-type": "text/javascript", "content-security-policy": csp }).end(body);
    } else if (/^\/dist\/[\w.-]+\.(js|wasm)$/.test(url.pathname)) {
      readFile(join(ROOT, url.pathname.slice(1))).then(
        (b) => res.writeHead(200, { "content-type": url.pathname.endsWith(".wasm") ? "application/wasm" : "text/javascript", "content-security-policy": csp }).end(b),
        () => res.writeHead(404).end(),
      );
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = await mkdtemp(join(tmpdir(), "dds-csp-"));
  ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}, 90_000);

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  if (profile) await rm(profile, { recursive: true, force: true, maxRetries: 3 });
});

async function load(policy: keyof typeof POLICIES, how: string): Promise<{ ok: boolean; gram?: number[]; name?: string; code?: string; message?: string }> {
  const page = await ctx!.newPage();
  try {
    await page.goto(`${origin}/${policy}/${how}/index.html`);
    await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, null, { timeout: 20_000 });
    return await page.evaluate(() => (window as unknown as { __result: never }).__result);
  } finally {
    await page.close();
  }
}

describe.skipIf(skip)(`strict CSP in Chromium${skip ? " — SKIPPED: DDS_SKIP_RUNTIMES lists chromium" : ""}`, () => {
  it.each(Object.keys(SCRIPTS))("script-src 'self': init via %s is refused with a WasmInitError that names 'wasm-unsafe-eval'", async (how) => {
    const r = await load("strict", how);
    expect(r.ok, JSON.stringify(r)).toBe(false);
    expect(r.name).toBe("WasmInitError");
    expect(r.code).toBe("WASM_INIT");
    expect(r.message).toMatch(/'wasm-unsafe-eval'/);
  }, 30_000);

  it.each(Object.keys(SCRIPTS))("script-src 'self' 'wasm-unsafe-eval': init via %s works", async (how) => {
    const r = await load("wasm", how);
    expect(r, JSON.stringify(r)).toEqual({ ok: true, gram: [10, 14, 14, 20] });
  }, 30_000);
});
