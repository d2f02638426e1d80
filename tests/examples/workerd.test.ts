// The edge-worker example (examples/workerd/) in real workerd: bundled by its own build script
// (esbuild, conditions workerd + worker, *.wasm external), served with its committed config.capnp
// (through workerd-harness.ts: the address changed to 127.0.0.1:0, loopback allowed and ALLOWED_HOSTS
// naming the local file server for the ?url= tests; the committed limits), and asked the
// way a user would: POST a checkpoint, or GET ?url=. Every report must equal what Node computes with
// readCheckpoint + buildReport on the same bytes.

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ask as askWorkerd, cleanup, serveRange, startWorkerd, testConfig, upstreamServer, type Upstream, type Workerd } from "./workerd-harness.js";
import { EXAMPLE, nodeError, nodeReport, ROOT, skipRequested } from "./runtime-examples.js";

const PKG = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };
const timings: string[] = [];

/** A file server on 127.0.0.1 for ?url=: /range/… honours Range requests, /plain/… ignores them. */
function fileServer(bytes: Uint8Array): Promise<Upstream> {
  return upstreamServer((req, res) => {
    if (req.url === "/range/t05.safetensors") return serveRange(req, res, bytes);
    if (req.url === "/plain/t05.safetensors") {
      res.writeHead(200, { "content-length": bytes.length, "content-type": "application/octet-stream" });
      return void res.end(bytes);
    }
    res.writeHead(404).end("not found");
  });
}

// Skipped only when DDS_SKIP_RUNTIMES lists workerd outside CI (skipRequested warns loudly; CI never skips).
const skipWorkerd = skipRequested("workerd");
describe.skipIf(skipWorkerd)(`examples/workerd: the edge worker in real workerd${skipWorkerd ? " — SKIPPED: DDS_SKIP_RUNTIMES lists workerd" : ""}`, () => {
  let w: Workerd | undefined;
  let bytes: Uint8Array<ArrayBuffer>;
  let files: Upstream | undefined;
  const opts = { x: "X_h1", gamma: "G_h1" };

  beforeAll(async () => {
    bytes = new Uint8Array(await readFile(join(ROOT, EXAMPLE)));
    files = await fileServer(bytes);
    // The committed limits, with ?url= allowed to reach the local file server only.
    w = await startWorkerd(await testConfig({ ALLOWED_HOSTS: files.host }));
  });

  afterAll(async () => {
    if (w) timings.unshift(...w.timings);
    await cleanup(
      () => w?.stop(),
      () => files?.close(),
    );
    if (timings.length) console.log(`examples/workerd timings: ${timings.join("; ")}`);
  });

  /** One request; the parsed JSON answer, its status and content type. */
  async function ask(path: string, init: RequestInit = {}) {
    const answer = await askWorkerd(w!, path, init);
    timings.push(`${init.method ?? "GET"} ${path.slice(0, 48)} ${answer.ms.toFixed(0)} ms`);
    return answer;
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
    // The worker's first request covers 64 KiB (the header and X); the rest comes by one more Range
    // request (read ahead up to 1 MiB, here to the end of the file).
    expect(files!.log.length, files!.log.join("\n")).toBe(2);
    expect(files!.log[1]).toBe(`GET /range/t05.safetensors bytes=65536-${bytes.length - 1} ${files!.host}`);
    expect(files!.log.every((l) => /^GET \/range\/t05\.safetensors bytes=\d+-\d+ /.test(l)), files!.log.join("\n")).toBe(true);
    expect(files!.log[0]).toBe(`GET /range/t05.safetensors bytes=0-65535 ${files!.host}`);
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
