// Overlapping readings must overlap their I/O, not queue behind each other (issue 12, item 4): on a
// source whose every read takes one 20 ms "round", 8 concurrent readCheckpoint calls must need at
// most twice the rounds of one call. Time is virtual (a round ends when every call is waiting for
// bytes, and then every pending read is answered at once), so the test counts rounds and reads in
// flight instead of wall-clock time: it does not depend on the machine's speed or load. The
// wall-clock ratio is measured by `npm run bench` (section "concurrency").

import { beforeAll, describe, expect, it } from "vitest";
import { init, readCheckpoint, type ByteSource } from "../../src/entry/default.js";
import { bitsKey, checkpoints, split } from "./helpers.js";

/** A clock whose reads all take one round: pending reads are answered together once nothing else can run. */
class Rounds {
  rounds = 0;
  maxInFlight = 0;
  private pending: (() => void)[] = [];

  source(bytes: Uint8Array): ByteSource {
    return {
      size: bytes.length,
      read: (offset, length) => new Promise<Uint8Array>((resolve) => this.pending.push(() => resolve(bytes.slice(offset, offset + length)))),
    };
  }

  /** Run until `work` settles, answering the pending reads round by round. */
  async drive<T>(work: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    let done = false;
    const all = Promise.allSettled(work).finally(() => (done = true));
    for (;;) {
      await new Promise((r) => setImmediate(r)); // every call has run as far as it can
      if (done) return all;
      if (this.pending.length === 0) throw new Error("calls neither finished nor wait for bytes");
      const batch = this.pending;
      this.pending = [];
      this.rounds++;
      this.maxInFlight = Math.max(this.maxInFlight, batch.length);
      for (const answer of batch) answer();
    }
  }
}

const [file] = checkpoints().slice(2); // 900 × 20 F64: header, then X and Γ in one chunk each
const opts = { x: "X", gamma: "G", tFromMetadata: "t", checkpoint: "c", layer: "h1" };

beforeAll(async () => {
  await init();
});

describe("concurrent readings overlap their reads", () => {
  it("8 readCheckpoint calls on a source of 20 ms reads take at most 2× the rounds of one", async () => {
    const one = new Rounds();
    const [alone] = await one.drive([readCheckpoint(one.source(file!.bytes), opts)]);
    expect(alone!.status).toBe("fulfilled");
    const ref = bitsKey((alone as PromiseFulfilledResult<Awaited<ReturnType<typeof readCheckpoint>>>).value.row);

    const eight = new Rounds();
    const { values, errors } = split(await eight.drive(Array.from({ length: 8 }, () => readCheckpoint(eight.source(file!.bytes), opts))));
    expect(errors).toEqual([]);
    expect(values.map((v) => bitsKey(v!.row))).toEqual(Array(8).fill(ref));
    expect(one.rounds).toBeGreaterThanOrEqual(3); // header, X, Γ: the check below has something to compare
    expect(eight.maxInFlight, "reads in flight at once").toBeGreaterThanOrEqual(8);
    expect(eight.rounds, `rounds: 8 calls ${eight.rounds}, one call ${one.rounds}`).toBeLessThanOrEqual(2 * one.rounds);
  });
});
