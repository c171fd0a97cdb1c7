import type { BitSet } from './bit-set';
import type { Cube } from './request-space';

/**
 * Set operations on cubes (products of per-dimension atom sets). A cube with an empty dimension is
 * empty; `undefined` in a dimension means "any atom".
 */

/** The requests in both cubes, or undefined when none are. */
export function intersect(a: Cube, b: Cube): Cube | undefined {
  const out: (BitSet | undefined)[] = new Array(a.length);
  for (let d = 0; d < a.length; d += 1) {
    const x = a[d];
    const y = b[d];
    if (x === undefined) out[d] = y;
    else if (y === undefined) out[d] = x;
    else {
      if (!x.intersects(y)) return undefined;
      out[d] = x.and(y);
    }
  }
  return out;
}

/**
 * The requests of `a` that are not in `b`, as disjoint cubes (at most one per dimension `b` constrains):
 * peel off, one dimension at a time, the part of `a` outside `b` in that dimension.
 */
export function subtract(a: Cube, b: Cube, all: readonly BitSet[]): Cube[] {
  if (intersect(a, b) === undefined) return [a];
  const pieces: Cube[] = [];
  const rest: (BitSet | undefined)[] = [...a];
  for (let d = 0; d < b.length; d += 1) {
    const y = b[d];
    if (y === undefined) continue;
    const x = rest[d] ?? all[d];
    const outside = x.andNot(y);
    if (!outside.isEmpty()) {
      const piece = [...rest];
      piece[d] = outside;
      pieces.push(piece);
    }
    rest[d] = x.and(y);
  }
  return pieces;
}

/** Whether a cube holds a concrete request's cube (one atom per dimension). */
export function contains(cube: Cube, point: Cube): boolean {
  for (let d = 0; d < cube.length; d += 1) {
    const x = cube[d];
    const p = point[d];
    if (x !== undefined && p !== undefined && !p.isSubsetOf(x)) return false;
  }
  return true;
}
