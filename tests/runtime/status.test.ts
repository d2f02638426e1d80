import { describe, expect, it } from "vitest";
import { DdsError, LinAlgError, NonFiniteError, NotConvergedError } from "../../src/errors.js";
import { Status, type KernelExports } from "../../src/runtime/abi.js";
import { checkStatus } from "../../src/runtime/kernels.js";

/** Only status_info is read by the table. */
const withInfo = (info: number) => ({ status_info: () => info }) as unknown as KernelExports;

function thrown(fn: () => void): DdsError {
  try {
    fn();
  } catch (e) {
    return e as DdsError;
  }
  throw new Error("expected a throw");
}

describe("status → typed error table", () => {
  it("OK returns", () => {
    expect(() => checkStatus("op", Status.OK, withInfo(0))).not.toThrow();
  });

  it("NOT_CONVERGED → NotConvergedError with the count", () => {
    const e = thrown(() => checkStatus("eigh", Status.NOT_CONVERGED, withInfo(3))) as NotConvergedError;
    expect(e).toBeInstanceOf(NotConvergedError);
    expect(e).toBeInstanceOf(LinAlgError);
    expect([e.code, e.op, e.unconverged]).toEqual(["NOT_CONVERGED", "eigh", 3]);
    expect(e.message).toBe("eigh: 3 value(s) did not converge within the iteration cap");
  });

  it("NON_FINITE → NonFiniteError with row and column from the flat index", () => {
    const e = thrown(() => checkStatus("svd", Status.NON_FINITE, withInfo(17), { cols: 5, what: "A", value: () => Infinity })) as NonFiniteError;
    expect(e).toBeInstanceOf(NonFiniteError);
    expect([e.index, e.row, e.col, e.value]).toEqual([17, 3, 2, Infinity]);
    expect(e.message).toMatch(/^svd: A contains Infinity at row 3, column 2 \(flat index 17\)/);
  });

  it("NOT_POSITIVE_DEFINITE → LinAlgError with the minor's order", () => {
    const e = thrown(() => checkStatus("cholesky", Status.NOT_POSITIVE_DEFINITE, withInfo(4)));
    expect(e).toBeInstanceOf(LinAlgError);
    expect(e.code).toBe("NOT_POSITIVE_DEFINITE");
    expect(e.message).toMatch(/order 4/);
  });

  it("negative (invalid argument) and unknown statuses are internal errors, not silence", () => {
    const bad = thrown(() => checkStatus("gram", -3, withInfo(0)));
    expect([bad.code, bad.constructor]).toEqual(["BAD_ARGUMENT", DdsError]);
    expect(bad.message).toMatch(/rejected argument 3/);
    expect(thrown(() => checkStatus("gram", 99, withInfo(0))).message).toMatch(/unknown kernel status 99/);
  });
});
