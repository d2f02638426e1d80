// The edge-worker example (examples/workerd/) in real workerd: bundled by its own build script
// (esbuild, conditions workerd + worker, *.wasm external), served with its committed config.capnp
// (only the address changed to 127.0.0.1:0 and loopback allowed for the ?url= tests), and asked the
// way a user would: POST a checkpoint, or GET ?url=. Every report must equal what Node computes with
// readCheckpoint + buildReport on the same bytes.

import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { commandLine, runCommand, RuntimeStartError, spawnTracked, stopAll, stopProcess, waitExit } from "../runtimes/proc.js";
import { EXAMPLE, nodeError, nodeReport, requireDist, ROOT, skipRequested } from "./runtime-examples.js";

const PKG = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };

const BIN = join(ROOT, "node_modules", ".bin", "workerd");
const START_MS = 30_000;
const timings: string[] = [];

/** The first control message {"event":"listen","socket":"http","port":N} on fd 3 (workerd --control-fd). */
function listenPort(control: NodeJS.ReadableStream, exited: Promise<void>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`not listening within ${timeoutMs} ms`)), timeoutMs);
    void exited.then(() => (clearTimeout(timer), reject(new Error("exited before listening"))));
    control.setEncoding("utf8");
    control.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const msg = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (msg.event === "listen" && msg.socket === "http" && msg.port) {
          clearTimeout(timer);
          resolve(msg.port);
        }
      }
    });
  });
}

/** The committed config with a free port and loopback reachable; fails loudly if its shape changed. */
async function testConfig(): Promise<string> {
  const committed = await readFile(join(ROOT, "examples", "workerd", "config.capnp"), "utf8");
  const edits: [string, string][] = [
    ['address = "127.0.0.1:8787"', 'address = "127.0.0.1:0"'],
    ['allow = ["public"]', 'allow = ["public", "local"]'],
  ];
  let config = committed;
  for (const [from, to] of edits) {
    if (!config.includes(from)) throw new Error(`examples/workerd/config.capnp no longer contains ${from}: update this test`);
    config = config.replace(from, to);
  }
  return config;
}

/** A file server on 127.0.0.1 for ?url=: /range/… honours Range requests, /plain/… ignores them. */
function fileServer(bytes: Uint8Array): Promise<{ server: Server; base: string; log: string[] }> {
  const log: string[] = [];
  const server = createServer((req, res) => {
    const range = req.headers.range;
    log.push(`${req.method} ${req.url} ${range ?? "-"}`);
    if (req.url === "/range/t05.safetensors" && range) {
      const m = /^bytes=(\d+)-(\d+)$/.exec(range);
      const start = Number(m?.[1]);
      const end = Math.min(Number(m?.[2]), bytes.length - 1);
      if (!m || start > end) return void res.writeHead(416, { "content-range": `bytes */${bytes.length}` }).end();
      res.writeHead(206, { "content-range": `bytes ${start}-${end}/${bytes.length}`, "content-length": end - start + 1, "accept-ranges": "bytes" });
      return void res.end(bytes.subarray(start, end + 1));
    }
    if (req.url === "/range/t05.safetensors" || req.url === "/plain/t05.safetensors") {
      res.writeHead(200, { "content-length": bytes.length, "content-type": "application/octet-stream" });
      return void res.end(bytes);
    }
    res.writeHead(404).end("not found");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log }));
  });
}

// Skipped only when DDS_SKIP_RUNTIMES lists workerd outside CI (skipRequested warns loudly; CI never skips).
const skipWorkerd = skipRequested("workerd");
describe.skipIf(skipWorkerd)(`examples/workerd: the edge worker in real workerd${skipWorkerd ? " — SKIPPED: DDS_SKIP_RUNTIMES lists workerd" : ""}`, () => {
  let dir = "";
  let child: ChildProcess | undefined;
  let origin = "";
  let bytes: Uint8Array<ArrayBuffer>;
  let files: Awaited<ReturnType<typeof fileServer>> | undefined;
  let workerdLog = "";
  const opts = { x: "X_h1", gamma: "G_h1" };

  beforeAll(async () => {
    requireDist();
    if (!existsSync(BIN)) throw new Error(`workerd: binary missing at ${BIN} (devDependency "workerd": run npm install)`);
    bytes = new Uint8Array(await readFile(join(ROOT, EXAMPLE)));
    dir = await mkdtemp(join(tmpdir(), "dds-example-workerd-"));

    let t0 = performance.now();
    const built = await runCommand("node", process.execPath, [join(ROOT, "examples", "workerd", "build.mjs"), join(dir, "build")], { cwd: ROOT, timeoutMs: 30_000 });
    if (built.code !== 0) throw new Error(`examples/workerd/build.mjs failed (exit ${built.code}):\n${built.stderr}${built.stdout}`);
    timings.push(`bundle ${(performance.now() - t0).toFixed(0)} ms`);
    await writeFile(join(dir, "config.capnp"), await testConfig());
    files = await fileServer(bytes);

    t0 = performance.now();
    const args = ["serve", join(dir, "config.capnp"), "--control-fd=3"];
    const line = commandLine(BIN, args);
    child = spawnTracked(BIN, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    child.stdout!.setEncoding("utf8").on("data", (s: string) => (workerdLog += s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (workerdLog += s));
    child.once("error", (err) => (workerdLog += `spawn error: ${err.message}\n`));
    const port = await listenPort(child.stdio[3] as NodeJS.ReadableStream, waitExit(child), START_MS).catch((err: Error) => {
      throw new RuntimeStartError("workerd", line, `${err.message}\n${workerdLog}`);
    });
    origin = `http://127.0.0.1:${port}`;
    timings.push(`workerd listening ${(performance.now() - t0).toFixed(0)} ms`);
  });

  afterAll(async () => {
    if (child) await stopProcess(child);
    await stopAll();
    await new Promise((resolve) => (files ? files.server.close(resolve) : resolve(undefined)));
    if (dir) await rm(dir, { recursive: true, force: true });
    if (timings.length) console.log(`examples/workerd timings: ${timings.join("; ")}`);
  });

  /** One request; the parsed JSON answer, its status and content type. */
  async function ask(path: string, init: RequestInit = {}): Promise<{ status: number; type: string; body: any }> {
    const t0 = performance.now();
    const res = await fetch(`${origin}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    timings.push(`${init.method ?? "GET"} ${path.slice(0, 48)} ${(performance.now() - t0).toFixed(0)} ms`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`workerd answered HTTP ${res.status} with non-JSON: ${text.slice(0, 500)}\n${workerdLog}`);
    }
    return { status: res.status, type: res.headers.get("content-type") ?? "", body };
  }

  const post = (query: string, body: Uint8Array<ArrayBuffer>) => ask(`/?${query}`, { method: "POST", body, headers: { "content-type": "application/octet-stream" } });

  test("POST the example checkpoint: the report equals Node's readCheckpoint + buildReport", async () => {
    const { status, type, body } = await post("x=X_h1&gamma=G_h1", bytes);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(type).toMatch(/^application\/json/);
    const node = await nodeReport(bytes, opts);
    expect(body).toEqual(node);
    // Not vacuous: one reading of the 300 × 20 layer, computed on the SIMD binary in both runtimes.
    expect(body.readings).toHaveLength(1);
    expect(body.readings[0]).toMatchObject({ checkpoint: "checkpoint", layer: "X_h1", N: 300, d: 20, "dds/n_pos": 20 });
    expect(body.library).toEqual({ name: PKG.name, version: PKG.version, abi: expect.any(Number), simd: true });
  });

  test("centerX, recipe and name are passed through", async () => {
    const { status, body } = await post("x=X_h1&gamma=G_h1&centerX=1&recipe=factor&name=t05.safetensors", bytes);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual(await nodeReport(bytes, { ...opts, centerX: true, recipe: "factor", open: { fileName: "t05.safetensors" } }));
    expect(body.readings[0].checkpoint).toBe("t05.safetensors");
    expect(body.readings[0]).not.toHaveProperty("gram/recipe");
  });

  test("a truncated file is a 400 with the library's typed error, naming the problem and the offset", async () => {
    const cut = bytes.subarray(0, 5000);
    const { status, body } = await post("x=X_h1&gamma=G_h1", cut);
    expect(status).toBe(400);
    const node = await nodeError(cut, opts);
    expect(body.error).toMatchObject({ name: "FormatError", code: "FORMAT", message: node.message, offset: node.offset });
    expect(body.error.message).toMatch(/96000 bytes of data but the file holds 4712 \(truncated\?\)/);
  });

  test("bad requests are 400s that name the parameter or tensor", async () => {
    const missing = await post("x=X_h1", bytes);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ name: "BadRequest", code: "BAD_REQUEST" });
    expect(missing.body.error.message).toMatch(/missing query parameter gamma/);

    const recipe = await post("x=X_h1&gamma=G_h1&recipe=svd", bytes);
    expect(recipe.status).toBe(400);
    expect(recipe.body.error.message).toMatch(/recipe must be factor, gram or both/);

    const tensor = await post("x=X_h1&gamma=nope", bytes);
    expect(tensor.status).toBe(400);
    expect(tensor.body.error).toMatchObject({ name: "FormatError", code: "FORMAT", tensor: "nope" });
    expect(tensor.body.error.message).toMatch(/no tensor named "nope"/);

    const empty = await post("x=X_h1&gamma=G_h1", new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/body is empty/);

    const method = await ask("/?x=X_h1&gamma=G_h1", { method: "PUT", body: bytes });
    expect(method.status).toBe(405);
  });

  test("GET ?url= on a server with Range support: same report, read piecewise", async () => {
    const url = `${files!.base}/range/t05.safetensors`;
    files!.log.length = 0;
    const { status, body } = await ask(`/?url=${encodeURIComponent(url)}&x=X_h1&gamma=G_h1`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual(await nodeReport(bytes, { ...opts, open: { fileName: url } }));
    expect(body.readings[0].checkpoint).toBe(url);
    // The worker's first request covers 64 KiB (the header and X); Γ's bytes beyond it come by Range.
    expect(files!.log.length, files!.log.join("\n")).toBeGreaterThanOrEqual(2);
    expect(files!.log.every((l) => /^GET \/range\/t05\.safetensors bytes=\d+-\d+$/.test(l)), files!.log.join("\n")).toBe(true);
    expect(files!.log[0]).toBe("GET /range/t05.safetensors bytes=0-65535");
  });

  test("GET ?url= on a server without Range support: the whole body, same report", async () => {
    const url = `${files!.base}/plain/t05.safetensors`;
    const { status, body } = await ask(`/?url=${encodeURIComponent(url)}&x=X_h1&gamma=G_h1`, { method: "POST" });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual(await nodeReport(bytes, { ...opts, open: { fileName: url } }));
  });

  test("?url= fetches http(s) only; an upstream failure is a 502", async () => {
    const file = await ask(`/?url=${encodeURIComponent("file:///etc/passwd")}&x=X_h1&gamma=G_h1`);
    expect(file.status).toBe(400);
    expect(file.body.error.message).toMatch(/url must be http: or https:, got file:/);

    const gone = await ask(`/?url=${encodeURIComponent(`${files!.base}/missing.safetensors`)}&x=X_h1&gamma=G_h1`);
    expect(gone.status).toBe(502);
    expect(gone.body.error).toMatchObject({ name: "UpstreamError", code: "UPSTREAM" });
    expect(gone.body.error.message).toMatch(/HTTP 404/);
  });
});
