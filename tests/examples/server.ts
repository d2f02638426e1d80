// A tiny static server for the example pages, on 127.0.0.1 and a port the OS picks. It serves
// files under /dist/ and /examples/ of the repository root only ("/" redirects to the browser page),
// with the MIME types module scripts need. tests/runtimes/server.ts serves a fixed set of test
// folders, not examples/, hence this one.

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".safetensors": "application/octet-stream",
  ".npz": "application/octet-stream",
  ".npy": "application/octet-stream",
};
const SERVED_DIRS = ["dist", "examples"];

export interface ExampleServer {
  origin: string;
  /** Requests that were refused or not found (shown when a page fails). */
  misses: string[];
  close(): Promise<void>;
}

export async function startExampleServer(root: string): Promise<ExampleServer> {
  const misses: string[] = [];
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (pathname === "/") {
      res.writeHead(302, { location: "/examples/browser/" }).end();
      return;
    }
    let rel = normalize(pathname.slice(1));
    if (pathname.endsWith("/")) rel = join(rel, "index.html");
    const allowed = !rel.split(sep).includes("..") && SERVED_DIRS.some((d) => rel.startsWith(d + sep));
    const type = MIME[extname(rel)];
    if (req.method !== "GET" || !allowed || !type) {
      misses.push(`${req.method} ${pathname}`);
      res.writeHead(404).end();
      return;
    }
    readFile(join(root, rel)).then(
      (body) => res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body),
      () => {
        misses.push(`${req.method} ${pathname}`);
        res.writeHead(404).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    misses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // browsers keep connections alive
        server.close(() => resolve());
      }),
  };
}
