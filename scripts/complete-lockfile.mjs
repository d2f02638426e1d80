#!/usr/bin/env node
// Adds the other platforms' optional binary packages (deno, workerd, rollup) to package-lock.json.
// The registry this project is developed against answers 404 for other platforms' binaries, so `npm
// install` here leaves them out of the lockfile and `npm ci` then refuses it as out of sync
// (docs/design-decisions.md, "Lockfile"). Their versions are pinned by the parents' optionalDependencies,
// and os/cpu/libc follow from the package names, so the entries can be completed exactly; npm skips
// them on other platforms and fetches them by version where they apply.
// Usage: node scripts/complete-lockfile.mjs (after npm install changed the lockfile).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const file = join(import.meta.dirname, "..", "package-lock.json");
const lock = JSON.parse(readFileSync(file, "utf8"));
const pkgs = lock.packages;

const OS = { darwin: "darwin", linux: "linux", win32: "win32", windows: "win32", freebsd: "freebsd", openbsd: "openbsd", android: "android", sunos: "sunos", aix: "aix", openharmony: "openharmony" };
const CPU = { x64: "x64", "64": "x64", arm64: "arm64", arm: "arm", ia32: "ia32", riscv64: "riscv64", s390x: "s390x", ppc64: "ppc64", loong64: "loong64", mips64el: "mips64el" };

/** os/cpu/libc from names like @deno/linux-arm64-glibc, @cloudflare/workerd-darwin-64, @rollup/rollup-linux-arm-musleabihf. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.map((p) => OS[p]).find(Boolean);
  const cpuPart = parts.find((p, i) => i > parts.findIndex((q) => OS[q]) && (CPU[p] || CPU[p.replace(/(gnu|musl)?(eabihf|abi)?$/, "")]));
  const cpu = cpuPart && (CPU[cpuPart] || CPU[cpuPart.replace(/(gnu|musl)?(eabihf|abi)?$/, "")]);
  const libc = parts.some((p) => p.startsWith("musl")) ? "musl" : os === "linux" && parts.some((p) => /gnu|glibc/.test(p)) ? "glibc" : undefined;
  if (!os || !cpu) throw new Error(`cannot tell the platform of ${name}`);
  return { os, cpu, libc };
}

let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pkgs[key] || pkgs[`${path}/node_modules/${dep}`]) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) throw new Error(`${dep}: optional dependency spec ${spec} is not an exact version`);
    const { os, cpu, libc } = platformOf(dep);
    pkgs[key] = { version: spec, cpu: [cpu], ...(meta.dev ? { dev: true } : {}), ...(libc ? { libc: [libc] } : {}), license: meta.license, optional: true, os: [os] };
    added++;
  }
}

writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lockfile: added ${added} platform entries`);
