// Child processes for the runtime runners. Every process is tracked from spawn to exit so that a
// failing or timed-out test still stops what it started (afterAll calls stopAll as a last resort);
// nothing is ever killed by name, only by the handle we hold.

import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

const live = new Set<ChildProcess>();

/** A runtime that could not be started or did not answer; the message names runtime and command. */
export class RuntimeStartError extends Error {
  constructor(runtime: string, command: string, detail: string) {
    super(`${runtime}: could not run \`${command}\`: ${detail}`);
    this.name = "RuntimeStartError";
  }
}

export const commandLine = (cmd: string, args: readonly string[]): string => [cmd, ...args].join(" ");

export function spawnTracked(cmd: string, args: readonly string[], opts: SpawnOptions): ChildProcess {
  const child = spawn(cmd, args, opts);
  live.add(child);
  child.once("exit", () => live.delete(child));
  // A missing binary surfaces as an "error" event; without a listener it would crash the worker.
  child.once("error", () => live.delete(child));
  return child;
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Resolves once the process has exited (or failed to spawn). */
export function waitExit(child: ChildProcess): Promise<void> {
  if (exited(child) || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; returns when the process is really gone. */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (exited(child) || child.pid === undefined) return;
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const gone = waitExit(child);
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
  if ((await Promise.race([gone, late])) === "late") {
    child.kill("SIGKILL");
    await gone;
  }
  clearTimeout(timer);
}

/** Stop every process a runner left behind (only ours: the set holds the handles we spawned). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => stopProcess(child, 1000)));
}

export interface Completed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run a command to completion with a deadline; a timeout or spawn failure is a RuntimeStartError. */
export async function runCommand(
  runtime: string,
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Completed> {
  const line = commandLine(cmd, args);
  const child = spawnTracked(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Completed>((resolve, reject) => {
      timer = setTimeout(() => reject(new RuntimeStartError(runtime, line, `no exit within ${opts.timeoutMs} ms\n${stderr}`)), opts.timeoutMs);
      child.once("error", (err) => reject(new RuntimeStartError(runtime, line, err.message)));
      child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  } finally {
    clearTimeout(timer);
    await stopProcess(child);
  }
}

/** The JSON after a marker line, so stray log output of a runtime cannot break parsing. */
export const RESULT_MARKER = "@@DDS_RESULT ";

export function parseMarked<T>(runtime: string, line: string, out: Completed): T {
  const hit = out.stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
  if (out.code !== 0 || !hit) {
    throw new RuntimeStartError(runtime, line, `exit code ${out.code ?? out.signal}, no result line\nstdout: ${out.stdout.slice(-2000)}\nstderr: ${out.stderr.slice(-2000)}`);
  }
  return JSON.parse(hit.slice(RESULT_MARKER.length)) as T;
}
