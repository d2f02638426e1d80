// `dds` command line: inspect, read, path, weights, rrr. Exit codes: 0 ok, 1 bad input (the message
// names file/tensor/offset), 2 usage.
import { parseArgs } from "node:util";
import { DdsError, init } from "../entry/node.js";
import { cmdInspect, cmdPath, cmdRead, cmdRrr, cmdWeights, InputError, UsageError, type Common } from "./commands.js";

const USAGE = `dds — Dead-Direction Signatures from tensor files (dds-wasm)

usage:
  dds inspect <file>                           tensors (name, dtype, shape, bytes) and metadata from the header
  dds read <file…> --x NAME --gamma NAME       one layer reading per file
  dds path <files…> --x NAME --gamma NAME (--t V1,V2,… | --t-from-metadata KEY) [--group-by-metadata KEY]
                                               slopes, ratios, dead-direction counts and KL orders along a path
  dds weights <checkpoint>                     stable/effective rank, entropy, top-1 energy of every 2-D tensor;
                                               LayerNorm kernels from γ
  dds rrr M N H r                              RLCT of reduced-rank regression (exact rational)

options:
  --x NAME, --gamma NAME     activation tensor X and per-sample gradient tensor Γ (same shape, N × d)
  --center-x, --center-gamma subtract column means first
  --recipe factor|gram|both  which Γ recipes to run (default both; slopes use the factor path)
  --scale mean|sum|unbiased  Gram normaliser (default mean)
  --layer NAME               layer label in the report (default: the X name)
  --json FILE                write the report (docs/report-schema.md); "-" for stdout
  --svg DIR                  write SVG plots to DIR
  --quiet                    tables only (no progress, no notes)
  -h, --help                 this text
exit codes: 0 ok, 1 bad input (file/tensor/offset named), 2 usage`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        x: { type: "string" }, gamma: { type: "string" }, "center-x": { type: "boolean" }, "center-gamma": { type: "boolean" },
        recipe: { type: "string" }, scale: { type: "string" }, layer: { type: "string" }, t: { type: "string" },
        "t-from-metadata": { type: "string" }, "group-by-metadata": { type: "string" }, json: { type: "string" }, svg: { type: "string" },
        quiet: { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    process.stderr.write(`dds: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const [cmd, ...rest] = positionals;
  if (v.help || !cmd) {
    (v.help ? process.stdout : process.stderr).write(USAGE + "\n");
    return v.help ? 0 : 2;
  }
  const toStdout = v.json === "-";
  const c: Common = { json: v.json, svg: v.svg, quiet: v.quiet ?? false, out: (s) => (toStdout ? process.stderr : process.stdout).write(s + "\n") };
  try {
    const needLayer = (): { x: string; gamma: string } => {
      if (!v.x || !v.gamma) throw new UsageError(`${cmd} needs --x NAME and --gamma NAME`);
      return { x: v.x, gamma: v.gamma };
    };
    const recipe = v.recipe ?? "both";
    if (!["factor", "gram", "both"].includes(recipe)) throw new UsageError(`--recipe must be factor, gram or both, got ${recipe}`);
    const scale = v.scale ?? "mean";
    if (!["mean", "sum", "unbiased"].includes(scale)) throw new UsageError(`--scale must be mean, sum or unbiased, got ${scale}`);
    const layer = { recipe: recipe as "factor" | "gram" | "both", scale: scale as "mean", centerX: v["center-x"], centerGamma: v["center-gamma"], layer: v.layer };
    let t: number[] | undefined;
    if (v.t !== undefined) {
      t = v.t.split(",").map((s) => Number(s.trim()));
      if (t.some((x) => !Number.isFinite(x) || x <= 0)) throw new UsageError(`--t must be comma-separated positive numbers, got ${v.t}`);
    }
    await init();
    switch (cmd) {
      case "inspect":
        await cmdInspect(rest, c);
        break;
      case "read":
        await cmdRead(rest, { ...needLayer(), ...layer }, c);
        break;
      case "path":
        await cmdPath(rest, { ...needLayer(), ...layer, t, tFromMetadata: v["t-from-metadata"], groupBy: v["group-by-metadata"] }, c);
        break;
      case "weights":
        await cmdWeights(rest, c);
        break;
      case "rrr":
        cmdRrr(rest, c);
        break;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dds: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof DdsError || e instanceof InputError) {
      process.stderr.write(`dds: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`dds: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
