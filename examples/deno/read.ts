// DDS readout of one layer from a tensor file, in Deno: prints the JSON report (docs/report-schema.md).
//
//   deno run --allow-read examples/deno/read.ts FILE X GAMMA [--center-x] [--recipe factor|gram|both]
//   deno run --allow-read examples/deno/read.ts examples/data/bridge/r2/t05.safetensors X_h1 G_h1
//
// FILE is a .safetensors or .npz holding the activations X and per-sample gradients Γ of one layer.
// The file is read through positional reads: its header, then the two tensors only (a checkpoint of
// several GB is never read whole). No network permission is needed.
// Exit codes: 0 ok, 1 bad input (the message names the file, tensor and byte offset), 2 usage.
//
// This script imports the package built in this repository (node scripts/build.mjs). In your own
// code, import it from npm instead:   import { init, readCheckpoint, buildReport } from "npm:dead-directions";

import { buildReport, DdsError, init, readCheckpoint, type ByteSource } from "../../dist/index.js";

// The Deno APIs used here, typed locally so that this file also type-checks under the repository's
// tsc (which has Node's types, not Deno's).
interface DenoFile {
  seek(offset: number, whence: number): Promise<number>;
  read(into: Uint8Array): Promise<number | null>;
  stat(): Promise<{ size: number; isFile: boolean }>;
  close(): void;
}
interface DenoApi {
  args: string[];
  open(path: string, options: { read: true }): Promise<DenoFile>;
  exit(code: number): never;
  SeekMode: { Start: number };
}
const deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

const USAGE = "usage: deno run --allow-read read.ts FILE X GAMMA [--center-x] [--recipe factor|gram|both]";

function usage(problem: string): never {
  console.error(`read.ts: ${problem}\n${USAGE}`);
  return deno.exit(2);
}

interface Args {
  file: string;
  x: string;
  gamma: string;
  centerX: boolean;
  recipe: "factor" | "gram" | "both";
}

function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = [];
  let centerX = false;
  let recipe: Args["recipe"] = "both";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--center-x") centerX = true;
    else if (a === "--recipe" || a.startsWith("--recipe=")) {
      const v = a === "--recipe" ? argv[++i] : a.slice("--recipe=".length);
      if (v !== "factor" && v !== "gram" && v !== "both") usage(`--recipe must be factor, gram or both, got ${v ?? "nothing"}`);
      recipe = v;
    } else if (a === "-h" || a === "--help") {
      console.log(USAGE);
      deno.exit(0);
    } else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 3) usage(`expected FILE X GAMMA, got ${positional.length} argument(s)`);
  const [file, x, gamma] = positional as [string, string, string];
  return { file, x, gamma, centerX, recipe };
}

/**
 * A file opened for random access. Deno's FsFile reads at the current position, so reads are
 * serialized (seek + read must not interleave).
 */
async function openFile(path: string): Promise<ByteSource & { close(): void }> {
  let file: DenoFile;
  let size: number;
  try {
    file = await deno.open(path, { read: true });
    const st = await file.stat();
    if (!st.isFile) {
      file.close();
      throw new Error("not a regular file");
    }
    size = st.size;
  } catch (err) {
    throw new Error(`cannot open ${path}: ${(err as Error)?.message ?? err}`);
  }
  let queue: Promise<unknown> = Promise.resolve();
  const readAt = async (offset: number, length: number): Promise<Uint8Array> => {
    const buf = new Uint8Array(length);
    await file.seek(offset, deno.SeekMode.Start);
    let got = 0;
    while (got < length) {
      const n = await file.read(buf.subarray(got));
      if (n === null) break; // end of file: the loader reports the short read, naming the offset
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  };
  return {
    name: path,
    size,
    read(offset, length) {
      const next = queue.then(() => readAt(offset, length));
      queue = next.catch(() => undefined);
      return next;
    },
    close: () => file.close(),
  };
}

async function main(args: Args): Promise<number> {
  let source: Awaited<ReturnType<typeof openFile>> | undefined;
  try {
    source = await openFile(args.file);
    await init();
    const { row } = await readCheckpoint(source, { x: args.x, gamma: args.gamma, centerX: args.centerX, recipe: args.recipe });
    console.log(JSON.stringify(buildReport({ readings: [row] }), null, 2));
    return 0;
  } catch (err) {
    // Typed library errors carry a code and, where known, the file, tensor and byte offset.
    const e = err as Error & { code?: string };
    console.error(err instanceof DdsError ? `read.ts: ${e.name} [${e.code}]: ${e.message}` : `read.ts: ${e?.message ?? err}`);
    return 1;
  } finally {
    source?.close();
  }
}

deno.exit(await main(parseArgs(deno.args)));
