// workerd: bundle workerd-worker.mjs the way wrangler does (esbuild, conditions workerd + worker, .wasm
// kept external), declare the .wasm files as `wasm` modules so workerd passes compiled modules (and the
// loader fixtures as `data` modules: ArrayBuffers), serve on 127.0.0.1 with a port the OS picks, fetch
// once, stop the server. Everything lives in a temp dir.

import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { RunResult } from "../core.mjs";
import { commandLine, RuntimeStartError, spawnTracked, stopProcess, waitExit } from "../proc.js";

const WASM = ["kernels-simd.wasm", "kernels-scalar.wasm"] as const;
/** Loader fixtures, embedded as `data` modules (the worker imports them as ArrayBuffers). */
const DATA = ["all.safetensors", "savez_compressed.npz"] as const;
const DATA_DIR: Record<(typeof DATA)[number], string> = { "all.safetensors": "safetensors", "savez_compressed.npz": "npz" };

export interface WorkerdRun {
  result: RunResult;
  command: string;
  version: string;
}

/** A fixed date keeps the run reproducible; this one is known to work with the pinned workerd. */
const COMPATIBILITY_DATE = "2025-09-01";

// Port 0 lets the OS choose a free port; --control-fd reports it, so there is no race between
// "find a free port" and "bind it".
const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .mainWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const mainWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
${WASM.map((f) => `    (name = "${f}", wasm = embed "${f}"),`).join("\n")}
${DATA.map((f) => `    (name = "${f}", data = embed "${f}"),`).join("\n")}
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`;

/** Bundle the worker; "dead-directions" is a self-reference that esbuild resolves through package.json exports. */
async function bundle(root: string, dir: string): Promise<void> {
  const out = await build({
    absWorkingDir: root,
    entryPoints: [join(root, "tests", "runtimes", "runners", "workerd-worker.mjs")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker"],
    mainFields: ["module", "main"],
    external: ["*.wasm", ...DATA.map((f) => `./${f}`)],
    outfile: join(dir, "worker.js"),
    metafile: true,
    logLevel: "silent",
  });
  // Guard against a silent fallback to the default entry (which would be refused by workerd anyway,
  // but this names the cause): the bundle must come from dist/workerd.js and import both .wasm files.
  const inputs = Object.keys(out.metafile.inputs);
  const code = await readFile(join(dir, "worker.js"), "utf8");
  if (!inputs.includes("dist/workerd.js") || WASM.some((f) => !code.includes(`"./${f}"`))) {
    throw new Error(`workerd: the bundle did not resolve "dead-directions" to dist/workerd.js (inputs: ${inputs.join(", ")})`);
  }
}

/** The first control message {"event":"listen","socket":"http","port":N} on fd 3. */
function listenPort(control: NodeJS.ReadableStream, exited: Promise<void>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`not listening within ${timeoutMs} ms`)), timeoutMs);
    void exited.then(() => reject(new Error("exited before listening")));
    control.setEncoding("utf8");
    control.on("data", (chunk: string) => {
      buffered += chunk;
      for (const line of buffered.split("\n").slice(0, -1)) {
        const msg = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (msg.event === "listen" && msg.socket === "http" && msg.port) {
          clearTimeout(timer);
          resolve(msg.port);
        }
      }
    });
  });
}

export async function runWorkerd(root: string, timeoutMs: number): Promise<WorkerdRun> {
  const bin = join(root, "node_modules", ".bin", "workerd");
  const dir = await mkdtemp(join(tmpdir(), "dds-workerd-"));
  const args = ["serve", join(dir, "config.capnp"), "--control-fd=3"];
  const line = commandLine(bin, args);
  let child: ReturnType<typeof spawnTracked> | undefined;
  try {
    const { stdout: versionOut } = await promisify(execFile)(bin, ["--version"], { timeout: 10_000 });
    await bundle(root, dir);
    await Promise.all(WASM.map((f) => copyFile(join(root, "dist", f), join(dir, f))));
    await Promise.all(DATA.map((f) => copyFile(join(root, "tests", "fixtures", "loaders", DATA_DIR[f], f), join(dir, f))));
    await writeFile(join(dir, "config.capnp"), config);

    child = spawnTracked(bin, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    let log = "";
    child.stdout!.setEncoding("utf8").on("data", (s: string) => (log += s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (log += s));
    const port = await listenPort(child.stdio[3] as NodeJS.ReadableStream, waitExit(child), timeoutMs / 2).catch((err: Error) => {
      throw new RuntimeStartError("workerd", line, `${err.message}\n${log}`);
    });

    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(timeoutMs / 2) });
    const body = await response.text();
    if (!response.ok) throw new RuntimeStartError("workerd", line, `HTTP ${response.status}: ${body}\n${log}`);
    return { result: JSON.parse(body) as RunResult, command: line, version: versionOut.trim() };
  } catch (err) {
    if (err instanceof RuntimeStartError) throw err;
    throw new RuntimeStartError("workerd", line, (err as Error).message);
  } finally {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  }
}
