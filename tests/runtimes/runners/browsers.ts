// Chromium (V8) through playwright-core and Firefox ESR (SpiderMonkey) through puppeteer-core
// (WebDriver BiDi; Playwright's Firefox needs its own patched build). Both load the same page from
// the in-process static server; each run gets a fresh profile directory, removed afterwards.

import { constants } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import type { RunResult } from "../core.mjs";
import { RuntimeStartError } from "../proc.js";
import { startStaticServer, type StaticServer } from "../server.js";

export const CHROMIUM_PATH = process.env.DDS_CHROMIUM_PATH ?? "/usr/bin/chromium";
export const FIREFOX_PATH = process.env.DDS_FIREFOX_PATH ?? "/usr/bin/firefox-esr";

/** What the page adds to the driver's result. */
export interface PageResult extends RunResult {
  fatal?: string;
  syncProbe?: Record<string, string | number>;
}

export interface BrowserRun {
  result: PageResult;
  command: string;
  version: string;
}

// Offline flags (RUNTIMES.md §6): no background traffic, no updates, no sync; /dev/shm may be small.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Fail fast and clearly on a missing browser (a failed launch also leaves Playwright temp dirs behind). */
async function requireExecutable(runtime: string, path: string, pkg: string, command: string): Promise<void> {
  await access(path, constants.X_OK).catch(() => {
    const fix = `install it (Debian: apt-get install -y --no-install-recommends ${pkg}), or point DDS_${runtime.toUpperCase()}_PATH at one`;
    throw new RuntimeStartError(runtime, command, `${path} is not an executable file: ${fix}`);
  });
}

/** Fresh profile + static server around `body`; both are removed/stopped whatever happens. */
async function withProfileAndServer<T>(root: string, prefix: string, body: (dir: string, server: StaticServer) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const server = await startStaticServer(root).catch(async (err) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  try {
    return await body(dir, server);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Collects page errors so that a page that never reports says why. */
function diagnostics(server: StaticServer, messages: string[]): string {
  const misses = server.misses.length ? `\nunserved requests: ${server.misses.join(", ")}` : "";
  return `${messages.slice(-20).join("\n")}${misses}`;
}

export async function runChromium(root: string, timeoutMs: number): Promise<BrowserRun> {
  const command = `playwright-core chromium.launchPersistentContext(${CHROMIUM_PATH} ${CHROMIUM_ARGS.join(" ")})`;
  await requireExecutable("chromium", CHROMIUM_PATH, "chromium", command);
  return withProfileAndServer(root, "dds-chromium-", async (dir, server) => {
    const messages: string[] = [];
    const ctx = await chromium
      .launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: timeoutMs })
      .catch((err: Error) => {
        throw new RuntimeStartError("chromium", command, err.message);
      });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      page.on("console", (m) => messages.push(`console.${m.type()}: ${m.text()}`));
      page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
      await page.goto(`${server.origin}/?runtime=chromium`, { timeout: timeoutMs });
      await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, null, { timeout: timeoutMs }).catch((err: Error) => {
        throw new RuntimeStartError("chromium", command, `${err.message}\n${diagnostics(server, messages)}`);
      });
      const result = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
      const version = ctx.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
      return { result, command, version: `Chromium ${version}` };
    } finally {
      await ctx.close();
    }
  });
}

export async function runFirefox(root: string, timeoutMs: number): Promise<BrowserRun> {
  const command = `puppeteer-core launch({browser: "firefox", executablePath: ${FIREFOX_PATH}, headless: true})`;
  await requireExecutable("firefox", FIREFOX_PATH, "firefox-esr", command);
  return withProfileAndServer(root, "dds-firefox-", async (dir, server) => {
    const messages: string[] = [];
    const browser = await puppeteer
      .launch({ browser: "firefox", executablePath: FIREFOX_PATH, headless: true, userDataDir: dir, timeout: timeoutMs })
      .catch((err: Error) => {
        throw new RuntimeStartError("firefox", command, err.message);
      });
    try {
      const page = (await browser.pages())[0] ?? (await browser.newPage());
      page.on("console", (m) => messages.push(`console.${m.type()}: ${m.text()}`));
      page.on("pageerror", (e) => messages.push(`pageerror: ${(e as Error).message}`));
      await page.goto(`${server.origin}/?runtime=firefox`, { timeout: timeoutMs });
      await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, { timeout: timeoutMs }).catch((err: Error) => {
        throw new RuntimeStartError("firefox", command, `${err.message}\n${diagnostics(server, messages)}`);
      });
      const result = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
      return { result, command, version: await browser.version() };
    } finally {
      // close() asks Firefox to quit; if it hangs, kill the process we launched (and only that one).
      const proc = browser.process();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([browser.close().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const gone = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGKILL");
        await gone;
      }
    }
  });
}
