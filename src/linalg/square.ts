// Shared argument checks for functions of one square matrix.
import { LinAlgError } from "../errors.js";
import type { Staged } from "./input.js";

/** Throw LinAlgError unless the staged matrix is square. */
export function requireSquare(op: string, m: Staged, what = "a"): number {
  if (m.rows !== m.cols) {
    throw new LinAlgError(op, `${what} must be square, got ${m.rows}×${m.cols}`, { shape: [m.rows, m.cols] }, "BAD_ARGUMENT");
  }
  return m.rows;
}
