// Issue 12, each measured failure as a test: overlapping readCheckpoint calls used to share one
// mark/release stack, so one call's release freed the other's X and Γ (and caller views made
// meanwhile). Every result is compared bit for bit with the same call run alone.

import { beforeAll, describe, expect, it } from "vitest";
import { arena, init, readCheckpoint, type CheckpointReading } from "../../src/entry/default.js";
import { bitsKey, checkpoints, delayedSource, fillPattern, patternDamage, Rng, slowSource, split, type Checkpoint } from "./helpers.js";

const files: Checkpoint[] = checkpoints();
const opts = (c: Checkpoint) => ({ x: "X", gamma: "G", tFromMetadata: "t", checkpoint: c.name, layer: "h1" });
const key = (r: CheckpointReading | undefined) => (r === undefined ? "(rejected)" : bitsKey({ reading: r.reading, row: r.row, t: r.t }));
/** Rejections, and the indices of calls that resolved to a reading other than the same call's run alone. */
function outcome(values: (CheckpointReading | undefined)[], errors: string[], jobs: Checkpoint[]) {
  const differing = values.flatMap((v, i) => (v !== undefined && key(v) !== alone.get(jobs[i]!.name) ? [i] : []));
  return { rejected: errors, differing };
}
/** Each file's reading, run alone. */
const alone = new Map<string, string>();

beforeAll(async () => {
  await init();
  for (const c of files) alone.set(c.name, key(await readCheckpoint(c.bytes, opts(c))));
});

describe("overlapping readCheckpoint calls (issue 12)", () => {
  it("20 concurrent readings of in-memory files all succeed, each as if run alone", async () => {
    const jobs = Array.from({ length: 20 }, (_, i) => files[i % files.length]!);
    const { values, errors } = split(await Promise.allSettled(jobs.map((c) => readCheckpoint(c.bytes, opts(c)))));
    expect(outcome(values, errors, jobs)).toEqual({ rejected: [], differing: [] });
    expect(arena().used).toBe(0);
  });

  it("20 concurrent readings over sources whose reads resolve after random delays", async () => {
    const rng = new Rng(12);
    const jobs = Array.from({ length: 20 }, (_, i) => files[(i * 3) % files.length]!);
    const { values, errors } = split(await Promise.allSettled(jobs.map((c) => readCheckpoint(delayedSource(c.bytes, rng), opts(c)))));
    expect(outcome(values, errors, jobs)).toEqual({ rejected: [], differing: [] });
    expect(arena().used).toBe(0);
  });

  it("two overlapping calls suffice to expose a shared mark/release stack", async () => {
    // a starts first and finishes first (its reads take 2 ms, b's 3 ms): a stack releases b's X and Γ
    const [a, b] = [files[0]!, files[2]!];
    const { values, errors } = split(await Promise.allSettled([readCheckpoint(slowSource(a.bytes, 2), opts(a)), readCheckpoint(slowSource(b.bytes, 3), opts(b))]));
    expect(outcome(values, errors, [a, b])).toEqual({ rejected: [], differing: [] });
  });

  it("a caller's view allocated while a reading is pending stays intact through the next calls", async () => {
    const rng = new Rng(7);
    const [a, b] = [files[2]!, files[0]!];
    // the first reading holds its X and Γ and waits for bytes …
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    let reads = 0;
    const first = readCheckpoint(delayedSource(a.bytes, rng, () => ++reads === 4 && started()), opts(a));
    await inFlight;
    // … while the caller allocates a view of its own and writes a pattern into it
    const view = arena().matrix(64, 64);
    fillPattern(view, 3);
    const later = [readCheckpoint(b.bytes, opts(b)), readCheckpoint(delayedSource(b.bytes, rng), opts(b))];
    const { values, errors } = split(await Promise.allSettled([first, ...later]));
    // and after they all settled, the next calls, alone and overlapping
    const next = split(await Promise.allSettled([readCheckpoint(a.bytes, opts(a))]));
    const more = split(await Promise.allSettled([readCheckpoint(b.bytes, opts(b)), readCheckpoint(delayedSource(a.bytes, rng), opts(a))]));
    expect([...errors, ...next.errors, ...more.errors]).toEqual([]);
    expect([...values, ...next.values, ...more.values].map(key)).toEqual([a, b, b, a, b, a].map((c) => alone.get(c.name)));
    expect(patternDamage(view, 3), "entries of the caller's 64 × 64 view overwritten").toBe(0);
    view.free();
    expect(arena().used).toBe(0);
  });
});
