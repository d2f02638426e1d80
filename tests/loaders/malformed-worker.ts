// Runs malformed cases in a worker thread (bundled from the sources by malformed.test.ts), so that
// the test can stop it if a case ever hangs, even in a synchronous loop. After every case it loads a
// valid file: the library must work normally right after any failure.

import { parentPort } from "node:worker_threads";
import { DdsError, init, inspect, load } from "../../src/entry/default.js";
import type { Case } from "./malformed-cases.js";

interface Control {
  bytes: Uint8Array;
  tensor: string;
}

export interface Outcome {
  id: string;
  ms: number;
  resolved: boolean;
  typed: boolean;
  name: string;
  code?: string;
  file?: string;
  tensor?: string;
  offset?: number;
  message: string;
  after: string;
}

let control: Control | undefined;

async function attempt(c: Case): Promise<Omit<Outcome, "id" | "ms" | "after">> {
  try {
    if (c.op === "inspect") await inspect(c.bytes, { fileName: c.file, ...c.opts });
    else await load(c.bytes, c.tensor, { fileName: c.file, ...c.opts });
    return { resolved: true, typed: false, name: "(none)", message: "resolved without an error" };
  } catch (err) {
    const e = err as DdsError;
    return {
      resolved: false,
      typed: err instanceof DdsError,
      name: String(e?.name),
      code: e?.code,
      file: e?.file,
      tensor: e?.tensor,
      offset: e?.offset,
      message: String(e?.message ?? err),
    };
  }
}

parentPort!.on("message", async (msg: { control?: Control; case?: Case; hang?: true }) => {
  if (msg.hang) for (;;); // lets the test check that its deadline stops a synchronous hang
  if (msg.control) {
    control = msg.control;
    await init();
    parentPort!.postMessage({ ready: true });
    return;
  }
  const c = msg.case!;
  const t0 = performance.now();
  const out = await attempt(c);
  const ms = performance.now() - t0;
  let after: string;
  try {
    after = Array.from((await load(control!.bytes, control!.tensor)).data).join(",");
  } catch (err) {
    after = `FAILED: ${String(err)}`;
  }
  parentPort!.postMessage({ id: c.id, ms, after, ...out } satisfies Outcome);
});
