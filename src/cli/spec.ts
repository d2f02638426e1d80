// The `dds` commands and their options, one table per command: parsing, validation and each
// command's --help are all generated from it, so a command's help names every option it takes.

export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** Placeholder of the value in help ("NAME", "FILE"…). */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** Positional arguments as shown in the usage line. */
  readonly args: string;
  readonly summary: string;
  /** Paragraphs printed under the usage line. */
  readonly about: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly (readonly [string, string])[];
}

const B = "examples/data/bridge";

const json: OptionSpec = { type: "string", value: "FILE", help: "write the report as JSON (docs/report-schema.md) to FILE, creating its folder; \"-\" writes it to stdout and the tables to stderr" };
const quiet: OptionSpec = { type: "boolean", help: "print the tables and the notes only (no progress, no per-file lines)" };
const help: OptionSpec = { type: "boolean", help: "this text" };

const layer: Readonly<Record<string, OptionSpec>> = {
  x: { type: "string", value: "NAME", help: "the activation tensor X: N × d, one row per sample (what the layer emits)" },
  gamma: { type: "string", value: "NAME", help: "the per-sample gradient tensor Γ, row i = ∂ℓᵢ/∂hᵢ (same shape as X; docs/producing-gradients.md)" },
  "center-x": { type: "boolean", help: "subtract X's column means first (default: off)" },
  "center-gamma": { type: "boolean", help: "subtract Γ's column means first (default: off; the empirical Fisher is an uncentred moment)" },
  recipe: { type: "string", value: "factor|gram|both", help: "which readings of G = ΓᵀΓ/N to take: the SVD of Γ (factor), the eigenvalues of the formed Gram (gram), or both (default both; slopes use the factor path)" },
  scale: { type: "string", value: "mean|sum|unbiased", help: "the Gram's normaliser c: N (mean, default), 1 (sum) or N − 1 (unbiased)" },
  layer: { type: "string", value: "NAME", help: "the layer's label in the report (default: the X name)" },
  "input-rtol": { type: "string", value: "R", help: "the relative accuracy of the entries of X and Γ (default: the stored dtype's unit roundoff: F64 2⁻⁵³, F32 2⁻²⁴, F16 2⁻¹¹, BF16 2⁻⁸, F8 2⁻⁴/2⁻³). It raises the floor to (R·‖Γ‖_F)²/N: give 1e-6 for tensors computed in float32 but saved as F64, or the accuracy left by a cancellation (docs/trust-floors.md)" },
  flatten: { type: "boolean", help: "accept X and Γ with more than two axes by merging the leading axes into samples (e.g. batch × tokens × d → (batch·tokens) × d); without it such tensors are refused" },
};

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  inspect: {
    name: "inspect", args: "FILE", summary: "tensors (name, dtype, shape, bytes) and metadata, from the header alone",
    about: ["Reads only the file's header: safetensors (also a sharded model.safetensors.index.json), .npy or .npz."],
    options: { json, help },
    examples: [[`dds inspect ${B}/r1/t00.safetensors`, "two tensors X_h1, G_h1 (F64, 300 × 20) and metadata t, r"]],
  },
  read: {
    name: "read", args: "FILE…", summary: "one layer reading per file: λ⁺min, log det⁺, nPos of G = ΓᵀΓ/N with its floor, σmin(X), u_dead",
    about: [
      "Each reading reports the floor below which eigenvalues cannot be told from error — the larger of what float64 arithmetic resolves and what the input's stored precision hides — which one bound it, and the margin in decades (docs/trust-floors.md). Warnings name what is marginal, untrusted or possibly input error.",
    ],
    options: { ...layer, json, svg: { type: "string", value: "DIR", help: "write a spectrum plot per file to DIR (created if missing)" }, quiet, help },
    examples: [
      [`dds read ${B}/r1/t00.safetensors --x X_h1 --gamma G_h1`, "the table, and the warnings"],
      [`dds read ckpt.safetensors --x X_h1 --gamma G_h1 --center-x --input-rtol 1e-6 --json report.json --svg plots/`, "tensors computed in float32, saved as F64"],
    ],
  },
  path: {
    name: "path", args: "FILE…", summary: "readings along a path: log-log slopes, KL orders, dead-direction counts, ratios between series",
    about: [
      "Reads every file, orders each series by t and fits log det⁺, ln λ⁺min and ln σmin(X)² against ln t over the window of constant nPos. t must go to 0 toward the singularity (a loss gap, a distance to the singular set, 1/step — not the training step, which grows away from it).",
      "A KL order k = 1 + b/2 and a dead count (log det⁺ slope / λ⁺min slope) are printed only from slopes that are measurements (at least 3 points, |b| ≥ 3 SE, R² ≥ 0.9, b > 0) and counts between 1 and nPos near an integer; otherwise \"–\" with the reason under notes (docs/path-statistics.md).",
    ],
    options: {
      ...layer,
      t: { type: "string", value: "V1,V2,…", help: "the abscissa of each file, in the order the files are given (positive numbers)" },
      "t-from-metadata": { type: "string", value: "KEY", help: "read each file's t from its safetensors __metadata__ KEY instead (also the x-axis label of the plots)" },
      "group-by-metadata": { type: "string", value: "KEY", help: "one series per value of metadata KEY (e.g. r = 1…4 dead directions, or a seed), each fitted separately; ratios are taken to the first series. Without it all files are one series, and a repeated t is an error" },
      "t-transform": { type: "string", value: "none|inv|gap:V", help: "turn t into an abscissa that goes to 0 toward the singularity before fitting: inv (1/t, e.g. a training step), gap:V (|V − t|, e.g. a loss against its floor V, or 1 − accuracy with gap:1); checkpoints whose result is not positive are left out with a note (default none)" },
      "x-scale": { type: "string", value: "log|linear", help: "the plots' x axis (default log); the fits are against ln t either way" },
      "no-fit": { type: "boolean", help: "draw the path plots without the fitted lines" },
      overlay: { type: "string", value: "KEY", help: "draw the numeric metadata KEY of each checkpoint (e.g. test accuracy) on a second axis of the path plots" },
      verbose: { type: "boolean", help: "print every per-checkpoint warning (by default: how many of each kind)" },
      json, svg: { type: "string", value: "DIR", help: "write the path plots (log det⁺, λ⁺min with each point's floor, σmin(X)²) to DIR" }, quiet, help,
    },
    examples: [
      [`dds path ${B}/r*/t*.safetensors --x X_h1 --gamma G_h1 --t-from-metadata t --group-by-metadata r`, "the bundled bridge: log det⁺ slope ratios 2, 3, 4"],
      ["dds path a.safetensors b.safetensors c.safetensors --x X --gamma G --t 0.1,0.01,0.001 --json - --svg plots/", "t given on the command line"],
      ["dds path ckpt-*.safetensors --x X_h1 --gamma G_h1 --t-from-metadata step --t-transform inv --overlay test_acc --svg plots/", "a training trajectory read with 1/step → 0, test accuracy on a second axis"],
    ],
  },
  sweep: {
    name: "sweep", args: "FILE…", summary: "readings across many models: Spearman ρ of each observable against a swept quantity, collapse ratios, group medians",
    about: [
      "Reads one layer per file (as dds read does), then for each observable (λ⁺min, log det⁺, nPos, margin, σmin(X), uᵀGu along u_dead, and with --weights the spectra of a weight matrix) the Spearman ρ against KEY with a two-sided permutation p-value (exact for up to 9 files, else 20 000 seeded draws: the same p on every run), per-group medians, and with --split the collapse ratio between two classes. Untrusted readings are counted and ringed in the plots (docs/sweep.md).",
    ],
    options: {
      ...layer,
      by: { type: "string", value: "KEY", help: "the swept quantity: a metadata key, else KEY=v (or KEY-v, KEY_v, KEYv) in the file name, or a regular expression with one capture group matched against the file name, e.g. 'w(\\d+)'" },
      also: { type: "string", value: "KEY2", help: "also give ρ against a second key (e.g. test accuracy), to tell the training state from the swept quantity" },
      split: { type: "string", value: "[KEY=]V", help: "the collapse ratio median(KEY ≤ V) / median(KEY > V) of the positive observables, KEY being --by unless named (e.g. rank deficit 0 vs ≥ 1: --split deficit=0)" },
      weights: { type: "string", value: "NAME", help: "also sweep the spectra of this weight matrix in each file: σmax, stable rank, effective rank" },
      json, svg: { type: "string", value: "DIR", help: "write one scatter plot per observable to DIR" }, quiet, help,
    },
    examples: [
      ["dds sweep examples/data/rrr/*.safetensors --x X_h1 --gamma G_h1 --by lambda --split deficit=0", "the reduced-rank-regression cells: ρ against the closed-form λ and the collapse from deficit 0 to ≥ 1"],
      ["dds sweep runs/w*/final.safetensors --x X --gamma G --by 'w(\\d+)' --also test_acc --json sweep.json --svg plots/", "width from the file name"],
    ],
  },
  weights: {
    name: "weights", args: "FILE", summary: "weight-only spectra of every 2-D tensor (stable and effective rank, entropy, top-1 energy) and LayerNorm kernels from γ",
    about: ["A tensor that cannot be read (NaN/Inf, an unsupported dtype) becomes a row with its error; the others are read. Exit 1 only when no tensor could be read."],
    options: { json, quiet, help },
    examples: [["dds weights model.safetensors --json weights.json", ""]],
  },
  rrr: {
    name: "rrr", args: "M N H r", summary: "the RLCT of reduced-rank regression (Aoyagi–Watanabe), as an exact rational",
    about: ["M inputs, N outputs, H hidden units, true rank r (0 ≤ r ≤ min(H, M, N))."],
    options: { json, help },
    examples: [["dds rrr 6 6 5 2", "λ = 15, m = 2"]],
  },
};

/** `dds <cmd> --help`: usage, what it does, every option explained, examples. */
export function commandHelp(c: CommandSpec): string {
  const names = Object.entries(c.options).map(([k, o]) => [`--${k}${o.value ? ` ${o.value}` : ""}${k === "help" ? ", -h" : ""}`, o.help] as const);
  const w = Math.min(30, Math.max(...names.map(([n]) => n.length)));
  const wrap = (text: string, indent: number): string => {
    const out: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
      if (line && line.length + 1 + word.length > 100 - indent) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
    return out.join(`\n${" ".repeat(indent)}`);
  };
  return [
    `dds ${c.name} — ${c.summary}`,
    "",
    `usage: dds ${c.name} ${c.args}${Object.keys(c.options).length > 1 ? " [options]" : ""}`,
    "",
    ...c.about.map((p) => `${wrap(p, 0)}\n`),
    "options:",
    ...names.map(([n, h]) => `  ${n.padEnd(w)}  ${wrap(h, w + 4)}`),
    "",
    "examples:",
    ...c.examples.map(([cmd, what]) => `  ${cmd}${what ? `\n      ${what}` : ""}`),
  ].join("\n");
}

export const OVERVIEW = `dds — Dead-Direction Signatures from tensor files (dead-directions)

usage: dds <command> [arguments] [options]

commands:
${Object.values(COMMANDS).map((c) => `  ${`${c.name} ${c.args}`.padEnd(16)}  ${c.summary}`).join("\n")}

  dds <command> --help       every option of a command, with examples
  dds --version              the package version
exit codes: 0 ok, 1 bad input (the message names the file, tensor and byte offset), 2 usage`;
