// `dds` command line: inspect, read, path, weights, rrr. Exit codes: 0 ok, 1 bad input (the message
// names file/tensor/offset), 2 usage. Options and help come from one table per command (spec.ts).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DdsError, init } from "../entry/node.js";
import { cmdInspect, cmdPath, cmdRead, cmdRrr, cmdWeights, InputError, UsageError, type Common, type TTransform } from "./commands.js";
import { describeError, fileSystemError } from "./errors.js";
import { cmdSweep } from "./sweep.js";
import { COMMANDS, commandHelp, OVERVIEW, type CommandSpec } from "./spec.js";

/** The package version, from the package.json next to dist/ (the CLI ships inside the package). */
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

type Values = Record<string, string | boolean | undefined>;

/** Parse a command's arguments against its option table; anything else is a UsageError naming the valid options. */
function parseCommand(spec: CommandSpec, argv: string[]): { values: Values; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.type, ...(k === "help" ? { short: "h" } : {}) }]));
  const { values, positionals, tokens } = parseArgs({ args: argv, allowPositionals: true, strict: false, tokens: true, options });
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    const o = spec.options[t.name];
    if (!o) throw new UsageError(`dds ${spec.name} does not take ${t.rawName}; its options are ${Object.keys(spec.options).map((k) => `--${k}`).join(", ")}`, spec);
    if (o.type === "string" && (t.value === undefined || t.value === "")) throw new UsageError(`${t.rawName} needs a value (${o.value ?? "…"})`, spec);
    if (o.type === "boolean" && t.inlineValue) throw new UsageError(`${t.rawName} is a flag and takes no value`, spec);
  }
  return { values: values as Values, positionals };
}

const str = (v: Values, k: string): string | undefined => (typeof v[k] === "string" ? (v[k] as string) : undefined);

function layerOptions(cmd: string, v: Values) {
  const x = str(v, "x");
  const gamma = str(v, "gamma");
  const spec = COMMANDS[cmd]!;
  if (!x || !gamma) throw new UsageError(`dds ${cmd} needs --x NAME and --gamma NAME`, spec);
  const recipe = str(v, "recipe") ?? "both";
  if (!["factor", "gram", "both"].includes(recipe)) throw new UsageError(`--recipe must be factor, gram or both, got ${recipe}`, spec);
  const scale = str(v, "scale") ?? "mean";
  if (!["mean", "sum", "unbiased"].includes(scale)) throw new UsageError(`--scale must be mean, sum or unbiased, got ${scale}`, spec);
  let inputRtol: number | undefined;
  const r = str(v, "input-rtol");
  if (r !== undefined) {
    inputRtol = Number(r);
    if (r.trim() === "" || !Number.isFinite(inputRtol) || inputRtol < 0 || inputRtol >= 1) throw new UsageError(`--input-rtol must be a number in [0, 1) (a relative accuracy such as 1e-6), got ${r}`, spec);
  }
  return {
    x, gamma, recipe: recipe as "factor" | "gram" | "both", scale: scale as "mean" | "sum" | "unbiased",
    ...(v["center-x"] ? { centerX: true } : {}), ...(v["center-gamma"] ? { centerGamma: true } : {}),
    ...(str(v, "layer") ? { layer: str(v, "layer") } : {}), ...(inputRtol !== undefined ? { inputRtol } : {}), ...(v.flatten ? { flatten: true } : {}),
  };
}

async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    (first ? process.stdout : process.stderr).write(OVERVIEW + "\n");
    return first ? 0 : 2;
  }
  if (first === "--version" || first === "version") {
    process.stdout.write(`dead-directions ${version()}\n`);
    return 0;
  }
  if (first === "help") {
    const spec = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    if (rest[0] !== undefined && !spec) throw new UsageError(`no command ${JSON.stringify(rest[0])}`);
    process.stdout.write((spec ? commandHelp(spec) : OVERVIEW) + "\n");
    return 0;
  }
  const spec = COMMANDS[first];
  if (!spec) throw new UsageError(first.startsWith("-") ? `a command comes first, got ${first}` : `unknown command ${JSON.stringify(first)}`);
  const { values: v, positionals } = parseCommand(spec, rest);
  if (v.help) {
    process.stdout.write(commandHelp(spec) + "\n");
    return 0;
  }
  const json = str(v, "json");
  const toStdout = json === "-";
  const c: Common = { json, svg: str(v, "svg"), quiet: v.quiet === true, out: (s) => (toStdout ? process.stderr : process.stdout).write(s + "\n") };
  switch (first) {
    case "inspect":
      await init();
      await cmdInspect(positionals, c);
      return 0;
    case "read":
      await init();
      await cmdRead(positionals, layerOptions(first, v), c);
      return 0;
    case "path": {
      const tt = str(v, "t-transform") ?? "none";
      const m = /^(none|inv|gap:(.+))$/.exec(tt);
      const tTransform: TTransform | undefined = !m ? undefined : m[1] === "none" ? { kind: "none" } : m[1] === "inv" ? { kind: "inv" } : { kind: "gap", value: Number(m[2]) };
      if (!tTransform || (tTransform.kind === "gap" && !Number.isFinite(tTransform.value))) throw new UsageError(`--t-transform must be none, inv or gap:VALUE (a number), got ${tt}`, spec);
      let t: number[] | undefined;
      const ts = str(v, "t");
      if (ts !== undefined) {
        t = ts.split(",").map((s) => (s.trim() === "" ? NaN : Number(s.trim())));
        const bad = tTransform.kind === "none" ? t.some((x) => !Number.isFinite(x) || x <= 0) : t.some((x) => !Number.isFinite(x));
        if (bad) throw new UsageError(`--t must be comma-separated ${tTransform.kind === "none" ? "positive " : ""}numbers, got ${ts}`, spec);
      }
      const xs = str(v, "x-scale") ?? "log";
      if (xs !== "log" && xs !== "linear") throw new UsageError(`--x-scale must be log or linear, got ${xs}`, spec);
      const lo = layerOptions(first, v);
      await init();
      await cmdPath(positionals, {
        ...lo, t, tFromMetadata: str(v, "t-from-metadata"), groupBy: str(v, "group-by-metadata"), verbose: v.verbose === true,
        tTransform, xScale: xs, noFit: v["no-fit"] === true, ...(str(v, "overlay") ? { overlay: str(v, "overlay") } : {}),
      }, c);
      return 0;
    }
    case "sweep": {
      const by = str(v, "by");
      if (!by) throw new UsageError("dds sweep needs --by KEY (a metadata key or a file-name pattern)", spec);
      const sp = str(v, "split");
      const m = sp === undefined ? undefined : /^(?:([^=]+)=)?(.+)$/.exec(sp.trim());
      const split = m ? { ...(m[1] ? { key: m[1] } : {}), value: Number(m[2]) } : undefined;
      if (split && !Number.isFinite(split.value)) throw new UsageError(`--split must be a number or KEY=number, got ${sp}`, spec);
      const lo = layerOptions(first, v);
      await init();
      await cmdSweep(positionals, { ...lo, by, ...(str(v, "also") ? { also: str(v, "also") } : {}), ...(split !== undefined ? { split } : {}), ...(str(v, "weights") ? { weights: str(v, "weights") } : {}) }, c);
      return 0;
    }
    case "weights":
      await init();
      return (await cmdWeights(positionals, c)).ok ? 0 : 1;
    case "rrr":
      await init();
      cmdRrr(positionals, c);
      return 0;
  }
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dds: ${e.message}\n\n${e.spec ? `usage: dds ${e.spec.name} ${e.spec.args} [options]; see dds ${e.spec.name} --help` : OVERVIEW}\n`);
      return 2;
    }
    if (e instanceof DdsError) {
      process.stderr.write(`${describeError(e)}\n`);
      return 1;
    }
    if (e instanceof InputError) {
      process.stderr.write(`dds: ${e.message}\n`);
      return 1;
    }
    const fs = fileSystemError(e);
    if (fs) {
      process.stderr.write(`dds: ${fs}\n`);
      return 1;
    }
    process.stderr.write(`dds: internal error (please report it): ${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
