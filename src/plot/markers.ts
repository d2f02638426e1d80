// Point markers: one shape per series so coincident series stay distinguishable (circle, square,
// triangle, diamond, …). Every marker carries data-shape, and non-circles carry data-cx / data-cy /
// data-r (centre and extent), so tests can find the centre and size of any marker.

export const SHAPES = ["circle", "square", "triangle", "diamond", "triangle-down", "pentagon", "hexagon", "star"] as const;
export type Shape = (typeof SHAPES)[number];

/** Shape of series k (cycles after eight). */
export function shapeOf(k: number): Shape {
  return SHAPES[k % SHAPES.length]!;
}

// Regular polygons [vertices, circumradius / r, rotation in degrees]: sizes chosen so that every
// shape looks about as heavy as a circle of radius r.
const POLY: Record<Exclude<Shape, "circle" | "star">, readonly [number, number, number]> = {
  square: [4, 1.25, 45],
  triangle: [3, 1.45, -90],
  diamond: [4, 1.3, -90],
  "triangle-down": [3, 1.45, 90],
  pentagon: [5, 1.18, -90],
  hexagon: [6, 1.12, 0],
};

function vertices(n: number, cx: number, cy: number, radii: readonly number[], rot: number): string {
  const pts: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = ((rot + (360 * i) / n) * Math.PI) / 180;
    const r = radii[i % radii.length]!;
    pts.push(`${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}`);
  }
  return `M${pts.join("L")}Z`;
}

/** How far the shape reaches from its centre, for a nominal radius r. */
export function extent(shape: Shape, r: number): number {
  return shape === "circle" ? r : shape === "star" ? 1.5 * r : POLY[shape][1] * r;
}

/** One marker element of the given shape centred at (cx, cy), nominal radius r; `attrs` carries class, data-*, fill and stroke. */
export function marker(shape: Shape, cx: number, cy: number, r: number, attrs: string): string {
  if (shape === "circle") return `<circle ${attrs} data-shape="circle" cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="${r.toFixed(2)}"/>`;
  const d = shape === "star" ? vertices(10, cx, cy, [1.5 * r, 0.65 * r], -90) : vertices(POLY[shape][0], cx, cy, [POLY[shape][1] * r], POLY[shape][2]);
  return `<path ${attrs} data-shape="${shape}" data-cx="${cx.toFixed(2)}" data-cy="${cy.toFixed(2)}" data-r="${extent(shape, r).toFixed(2)}" d="${d}"/>`;
}
