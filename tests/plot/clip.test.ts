// Liang–Barsky clipping: the visible parameter interval of a segment against a rectangle.
import { describe, expect, it } from "vitest";
import { clipSegment } from "../../src/plot/clip.js";

const box = { x0: 0, x1: 10, y0: 0, y1: 5 };

describe("clipSegment", () => {
  it("keeps a segment that lies inside whole", () => {
    expect(clipSegment(1, 1, 9, 4, box)).toEqual([0, 1]);
  });
  it("cuts a segment that crosses two edges where it crosses them", () => {
    // y = x − 2 from (−2, −4) to (12, 10): enters through y = 0 at x = 2, leaves through y = 5 at x = 7
    const t = clipSegment(-2, -4, 12, 10, box)!;
    expect(t[0]).toBeCloseTo(4 / 14, 14);
    expect(t[1]).toBeCloseTo(9 / 14, 14);
  });
  it("cuts at a vertical edge and handles a reversed direction", () => {
    const t = clipSegment(15, 2, 5, 2, box)!; // leftward, horizontal, enters at x = 10
    expect(t).toEqual([0.5, 1]);
  });
  it("returns null for segments outside, touching a corner, or of zero length", () => {
    expect(clipSegment(-5, 6, 20, 6, box)).toBeNull(); // above, parallel
    expect(clipSegment(11, -1, 20, 3, box)).toBeNull(); // right of the box
    expect(clipSegment(-1, 1, 1, -1, box)).toBeNull(); // touches the corner (0, 0) only
    expect(clipSegment(2, 2, 2, 2, box)).toBeNull();
    expect(clipSegment(NaN, 1, 2, 2, box)).toBeNull();
  });
  it("treats infinite bounds as no clipping on that side", () => {
    expect(clipSegment(-100, 1, 5, 1, { ...box, x0: -Infinity })).toEqual([0, 1]);
    expect(clipSegment(-100, 1, 5, 1, { ...box, x1: -Infinity })).toBeNull();
  });
});
