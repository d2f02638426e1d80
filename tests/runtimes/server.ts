// Tiny static server for the browser runs, on 127.0.0.1 and a port the OS picks. It serves the test
// page at "/" and files under /dist/, /tests/runtimes/ and /tests/fixtures/loaders/ only. MIME types
// matter: module scripts need a JavaScript type, and streaming wasm compilation rejects anything but
// application/wasm.

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
  ".safetensors": "application/octet-stream",
  ".npz": "application/octet-stream",
};
const SERVED_DIRS = ["dist", join("tests", "runtimes"), join("tests", "fixtures", "loaders")];

export interface StaticServer {
  origin: string;
  /** Paths that were requested but not served (unexpected requests show up in failure messages). */
  misses: string[];
  close(): Promise<void>;
}

export async function startStaticServer(root: string): Promise<StaticServer> {
  const misses: string[] = [];
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const rel = pathname === "/" ? join("tests", "runtimes", "page.html") : normalize(pathname.slice(1));
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
        // Browsers keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
