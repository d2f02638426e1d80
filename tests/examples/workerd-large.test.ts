// Issue 15 item 4: the edge worker reads a 1 GiB checkpoint by ?url= range requests inside a 128 MiB
// memory budget (the peak RSS of the workerd process, VmHWM) and answers the same report bytes as Node.
// The upstream is a local server that computes any byte range of the file from a random-access
// generator: nothing of the 1 GiB is ever on disk or whole in memory.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ask, cleanup, startWorkerd, testConfig, upstreamServer, urlQuery, type Upstream, type Workerd } from "./workerd-harness.js";
import { nodeReport, skipRequested } from "./runtime-examples.js";

const MiB = 2 ** 20;
/**
 * V8 heap limits like those of a 128 MB Workers isolate (examples/workerd/README.md, "Memory"): without
 * them V8 lets the fetched blocks' garbage pile up (peak RSS 226 MiB here) before collecting; with them
 * it collects as it goes, and the process peak is what the reading really holds.
 */
const ISOLATE_FLAGS = ["--max-semi-space-size=1", "--max-old-space-size=32"];
const [N, d] = [524288, 256]; // X and Γ F32: 2 × 512 MiB
const HEADER = (() => {
  const json = JSON.stringify({ X: { dtype: "F32", shape: [N, d], data_offsets: [0, N * d * 4] }, G: { dtype: "F32", shape: [N, d], data_offsets: [N * d * 4, 2 * N * d * 4] } });
  const h = Buffer.from(json + " ".repeat((8 - ((json.length + 8) % 8)) % 8));
  const out = Buffer.alloc(8 + h.length);
  out.writeBigUInt64LE(BigInt(h.length));
  h.copy(out, 8);
  return out;
})();
const SIZE = HEADER.length + 2 * N * d * 4;

/** Entry k of tensor t (0: X, 1: Γ): an 11-bit dyadic from a hash of (t, k); X's unit 17 is dead, Γ's column 255 is 2× column 4. */
function value(t: number, k: number): number {
  const col = k % d;
  if (t === 0 && col === 17) return 0;
  if (t === 1 && col === 255) return 2 * value(1, k - 255 + 4);
  let h = Math.imul(k ^ (t ? 0x9e3779b9 : 0x85ebca6b), 0xcc9e2d51);
  h ^= h >>> 15;
  h = Math.imul(h, 0x1b873593);
  h ^= h >>> 13;
  return (((h >>> 21) & 2047) - 1024) / 1024;
}

/** Bytes [start, end) of the virtual file. */
function bytesAt(start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  if (start < HEADER.length) out.set(HEADER.subarray(start, Math.min(end, HEADER.length)));
  const from = Math.max(start, HEADER.length);
  if (from >= end) return out;
  const e0 = Math.floor((from - HEADER.length) / 4);
  const e1 = Math.ceil((end - HEADER.length) / 4);
  const f = new Float32Array(e1 - e0);
  for (let e = e0; e < e1; e++) f[e - e0] = e < N * d ? value(0, e) : value(1, e - N * d);
  const b = new Uint8Array(f.buffer);
  const skip = from - HEADER.length - e0 * 4;
  out.set(b.subarray(skip, skip + (end - from)), from - start);
  return out;
}

function serveVirtual(req: IncomingMessage, res: ServerResponse): void {
  const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
  if (!m) return void res.writeHead(416).end();
  const start = Number(m[1]);
  const end = Math.min(Number(m[2]), SIZE - 1);
  res.writeHead(206, { "content-range": `bytes ${start}-${end}/${SIZE}`, "content-length": end - start + 1, "accept-ranges": "bytes" });
  res.end(bytesAt(start, end + 1));
}

/** Peak resident memory of a process (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

const skip = skipRequested("workerd");
describe.skipIf(skip)("examples/workerd: a 1 GiB checkpoint by ?url= within 128 MiB", () => {
  let up: Upstream | undefined;
  let w: Workerd | undefined;

  beforeAll(async () => {
    up = await upstreamServer((req, res) => serveVirtual(req, res));
    w = await startWorkerd(await testConfig({ ALLOWED_HOSTS: up.host, MAX_BYTES: String(2 * 2 ** 30), MAX_FETCHES: "4096", FETCH_TIMEOUT_MS: "60000", REQUEST_TIMEOUT_MS: "600000" }, ISOLATE_FLAGS), "workerd-large");
  }, 60_000);
  afterAll(() => cleanup(() => w?.stop(), () => up?.close()));

  test("reads it by range requests with the workerd process under 128 MiB, and answers Node's report bytes", async () => {
    const url = `${up!.base}/virtual.safetensors`;
    const before = peakRss(w!.pid);
    const r = await ask(w!, urlQuery(url, "x=X&gamma=G"), {}, 300_000);
    const peak = peakRss(w!.pid);
    expect(r.status, r.text.slice(0, 400)).toBe(200);
    console.log(`1 GiB checkpoint through workerd: ${(r.ms / 1000).toFixed(1)} s, ${up!.log.length} upstream requests, workerd peak RSS ${(peak / MiB).toFixed(0)} MiB (${(before / MiB).toFixed(0)} MiB before)`);
    expect(peak).toBeLessThanOrEqual(128 * MiB);
    const row = r.body.readings[0];
    expect(row["dds/n_pos"]).toBe(255);
    expect(row["act/x_null_dim"]).toBe(1);
    const node = await nodeReport({ size: SIZE, read: async (o: number, l: number) => bytesAt(o, o + l) } as never, { x: "X", gamma: "G", open: { fileName: url } });
    expect(r.body).toEqual(node);
  }, 400_000);
});
