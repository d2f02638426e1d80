// Shared by the workerd example tests (workerd.test.ts, workerd-hardening.test.ts): bundle the example
// worker with its own build script, derive a test config from the committed examples/workerd/config.capnp
// (free port, loopback reachable, bindings overridden; it fails loudly if the committed shape changed),
// start real workerd on it, and run local upstream servers on 127.0.0.1. Everything started here is
// stopped by the `stop`/`close` it returns (servers also drop their open connections), and workerd is
// spawned through tests/runtimes/proc.ts, whose stopAll is the last resort.

import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandLine, runCommand, RuntimeStartError, spawnTracked, stopAll, stopProcess, waitExit } from "../runtimes/proc.js";
import { requireDist, ROOT } from "./runtime-examples.js";

export const WORKERD_BIN = join(ROOT, "node_modules", ".bin", "workerd");
const START_MS = 30_000;

/** The bindings of the committed config (all text); a test config may override any of them. */
export type Bindings = Partial<Record<"ALLOWED_HOSTS" | "MAX_BYTES" | "FETCH_TIMEOUT_MS" | "REQUEST_TIMEOUT_MS" | "MAX_FETCHES" | "MAX_REDIRECTS", string>>;

/**
 * The committed config with a free port (127.0.0.1:0), loopback reachable for the worker's fetch
 * (the committed one allows "public" only) and `bindings` replacing the committed values.
 */
export async function testConfig(bindings: Bindings = {}, v8Flags: readonly string[] = []): Promise<string> {
  let config = await readFile(join(ROOT, "examples", "workerd", "config.capnp"), "utf8");
  if (v8Flags.length) config = config.replace("const config :Workerd.Config = (", `const config :Workerd.Config = (\n  v8Flags = [${v8Flags.map((f) => JSON.stringify(f)).join(", ")}],`);
  const edits: [string, string][] = [
    ['address = "127.0.0.1:8787"', 'address = "127.0.0.1:0"'],
    ['allow = ["public"]', 'allow = ["public", "local"]'],
  ];
  for (const [from, to] of edits) {
    if (!config.includes(from)) throw new Error(`examples/workerd/config.capnp no longer contains ${from}: update tests/examples/workerd-harness.ts`);
    config = config.replace(from, to);
  }
  for (const [name, value] of Object.entries(bindings)) {
    const re = new RegExp(`\\(name = "${name}", text = "[^"]*"\\)`);
    if (!re.test(config)) throw new Error(`examples/workerd/config.capnp has no text binding ${name}: update tests/examples/workerd-harness.ts`);
    if (/["\\\n]/.test(value!)) throw new Error(`binding ${name}: value must not contain quotes, backslashes or newlines`);
    config = config.replace(re, `(name = "${name}", text = "${value}")`);
  }
  return config;
}

/** The first control message {"event":"listen","socket":"http","port":N} on fd 3 (workerd --control-fd). */
function listenPort(control: NodeJS.ReadableStream, exited: Promise<void>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`not listening within ${timeoutMs} ms`)), timeoutMs);
    void exited.then(() => (clearTimeout(timer), reject(new Error("exited before listening"))));
    control.setEncoding("utf8");
    control.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const msg = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (msg.event === "listen" && msg.socket === "http" && msg.port) {
          clearTimeout(timer);
          resolve(msg.port);
        }
      }
    });
  });
}

export interface Workerd {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** workerd's stdout + stderr so far (for failure messages). */
  log(): string;
  /** Timings of the setup steps, for the test log. */
  timings: string[];
  /** The workerd process id (memory figures read /proc/PID/status). */
  pid: number;
  /** Stop workerd and remove the temp dir (idempotent). */
  stop(): Promise<void>;
}

/**
 * Bundle examples/workerd/worker.mjs (its build.mjs) into a temp dir, write `config` there and start
 * `workerd serve` on it. `config` is the text of testConfig(…) (computed after the upstream servers
 * are listening, so that ALLOWED_HOSTS can name their ports).
 */
export async function startWorkerd(config: string, label = "workerd"): Promise<Workerd> {
  requireDist();
  if (!existsSync(WORKERD_BIN)) throw new Error(`workerd: binary missing at ${WORKERD_BIN} (devDependency "workerd": run npm install)`);
  const timings: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), "dds-example-workerd-"));
  let child: ChildProcess | undefined;
  let output = "";
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let t0 = performance.now();
    const built = await runCommand("node", process.execPath, [join(ROOT, "examples", "workerd", "build.mjs"), join(dir, "build")], { cwd: ROOT, timeoutMs: 30_000 });
    if (built.code !== 0) throw new Error(`examples/workerd/build.mjs failed (exit ${built.code}):\n${built.stderr}${built.stdout}`);
    timings.push(`${label}: bundle ${(performance.now() - t0).toFixed(0)} ms`);
    await writeFile(join(dir, "config.capnp"), config);

    t0 = performance.now();
    const args = ["serve", join(dir, "config.capnp"), "--control-fd=3"];
    const line = commandLine(WORKERD_BIN, args);
    child = spawnTracked(WORKERD_BIN, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    child.stdout!.setEncoding("utf8").on("data", (s: string) => (output += s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (output += s));
    child.once("error", (err) => (output += `spawn error: ${err.message}\n`));
    const port = await listenPort(child.stdio[3] as NodeJS.ReadableStream, waitExit(child), START_MS).catch((err: Error) => {
      throw new RuntimeStartError("workerd", line, `${err.message}\n${output}`);
    });
    timings.push(`${label}: listening ${(performance.now() - t0).toFixed(0)} ms`);
    return { origin: `http://127.0.0.1:${port}`, log: () => output, timings, pid: child.pid!, stop };
  } catch (err) {
    await stop();
    await stopAll();
    throw err;
  }
}

export interface Answer {
  status: number;
  type: string;
  /** The raw body text (the bytes compared by the concurrency test). */
  text: string;
  /** The parsed JSON body. */
  body: any;
  /** Wall-clock time from sending to the end of the body. */
  ms: number;
}

/** One request to workerd; the answer must be JSON (a non-JSON answer fails with workerd's log). */
export async function ask(w: Workerd, path: string, init: RequestInit = {}, timeoutMs = 20_000): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(`${w.origin}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  const ms = performance.now() - t0;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`workerd answered HTTP ${res.status} with non-JSON: ${text.slice(0, 500)}\n${w.log()}`);
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", text, body, ms };
}

/** `?url=…&x=X_h1&gamma=G_h1` for a URL. */
export const urlQuery = (url: string, rest = "x=X_h1&gamma=G_h1") => `/?url=${encodeURIComponent(url)}&${rest}`;

export interface Upstream {
  server: Server;
  /** http://127.0.0.1:PORT */
  base: string;
  /** 127.0.0.1:PORT (an ALLOWED_HOSTS entry) */
  host: string;
  port: number;
  /** "METHOD URL RANGE HOST" of every request, in order. */
  log: string[];
  /** Stop listening and destroy every open connection (idempotent). */
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, up: Upstream) => void | Promise<void>;

/** A Node http server on 127.0.0.1 (free port) running `handler`; its log records every request. */
export function upstreamServer(handler: Handler): Promise<Upstream> {
  const sockets = new Set<Socket>();
  const log: string[] = [];
  let up: Upstream;
  const server = createServer((req, res) => {
    log.push(`${req.method} ${req.url} ${req.headers.range ?? "-"} ${req.headers.host ?? "-"}`);
    Promise.resolve(handler(req, res, up)).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500).end(String(err?.message ?? err));
      else res.destroy();
    });
  });
  server.on("connection", (s) => (sockets.add(s), s.once("close", () => sockets.delete(s))));
  let closed: Promise<void> | undefined;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      up = {
        server,
        base: `http://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        port,
        log,
        close: () =>
          (closed ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          })),
      };
      resolve(up);
    });
  });
}

/** Serve `bytes` for a Range request the way a correct server does (206 + Content-Range, 416 outside). */
export function serveRange(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array): void {
  const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
  if (!m) {
    res.writeHead(200, { "content-length": bytes.length, "content-type": "application/octet-stream" });
    return void res.end(bytes);
  }
  const start = Number(m[1]);
  const end = Math.min(Number(m[2]), bytes.length - 1);
  if (start > end) return void res.writeHead(416, { "content-range": `bytes */${bytes.length}` }).end();
  res.writeHead(206, { "content-range": `bytes ${start}-${end}/${bytes.length}`, "content-length": end - start + 1, "accept-ranges": "bytes" });
  res.end(bytes.subarray(start, end + 1));
}

/** A temp-dir-free helper for cleanup in afterAll: run every step, then rethrow the first failure. */
export async function cleanup(...steps: (() => Promise<unknown> | undefined)[]): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      first ??= err;
    }
  }
  await stopAll();
  if (first) throw first;
}
