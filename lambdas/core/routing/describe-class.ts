import type { BitSet } from './bit-set';
import { PLAIN_REQUEST, type HttpRequest } from './http-request';
import type { Cube, Dimension, RequestSpace } from './request-space';

/**
 * A request class in human words, from the condition values that bound it: `requests to /api/*`,
 * `GET requests to api.example.com/admin/* with header x-canary: true`, `requests to /api/* except
 * /api/v2/*`, `requests to paths other than /api/*, /static/*`, `all requests`, `other requests`.
 */

const MAX_LISTED = 3;

interface DimensionWords {
  /** The values the class is within (`/api/*`, or `/api/* except /api/v2/*`). */
  readonly within?: string;
  /** The values the class is outside (`/api/*, /static/*`). */
  readonly outside?: string;
}

/** The predicates (condition values) that are maximal among `candidates` (not inside another one). */
function maximal(dim: Dimension, candidates: number[]): number[] {
  return candidates.filter((i) => !candidates.some((j) => j !== i && dim.predicateAtoms[i].isSubsetOf(dim.predicateAtoms[j]) && !dim.predicateAtoms[j].isSubsetOf(dim.predicateAtoms[i])));
}

function listed(dim: Dimension, indexes: number[]): string {
  const names = [...new Set(indexes.map((i) => dim.predicates[i]))];
  return names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more` : names.join(', ');
}

function wordsOf(dim: Dimension, set: BitSet): DimensionWords {
  const indexes = dim.predicates.map((_, i) => i);
  const exact = indexes.find((i) => dim.predicateAtoms[i].equals(set));
  if (exact !== undefined) return { within: dim.predicates[exact] };
  const supersets = indexes.filter((i) => set.isSubsetOf(dim.predicateAtoms[i]));
  if (supersets.length > 0) {
    const narrowest = supersets.reduce((a, b) => (dim.predicateAtoms[b].count() < dim.predicateAtoms[a].count() ? b : a));
    const inner = maximal(dim, indexes.filter((i) => i !== narrowest && dim.predicateAtoms[i].isSubsetOf(dim.predicateAtoms[narrowest]) && !dim.predicateAtoms[i].intersects(set)));
    return { within: inner.length === 0 ? dim.predicates[narrowest] : `${dim.predicates[narrowest]} except ${listed(dim, inner)}` };
  }
  const outside = maximal(dim, indexes.filter((i) => !dim.predicateAtoms[i].intersects(set)));
  return outside.length > 0 ? { outside: listed(dim, outside) } : {};
}

function union(cubes: readonly Cube[], d: number): BitSet | undefined {
  let set: BitSet | undefined;
  for (const cube of cubes) {
    const s = cube[d];
    if (s === undefined) return undefined;
    set = set === undefined ? s : set.or(s);
  }
  return set;
}

/** A request in the first cube: each constrained field takes its first atom's example. */
function exampleOf(space: RequestSpace, cube: Cube): HttpRequest {
  const request: { -readonly [K in keyof HttpRequest]: HttpRequest[K] } = { ...PLAIN_REQUEST };
  const headers: Record<string, string> = {};
  let query: [string, string][] = [];
  for (const dim of space.dimensions) {
    const set = cube[dim.index];
    if (set === undefined) continue;
    const example = dim.examples[set.first()];
    if (dim.kind === 'query' && Array.isArray(example)) query = example.map(([k, v]) => [k, v]);
    else if (typeof example !== 'string') continue;
    else if (dim.kind === 'host') request.host = example;
    else if (dim.kind === 'path') request.path = example;
    else if (dim.kind === 'method') request.method = example;
    else if (dim.kind === 'source-ip') request.sourceIp = example;
    else if (dim.kind === 'header' && dim.headerName !== undefined) headers[dim.headerName] = example;
  }
  if (Object.keys(headers).length > 0) request.headers = headers;
  if (query.length > 0) request.query = query;
  return request;
}

/** The words and an example request for a class made of `cubes`. */
export function describeCubes(space: RequestSpace, cubes: readonly Cube[]): { phrase: string; example: HttpRequest } {
  const words = new Map<Dimension['kind'] | string, DimensionWords>();
  const extras: string[] = [];
  for (const dim of space.dimensions) {
    const set = union(cubes, dim.index);
    if (set === undefined || set.equals(dim.all)) continue;
    const w = wordsOf(dim, set);
    if (dim.kind === 'header') {
      if (w.within !== undefined) extras.push(`with header ${dim.headerName}: ${w.within}`);
      else if (w.outside !== undefined) extras.push(`without header ${dim.headerName}: ${w.outside}`);
    } else if (dim.kind === 'query') {
      if (w.within !== undefined) extras.push(`with query ${w.within}`);
      else if (w.outside !== undefined) extras.push(`without query ${w.outside}`);
    } else if (dim.kind === 'source-ip') {
      if (w.within !== undefined) extras.push(`from ${w.within}`);
      else if (w.outside !== undefined) extras.push(`not from ${w.outside}`);
    } else if (dim.kind === 'opaque') {
      extras.push(set.has(0) ? dim.examples[0] as string : dim.examples[1] as string);
    } else words.set(dim.kind, w);
  }
  const method = words.get('method');
  const host = words.get('host');
  const path = words.get('path');
  let phrase = method?.within !== undefined ? `${method.within} requests` : method?.outside !== undefined ? `requests other than ${method.outside}` : 'requests';
  const to = `${host?.within ?? ''}${path?.within ?? ''}`;
  if (to !== '') phrase += ` to ${to}`;
  if (host?.outside !== undefined) phrase += ` to hosts other than ${host.outside}`;
  if (path?.outside !== undefined) phrase += ` to paths other than ${path.outside}`;
  if (extras.length > 0) phrase += ` ${extras.join(', ')}`;
  if (phrase === 'requests') phrase = cubes.some((c) => c.every((s, d) => s === undefined || s.equals(space.dimensions[d].all))) ? 'all requests' : 'other requests';
  return { phrase, example: exampleOf(space, cubes[0]) };
}
