// Column-major (Fortran order, axis 0 fastest) → row-major (C order) for a chunk: elements
// start … start+count−1 of the column-major sequence x of an array with dims[0 … ndim−1] are
// stored at their row-major places in y. Bits are copied (as u64), NaN payloads included.
// see: numpy.ascontiguousarray of an F-ordered array; odometer walk over the multi-index.
//
// work: 2·ndim i32 (multi-index, row-major strides). Requires ndim ≥ 1, every dim ≥ 1 when
// count > 0, start + count ≤ Π dims < 2^31 (checked by the TS side; a bad argument returns −k).

export function fortran_scatter_f64(x: usize, count: i32, start: i32, y: usize, dims: usize, ndim: i32, work: usize): i32 {
  if (count < 0) return -2;
  if (start < 0) return -3;
  if (ndim < 1) return -6;
  if (count == 0) return 0;
  const idx = work;
  const stride = work + (<usize>ndim << 2);
  let s: i32 = 1;
  for (let a = ndim - 1; a >= 0; a--) {
    const d = load<i32>(dims + (<usize>a << 2));
    if (d < 1) return -5;
    store<i32>(stride + (<usize>a << 2), s);
    s *= d;
  }
  let rem = start;
  let off: i32 = 0;
  for (let a: i32 = 0; a < ndim; a++) {
    const d = load<i32>(dims + (<usize>a << 2));
    const i = rem % d;
    rem /= d;
    store<i32>(idx + (<usize>a << 2), i);
    off += i * load<i32>(stride + (<usize>a << 2));
  }
  if (rem != 0) return -3; // start beyond the array
  for (let k: i32 = 0; k < count; k++) {
    store<u64>(y + (<usize>off << 3), load<u64>(x + (<usize>k << 3)));
    for (let a: i32 = 0; a < ndim; a++) {
      const pa = idx + (<usize>a << 2);
      const st = load<i32>(stride + (<usize>a << 2));
      const d = load<i32>(dims + (<usize>a << 2));
      const i = load<i32>(pa) + 1;
      if (i < d) {
        store<i32>(pa, i);
        off += st;
        break;
      }
      store<i32>(pa, 0);
      off -= st * (d - 1);
    }
  }
  return 0;
}
