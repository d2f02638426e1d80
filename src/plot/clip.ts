// Liang–Barsky line clipping: the part of a straight segment inside an axis-aligned rectangle, as the
// parameter interval [t0, t1] of the segment a + t·(b − a). Display only (JS Math).

export interface Rect {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/**
 * Parameters [t0, t1] ⊂ [0, 1] of the visible part of the segment (ax, ay)→(bx, by) inside `r`, or
 * null when no part of positive length is inside (a segment touching only a corner or an edge from
 * outside counts as outside). Bounds may be ±Infinity (no clipping on that side); non-finite
 * endpoints give null.
 */
export function clipSegment(ax: number, ay: number, bx: number, by: number, r: Rect): [number, number] | null {
  if (![ax, ay, bx, by].every(Number.isFinite)) return null;
  const dx = bx - ax;
  const dy = by - ay;
  if (dx === 0 && dy === 0) return null;
  let t0 = 0;
  let t1 = 1;
  // p·t ≤ q for each edge: left, right, top, bottom
  for (const [p, q] of [[-dx, ax - r.x0], [dx, r.x1 - ax], [-dy, ay - r.y0], [dy, r.y1 - ay]] as const) {
    if (p === 0) {
      if (q < 0) return null; // parallel to this edge and outside it
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t); // entering
    else t1 = Math.min(t1, t); // leaving
    if (t0 >= t1) return null;
  }
  return [t0, t1];
}
