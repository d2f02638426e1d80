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
// Answers: 200 the report; 400 bad input, as { error: { name, code, message, … } } with the library's
// typed error (FormatError, NonFiniteError …) or BadRequest; 405 other methods; 413 too large;
// 502 the url could not be fetched; 500 anything else.
//
// Bindings (all optional, text): MAX_BYTES (largest file accepted, default 64 MiB); ALLOWED_HOSTS
// (comma-separated host names ?url= may fetch from; unset: any host). Only http: and https: URLs
// are fetched.

import { buildReport, DdsError, init, readCheckpoint } from "dead-directions";

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** First range request of a ?url= fetch: covers the header of most files (a safetensors header is small). */
const PROBE_BYTES = 64 * 1024;
/** Library error codes that mean "the input is wrong", answered with 400. */
const INPUT_CODES = new Set(["BAD_ARGUMENT", "FORMAT", "UNSUPPORTED_DTYPE", "NON_FINITE", "LINALG", "NOT_POSITIVE_DEFINITE"]);
const RECIPES = new Set(["factor", "gram", "both"]);
const CORS = { "access-control-allow-origin": "*" };

/** An error of this worker (not of the library), with the HTTP status to answer. */
class HttpError extends Error {
  constructor(status, name, code, message) {
    super(message);
    this.status = status;
    this.name = name;
    this.code = code;
  }
}

const badRequest = (message) => new HttpError(400, "BadRequest", "BAD_REQUEST", message);

function statusOf(err) {
  if (err instanceof HttpError) return err.status;
  if (err instanceof DdsError) {
    if (INPUT_CODES.has(err.code)) return 400;
    if (err.code === "READ") return 502; // the byte source (the fetched URL) failed mid-read
    if (err.code === "OUT_OF_MEMORY") return 413;
  }
  return 500;
}

function errorResponse(err) {
  const status = statusOf(err);
  const error = {
    name: err?.name ?? "Error",
    code: err?.code ?? "INTERNAL",
    message: status === 500 && !(err instanceof DdsError) ? `internal error: ${err?.message ?? String(err)}` : err?.message ?? String(err),
  };
  // Where in the file the problem is, when the library knows it.
  for (const key of ["file", "tensor", "offset", "shape", "index", "row", "col"]) {
    if (err?.[key] !== undefined) error[key] = err[key];
  }
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

function maxBytes(env) {
  const v = env?.MAX_BYTES === undefined ? DEFAULT_MAX_BYTES : Number(env.MAX_BYTES);
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_MAX_BYTES;
}

const tooLarge = (size, max) => new HttpError(413, "PayloadTooLarge", "TOO_LARGE", `the file has ${size} bytes; this worker accepts at most ${max} (MAX_BYTES)`);

/** The whole body of a request or response, refusing more than `max` bytes (also without Content-Length). */
async function readCapped(body, declared, max) {
  if (declared !== null && Number(declared) > max) throw tooLarge(Number(declared), max);
  if (!body) return new Uint8Array(0);
  const chunks = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(`more than ${max}`, max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) (out.set(c, at), (at += c.byteLength));
  return out;
}

/** The URL to fetch: http(s) only, and on ALLOWED_HOSTS when that binding is set. */
function checkedUrl(raw, env) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest(`url is not a valid absolute URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badRequest(`url must be http: or https:, got ${url.protocol}`);
  const allowed = String(env?.ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (allowed.length > 0 && !allowed.includes(url.hostname.toLowerCase())) throw badRequest(`url host ${url.hostname} is not in ALLOWED_HOSTS`);
  return url;
}

const upstream = (url, detail) => new HttpError(502, "UpstreamError", "UPSTREAM", `fetching ${url}: ${detail}`);

/**
 * A source for the file at `url`. A server that honours Range requests is read piecewise (the header,
 * then only the two tensors: a checkpoint larger than the worker's memory can still be read when X and
 * Γ fit); otherwise the whole body is read, up to `max` bytes.
 */
async function urlSource(url, max) {
  const first = await fetch(url, { headers: { range: `bytes=0-${PROBE_BYTES - 1}` } }).catch((err) => {
    throw upstream(url, err?.message ?? String(err));
  });
  if (first.status === 206) {
    const total = Number(/\/(\d+)\s*$/.exec(first.headers.get("content-range") ?? "")?.[1]);
    if (Number.isSafeInteger(total)) {
      const head = new Uint8Array(await first.arrayBuffer());
      return {
        size: total,
        name: url.href,
        async read(offset, length) {
          if (offset + length <= head.length) return head.subarray(offset, offset + length);
          const r = await fetch(url, { headers: { range: `bytes=${offset}-${offset + length - 1}` } });
          if (r.status !== 206) throw new Error(`range request answered HTTP ${r.status}`);
          return new Uint8Array(await r.arrayBuffer());
        },
      };
    }
    await first.body?.cancel();
  }
  if (first.status !== 200) {
    await first.body?.cancel();
    throw upstream(url, `HTTP ${first.status}`);
  }
  const bytes = await readCapped(first.body, first.headers.get("content-length"), max);
  return { size: bytes.length, name: url.href, read: (offset, length) => bytes.subarray(offset, offset + length) };
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
  const o = options(params);
  const max = maxBytes(env);
  let source;
  if (rawUrl !== null) {
    source = await urlSource(checkedUrl(rawUrl, env), max);
  } else {
    source = await readCapped(request.body, request.headers.get("content-length"), max);
    if (source.length === 0) throw badRequest("the request body is empty: POST the .safetensors file");
    const name = params.get("name");
    if (name) o.open = { fileName: name };
  }
  // init() only instantiates the imported modules (allowed at request time); it is idempotent.
  await init();
  const { row } = await readCheckpoint(source, o);
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
