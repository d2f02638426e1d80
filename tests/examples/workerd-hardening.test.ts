// The edge worker's ?url= limits (examples/workerd/README.md, "Limits") in real workerd, against
// misbehaving upstream servers on 127.0.0.1: deadlines (FETCH_TIMEOUT_MS, REQUEST_TIMEOUT_MS → 504),
// byte caps counted as bodies stream (MAX_BYTES → 413; Content-Length is not trusted), Content-Range
// checks (→ 502), manual redirects re-checked against ALLOWED_HOSTS at every hop (→ 403), at most
// MAX_REDIRECTS hops (→ 502) and MAX_FETCHES fetches (→ 413), fail-closed without ALLOWED_HOSTS, and
// N concurrent requests answered with exactly the bytes of the same requests one at a time.
// The test config is the committed one with small limits (workerd-harness.ts).

import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { nodeReport, ROOT, skipRequested } from "./runtime-examples.js";
import { ask as askWorkerd, cleanup, serveRange, startWorkerd, testConfig, upstreamServer, urlQuery, type Answer, type Upstream, type Workerd } from "./workerd-harness.js";

const LIMITS = {
  MAX_BYTES: 1_048_576,
  FETCH_TIMEOUT_MS: 1500,
  REQUEST_TIMEOUT_MS: 2500,
  MAX_FETCHES: 3,
  MAX_REDIRECTS: 2,
} as const;
/** How late a 504 may come after its deadline (2 shared cores; workerd answers in a few ms when idle). */
const MARGIN_MS = 2000;
const PROBE = 65536;

/** Example checkpoints served by the upstream servers: larger than the probe (bridge, mlp) or not (rrr). */
const FILES = [
  ...["r1/t00", "r1/t05", "r1/t10", "r2/t03", "r2/t05", "r2/t08", "r3/t01", "r3/t06", "r4/t02", "r4/t09"].map((f) => `bridge/${f}.safetensors`),
  ...["H1-r0", "H2-r1", "H3-r2", "H4-r3", "H4-r4"].map((f) => `rrr/${f}.safetensors`),
  "mlp/mlp-final.safetensors",
];
const BIG = "bridge/r2/t05.safetensors"; // 96288 bytes: probe + one range request
const SMALL = "rrr/H3-r2.safetensors"; // 24344 bytes: the probe covers it

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timings: string[] = [];
const bytesOf = new Map<string, Uint8Array>();

/** What a streaming response handler saw: bytes written, and whether/when the peer closed. */
interface StreamRecord {
  written: number;
  closed: Promise<number>;
}
const streams: StreamRecord[] = [];

/** Write `chunk` forever (respecting backpressure) until the connection closes; recorded in `streams`. */
function endless(res: ServerResponse, chunk: Uint8Array): void {
  const t0 = performance.now();
  const rec: StreamRecord = { written: 0, closed: new Promise((resolve) => res.once("close", () => resolve(performance.now() - t0))) };
  streams.push(rec);
  let open = true;
  res.once("close", () => (open = false));
  const pump = () => {
    while (open && res.write(chunk)) rec.written += chunk.length;
    if (open) (rec.written += chunk.length, res.once("drain", pump));
  };
  pump();
}

const file = (name: string) => bytesOf.get(decodeURIComponent(name))!;
/** Requests server A is answering right now, and the most at once (the concurrency test resets it). */
const inflight = { now: 0, max: 0 };

/** The misbehaving server (A). Routes are described where the tests use them. */
async function handlerA(req: IncomingMessage, res: ServerResponse, up: Upstream): Promise<void> {
  inflight.max = Math.max(inflight.max, ++inflight.now);
  res.once("close", () => inflight.now--);
  const url = req.url ?? "";
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
  const rest = (prefix: string) => url.slice(prefix.length);
  if (url.startsWith("/range/")) return serveRange(req, res, file(rest("/range/")));
  if (url.startsWith("/plain/")) {
    const b = file(rest("/plain/"));
    res.writeHead(200, { "content-length": b.length });
    return void res.end(b);
  }
  if (url === "/hang") return; // never answers
  if (url === "/stall-body") {
    const total = file(BIG).length;
    res.writeHead(206, { "content-range": `bytes 0-${PROBE - 1}/${total}`, "content-length": PROBE });
    return void res.write(file(BIG).subarray(0, 1000)); // …and nothing more
  }
  if (url.startsWith("/slow/")) {
    // /slow/MS/… : wait MS, then answer like the path after it (a redirect or a file)
    const m = /^\/slow\/(\d+)(\/.*)$/.exec(url)!;
    await sleep(Number(m[1]));
    if (m[2]!.startsWith("/range/")) return serveRange(req, res, file(m[2]!.slice(7)));
    res.writeHead(302, { location: m[2]! }).end();
    return;
  }
  if (url === "/endless-200") {
    res.writeHead(200, { "content-type": "application/octet-stream" }); // chunked, no Content-Length
    return endless(res, new Uint8Array(65536).fill(7));
  }
  if (url === "/huge-content-length") {
    res.writeHead(200, { "content-length": 10_000_000_000 });
    return void res.write(new Uint8Array(1024)); // then stalls: the worker must not wait for the rest
  }
  if (url === "/endless-206") {
    // honours Range in its headers, then sends far more than its Content-Range says (no Content-Length)
    res.writeHead(206, { "content-range": `bytes 0-${PROBE - 1}/200000` });
    return endless(res, new Uint8Array(65536).fill(9));
  }
  if (url === "/short-content-length") {
    // A lying Content-Length: 10 bytes declared for a 65536-byte Content-Range (HTTP framing then ends the body at 10).
    const b = file(BIG);
    res.writeHead(206, { "content-range": `bytes 0-${PROBE - 1}/${b.length}`, "content-length": 10 });
    return void res.end(b.subarray(0, PROBE));
  }
  if (url === "/long-content-length") {
    // Content-Length and Content-Range agree on 65536 bytes, but the connection ends after 100.
    const b = file(BIG);
    res.writeHead(206, { "content-range": `bytes 0-${PROBE - 1}/${b.length}`, "content-length": PROBE });
    res.write(b.subarray(0, 100));
    return void setTimeout(() => res.destroy(), 50);
  }
  if (url === "/unknown-total") {
    res.writeHead(206, { "content-range": `bytes 0-${PROBE - 1}/*`, "content-length": PROBE });
    return void res.end(file(BIG).subarray(0, PROBE));
  }
  if (url === "/later-200") {
    // 206 for the probe, then 200 with the whole file for the next range request
    const b = file(BIG);
    if (range && range[1] === "0") return serveRange(req, res, b);
    res.writeHead(200, { "content-length": b.length });
    return void res.end(b);
  }
  if (url === "/later-wrong-range") {
    const b = file(BIG);
    if (range && range[1] === "0") return serveRange(req, res, b);
    const start = Number(range?.[1]) + 1; // one byte off
    res.writeHead(206, { "content-range": `bytes ${start}-${b.length - 1}/${b.length}`, "content-length": b.length - start });
    return void res.end(b.subarray(start));
  }
  if (url.startsWith("/redirect-to/")) {
    // /redirect-to/<encoded Location>
    res.writeHead(302, { location: decodeURIComponent(rest("/redirect-to/")) }).end();
    return;
  }
  if (url.startsWith("/chain/")) {
    // /chain/N/<file>: N more redirects (301, 302, 307, 308 in turn), then the file with Range support
    const m = /^\/chain\/(\d+)\/(.*)$/.exec(url)!;
    const n = Number(m[1]);
    if (n === 0) return serveRange(req, res, file(m[2]!));
    res.writeHead([301, 302, 307, 308][n % 4]!, { location: `/chain/${n - 1}/${m[2]}` }).end();
    return;
  }
  void up;
  res.writeHead(404).end("not found");
}

const skipWorkerd = skipRequested("workerd");
describe.skipIf(skipWorkerd)(`examples/workerd: ?url= limits in real workerd${skipWorkerd ? " — SKIPPED: DDS_SKIP_RUNTIMES lists workerd" : ""}`, () => {
  let a: Upstream | undefined;
  let b: Upstream | undefined;
  let w: Workerd | undefined;
  let closed: Workerd | undefined;
  let misconfigured: Workerd | undefined;

  beforeAll(async () => {
    for (const f of FILES) bytesOf.set(f, new Uint8Array(await readFile(join(ROOT, "examples", "data", f))));
    a = await upstreamServer(handlerA);
    b = await upstreamServer((req, res) => serveRange(req, res, file((req.url ?? "").replace(/^\/range\//, ""))));
    const limits = Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)]));
    // Three instances: the limits above with both servers allowed, the committed config with
    // ALLOWED_HOSTS empty (?url= must then be off), and one with a malformed limit.
    [w, closed, misconfigured] = await Promise.all([
      startWorkerd(await testConfig({ ...limits, ALLOWED_HOSTS: `${a.host},${b.host}` }), "workerd (small limits)"),
      startWorkerd(await testConfig({ ALLOWED_HOSTS: "" }), "workerd (no ALLOWED_HOSTS)"),
      startWorkerd(await testConfig({ ALLOWED_HOSTS: a.host, FETCH_TIMEOUT_MS: "1e4" }), "workerd (bad binding)"),
    ]);
  });

  afterAll(async () => {
    timings.unshift(...(w?.timings ?? []), ...(closed?.timings ?? []), ...(misconfigured?.timings ?? []));
    await cleanup(
      () => w?.stop(),
      () => closed?.stop(),
      () => misconfigured?.stop(),
      () => a?.close(),
      () => b?.close(),
    );
    if (timings.length) console.log(`examples/workerd limits timings: ${timings.join("; ")}`);
  });

  async function ask(path: string, init: RequestInit = {}, on = w!): Promise<Answer> {
    const answer = await askWorkerd(on, path, init);
    timings.push(`${decodeURIComponent(path).slice(6, 70)} → ${answer.status} ${answer.ms.toFixed(0)} ms`);
    return answer;
  }
  const viaA = (path: string) => urlQuery(`${a!.base}${path}`);
  /** The error of an answer, after checking status and the { error: { name, code, message } } shape. */
  function errorOf(r: Answer, status: number, name: string, code: string): { message: string; url?: string; limit?: unknown; received?: number; timeoutMs?: number } {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body.error).toMatchObject({ name, code, message: expect.any(String) });
    return r.body.error;
  }

  test("a working ?url= read still equals Node's report (probe + one range request)", async () => {
    a!.log.length = 0;
    const url = `${a!.base}/range/${BIG}`;
    const r = await ask(urlQuery(url));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual(await nodeReport(file(BIG), { x: "X_h1", gamma: "G_h1", open: { fileName: url } }));
    expect(a!.log.map((l) => l.split(" ")[2])).toEqual([`bytes=0-${PROBE - 1}`, `bytes=${PROBE}-${file(BIG).length - 1}`]);
  });

  describe("deadlines → 504 naming the URL and the deadline", () => {
    test("an upstream that never answers: 504 after FETCH_TIMEOUT_MS", async () => {
      const r = await ask(viaA("/hang"));
      const e = errorOf(r, 504, "UpstreamTimeout", "UPSTREAM_TIMEOUT");
      expect(e.url).toBe(`${a!.base}/hang`);
      expect(e).toMatchObject({ timeoutMs: LIMITS.FETCH_TIMEOUT_MS, limit: "FETCH_TIMEOUT_MS" });
      expect(e.message).toBe(`fetching ${a!.base}/hang: no complete answer within ${LIMITS.FETCH_TIMEOUT_MS} ms (FETCH_TIMEOUT_MS)`);
      expect(r.ms).toBeGreaterThanOrEqual(LIMITS.FETCH_TIMEOUT_MS - 50);
      expect(r.ms).toBeLessThan(LIMITS.FETCH_TIMEOUT_MS + MARGIN_MS);
    });

    test("an upstream that stalls mid-body: the deadline covers the body too", async () => {
      const r = await ask(viaA("/stall-body"));
      const e = errorOf(r, 504, "UpstreamTimeout", "UPSTREAM_TIMEOUT");
      expect(e.message).toMatch(/\/stall-body: no complete answer within 1500 ms \(FETCH_TIMEOUT_MS\)/);
      expect(r.ms).toBeGreaterThanOrEqual(LIMITS.FETCH_TIMEOUT_MS - 50);
      expect(r.ms).toBeLessThan(LIMITS.FETCH_TIMEOUT_MS + MARGIN_MS);
    });

    test("each fetch in time but the request's upstream total too long: 504 after REQUEST_TIMEOUT_MS", async () => {
      // 1000 ms for the redirect, 1000 ms for the probe, then a range request that would end at 3000 ms.
      const r = await ask(viaA(`/slow/1000/slow/1000/range/${BIG}`));
      const e = errorOf(r, 504, "UpstreamTimeout", "UPSTREAM_TIMEOUT");
      expect(e).toMatchObject({ timeoutMs: LIMITS.REQUEST_TIMEOUT_MS, limit: "REQUEST_TIMEOUT_MS" });
      expect(e.message).toMatch(/the request's upstream deadline of 2500 ms \(REQUEST_TIMEOUT_MS\) ran out/);
      expect(r.ms).toBeGreaterThanOrEqual(LIMITS.REQUEST_TIMEOUT_MS - 50);
      expect(r.ms).toBeLessThan(LIMITS.REQUEST_TIMEOUT_MS + MARGIN_MS);
    });
  });

  describe("byte caps: nothing beyond MAX_BYTES is kept, and Content-Length is not trusted", () => {
    test("a 200 (Range ignored) with an endless chunked body: 413 at MAX_BYTES, the stream is cut", async () => {
      const before = streams.length;
      const r = await ask(viaA("/endless-200"));
      const e = errorOf(r, 413, "PayloadTooLarge", "TOO_LARGE");
      expect(e.limit).toBe(LIMITS.MAX_BYTES);
      expect(e.message).toMatch(/ignored Range and sends more than 1048576 bytes \(MAX_BYTES\)/);
      // Stopped by the cap, not by the deadline, and the connection was closed (the server stops writing).
      expect(r.ms).toBeLessThan(LIMITS.FETCH_TIMEOUT_MS);
      const rec = streams[before]!;
      const closedAfter = await Promise.race([rec.closed, sleep(5000).then(() => -1)]);
      expect(closedAfter, "the upstream connection was not closed").toBeGreaterThanOrEqual(0);
      timings.push(`endless-200: the server wrote ${rec.written} bytes (socket buffers included) before the worker closed`);
    });

    test("a 200 declaring a 10 GB Content-Length: 413 at once, without reading it", async () => {
      const r = await ask(viaA("/huge-content-length"));
      const e = errorOf(r, 413, "PayloadTooLarge", "TOO_LARGE");
      expect(e.message).toMatch(/sends 10000000000 bytes; this worker fetches at most 1048576 \(MAX_BYTES\)/);
      expect(r.ms).toBeLessThan(LIMITS.FETCH_TIMEOUT_MS);
    });

    test("a 206 that sends more than its Content-Range (endless): 502 naming why, stopped at the range", async () => {
      const before = streams.length;
      const r = await ask(viaA("/endless-206"));
      const e = errorOf(r, 502, "UpstreamError", "UPSTREAM");
      expect(e.message).toMatch(/sent more than the 65536 bytes of its Content-Range \(bytes 0-65535\); stopped at \d+/);
      expect(Number(/stopped at (\d+)/.exec(e.message)![1])).toBeLessThanOrEqual(2 * PROBE);
      expect(r.ms).toBeLessThan(LIMITS.FETCH_TIMEOUT_MS);
      expect(await Promise.race([streams[before]!.closed, sleep(5000).then(() => -1)])).toBeGreaterThanOrEqual(0);
    });

    test("a lying Content-Length (10 bytes for a 65536-byte Content-Range): 502 truncated", async () => {
      const e = errorOf(await ask(viaA("/short-content-length")), 502, "UpstreamError", "UPSTREAM");
      expect(e.message).toMatch(/sent 10 bytes for Content-Range bytes 0-65535: truncated/);
    });

    test("a body cut short of its Content-Length: 502", async () => {
      const e = errorOf(await ask(viaA("/long-content-length")), 502, "UpstreamError", "UPSTREAM");
      expect(e.message).toMatch(/long-content-length: (reading the body failed|sent 100 bytes)/);
    });

    test("a file whose X and Γ need more than MAX_BYTES: 413 before fetching them", async () => {
      // A 2 MiB file read by Range: the probe is fine, the tensors would exceed the budget.
      const header = new TextEncoder().encode(JSON.stringify({ X_h1: { dtype: "F64", shape: [8192, 16], data_offsets: [0, 1048576] }, G_h1: { dtype: "F64", shape: [8192, 16], data_offsets: [1048576, 2097152] } }).padEnd(128, " "));
      const big = new Uint8Array(8 + header.length + 2097152);
      new DataView(big.buffer).setBigUint64(0, BigInt(header.length), true);
      big.set(header, 8);
      bytesOf.set("big.safetensors", big);
      a!.log.length = 0;
      const e = errorOf(await ask(viaA("/range/big.safetensors")), 413, "PayloadTooLarge", "TOO_LARGE");
      expect(e.message).toMatch(/needs more than 1048576 bytes fetched in all \(MAX_BYTES\)/);
      expect(a!.log).toHaveLength(1); // the probe only: the refused range was never requested
    });
  });

  describe("Range answers are checked → 502 naming why", () => {
    test("200 with the whole file to a later range request (after a 206 probe): refused, not downloaded", async () => {
      const e = errorOf(await ask(viaA("/later-200")), 502, "UpstreamError", "UPSTREAM");
      expect(e.message).toMatch(/answered a Range request with HTTP 200 \(the whole file\) after honouring Range before/);
    });

    test("a Content-Range for other bytes than asked", async () => {
      const e = errorOf(await ask(viaA("/later-wrong-range")), 502, "UpstreamError", "UPSTREAM");
      expect(e.message).toMatch(/range request for bytes 65536-96287 of 96288 answered Content-Range "bytes 65537-96287\/96288"/);
    });

    test("a Content-Range without a total size", async () => {
      const e = errorOf(await ask(viaA("/unknown-total")), 502, "UpstreamError", "UPSTREAM");
      expect(e.message).toMatch(/answered HTTP 206 with Content-Range "bytes 0-65535\/\*"/);
    });

    test("200 instead of 206 for the probe, within MAX_BYTES: the whole body is read (capped), same report", async () => {
      const url = `${a!.base}/plain/${BIG}`;
      const r = await ask(urlQuery(url));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toEqual(await nodeReport(file(BIG), { x: "X_h1", gamma: "G_h1", open: { fileName: url } }));
    });
  });

  describe("hosts and redirects (redirect: manual, every hop re-checked)", () => {
    test("?url= on a host (or port) outside ALLOWED_HOSTS: 403, nothing fetched", async () => {
      a!.log.length = 0;
      const other = await ask(urlQuery(`http://localhost:${a!.port}/range/${SMALL}`));
      expect(errorOf(other, 403, "Forbidden", "HOST_NOT_ALLOWED").message).toBe(`url host localhost:${a!.port} is not in ALLOWED_HOSTS`);
      const port = await ask(urlQuery(`http://127.0.0.1:${a!.port === 1 ? 2 : 1}/x`));
      errorOf(port, 403, "Forbidden", "HOST_NOT_ALLOWED");
      expect(a!.log).toEqual([]);
    });

    test("a redirect to a host outside ALLOWED_HOSTS: 403, the Location is not fetched", async () => {
      a!.log.length = 0;
      const target = `http://localhost:${a!.port}/range/${SMALL}`;
      const r = await ask(viaA(`/redirect-to/${encodeURIComponent(target)}`));
      const e = errorOf(r, 403, "Forbidden", "REDIRECT_NOT_ALLOWED");
      expect(e.message).toBe(`the upstream server redirected to ${target}, whose host localhost:${a!.port} is not in ALLOWED_HOSTS; not followed`);
      expect(e.url).toBe(target);
      expect(a!.log).toHaveLength(1); // only the redirecting request; nothing reached "localhost"
      expect(a!.log[0]).toMatch(new RegExp(` ${a!.host.replace(/\./g, "\\.")}$`));
    });

    test("a redirect to a non-http(s) URL: 403", async () => {
      const e = errorOf(await ask(viaA(`/redirect-to/${encodeURIComponent("file:///etc/passwd")}`)), 403, "Forbidden", "REDIRECT_NOT_ALLOWED");
      expect(e.message).toMatch(/redirected to a file: URL; only http: and https: are followed/);
    });

    test("a redirect to another allowed host is followed; later range requests go to the final URL", async () => {
      a!.log.length = 0;
      b!.log.length = 0;
      const url = `${a!.base}/redirect-to/${encodeURIComponent(`${b!.base}/range/${BIG}`)}`;
      const r = await ask(urlQuery(url));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toEqual(await nodeReport(file(BIG), { x: "X_h1", gamma: "G_h1", open: { fileName: url } }));
      expect(a!.log).toHaveLength(1);
      expect(b!.log.map((l) => l.split(" ")[2])).toEqual([`bytes=0-${PROBE - 1}`, `bytes=${PROBE}-${file(BIG).length - 1}`]);
    });

    test(`a chain of MAX_REDIRECTS (${LIMITS.MAX_REDIRECTS}) relative redirects works; one more is a 502`, async () => {
      const ok = await ask(viaA(`/chain/2/${SMALL}`));
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.readings[0]).toMatchObject({ layer: "X_h1", N: 500, d: 3 });

      a!.log.length = 0;
      const e = errorOf(await ask(viaA(`/chain/3/${SMALL}`)), 502, "UpstreamError", "TOO_MANY_REDIRECTS");
      expect(e.message).toMatch(new RegExp(`more than 2 redirects \\(MAX_REDIRECTS\\); the next was to ${a!.base}/chain/0/`));
      expect(e.limit).toBe(LIMITS.MAX_REDIRECTS);
      expect(a!.log).toHaveLength(3); // the request and the two hops followed
    });

    test(`MAX_FETCHES (${LIMITS.MAX_FETCHES}) counts redirect hops: 2 hops + probe + a range request is a 413`, async () => {
      a!.log.length = 0;
      const e = errorOf(await ask(viaA(`/chain/2/${BIG}`)), 413, "PayloadTooLarge", "TOO_MANY_FETCHES");
      expect(e.message).toMatch(/needs more than 3 upstream fetches \(MAX_FETCHES\)/);
      expect(a!.log).toHaveLength(3);
    });

    test("without ALLOWED_HOSTS, ?url= is off (403) and POST still works", async () => {
      a!.log.length = 0;
      const r = await ask(viaA(`/range/${SMALL}`), {}, closed!);
      expect(errorOf(r, 403, "Forbidden", "URL_DISABLED").message).toMatch(/\?url= is disabled on this deployment: the ALLOWED_HOSTS binding is not set/);
      expect(a!.log).toEqual([]);
      const post = await ask("/?x=X_h1&gamma=G_h1", { method: "POST", body: file(SMALL) as Uint8Array<ArrayBuffer> }, closed!);
      expect(post.status, JSON.stringify(post.body)).toBe(200);
    });
  });

  test("a limit binding that is not an integer: every request is a 500 naming it (never a silent default), nothing fetched", async () => {
    a!.log.length = 0;
    const r = await ask(viaA(`/range/${SMALL}`), {}, misconfigured!);
    expect(errorOf(r, 500, "ConfigError", "CONFIG").message).toBe('binding FETCH_TIMEOUT_MS must be an integer ≥ 1, got "1e4"');
    const post = await ask("/?x=X_h1&gamma=G_h1", { method: "POST", body: file(SMALL) as Uint8Array<ArrayBuffer> }, misconfigured!);
    errorOf(post, 500, "ConfigError", "CONFIG");
    expect(a!.log).toEqual([]);
  });

  test("24 concurrent ?url= requests (16 files, range and plain servers, redirects) give exactly the bytes of the same requests one at a time", async () => {
    const paths = [
      // Half of them answered 20 ms late, so that the worker's upstream fetches overlap.
      ...FILES.map((f, i) => viaA(i % 2 ? `/slow/20/range/${f}` : `/range/${f}`)),
      ...FILES.slice(0, 4).map((f) => urlQuery(`${b!.base}/range/${f}`)),
      viaA(`/plain/${FILES[1]}`),
      viaA(`/plain/${FILES[12]}`),
      viaA(`/redirect-to/${encodeURIComponent(`${b!.base}/range/${FILES[7]}`)}`),
      urlQuery(`${a!.base}/range/${FILES[3]}`, "x=X_h1&gamma=G_h1&centerX=1&recipe=gram"),
    ];
    expect(paths.length).toBeGreaterThanOrEqual(24);
    const t0 = performance.now();
    const oneByOne: Answer[] = [];
    for (const p of paths) oneByOne.push(await askWorkerd(w!, p));
    const t1 = performance.now();
    inflight.max = 0;
    const together = await Promise.all(paths.map((p) => askWorkerd(w!, p, {}, 60_000)));
    const t2 = performance.now();
    timings.push(`${paths.length} requests one at a time ${(t1 - t0).toFixed(0)} ms, concurrently ${(t2 - t1).toFixed(0)} ms (at most ${inflight.max} upstream fetches at once)`);
    for (const [i, r] of oneByOne.entries()) expect(r.status, `${paths[i]}: ${r.text.slice(0, 300)}`).toBe(200);
    for (const [i, r] of together.entries()) expect(r.text, decodeURIComponent(paths[i]!)).toBe(oneByOne[i]!.text);
    // Not vacuous: the requests were in flight together (upstream saw overlapping fetches), the files
    // give different reports, and one of them equals Node's.
    expect(inflight.max, "upstream never saw two fetches at once").toBeGreaterThanOrEqual(4);
    expect(new Set(oneByOne.map((r) => JSON.stringify(r.body.readings[0]))).size).toBeGreaterThanOrEqual(FILES.length);
    expect(together[0]!.body).toEqual(await nodeReport(file(FILES[0]!), { x: "X_h1", gamma: "G_h1", open: { fileName: `${a!.base}/range/${FILES[0]}` } }));
  }, 120_000);
});
