// Seeded random interleavings (issue 12): each seed starts a random mix of readCheckpoint, readOpened
// (through openTensors), load, loadInto into a caller's view, inspect and openTensors(…).load at
// once, over in-memory bytes, file paths (the Node entry) and `{ size, read }` sources whose reads
// resolve after random delays (synchronously, in a microtask, or after a 0–5 ms timer). Between the
// awaits (and inside the sources' read callbacks) synchronous kernels run on small matrices and the
// caller allocates views holding a known pattern. Every result must equal, bit for bit, the same
// call run alone; no call may reject; every caller view must keep its pattern; and once everything
// settled and the caller freed its views, the arena must be empty (no operation leaks a block).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arena, eigvalsh, gram, init, inspect, load, loadInto, openTensors, readCheckpoint, readOpened, svdvals, type F64View } from "../../src/entry/node.js";
import { bitsKey, checkpoints, delayedSource, fillPattern, patternDamage, randomDelay, after, Rng, type Checkpoint } from "./helpers.js";

const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);
const OPS = ["readCheckpoint", "readOpened", "load", "loadInto", "inspect", "tensorFile.load"] as const;
const KINDS = ["memory", "path", "delayed"] as const;

interface Call {
  readonly op: (typeof OPS)[number];
  readonly kind: (typeof KINDS)[number];
  readonly file: Checkpoint;
  readonly tensor: "X" | "G";
  readonly chunkBytes: number | undefined;
}
const describeCall = (c: Call) => `${c.op}(${c.kind} ${c.file.name}${c.op.includes("oad") ? ` ${c.tensor}${c.chunkBytes ? ` chunk ${c.chunkBytes}` : ""}` : ""})`;

const files = checkpoints();
let dir = "";
const paths = new Map<string, string>();

/** Small synchronous kernel calls and their results run alone. */
const small = new Rng(99).matrix(7, 5);
const sym = (() => {
  const r = new Rng(98).matrix(6, 6);
  return r.map((_, k) => r[k]! + r[(k % 6) * 6 + Math.floor(k / 6)]!);
})();
const KERNELS = [
  ["gram", () => gram(small, [7, 5]).data],
  ["svdvals", () => svdvals(small, [7, 5])],
  ["eigvalsh", () => eigvalsh(sym, [6, 6])],
] as const;
const kernelRef = new Map<string, string>();

/** Results of calls run alone, by call description. */
const alone = new Map<string, string>();

function source(c: Call, rng: Rng, during: () => void) {
  if (c.kind === "memory") return c.file.bytes;
  if (c.kind === "path") return paths.get(c.file.name)!;
  return delayedSource(c.file.bytes, rng, during);
}

const readOpts = (c: Call) => ({ x: "X", gamma: "G", tFromMetadata: "t", checkpoint: c.file.name, layer: "h1" });
const readingKey = (r: Awaited<ReturnType<typeof readCheckpoint>>) => bitsKey({ reading: r.reading, row: r.row, t: r.t });
const load1 = (c: Call) => (c.chunkBytes === undefined ? {} : { chunkBytes: c.chunkBytes });

/** Run one call; `between` runs at its awaits and inside its source's reads. */
async function run(c: Call, rng: Rng, between: () => void): Promise<string> {
  const src = source(c, rng, between);
  switch (c.op) {
    case "readCheckpoint":
      return readingKey(await readCheckpoint(src, readOpts(c)));
    case "readOpened": {
      const f = await openTensors(src);
      between();
      try {
        return readingKey(await readOpened(f, readOpts(c)));
      } finally {
        await f.close();
      }
    }
    case "load":
      return bitsKey((await load(src, c.tensor, load1(c))).data);
    case "loadInto": {
      const view = arena().matrix(c.file.rows, c.file.cols);
      try {
        await loadInto(src, c.tensor, view, load1(c));
        between();
        return bitsKey(view.array);
      } finally {
        view.free();
      }
    }
    case "inspect":
      return bitsKey(await inspect(src));
    case "tensorFile.load": {
      const f = await openTensors(src);
      try {
        between();
        return bitsKey((await f.load(c.tensor, load1(c))).data);
      } finally {
        await f.close();
      }
    }
  }
}

/** Readings (the calls that hold memory across awaits) twice as often as the others. */
const WEIGHTED = [...OPS, "readCheckpoint", "readOpened", "readCheckpoint", "readOpened"] as const;

function randomCall(rng: Rng): Call {
  return {
    op: WEIGHTED[rng.u32() % WEIGHTED.length]!,
    kind: KINDS[rng.u32() % KINDS.length]!,
    file: files[rng.u32() % files.length]!,
    tensor: rng.u32() % 2 ? "X" : "G",
    chunkBytes: rng.u32() % 2 ? 65536 : undefined,
  };
}

beforeAll(async () => {
  await init();
  dir = mkdtempSync(join(tmpdir(), "dds-conc-"));
  for (const c of files) {
    const p = join(dir, `${c.name}.safetensors`);
    writeFileSync(p, c.bytes);
    paths.set(c.name, p);
  }
  for (const [name, k] of KERNELS) kernelRef.set(name, bitsKey(k()));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("random interleavings give the bits of the same calls run alone", () => {
  it.each(SEEDS)("seed %i", async (seed) => {
    const plan = new Rng(seed * 7919 + 17);
    const calls = Array.from({ length: 2 + (plan.u32() % 7) }, () => randomCall(plan));
    for (const c of calls) {
      const d = describeCall(c);
      if (!alone.has(d)) alone.set(d, await run(c, new Rng(seed), () => undefined));
    }

    // the caller's own views, made before and during the calls, each with its pattern
    const views: { v: F64View; tag: number }[] = [];
    const problems: string[] = [];
    let tag = 0;
    const between = (rng: Rng) => () => {
      const k = rng.u32() % 6;
      if (k < 3) {
        const [name, kernel] = KERNELS[k]!;
        if (bitsKey(kernel()) !== kernelRef.get(name)) problems.push(`${name} between awaits gave other bits`);
      } else if (k === 3) {
        const v = arena().matrix(1 + (rng.u32() % 40), 1 + (rng.u32() % 40));
        fillPattern(v, ++tag);
        views.push({ v, tag });
      } else if (k === 4 && views.length > 0) {
        const [gone] = views.splice(rng.u32() % views.length, 1);
        const damage = patternDamage(gone!.v, gone!.tag);
        if (damage > 0) problems.push(`caller view ${gone!.tag}: ${damage} entries overwritten before it was freed`);
        gone!.v.free();
      }
    };
    between(plan)();

    const settled = await Promise.allSettled(
      calls.map(async (c, i) => {
        const rng = new Rng(seed * 31 + i);
        const step = between(rng);
        await after(randomDelay(rng), () => undefined); // staggered starts
        step();
        return run(c, rng, step);
      }),
    );
    between(plan)();
    // and the next call, alone: it reuses whatever memory the others left free
    const next = await Promise.allSettled([run(calls[0]!, new Rng(seed), () => undefined)]);

    const outcome = [...settled, ...next].map((s, i) => {
      const d = describeCall(calls[i % calls.length]!);
      if (s.status === "rejected") return `${d}: rejected: ${(s.reason as Error)?.message ?? s.reason}`;
      return s.value === alone.get(d) ? "ok" : `${d}: bits differ from the call run alone`;
    });
    for (const { v, tag: t } of views) {
      const damage = patternDamage(v, t);
      if (damage > 0) problems.push(`caller view ${t}: ${damage} entries overwritten`);
      v.free();
    }
    expect({ outcome, problems }).toEqual({ outcome: outcome.map(() => "ok"), problems: [] });
    expect(arena().used, "blocks left in the arena after every call settled and the caller freed its views").toBe(0);
  });
});
