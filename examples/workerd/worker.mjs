// DDS readout as an edge worker (Cloudflare Workers / workerd). One request → one layer reading →
// the JSON report of docs/report-schema.md.
//
//   POST /?x=X_h1&gamma=G_h1            body: a .safetensors (or .npz) file holding X and Γ
//   GET  /?url=https://…/ckpt.safetensors&x=X_h1&gamma=G_h1    the worker fetches the file
//   optional: centerX=1, recipe=factor|gram|both, name=LABEL (POST: the checkpoint label)
//
// "dead-directions" must be bundled with the `workerd` export condition (wrangler does this; with esbuild
// pass conditions ["workerd", "worker"] and keep *.wasm external): that entry imports the kernels as
// wasm modules, which the host hands over already compiled. workerd refuses to compile wasm from bytes
// at request time, so the package's default entry (base64-embedded wasm) cannot work here.
//
// Errors are { error: { name, code, message, … } } with the status that says whose fault it is:
// 400 bad input (the library's typed errors, BadRequest), 403 a host (or a redirect) outside
// ALLOWED_HOSTS, 405 other methods, 413 a limit (MAX_BYTES, MAX_FETCHES), 500 a bad binding or a bug,
// 502 the upstream server misbehaved, 504 it did not answer in time.
//
// ?url= is hardened against SSRF and resource exhaustion; every limit is a text binding and is
// documented, with what it protects against, in examples/workerd/README.md ("Limits"):
//   ALLOWED_HOSTS       hosts ?url= and every redirect may reach; unset or empty: ?url= is off, "*": any
//   MAX_BYTES           largest POST body, and most bytes fetched upstream per request (counted as they stream)
//   FETCH_TIMEOUT_MS    deadline of each upstream fetch, headers and body
//   REQUEST_TIMEOUT_MS  deadline of all upstream fetching of one request
//   MAX_FETCHES         upstream fetches per request (every redirect hop counts)
//   MAX_REDIRECTS       redirect hops followed (only on the first fetch; each Location re-checked)

import { buildReport, DdsError, init, readCheckpoint } from "dead-directions";

/** Defaults of the bindings (README.md, "Limits"). */
const DEFAULTS = {
  MAX_BYTES: 64 * 1024 * 1024,
  FETCH_TIMEOUT_MS: 10_000,
  REQUEST_TIMEOUT_MS: 30_000,
  MAX_FETCHES: 32,
  MAX_REDIRECTS: 3,
};
/** First range request of a ?url= fetch: covers the header of most files (a safetensors header is small). */
const PROBE_BYTES = 64 * 1024;
/** Later range requests fetch at least this much (as far as the file and MAX_BYTES allow), cached. */
const READ_AHEAD = 1024 * 1024;
/** Range responses kept for later reads (besides the probe). */
const CACHED_WINDOWS = 4;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Library error codes that mean "the input is wrong", answered with 400. */
const INPUT_CODES = new Set(["BAD_ARGUMENT", "FORMAT", "UNSUPPORTED_DTYPE", "NON_FINITE", "LINALG", "NOT_POSITIVE_DEFINITE"]);
const RECIPES = new Set(["factor", "gram", "both"]);
const CORS = { "access-control-allow-origin": "*" };

/** An error of this worker (not of the library), with the HTTP status to answer and extra JSON fields. */
class HttpError extends Error {
  constructor(status, name, code, message, details = {}) {
    super(message);
    this.status = status;
    this.name = name;
    this.code = code;
    this.details = details;
  }
}

const badRequest = (message) => new HttpError(400, "BadRequest", "BAD_REQUEST", message);
const forbidden = (code, message, url) => new HttpError(403, "Forbidden", code, message, { url: String(url) });
const upstream = (url, detail) => new HttpError(502, "UpstreamError", "UPSTREAM", `fetching ${url}: ${detail}`, { url: String(url) });
const tooLarge = (message, limit, extra = {}) => new HttpError(413, "PayloadTooLarge", "TOO_LARGE", message, { limit, ...extra });
const configError = (message) => new HttpError(500, "ConfigError", "CONFIG", message);

/**
 * The error to answer with: the worker's own HttpError, also when the library wrapped it (a failed
 * ByteSource read becomes a ReadError whose `cause` is what read() threw).
 */
function rootError(err) {
  for (let e = err, depth = 0; e && depth < 8; e = e.cause, depth++) if (e instanceof HttpError) return e;
  return err;
}

function statusOf(err) {
  if (err instanceof HttpError) return err.status;
  if (err instanceof DdsError) {
    if (INPUT_CODES.has(err.code)) return 400;
    if (err.code === "READ") return 502; // the byte source (the fetched URL) failed mid-read
    if (err.code === "OUT_OF_MEMORY") return 413;
  }
  return 500;
}

function errorResponse(thrown) {
  const err = rootError(thrown);
  const status = statusOf(err);
  const error = {
    name: err?.name ?? "Error",
    code: err?.code ?? "INTERNAL",
    message: status === 500 && !(err instanceof DdsError) && !(err instanceof HttpError) ? `internal error: ${err?.message ?? String(err)}` : err?.message ?? String(err),
  };
  // Where in the file the problem is, when the library knows it.
  for (const key of ["file", "tensor", "offset", "shape", "index", "row", "col"]) {
    if (err?.[key] !== undefined) error[key] = err[key];
  }
  if (err instanceof HttpError) Object.assign(error, err.details);
  return Response.json({ error }, { status, headers: CORS });
}

/** Reading options from the query string; 400 for anything malformed. */
function options(params) {
  const x = params.get("x");
  const gamma = params.get("gamma");
  if (!x || !gamma) {
    throw badRequest(`missing query parameter ${!x ? "x" : "gamma"}: pass the tensor names, e.g. ?x=X_h1&gamma=G_h1 (POST a .safetensors body, or GET ?url=…)`);
  }
  const o = { x, gamma };
  const centerX = params.get("centerX");
  if (centerX !== null) {
    if (!["", "1", "true", "0", "false"].includes(centerX)) throw badRequest(`centerX must be 1, true, 0 or false, got ${JSON.stringify(centerX)}`);
    o.centerX = centerX === "" || centerX === "1" || centerX === "true";
  }
  const recipe = params.get("recipe");
  if (recipe !== null) {
    if (!RECIPES.has(recipe)) throw badRequest(`recipe must be factor, gram or both, got ${JSON.stringify(recipe)}`);
    o.recipe = recipe;
  }
  return o;
}

/**
 * The limits from the bindings. A binding that is set but not a positive integer is a deployment
 * mistake: answered with 500 naming it, never silently replaced by a default (or by "no limit").
 */
function limits(env) {
  const out = {};
  for (const [key, fallback] of Object.entries(DEFAULTS)) {
    const raw = env?.[key];
    if (raw === undefined || raw === "") {
      out[key] = fallback;
      continue;
    }
    const v = Number(raw);
    const min = key === "MAX_REDIRECTS" ? 0 : 1;
    if (!/^\s*\d+\s*$/.test(String(raw)) || !Number.isSafeInteger(v) || v < min) throw configError(`binding ${key} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
    out[key] = v;
  }
  out.ALLOWED_HOSTS = String(env?.ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  return out;
}

/** The whole body of the POST request, refusing more than `max` bytes (counted; Content-Length only refuses early). */
async function readRequestBody(request, max) {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > max) throw tooLarge(`the request body has ${declared} bytes; this worker accepts at most ${max} (MAX_BYTES)`, max);
  if (!request.body) return new Uint8Array(0);
  const chunks = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`the request body has more than ${max} bytes; this worker accepts at most ${max} (MAX_BYTES)`, max);
    }
    size += value.byteLength;
    chunks.push(value);
  }
  return concat(chunks, size);
}

function concat(chunks, size) {
  if (chunks.length === 1 && chunks[0].byteLength === size) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) (out.set(c, at), (at += c.byteLength));
  return out;
}

/**
 * Is `url` allowed? Entries are matched against `url.host` (host name, plus ":port" when it is not
 * the scheme's default): "example.com" allows https://example.com/ and http://example.com/ only on
 * ports 443/80; "example.com:8443" that port; "*.example.com" any subdomain (default port); "*" any.
 */
function hostAllowed(url, allowed) {
  const host = url.host.toLowerCase();
  return allowed.some((a) => a === "*" || a === host || (a.startsWith("*.") && !host.includes(":") && host.endsWith(a.slice(1))));
}

/** A URL ?url= (or a redirect) may be fetched: http(s), no credentials, on ALLOWED_HOSTS. */
function checkTarget(url, allowed, what) {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    if (what === "url") throw badRequest(`url must be http: or https:, got ${url.protocol}`);
    throw forbidden("REDIRECT_NOT_ALLOWED", `the upstream server redirected to a ${url.protocol} URL; only http: and https: are followed`, url);
  }
  if (url.username || url.password) {
    if (what === "url") throw badRequest("url must not contain credentials (user:password@)");
    throw forbidden("REDIRECT_NOT_ALLOWED", `the upstream server redirected to a URL with credentials (${url.host})`, url.origin);
  }
  if (!hostAllowed(url, allowed)) {
    if (what === "url") throw forbidden("HOST_NOT_ALLOWED", `url host ${url.host} is not in ALLOWED_HOSTS`, url);
    throw forbidden("REDIRECT_NOT_ALLOWED", `the upstream server redirected to ${url.href}, whose host ${url.host} is not in ALLOWED_HOSTS; not followed`, url);
  }
}

/** The URL to fetch, checked; ?url= is off unless ALLOWED_HOSTS is set (fail closed). */
function checkedUrl(raw, lim) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest(`url is not a valid absolute URL: ${JSON.stringify(raw)}`);
  }
  if (lim.ALLOWED_HOSTS.length === 0) {
    throw forbidden("URL_DISABLED", "?url= is disabled on this deployment: the ALLOWED_HOSTS binding is not set (POST the file instead)", url);
  }
  checkTarget(url, lim.ALLOWED_HOSTS, "url");
  return url;
}

/** "bytes a-b/T" → { start, end, total }; undefined unless all three are plain integers with a ≤ b < T. */
function contentRange(header) {
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![start, end, total].every(Number.isSafeInteger) || start > end || end >= total) return undefined;
  return { start, end, total };
}

/**
 * All upstream traffic of one request: a fetch counter (MAX_FETCHES), a byte budget (MAX_BYTES,
 * counted as bodies stream; Content-Length is only used to refuse early), a deadline per fetch
 * (FETCH_TIMEOUT_MS, covering headers and body) within one for the whole request (REQUEST_TIMEOUT_MS),
 * and manual redirects re-checked against ALLOWED_HOSTS at every hop (MAX_REDIRECTS).
 */
class Upstream {
  constructor(lim) {
    this.lim = lim;
    this.fetches = 0;
    this.bytes = 0;
    this.requestDeadline = Date.now() + lim.REQUEST_TIMEOUT_MS;
  }

  /** A deadline for one fetch: { signal, expired(), done(), timeout(url) }. */
  deadline() {
    const left = this.requestDeadline - Date.now();
    const perFetch = this.lim.FETCH_TIMEOUT_MS;
    const ms = Math.max(0, Math.min(perFetch, left));
    const byRequest = left < perFetch;
    const controller = new AbortController();
    let fired = false;
    let onFire;
    const fire = new Promise((_, reject) => (onFire = reject));
    fire.catch(() => undefined);
    const timer = setTimeout(() => {
      fired = true;
      controller.abort();
      onFire(new Error("deadline"));
    }, ms);
    return {
      signal: controller.signal,
      fire,
      expired: () => fired,
      done: () => clearTimeout(timer),
      timeout: (url) =>
        new HttpError(
          504,
          "UpstreamTimeout",
          "UPSTREAM_TIMEOUT",
          byRequest
            ? `fetching ${url}: the request's upstream deadline of ${this.lim.REQUEST_TIMEOUT_MS} ms (REQUEST_TIMEOUT_MS) ran out`
            : `fetching ${url}: no complete answer within ${perFetch} ms (FETCH_TIMEOUT_MS)`,
          { url: String(url), timeoutMs: byRequest ? this.lim.REQUEST_TIMEOUT_MS : perFetch, limit: byRequest ? "REQUEST_TIMEOUT_MS" : "FETCH_TIMEOUT_MS" },
        ),
    };
  }

  /** Count one fetch against MAX_FETCHES. */
  count(url) {
    if (this.fetches >= this.lim.MAX_FETCHES) {
      throw new HttpError(413, "PayloadTooLarge", "TOO_MANY_FETCHES", `reading ${url} needs more than ${this.lim.MAX_FETCHES} upstream fetches (MAX_FETCHES)`, { url: String(url), limit: this.lim.MAX_FETCHES });
    }
    this.fetches++;
  }

  /**
   * GET `url` with `range` ("bytes=a-b"), redirect: "manual". Redirects are followed only when
   * `follow` (the first fetch): at most MAX_REDIRECTS hops, each Location checked like ?url= itself
   * (403 when it leaves ALLOWED_HOSTS or goes from https: to http:). Resolves to { res, url, dl }
   * where dl is the deadline still running for the body.
   */
  async get(url, range, follow) {
    for (let hop = 0; ; hop++) {
      this.count(url);
      const dl = this.deadline();
      let res;
      try {
        res = await Promise.race([fetch(url, { headers: { range }, redirect: "manual", signal: dl.signal }), dl.fire]);
      } catch (err) {
        dl.done();
        if (dl.expired()) throw dl.timeout(url);
        throw upstream(url, err?.message ?? String(err));
      }
      if (!REDIRECTS.has(res.status)) return { res, url, dl };
      dl.done();
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get("location");
      if (!follow) throw upstream(url, `HTTP ${res.status} redirect on a range request after the first (redirects are followed on the first request only)`);
      if (!location) throw upstream(url, `HTTP ${res.status} without a Location header`);
      let next;
      try {
        next = new URL(location, url);
      } catch {
        throw upstream(url, `HTTP ${res.status} to an invalid Location ${JSON.stringify(location.slice(0, 200))}`);
      }
      checkTarget(next, this.lim.ALLOWED_HOSTS, "redirect");
      if (url.protocol === "https:" && next.protocol === "http:") {
        throw forbidden("REDIRECT_NOT_ALLOWED", `the upstream server redirected from https: to http: (${next.href}); not followed`, next);
      }
      if (hop + 1 > this.lim.MAX_REDIRECTS) {
        throw new HttpError(502, "UpstreamError", "TOO_MANY_REDIRECTS", `fetching ${url}: more than ${this.lim.MAX_REDIRECTS} redirects (MAX_REDIRECTS); the next was to ${next.href}`, { url: String(url), limit: this.lim.MAX_REDIRECTS });
      }
      url = next;
    }
  }

  /**
   * The body of `res`, at most `cap` bytes: more is `over(n)` (thrown after cancelling the stream,
   * having kept at most `cap` bytes). Counted against MAX_BYTES as it streams; under `dl`.
   */
  async body(res, url, dl, cap, over) {
    const chunks = [];
    let size = 0;
    const reader = res.body?.getReader();
    try {
      if (!reader) return new Uint8Array(0);
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), dl.fire]);
        if (done) break;
        if (size + value.byteLength > cap) throw over(size + value.byteLength);
        if (this.bytes + value.byteLength > this.lim.MAX_BYTES) {
          throw tooLarge(`fetching ${url}: more than ${this.lim.MAX_BYTES} bytes in all (MAX_BYTES); stopped after ${this.bytes}`, this.lim.MAX_BYTES, { url: String(url), received: this.bytes });
        }
        size += value.byteLength;
        this.bytes += value.byteLength;
        chunks.push(value);
      }
      return concat(chunks, size);
    } catch (err) {
      reader?.cancel().catch(() => undefined);
      if (dl.expired()) throw dl.timeout(url);
      if (err instanceof HttpError) throw err;
      throw upstream(url, `reading the body failed: ${err?.message ?? String(err)}`);
    } finally {
      dl.done();
    }
  }

  /** Bytes [start, end] (inclusive) by a Range request to `url`, whose file has `total` bytes: 206 with exactly that Content-Range, or 502. */
  async range(url, start, end, total) {
    if (this.bytes + (end - start + 1) > this.lim.MAX_BYTES) {
      throw tooLarge(`reading ${url} needs more than ${this.lim.MAX_BYTES} bytes fetched in all (MAX_BYTES): ${this.bytes} so far, ${end - start + 1} more asked`, this.lim.MAX_BYTES, { url: String(url) });
    }
    const { res, dl } = await this.get(url, `bytes=${start}-${end}`, false);
    const refuse = (why) => (dl.done(), res.body?.cancel().catch(() => undefined), upstream(url, why));
    if (res.status === 200) throw refuse(`answered a Range request with HTTP 200 (the whole file) after honouring Range before; refused rather than downloading the file`);
    if (res.status !== 206) throw refuse(`range request for bytes ${start}-${end} answered HTTP ${res.status}`);
    const cr = contentRange(res.headers.get("content-range"));
    if (!cr || cr.start !== start || cr.end !== end || cr.total !== total) {
      throw refuse(`range request for bytes ${start}-${end} of ${total} answered Content-Range ${JSON.stringify(res.headers.get("content-range"))}`);
    }
    const want = end - start + 1;
    const got = await this.body(res, url, dl, want, (n) => upstream(url, `sent more than the ${want} bytes of its Content-Range (bytes ${start}-${end}); stopped at ${n}`));
    if (got.length !== want) throw upstream(url, `sent ${got.length} bytes for Content-Range bytes ${start}-${end} (${want} bytes): truncated`);
    return got;
  }
}

/**
 * A source for the file at `url`. The first request asks for the first PROBE_BYTES. A 206 is
 * checked (Content-Range from 0, within what was asked, a known total) and the file is then read
 * piecewise by Range requests to the final URL (after redirects): a checkpoint larger than the
 * worker's memory can be read when X and Γ fit. A 200 (Range ignored) is read whole, counted against
 * MAX_BYTES as it streams. Anything else is a 502.
 */
async function urlSource(url, lim) {
  const up = new Upstream(lim);
  const { res: first, url: finalUrl, dl } = await up.get(url, `bytes=0-${PROBE_BYTES - 1}`, true);
  const label = url.href;
  const refuse = (why) => (dl.done(), first.body?.cancel().catch(() => undefined), upstream(finalUrl, why));
  if (first.status === 206) {
    const cr = contentRange(first.headers.get("content-range"));
    if (!cr || cr.start !== 0 || cr.end > PROBE_BYTES - 1 || (cr.end < PROBE_BYTES - 1 && cr.end !== cr.total - 1)) {
      throw refuse(`the first range request (bytes 0-${PROBE_BYTES - 1}) answered HTTP 206 with Content-Range ${JSON.stringify(first.headers.get("content-range"))}`);
    }
    const want = cr.end + 1;
    const head = await up.body(first, finalUrl, dl, want, (n) => upstream(finalUrl, `sent more than the ${want} bytes of its Content-Range (bytes 0-${cr.end}); stopped at ${n}`));
    if (head.length !== want) throw upstream(finalUrl, `sent ${head.length} bytes for Content-Range bytes 0-${cr.end}: truncated`);
    const total = cr.total;
    /** Fetched windows, newest last: { start, bytes }. */
    const windows = [];
    /** Bytes [offset, offset + length) from the windows, else by one Range request reading ahead. */
    async function fetchAt(offset, length) {
      for (const w of windows) {
        if (offset >= w.start && offset + length <= w.start + w.bytes.length) return w.bytes.subarray(offset - w.start, offset - w.start + length);
      }
      // Read ahead (fewer fetches for small reads, e.g. a deflated .npz member), within the file and MAX_BYTES.
      const budget = lim.MAX_BYTES - up.bytes;
      const span = Math.min(total - offset, Math.max(length, Math.min(READ_AHEAD, budget)));
      const bytes = await up.range(finalUrl, offset, offset + span - 1, total);
      // Small reads come back to a window (headers, a deflated member's blocks); the blocks of rows a
      // streaming reading asks for (docs/streaming.md) are read once, in order: keep none of those, so
      // memory stays one block or two whatever the checkpoint's size.
      if (span <= READ_AHEAD) {
        windows.push({ start: offset, bytes });
        if (windows.length > CACHED_WINDOWS) windows.shift();
      }
      return bytes.subarray(0, length);
    }
    return {
      size: total,
      name: label,
      async read(offset, length) {
        const end = offset + length;
        if (end <= head.length) return head.subarray(offset, end);
        if (offset >= head.length) return fetchAt(offset, length);
        // Straddles the end of the probe: only the part beyond it is fetched.
        const out = new Uint8Array(length);
        out.set(head.subarray(offset));
        out.set(await fetchAt(head.length, end - head.length), head.length - offset);
        return out;
      },
    };
  }
  if (first.status !== 200) throw refuse(`HTTP ${first.status}`);
  // Range ignored: the whole body, refused early when it declares more than MAX_BYTES, counted anyway.
  const declared = first.headers.get("content-length");
  if (declared !== null && Number(declared) > lim.MAX_BYTES) {
    dl.done();
    await first.body?.cancel().catch(() => undefined);
    throw tooLarge(`fetching ${finalUrl}: the server ignored Range and sends ${declared} bytes; this worker fetches at most ${lim.MAX_BYTES} (MAX_BYTES)`, lim.MAX_BYTES, { url: String(finalUrl) });
  }
  const bytes = await up.body(first, finalUrl, dl, lim.MAX_BYTES, (n) =>
    tooLarge(`fetching ${finalUrl}: the server ignored Range and sends more than ${lim.MAX_BYTES} bytes (MAX_BYTES); stopped before byte ${n}`, lim.MAX_BYTES, { url: String(finalUrl) }),
  );
  return { size: bytes.length, name: label, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

async function handle(request, env) {
  const params = new URL(request.url).searchParams;
  const rawUrl = params.get("url");
  if (request.method !== "GET" && request.method !== "POST") {
    throw new HttpError(405, "MethodNotAllowed", "METHOD", `use POST with a file body, or GET ?url=…; got ${request.method}`);
  }
  if (request.method === "GET" && rawUrl === null) {
    throw badRequest("POST a .safetensors body with ?x=…&gamma=…, or GET ?url=…&x=…&gamma=…");
  }
  const lim = limits(env);
  const o = options(params);
  let source;
  if (rawUrl !== null) {
    source = await urlSource(checkedUrl(rawUrl, lim), lim);
  } else {
    source = await readRequestBody(request, lim.MAX_BYTES);
    if (source.length === 0) throw badRequest("the request body is empty: POST the .safetensors file");
    const name = params.get("name");
    if (name) o.open = { fileName: name };
  }
  // init() only instantiates the imported modules (allowed at request time); it is idempotent.
  await init();
  // a client that goes away aborts the reading between blocks: no more upstream fetches for nobody
  const { row } = await readCheckpoint(source, { ...o, ...(request.signal ? { signal: request.signal } : {}) });
  return Response.json(buildReport({ readings: [row] }), { headers: CORS });
}

export default {
  async fetch(request, env) {
    if (request.method === "OPTIONS") {
      return new Response(null, { status: 204, headers: { ...CORS, "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "content-type" } });
    }
    try {
      return await handle(request, env);
    } catch (err) {
      return errorResponse(err);
    }
  },
};
