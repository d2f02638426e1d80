// Tiny static server for the browser tests, on 127.0.0.1 and a port the OS picks. By default it serves
// the runtime harness page at "/" and files under /dist/, /tests/runtimes/ and /tests/fixtures/loaders/
// only; the example-page test passes its own folders. MIME types matter: module scripts need a
// JavaScript type, and streaming wasm compilation rejects anything but application/wasm.

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".safetensors": "application/octet-stream",
  ".npz": "application/octet-stream",
  ".npy": "application/octet-stream",
};
const HARNESS_DIRS = ["dist", join("tests", "runtimes"), join("tests", "fixtures", "loaders")];

export interface ServeOptions {
  /** Folders (relative to root) whose files are served; nothing else is. */
  dirs?: readonly string[];
  /** What "/" is: a file to serve (relative to root), or a path to redirect to (starting with "/"). */
  home?: string;
}

export interface StaticServer {
  origin: string;
  /** Paths that were requested but not served (unexpected requests show up in failure messages). */
  misses: string[];
  close(): Promise<void>;
}

export async function startStaticServer(root: string, o: ServeOptions = {}): Promise<StaticServer> {
  const dirs = o.dirs ?? HARNESS_DIRS;
  const home = o.home ?? join("tests", "runtimes", "page.html");
  const misses: string[] = [];
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (pathname === "/" && home.startsWith("/")) {
      res.writeHead(302, { location: home }).end();
      return;
    }
    let rel = pathname === "/" ? home : normalize(pathname.slice(1));
    if (pathname.endsWith("/") && pathname !== "/") rel = join(rel, "index.html"); // directory index
    const allowed = !rel.split(sep).includes("..") && dirs.some((d) => rel.startsWith(d + sep));
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
        // Browsers keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
