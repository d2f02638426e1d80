// The built package as users get it: lint of package.json/exports (publint), types for every
// resolution mode (arethetypeswrong), and the ESM, CJS and workerd entries loaded by name.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { publint } from "publint";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

function run(cmd: string, args: string[], cwd = root) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("the built package (dist/)", () => {
  it("has every file the exports map names", () => {
    for (const f of ["index.js", "index.cjs", "index.d.ts", "index.d.cts", "workerd.js", "workerd.d.ts", "kernels-simd.wasm", "kernels-scalar.wasm"]) {
      expect(existsSync(join(root, "dist", f)), `dist/${f} (run npm run build)`).toBe(true);
    }
  });

  it("passes publint (strict)", async () => {
    const { messages } = await publint({ pkgDir: root, strict: true });
    expect(messages.map((m) => `${m.type}: ${m.code} ${m.path.join(".")}`)).toEqual([]);
  });

  it("passes arethetypeswrong for ESM, CJS, node10/16 and bundler resolution", () => {
    const r = run(bin("attw"), ["--pack", ".", "--exclude-entrypoints", "./kernels-simd.wasm", "./kernels-scalar.wasm", "--format", "table-flipped"]);
    expect(r.out).toMatch(/No problems found/);
    expect(r.status, r.out).toBe(0);
  }, 120_000);

  it("loads by name through the import and require conditions and computes", () => {
    const esm = run(process.execPath, ["--input-type=module", "-e",
      "import { init, gram } from 'dead-directions'; const i = await init(); console.log(JSON.stringify([i.simd, Array.from(gram([[1,2],[3,4]], {scale:'sum'}).data)]))"]);
    expect(esm.status, esm.out).toBe(0);
    expect(JSON.parse(esm.out.trim().split("\n")[0]!)).toEqual([true, [10, 14, 14, 20]]);
    const cjs = run(process.execPath, ["-e",
      "require('dead-directions/scalar'); const { initSync, gram } = require('dead-directions'); initSync({ simd: false }); console.log(JSON.stringify(Array.from(gram([[1,2],[3,4]], {scale:'sum'}).data)))"]);
    expect(cjs.status, cjs.out).toBe(0);
    expect(JSON.parse(cjs.out.trim().split("\n")[0]!)).toEqual([10, 14, 14, 20]);
  });

  it("its packed types compile in a Node project (lib es2022 + @types/node, no skipLibCheck) and a browser project (DOM, no @types/node)", () => {
    const dir = mkdtempSync(join(root, ".tmp-consumer-"));
    try {
      const pack = run("npm", ["pack", "--pack-destination", dir, "--silent"]);
      expect(pack.status, pack.out).toBe(0);
      const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
      const tgz = join(dir, `${pkg.name}-${pkg.version}.tgz`);
      const use = [
        `import { init, gram, readCheckpoint, spectrum, DdsError, type Mat, type InitOptions, type SpectralReading } from "${pkg.name}";`,
        "await init();",
        "const g: Mat = gram([[1, 2], [3, 4]]);",
        "const o: InitOptions = { simd: true, bytes: new Uint8Array(8) };",
        "const r: SpectralReading = spectrum(g);",
        "const c = await readCheckpoint(new Uint8Array(0), { x: 'X', gamma: 'G' }).catch((e: unknown) => e instanceof DdsError);",
        "export { o, r, c };",
      ];
      for (const kind of ["node", "web"] as const) {
        const proj = join(dir, kind);
        const mods = join(proj, "node_modules");
        mkdirSync(join(mods, pkg.name), { recursive: true });
        expect(run("tar", ["-xzf", tgz, "-C", join(mods, pkg.name), "--strip-components=1"]).status).toBe(0);
        writeFileSync(join(proj, "package.json"), JSON.stringify({ name: `consumer-${kind}`, private: true, type: "module" }));
        const node = kind === "node";
        if (node) {
          mkdirSync(join(mods, "@types"), { recursive: true });
          symlinkSync(join(root, "node_modules", "@types", "node"), join(mods, "@types", "node"), "dir");
          symlinkSync(join(root, "node_modules", "undici-types"), join(mods, "undici-types"), "dir");
        }
        writeFileSync(join(proj, "use.ts"), [...use, ...(node ? [`import { load } from "${pkg.name}/node"; export { load };`] : [])].join("\n"));
        writeFileSync(join(proj, "tsconfig.json"), JSON.stringify({ compilerOptions: {
          strict: true, noEmit: true, target: "es2022", skipLibCheck: false,
          ...(node ? { lib: ["es2022"], types: ["node"], module: "nodenext", moduleResolution: "nodenext" } : { lib: ["es2022", "dom"], types: [], module: "esnext", moduleResolution: "bundler" }),
        }, files: ["use.ts"] }));
        const r = run(bin("tsc"), ["-p", proj]);
        expect(r.status, `${kind} project:\n${r.out}`).toBe(0);
      }
      // internal members stay out of the published types
      const dts = readFileSync(join(dir, "web", "node_modules", pkg.name, "dist", "index.d.ts"), "utf8");
      expect(dts).not.toMatch(/@internal|\bkill\(\)|buffer\(op: string\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("bundles `import { init, gram }` for a browser in ≤ 130 KB (esbuild --minify): the scalar binary only when asked for", () => {
    const dir = mkdtempSync(join(root, ".tmp-bundle-"));
    try {
      const bundle = (name: string, code: string, platform: string) => {
        writeFileSync(join(dir, `${name}.mjs`), code);
        const b = run(bin("esbuild"), [join(dir, `${name}.mjs`), "--bundle", "--minify", "--format=esm", `--platform=${platform}`, `--outfile=${join(dir, `${name}.out.mjs`)}`, "--log-level=error"]);
        expect(b.status, b.out).toBe(0);
        return readFileSync(join(dir, `${name}.out.mjs`), "utf8");
      };
      const simdAll = readFileSync(join(root, "dist", "kernels-simd.wasm")).toString("base64");
      const scalarAll = readFileSync(join(root, "dist", "kernels-scalar.wasm")).toString("base64");
      // 64 characters of each binary's base64 that the other one does not contain (their headers agree)
      const unique = (a: string, b: string) => Array.from({ length: Math.floor(a.length / 64) }, (_, i) => a.slice(64 * i, 64 * i + 64)).find((w) => !b.includes(w))!;
      const [simdB64, scalarB64] = [unique(simdAll, scalarAll), unique(scalarAll, simdAll)];
      const lean = bundle("lean", "import { init, gram } from '../dist/index.js';\nawait init();\nconsole.log(JSON.stringify(Array.from(gram([[1, 2], [3, 4]], { scale: 'sum' }).data)));", "browser");
      console.log(`bundle of { init, gram }: ${(lean.length / 1024).toFixed(1)} KB minified`);
      expect(lean.length).toBeLessThanOrEqual(130 * 1024);
      expect(lean).toContain(simdB64);
      expect(lean).not.toContain(scalarB64);
      const both = bundle("both", "import { init, gram } from '../dist/index.js';\nimport '../dist/scalar.js';\nconst i = await init({ simd: false });\nconsole.log(JSON.stringify([i.simd, Array.from(gram([[1, 2], [3, 4]], { scale: 'sum' }).data)]));", "neutral");
      expect(both).toContain(scalarB64);
      const r = run(process.execPath, [join(dir, "both.out.mjs")]);
      expect(r.status, r.out).toBe(0);
      expect(JSON.parse(r.out.trim().split("\n")[0]!)).toEqual([false, [10, 14, 14, 20]]);
      // without the subpath, asking for the scalar binary says what to import
      const none = run(process.execPath, ["--input-type=module", "-e", "import { init } from './dist/index.js'; try { await init({ simd: false }); } catch (e) { console.log(e.name + ': ' + e.message); }"]);
      expect(none.out).toMatch(/WasmInitError: init: the scalar \(non-SIMD\) binary is not bundled with the default entry: add `import "dead-directions\/scalar"`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("keeps the error classes' names when a bundler minifies them (esbuild --minify)", () => {
    const dir = mkdtempSync(join(root, ".tmp-minify-"));
    try {
      writeFileSync(join(dir, "app.mjs"), [
        "import { init, eigvalsh, load } from '../dist/index.js';",
        "const names = [];",
        "try { await init({ bytes: new TextEncoder().encode('<!doctype html>') }); } catch (e) { names.push(e.name); }",
        "await init();",
        "try { eigvalsh([[1, 2, 3]]); } catch (e) { names.push(e.name); }",
        "try { eigvalsh([[NaN]]); } catch (e) { names.push(e.name); }",
        "try { await load(new Uint8Array(16)); } catch (e) { names.push(e.name); }",
        "console.log(JSON.stringify(names));",
      ].join("\n"));
      const b = run(bin("esbuild"), [join(dir, "app.mjs"), "--bundle", "--minify", "--format=esm", "--platform=neutral", `--outfile=${join(dir, "out.mjs")}`]);
      expect(b.status, b.out).toBe(0);
      const r = run(process.execPath, [join(dir, "out.mjs")]);
      expect(r.status, r.out).toBe(0);
      expect(JSON.parse(r.out.trim().split("\n")[0]!)).toEqual(["WasmInitError", "LinAlgError", "NonFiniteError", "FormatError"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("gives TypeScript users types through the workerd condition too", () => {
    // inside the package, so "dead-directions" resolves by self-reference through the exports map
    const dir = mkdtempSync(join(root, ".tmp-types-"));
    try {
      writeFileSync(join(dir, "use.ts"), [
        "import { init, initSync, gram, type Mat, NonFiniteError } from 'dead-directions';",
        "const g: Mat = gram([[1]]); const ok: boolean = g.data instanceof Float64Array;",
        "void init; void initSync; void NonFiniteError; void ok;",
      ].join("\n"));
      for (const condition of ["workerd", "import"]) {
        const r = run(bin("tsc"), ["--noEmit", "--strict", "--module", "esnext", "--moduleResolution", "bundler", "--target", "es2022",
          "--lib", "es2022,dom", "--skipLibCheck", "--customConditions", condition, "--traceResolution", join(dir, "use.ts")]);
        expect(r.status, r.out).toBe(0);
        const resolved = /Module name 'dead-directions' was successfully resolved to '([^']+)'/.exec(r.out)?.[1];
        expect(resolved).toBe(join(root, "dist", condition === "workerd" ? "workerd.d.ts" : "index.d.ts"));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
