// Cross-runtime driver, loaded unchanged by Node (vitest), Deno, Bun, workerd, Chromium and Firefox.
// It must not import anything: every runtime hands in the package namespace it resolved its own way
// (default entry, or the workerd export condition), so the only variable between runs is the engine.
//
// Everything here is integer arithmetic or exact f64 operations (scaling by powers of two, building a
// double from 53 integer bits), so the inputs are bit-identical everywhere by construction; the input
// hash is recorded anyway, so that an input difference can be told apart from a kernel difference.

/**
 * Shapes and scales. Chosen to reach every code path: SIMD pairs plus an odd tail (odd N and d),
 * N < d, a single element, empty input (needs "sum": the mean of no rows is undefined), a non-power-
 * of-two divisor (so the final division rounds), and sizes big enough for long accumulations.
 */
export const CASES = [
  { rows: 1, cols: 1, scale: "mean" },
  { rows: 0, cols: 0, scale: "sum" },
  { rows: 0, cols: 4, scale: "sum" },
  { rows: 7, cols: 5, scale: "unbiased" },
  { rows: 3, cols: 9, scale: "mean" },
  { rows: 13, cols: 1, scale: 3 },
  { rows: 64, cols: 2, scale: "sum" },
  { rows: 300, cols: 64, scale: "sum" },
  { rows: 1001, cols: 37, scale: "mean" },
];

/** xorshift32 (Marsaglia 2003): pure 32-bit integer ops, identical in every engine. */
function xorshift32(seed) {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

const EXP_RANGE = 24; // |values| from about 2^-24 to 2^24: sums mix magnitudes and so round often
// 2^k for k in [-EXP_RANGE, EXP_RANGE], built by exact doubling/halving (the spec does not pin down
// Math.pow's accuracy, so it is kept out of input generation).
const POW2 = [];
for (let k = -EXP_RANGE, v = 1 / 16777216; k <= EXP_RANGE; k++, v *= 2) POW2.push(v);

/**
 * Row-major rows × cols matrix from a seeded generator: a 53-bit uniform u in [0, 1) from two draws
 * (RUNTIMES.md §3), mapped exactly to [-1, 1) by 2u − 1, times 2^k with k uniform in [-24, 24].
 */
export function makeMatrix(rows, cols, seed) {
  const next = xorshift32(seed);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) {
    const hi = next() >>> 5; // 27 bits
    const lo = next() >>> 6; // 26 bits
    const u = (hi * 67108864 + lo) / 9007199254740992; // (hi·2^26 + lo) / 2^53, exact
    const k = (next() % (2 * EXP_RANGE + 1)) - EXP_RANGE;
    out[i] = (2 * u - 1) * POW2[k + EXP_RANGE];
  }
  return out;
}

/**
 * FNV-1a 64 over bytes, kept in two uint32 halves so no runtime needs BigInt arithmetic.
 * The prime is 2^40 + 0x1b3, so h·p mod 2^64 = h·0x1b3 + (h << 40); every partial product stays below
 * 2^53 and is therefore exact in f64.
 */
export function fnv1a64(bytes) {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    const low = lo * 0x1b3;
    const carry = Math.floor(low / 4294967296);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = low >>> 0;
  }
  return hex32(hi) + hex32(lo);
}

const hex32 = (x) => (x >>> 0).toString(16).padStart(8, "0");

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Bytes of an f64 array in little-endian order whatever the host byte order. Taken from the array's
 * own memory, never through JS numbers: reading a NaN into a JS value may change its payload
 * (SpiderMonkey's NaN-boxing canonicalises it), and the loaders' NaN bits are compared too.
 */
function f64Bytes(arr) {
  const own = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  if (LITTLE_ENDIAN) return own;
  const out = new Uint8Array(own.length);
  for (let i = 0; i < own.length; i++) out[i] = own[(i & ~7) + 7 - (i & 7)];
  return out;
}

export const hashF64 = (arr) => fnv1a64(f64Bytes(arr));

/** The IEEE-754 bit pattern of one double as 16 hex digits. */
export function f64Hex(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return hex32(view.getUint32(0)) + hex32(view.getUint32(4));
}

/** Hash of a list of hex hashes: one short digest per binary for the CI table. */
export const combineHashes = (hexes) => fnv1a64(new TextEncoder().encode(hexes.join(",")));

const caseName = (c) => `${c.rows}x${c.cols}/${c.scale}`;

/** The input of CASES[index]; each case has its own seed. */
export function caseInput(index) {
  const c = CASES[index];
  const seed = (0x2545f491 ^ Math.imul(index + 1, 0x9e3779b1) ^ (c.rows << 12) ^ c.cols) >>> 0;
  return makeMatrix(c.rows, c.cols, seed);
}

/** One Gram: hashes of input and output, plus one entry's bits as a human-checkable sample. */
function gramCase(lib, c, index) {
  const x = caseInput(index);
  const g = lib.gram(x, [c.rows, c.cols], { scale: c.scale });
  const d = c.cols;
  if (g.rows !== d || g.cols !== d || g.data.length !== d * d) {
    throw new Error(`${caseName(c)}: gram returned ${g.rows}x${g.cols} with ${g.data.length} entries`);
  }
  // An off-diagonal entry near the middle (the diagonal alone would miss cross-column mistakes).
  const sampleIndex = d === 0 ? -1 : Math.floor(d / 2) * d + Math.floor((d - 1) / 3);
  return {
    case: caseName(c),
    inputHash: hashF64(x),
    outHash: hashF64(g.data),
    sampleIndex,
    sampleHex: sampleIndex < 0 ? "" : f64Hex(g.data[sampleIndex]),
  };
}

/**
 * Error path: a NaN must surface as NonFiniteError with its row and column, and must not leave the
 * library unusable (the next call has to succeed). Recorded as data so runtimes are compared, not
 * only judged locally.
 */
function nonFiniteCase(lib) {
  const rows = 6;
  const cols = 5;
  const x = makeMatrix(rows, cols, 0x5eed);
  x[3 * cols + 2] = NaN;
  const out = { nonFiniteName: "", nonFiniteRow: -1, nonFiniteCol: -1, nonFiniteCode: "", afterErrorHash: "" };
  try {
    lib.gram(x, [rows, cols], { scale: "sum" });
    out.nonFiniteName = "(no error)";
  } catch (err) {
    out.nonFiniteName = String(err && err.name);
    out.nonFiniteRow = err && typeof err.row === "number" ? err.row : -1;
    out.nonFiniteCol = err && typeof err.col === "number" ? err.col : -1;
    out.nonFiniteCode = String(err && err.code);
  }
  x[3 * cols + 2] = 0.5;
  out.afterErrorHash = hashF64(lib.gram(x, [rows, cols], { scale: "sum" }).data);
  return out;
}

/** Loader fixtures every runtime decodes; each runner hands their bytes in (read, fetched or embedded). */
export const LOADER_FIXTURES = ["safetensors/all.safetensors", "npz/savez_compressed.npz"];

/**
 * The loaders on committed fixtures: every tensor decoded to f64 (NaN payloads included, so
 * checkFinite is off; integers opted in), hashed; one tensor again through a Blob and into an arena
 * view; and the NaN of f16_all must surface as NonFiniteError at its row and column.
 */
async function loaderCase(lib, fixtures) {
  const out = {};
  for (const rel of LOADER_FIXTURES) {
    const bytes = fixtures[rel];
    if (!bytes) throw new Error(`fixture ${rel} was not handed in`);
    const info = await lib.inspect(bytes, { fileName: rel });
    const tensors = {};
    for (const t of info.tensors) {
      if (t.kind === "unsupported") {
        tensors[t.name] = await lib.load(bytes, t.name).then(() => "(decoded?)", (e) => `${e && e.name}:${e && e.dtype}`);
        continue;
      }
      const r = await lib.load(bytes, t.name, { checkFinite: false, allowIntegers: true });
      tensors[t.name] = hashF64(r.data);
    }
    const first = info.tensors.find((t) => t.kind === "float");
    const viaBlob = hashF64((await lib.load(new Blob([bytes]), first.name, { checkFinite: false })).data);
    const arena = lib.arena();
    const mark = arena.mark();
    let viaArena;
    try {
      const view = arena.f64(first.numel);
      await lib.loadInto(bytes, first.name, view, { checkFinite: false });
      viaArena = hashF64(view.array);
    } finally {
      arena.release(mark);
    }
    out[rel] = { names: info.tensors.map((t) => t.name).join(","), tensors, viaBlob, viaArena, combined: combineHashes(Object.values(tensors)) };
  }
  const nf = await lib.load(fixtures[LOADER_FIXTURES[0]], "f16_all", { fileName: "all" }).then(
    () => "(no error)",
    (e) => `${e && e.name}@${e && e.tensor}[${e && e.row},${e && e.col}]`,
  );
  out.nonFinite = nf;
  return out;
}

/**
 * One full DDS layer reading (both recipes, σ_min, u_dead, the null comparison) on a bridge point
 * generated in this runtime (the generator uses only + − × ÷ √, so its input bits are engine-free),
 * plus the log det⁺ slope over the path: the hash covers the report row's JSON, u_dead's bits and the
 * positive spectra, so every log, floor and margin computed in wasm is compared across engines.
 */
function ddsCase(lib) {
  const pts = lib.deepLinearBridge({ r: 2, N: 120 });
  const input = hashF64(new Float64Array([...pts[5].X[0].data, ...pts[5].gamma[0].data]));
  const reading = lib.layerReading(pts[5].X[0], pts[5].gamma[0]);
  const row = lib.layerRow("t05", "h1", reading, pts[5].t);
  const readings = pts.map((p) => lib.layerReading(p.X[0], p.gamma[0]));
  const path = lib.pathRow({ series: "r=2", layer: "h1", x: pts.map((p) => p.t), readings });
  const text = new TextEncoder().encode(JSON.stringify(row) + JSON.stringify(path));
  return {
    inputHash: input,
    rowHash: fnv1a64(text),
    uDeadHash: hashF64(reading.activation.uDead),
    spectraHash: hashF64(new Float64Array([...reading.spectra.factor, ...reading.spectra.gram])),
    logdetSlope: f64Hex(path["slope/logdet_pos"]),
    lambdaMinPos: f64Hex(row["dds/lambda_min_pos"]),
  };
}

/**
 * Overlapping readings (issue 12): readCheckpoint calls at once (Promise.all) over in-memory files
 * whose reads resolve after seeded 0–3 ms timers (setTimeout exists in every runtime, also in a
 * workerd request), against the same calls one at a time. Each reading is hashed from its report
 * row's JSON, its spectra's bits and u_dead's bits; the arena must be empty afterwards.
 */
async function concurrentCase(lib) {
  const pts = lib.deepLinearBridge({ r: 2, N: 150 });
  const files = [1, 4, 7, 10].map((i) => {
    const [X, G] = [pts[i].X[0], pts[i].gamma[0]];
    return lib.saveSafetensors({ X: { dtype: "F64", shape: [X.rows, X.cols], data: X.data }, G: { dtype: "F32", shape: [G.rows, G.cols], data: new Float32Array(G.data) } }, { t: String(pts[i].t) });
  });
  const jobs = [0, 1, 2, 3, 0, 2, 1, 3]; // file of each call: some files read twice at once
  const delay = xorshift32(0xc0ffee);
  const source = (bytes) => ({
    size: bytes.length,
    read: (offset, length) => new Promise((resolve) => setTimeout(() => resolve(bytes.slice(offset, offset + length)), delay() % 4)),
  });
  const call = (f, k) => lib.readCheckpoint(source(files[f]), { x: "X", gamma: "G", tFromMetadata: "t", checkpoint: `c${f}`, layer: "h1" }).then((r) =>
    combineHashes([fnv1a64(new TextEncoder().encode(JSON.stringify(r.row))), hashF64(r.reading.spectra.factor), hashF64(r.reading.spectra.gram), hashF64(r.reading.activation.uDead)]),
  (err) => `call ${k} rejected: ${err && err.message}`);
  const oneByOne = [];
  for (const [k, f] of jobs.entries()) oneByOne.push(await call(f, k));
  const together = await Promise.all(jobs.map(call));
  return { oneByOne: combineHashes(oneByOne), together: combineHashes(together), differing: together.filter((h, k) => h !== oneByOne[k]), usedAfter: lib.arena().used };
}

/**
 * A streaming reading (issue 15, docs/streaming.md): X (F32) and Γ (F64) of 40 000 × 24 — four blocks
 * of blockRows(24) = 10 923 rows — read by readCheckpoint through the block TSQR with X centred in one
 * pass, against layerReading of the same arrays (the same blocks from memory: the same bits).
 */
async function streamingCase(lib) {
  const [N, d] = [40000, 24];
  const X = Float32Array.from(makeMatrix(N, d, 0x5eed1));
  const G = makeMatrix(N, d, 0x5eed2);
  for (let i = 0; i < N; i++) G[i * d + d - 1] = 2 * G[i * d]; // rank d − 1, exactly
  const file = lib.saveSafetensors({ X: { dtype: "F32", shape: [N, d], data: X }, G: { dtype: "F64", shape: [N, d], data: G } });
  const hash = (reading, row) => combineHashes([fnv1a64(new TextEncoder().encode(JSON.stringify(row))), hashF64(reading.spectra.factor), hashF64(reading.spectra.gram), hashF64(reading.activation.uDead), hashF64(reading.activation.singularValues)]);
  const r = await lib.readCheckpoint(file, { x: "X", gamma: "G", centerX: true, checkpoint: "s", layer: "h" });
  const mem = lib.layerReading({ rows: N, cols: d, data: X }, { rows: N, cols: d, data: G }, { centerX: true });
  return { hash: hash(r.reading, r.row), nPos: r.reading.factor.nPos, sameAsInMemory: hash(r.reading, r.row) === hash(mem, lib.layerRow("s", "h", mem)), usedAfter: lib.arena().used };
}

/**
 * A wide reading (issue 14; docs/trust-floors.md, "Which SVD a reading uses"): F32-stored X and Γ of
 * 60 × 96 (N < d), whose singular values come from the Householder bidiagonalisation (u_dead from the
 * same reduction) because its error stays below what float32 storage determines. The hash covers the
 * report row, the spectra, σ(X) and u_dead.
 */
function wideCase(lib) {
  const [N, d] = [60, 96];
  const uniform = (seed) => {
    const next = xorshift32(seed);
    return Float32Array.from({ length: N * d }, () => (next() >>> 8) / 8388608 - 1); // 24 bits: exact in f32
  };
  const r = lib.layerReading({ rows: N, cols: d, data: uniform(0x31de1) }, { rows: N, cols: d, data: uniform(0x31de2) });
  const row = lib.layerRow("w", "h", r);
  return {
    svd: `${r.factor.svd}/${r.activation.svd}`,
    nPos: r.factor.nPos,
    hash: combineHashes([fnv1a64(new TextEncoder().encode(JSON.stringify(row))), hashF64(r.spectra.factor), hashF64(r.spectra.gram), hashF64(r.activation.singularValues), hashF64(r.activation.uDead)]),
  };
}

/** A best-effort description of the host, from inside it (the runners add authoritative versions). */
function hostDescription() {
  const g = globalThis;
  if (g.Deno && g.Deno.version) return `deno ${g.Deno.version.deno} (v8 ${g.Deno.version.v8})`;
  if (g.Bun && g.Bun.version) return `bun ${g.Bun.version}`;
  if (g.process && g.process.versions && g.process.versions.node) return `node ${g.process.versions.node} (v8 ${g.process.versions.v8})`;
  if (g.navigator && g.navigator.userAgent) return g.navigator.userAgent;
  return "unknown";
}

/**
 * Run every case on the SIMD binary, then on the scalar one.
 * @param lib the package namespace ({ init, gram, inspect, load, loadInto, arena, readCheckpoint …}) as this runtime resolved it
 * @param fixtures bytes of LOADER_FIXTURES by name (each runtime gets them its own way)
 * @returns a JSON-able result; errors inside a binary's run are captured per binary, not thrown,
 *   so one failing binary still lets the other report
 */
export async function run(lib, runtimeName, fixtures) {
  const result = { runtime: runtimeName, host: hostDescription(), binaries: {} };
  for (const simd of [true, false]) {
    const flavor = simd ? "simd" : "scalar";
    const entry = { requested: flavor };
    result.binaries[flavor] = entry;
    try {
      const info = await lib.init({ simd });
      entry.simd = info.simd;
      entry.source = info.source;
      entry.abiVersion = info.abiVersion;
      entry.cases = CASES.map((c, i) => gramCase(lib, c, i));
      Object.assign(entry, nonFiniteCase(lib));
      entry.combined = combineHashes(entry.cases.map((r) => r.outHash));
      entry.dds = ddsCase(lib);
      entry.wide = wideCase(lib);
    } catch (err) {
      entry.error = String((err && err.stack) || err);
    }
    try {
      entry.loaders = await loaderCase(lib, fixtures || {});
    } catch (err) {
      entry.loadersError = String((err && err.stack) || err);
    }
    try {
      entry.streaming = await streamingCase(lib);
    } catch (err) {
      entry.streamingError = String((err && err.stack) || err);
    }
    try {
      entry.concurrent = await concurrentCase(lib);
    } catch (err) {
      entry.concurrentError = String((err && err.stack) || err);
    }
  }
  return result;
}
