// The DDS reader page: pick or drop a tensor file, list its tensors from the header, read one layer
// with readCheckpoint (the same path the CLI, the worker and Deno use), show the report row and two
// plots. A File is a Blob, so every read is a Blob.slice range read: a multi-GB checkpoint is never
// read whole, only its header and the two tensors you pick.
//
// No build step: this imports the package's own dist/ (the .wasm is embedded in it as base64).
// For tests and scripts, the finished reading is exposed as window.__ddsRow (the report row) and
// window.__ddsResult ({ options, row, plots }); each value cell carries data-key, data-type and
// data-value = String(value), which parses back to the same float64.

import { activationSpectrumPlot, buildReport, init, inspect, readCheckpoint, readingSpectrumPlot, runtimeInfo } from "../../dist/index.js";

const $ = (sel) => {
  const el = document.querySelector(sel);
  if (!el) throw new Error(`page is missing ${sel}`);
  return el;
};

const ui = {
  drop: $("#drop"),
  file: $("#file"),
  example: $("#example"),
  status: $("#status"),
  error: $("#error"),
  tensorsSection: $("#tensors-section"),
  fileName: $("#file-name"),
  fileSummary: $("#file-summary"),
  metadata: $("#metadata"),
  tensors: $("#tensors tbody"),
  pick: $("#pick"),
  x: $("#x-select"),
  gamma: $("#gamma-select"),
  centerX: $("#center-x"),
  read: $("#read"),
  cancel: $("#cancel"),
  progressBox: $("#progress-box"),
  progress: $("#progress"),
  progressText: $("#progress-text"),
  resultSection: $("#result-section"),
  warnings: $("#warnings"),
  reading: $("#reading tbody"),
  download: $("#download"),
  plotSpectrum: $("#plot-spectrum .svg"),
  plotActivation: $("#plot-activation .svg"),
  runtime: $("#runtime"),
};

/** What each report key means (docs/report-schema.md), shown next to its value. */
const MEANING = {
  checkpoint: "checkpoint label (the file name)",
  layer: "layer label (the X tensor's name)",
  t: "path abscissa, from the file's metadata key \"t\"",
  N: "samples (rows of X and Γ)",
  d: "width (columns of X and Γ)",
  recipe: "factor: SVD of Γ (default); gram: eigenvalues of the formed Gram",
  order: "singular values computed (factor) or order of the Gram (gram)",
  n_pos: "size of the positive set P (active rank)",
  lambda_max: "largest eigenvalue of G = ΓᵀΓ/N",
  floor: "trust floor: eigenvalues at or below it count as zero (the larger of the two below)",
  floor_arith: "what float64 arithmetic resolves",
  floor_input: "what the input's own precision hides: (u·‖Γ‖_F)²/N for a tensor stored with unit roundoff u",
  floor_by: "which floor binds: arithmetic, or input (a float32/float16/bfloat16 tensor)",
  input_dtype: "the dtype the tensor was stored in",
  input_rtol: "relative accuracy of the stored entries (the dtype's unit roundoff)",
  verdict: "trusted, marginal (margin < 1 decade), untrusted, or empty",
  max_gap_decades: "largest gap between consecutive positive eigenvalues, in decades",
  n_above_gap: "eigenvalues above that gap",
  gap_input_rtol: "input accuracy the directions under the gap need to be told from input error",
  lambda_min_pos: "λ⁺min, the smallest eigenvalue above the floor",
  logdet_pos: "log det⁺ G = Σ ln λ over P (natural log)",
  band_decades: "log10(λmax / floor)",
  margin_decades: "log10(λ⁺min / floor): < 1 marginal",
  dropped_vs_factor: "n_pos(factor) − n_pos(gram); > 0: the Gram path is untrusted",
  side: "which Gram was formed (feature d×d or sample N×N)",
  sigma_min: "σmin(X) (0 when N < d)",
  sigma_max: "σmax(X)",
  trusted: "σmin above its floor",
  x_null_dim: "singular values of X at or below the floor",
  u_dead_unique: "the bottom singular value of X is simple (u_dead unique)",
  q_dead: "u_deadᵀ G u_dead",
  null_mean: "mean of uᵀGu for u uniform on the sphere",
  null_sd: "standard deviation of that null",
  z: "(q_dead − null mean) / null sd",
  separation: "null mean / q_dead",
  warnings: "cautions about untrusted or marginal parts",
};

const GROUPS = {
  dds: "dds/ — default reading of G (factor path)",
  gram: "gram/ — Gram path, for comparison",
  act: "act/ — activation side (singular values of X)",
  dir: "dir/ — directional Fisher along u_dead",
};

let currentFile;
let currentInspection;
let seq = 0; // each file pick or read bumps it; a slower, older run never overwrites a newer one
let downloadUrl;

// ---------------------------------------------------------------------------------------------------
// Status and errors

function setStatus(text) {
  ui.status.textContent = text;
}

function setState(state) {
  document.body.dataset.state = state;
}

function showError(err, fileName) {
  const msg = err instanceof Error ? err.message : String(err);
  const kind = err instanceof Error && err.name && err.name !== "Error" ? err.name : "Error";
  // The loaders' messages already name the file; other errors (shape checks) get it prepended.
  const text = fileName && !msg.includes(fileName) ? `${fileName}: ${msg}` : msg;
  ui.error.replaceChildren();
  const h = document.createElement("p");
  h.className = "error-title";
  h.textContent = fileName ? `Could not read ${fileName} (${kind})` : `Something went wrong (${kind})`;
  const p = document.createElement("p");
  p.className = "error-message";
  p.textContent = text;
  ui.error.append(h, p);
  if (err && typeof err === "object") {
    const where = ["tensor", "offset", "row", "col"].filter((k) => err[k] !== undefined).map((k) => `${k} ${JSON.stringify(err[k])}`);
    if (where.length) {
      const w = document.createElement("p");
      w.className = "help";
      w.textContent = `Where: ${where.join(", ")}`;
      ui.error.append(w);
    }
  }
  ui.error.hidden = false;
  setStatus("");
  setState("error");
  window.__ddsError = { name: kind, message: text };
}

function clearError() {
  ui.error.hidden = true;
  ui.error.replaceChildren();
  window.__ddsError = undefined;
}

// ---------------------------------------------------------------------------------------------------
// Formatting

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function humanBytes(n) {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** data-type and data-value of a report cell; numbers as String(v), which round-trips exactly. */
function encodeCell(v) {
  if (v === null) return ["null", "null"];
  if (Array.isArray(v)) return ["list", JSON.stringify(v)];
  if (typeof v === "number") return ["number", String(v)];
  if (typeof v === "boolean") return ["boolean", String(v)];
  return ["string", String(v)];
}

/** A trust verdict for the keys that carry one, so it is not told by colour alone. */
function verdict(key, v) {
  const name = key.split("/").pop();
  if (name === "verdict") return { trusted: ["ok", "trusted"], marginal: ["warn", "marginal"], untrusted: ["bad", "untrusted"], empty: ["bad", "nothing above the floor"] }[v];
  if (name === "floor_by" && v === "input") return ["warn", "set by the input's precision"];
  if (key === "act/trusted") return v ? ["ok", "trusted"] : ["bad", "untrusted"];
  if (key === "gram/dropped_vs_factor" && typeof v === "number" && v > 0) return ["bad", "untrusted"];
  if (key === "act/u_dead_unique" && v === false) return ["warn", "not unique"];
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Step 1 → 2: a file, its header

async function openFile(file) {
  const my = ++seq;
  currentFile = file;
  currentInspection = undefined;
  clearError();
  resetResult();
  ui.tensorsSection.hidden = true;
  setState("inspecting");
  setStatus(`Reading the header of ${file.name} (${humanBytes(file.size)})…`);
  let ins;
  try {
    await ready;
    ins = await inspect(file);
  } catch (err) {
    if (my === seq) showError(err, file.name);
    return;
  }
  if (my !== seq) return;
  currentInspection = ins;
  renderInspection(file, ins);
  const x = guess(ins.tensors, /^(x|acts?|activations?)/i);
  const g = guess(ins.tensors, /^(g|gamma|γ|grads?|gradients?)/i, x);
  if (x) ui.x.value = x;
  if (g) ui.gamma.value = g;
  if (x && g) {
    await readSelected();
  } else {
    setState("picking");
    setStatus(
      ins.format === "npy"
        ? "A .npy file holds one array; X and Γ must be two tensors of one file (.npz or safetensors)."
        : "Pick the activation tensor X and the gradient tensor Γ, then press Read.",
    );
  }
}

/** A float tensor with ≥ 2 axes whose base name matches `re` (e.g. "X_h1", "layers.3.X"). */
function guess(tensors, re, exclude) {
  const ok = tensors.filter((t) => t.shape.length >= 2 && t.kind === "float" && t.name !== exclude);
  return ok.find((t) => re.test(t.name.split(/[./]/).pop() ?? t.name))?.name;
}

function renderInspection(file, ins) {
  ui.fileName.textContent = file.name;
  ui.fileSummary.textContent = `${ins.format}, ${humanBytes(ins.byteSize)}, ${plural(ins.tensors.length, "tensor")}, listed from the header alone.`;
  ui.metadata.replaceChildren();
  for (const [k, v] of Object.entries(ins.metadata)) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    ui.metadata.append(dt, dd);
  }
  ui.metadata.hidden = Object.keys(ins.metadata).length === 0;
  ui.tensors.replaceChildren();
  for (const t of ins.tensors) {
    const tr = document.createElement("tr");
    tr.dataset.tensor = t.name;
    const cells = [
      [t.name, "name"],
      [t.dtype + (t.kind === "float" ? "" : ` (${t.kind})`), "dtype"],
      [`[${t.shape.join(", ")}]`, "shape"],
      [`${t.byteSize.toLocaleString("en-US")}${t.byteSize >= 1024 ? ` (${humanBytes(t.byteSize)})` : ""}`, "bytes"],
    ];
    for (const [text, cls] of cells) {
      const td = document.createElement("td");
      td.className = cls + (cls === "bytes" ? " num" : "");
      td.textContent = text;
      tr.append(td);
    }
    ui.tensors.append(tr);
  }
  for (const sel of [ui.x, ui.gamma]) {
    sel.replaceChildren();
    for (const t of ins.tensors) {
      const o = document.createElement("option");
      o.value = t.name;
      o.textContent = `${t.name} — ${t.dtype} [${t.shape.join(", ")}]`;
      o.disabled = t.shape.length < 2;
      sel.append(o);
    }
  }
  ui.tensorsSection.hidden = false;
}

// ---------------------------------------------------------------------------------------------------
// Step 2 → 3: the reading

/** The options the page passes to readCheckpoint (exposed for tests as window.__ddsOptions). */
function readOptions() {
  const o = { x: ui.x.value, gamma: ui.gamma.value, centerX: ui.centerX.checked };
  const t = currentInspection?.metadata.t;
  if (t !== undefined && t.trim() !== "" && Number.isFinite(Number(t))) o.tFromMetadata = "t";
  return o;
}

function resetResult() {
  ui.resultSection.hidden = true;
  window.__ddsRow = undefined;
  window.__ddsResult = undefined;
  window.__ddsOptions = undefined;
}

/** The reading in progress, to cancel (docs/streaming.md: a cancelled reading leaves the library usable). */
let currentAbort;

/** Progress of a reading in stored bytes read (X, then Γ, block by block); exposed for tests as window.__ddsProgress. */
function showProgress(done, total) {
  ui.progress.value = total > 0 ? done / total : 1;
  ui.progressText.textContent = `${humanBytes(done)} of ${humanBytes(total)} read`;
  (window.__ddsProgress ??= []).push(total > 0 ? done / total : 1);
}

async function readSelected() {
  const file = currentFile;
  if (!file) return;
  const my = ++seq;
  currentAbort?.abort(new Error("a new reading was started"));
  const abort = new AbortController();
  currentAbort = abort;
  window.__ddsProgress = [];
  clearError();
  resetResult();
  const options = readOptions();
  window.__ddsOptions = options;
  setState("reading");
  setStatus(`Reading ${options.x} and ${options.gamma} from ${file.name}…`);
  ui.read.disabled = true;
  try {
    await ready;
    const t0 = performance.now();
    ui.progressBox.hidden = false;
    ui.cancel.hidden = false;
    const { reading, row } = await readCheckpoint(file, { ...options, signal: abort.signal, onProgress: (done, total) => my === seq && showProgress(done, total) });
    if (my !== seq) return;
    window.__ddsMemory = runtimeInfo()?.memoryBytes;
    const plots = drawPlots(options, reading);
    if (my !== seq) return;
    renderRow(row, plots.notes);
    const report = buildReport({ readings: [row] });
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2) + "\n"], { type: "application/json" }));
    ui.download.href = downloadUrl;
    ui.resultSection.hidden = false;
    const ms = performance.now() - t0;
    setStatus(`Read ${options.x} and ${options.gamma} (${row.N} × ${row.d}) from ${file.name} in ${ms.toFixed(0)} ms.`);
    setState("done");
    window.__ddsResult = { options, row, plots: plots.marks };
    window.__ddsRow = row;
  } catch (err) {
    if (my === seq) showError(err, file.name);
  } finally {
    if (my === seq) {
      ui.read.disabled = false;
      ui.cancel.hidden = true;
      ui.progressBox.hidden = true;
    }
  }
}

/**
 * The two plots, from the reading itself (no second load or SVD): every eigenvalue of G, those at or
 * below the floor included, with the floor that binds shaded and the other one drawn (a float32 Γ
 * shows its rounding floor and the float64 one), and the singular values of X with σmin's floor.
 */
function drawPlots(options, reading) {
  const sp = reading.factor ?? reading.gram;
  mount(ui.plotSpectrum, readingSpectrumPlot(reading, { title: `spectrum of G = ΓᵀΓ/N (${options.gamma}, ${sp.recipe} path)` }),
    `Spectrum of G from ${options.gamma}: ${plural(sp.nPos, "eigenvalue")} above the floor ${sp.floor} (set by the ${sp.floorBy === "input" ? `${sp.inputDtype} input` : "float64 arithmetic"}), lambda-min-pos ${sp.lambdaMinPos}.`);
  const a = reading.activation;
  mount(ui.plotActivation, activationSpectrumPlot(reading, { title: `singular values of X (${options.x}${options.centerX ? ", centred" : ""})` }),
    `Singular values of ${options.x}: sigma-min ${a.sigmaMin}, floor ${a.svFloor}, ${a.trusted ? "trusted" : "untrusted"}.`);
  return { notes: [], marks: { spectrum: { floor: sp.floor, lambdaMinPos: sp.lambdaMinPos, nPos: sp.nPos }, activation: { floor: a.svFloor, sigmaMin: a.sigmaMin } } };
}

function mount(host, svg, label) {
  host.innerHTML = svg; // the library escapes every text it writes into the SVG
  const el = host.querySelector("svg");
  if (el) {
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", label);
  }
}

function renderRow(row, notes) {
  ui.reading.replaceChildren();
  let group;
  for (const [key, value] of Object.entries(row)) {
    const g = key.includes("/") ? key.split("/")[0] : "";
    if (g !== group && GROUPS[g]) {
      const tr = document.createElement("tr");
      tr.className = "group";
      const th = document.createElement("th");
      th.scope = "colgroup";
      th.colSpan = 3;
      th.textContent = GROUPS[g];
      tr.append(th);
      ui.reading.append(tr);
    }
    group = g;
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.className = "key";
    th.textContent = key;
    const td = document.createElement("td");
    const [type, encoded] = encodeCell(value);
    td.className = `value ${type}`;
    td.dataset.key = key;
    td.dataset.type = type;
    td.dataset.value = encoded;
    const shown = document.createElement("span");
    shown.className = "exact";
    shown.textContent = type === "list" ? (value.length ? `${plural(value.length, "warning")} (listed above)` : "none") : encoded;
    td.append(shown);
    const v = verdict(key, value);
    if (v) {
      td.classList.add(v[0]);
      const badge = document.createElement("span");
      badge.className = `badge ${v[0]}`;
      badge.textContent = v[1];
      td.append(" ", badge);
    }
    const meaning = document.createElement("td");
    meaning.className = "meaning";
    meaning.textContent = MEANING[key.split("/").pop()] ?? "";
    tr.append(th, td, meaning);
    ui.reading.append(tr);
  }
  const list = [...(row.warnings ?? []), ...notes];
  const ul = ui.warnings.querySelector("ul");
  ul.replaceChildren(...list.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  ui.warnings.hidden = list.length === 0;
}

// ---------------------------------------------------------------------------------------------------
// Wiring

const ready = init().then(
  (info) => {
    ui.runtime.textContent = `dead-directions kernels: ${info.simd ? "SIMD" : "scalar"} WebAssembly (ABI ${info.abiVersion}), running in this tab.`;
    if (!currentFile) setStatus("Ready: choose or drop a file.");
    setState("ready");
    return info;
  },
  (err) => {
    showError(err);
    throw err;
  },
);

ui.file.addEventListener("change", () => {
  const f = ui.file.files?.[0];
  if (f) openFile(f);
});

for (const type of ["dragenter", "dragover"]) {
  ui.drop.addEventListener(type, (e) => {
    e.preventDefault();
    ui.drop.classList.add("over");
  });
}
for (const type of ["dragleave", "dragend"]) ui.drop.addEventListener(type, () => ui.drop.classList.remove("over"));
ui.drop.addEventListener("drop", (e) => {
  e.preventDefault();
  ui.drop.classList.remove("over");
  const f = e.dataTransfer?.files?.[0];
  if (f) openFile(f);
});
// A file dropped outside the zone must not navigate away from the page.
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => e.preventDefault());

ui.cancel.addEventListener("click", () => currentAbort?.abort(new Error("cancelled by the user")));

ui.pick.addEventListener("submit", (e) => {
  e.preventDefault();
  readSelected();
});

ui.example.addEventListener("click", async () => {
  const url = new URL("../data/bridge/r2/t05.safetensors", import.meta.url);
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`fetching ${url.pathname} gave HTTP ${res.status} (serve the repository root to have the example)`);
    await openFile(new File([await res.blob()], "t05.safetensors"));
  } catch (err) {
    showError(err, "t05.safetensors");
  }
});
