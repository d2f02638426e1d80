// Deno (V8) and Bun (JavaScriptCore): each runs cli-entry.mjs, which imports the built
// dist/index.js (the default entry, base64-embedded wasm) and the shared driver.

import { join } from "node:path";
import type { RunResult } from "../core.mjs";
import { commandLine, parseMarked, runCommand } from "../proc.js";

export interface CliRun {
  result: RunResult;
  command: string;
}

function command(runtime: "deno" | "bun", root: string): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const entry = join(root, "tests", "runtimes", "runners", "cli-entry.mjs");
  // DO_NOT_TRACK: neither runtime may phone home (crash reports, telemetry) from a test.
  const env = { ...process.env, DO_NOT_TRACK: "1" };
  if (runtime === "deno") {
    // Read access to the repo only and no network permission: an attempt to fetch anything fails.
    // DENO_NO_UPDATE_CHECK: otherwise deno asks the network for a newer version.
    return {
      cmd: join(root, "node_modules", ".bin", "deno"),
      args: ["run", `--allow-read=${root}`, "--no-prompt", entry],
      env: { ...env, DENO_NO_UPDATE_CHECK: "1" },
    };
  }
  // --no-install: without it bun may auto-install packages from the registry for bare imports.
  return { cmd: join(root, "node_modules", ".bin", "bun"), args: ["--no-install", entry], env };
}

export async function runCli(runtime: "deno" | "bun", root: string, timeoutMs: number): Promise<CliRun> {
  const { cmd, args, env } = command(runtime, root);
  const line = commandLine(cmd, args);
  const out = await runCommand(runtime, cmd, args, { cwd: root, env, timeoutMs });
  return { result: parseMarked<RunResult>(runtime, line, out), command: line };
}
