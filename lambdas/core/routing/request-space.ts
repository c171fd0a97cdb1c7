import type { RuleCondition } from '../model/snapshot';
import { BitSet } from './bit-set';
import type { HttpRequest } from './http-request';
import { cidrContains, ipAtoms } from './ip-atoms';
import { stringAtoms, wildcardMatch } from './string-atoms';

/**
 * The request space of one load balancer: every field its listener rules test (before and after a
 * change), cut into the classes ("atoms") the rules' condition values tell apart, per field.
 * A request class is then a product of atom sets, one per field (a `Cube`), and a rule's conditions are
 * one such product (a union of them when a condition mixes wildcard and regex values).
 *
 * How ALB compares (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html):
 * host names, HTTP header values and query-string keys and values without case; paths and methods with
 * case; `*` and `?` wildcards; source addresses by CIDR; values of one condition are alternatives
 * (OR), conditions of one rule must all match (AND). Regex values are modelled as independent yes/no
 * fields (flagged as an approximation): their overlap with wildcard values is not computed.
 */

/** What kind of request field a dimension is. */
export type DimensionKind = 'host' | 'path' | 'method' | 'source-ip' | 'header' | 'query' | 'opaque';

/** An example value of one atom: text, query parameters, or absent (a header the request does not send). */
export type AtomExample = string | readonly (readonly [string, string])[] | null;

/** One request field and its atoms. */
export interface Dimension {
  readonly index: number;
  readonly kind: DimensionKind;
  /** `host`, `path`, `header x-canary`, `query`, `regex path ^/a`. */
  readonly name: string;
  /** For `header`: the lower-case header name. */
  readonly headerName?: string;
  /** The condition values of this field, as written (case-folded where ALB ignores case). */
  readonly predicates: readonly string[];
  /** Per predicate: the atoms it matches. */
  readonly predicateAtoms: readonly BitSet[];
  /** Per atom: an example value. */
  readonly examples: readonly AtomExample[];
  readonly all: BitSet;
}

/** A set of requests: per dimension the atoms allowed (`undefined`: any). */
export type Cube = readonly (BitSet | undefined)[];

/** Why the classes may be incomplete or approximate; empty when they are exact. */
export interface SpaceLimits {
  readonly bounded: boolean;
  readonly approximations: readonly string[];
}

interface QueryPair {
  readonly key?: string;
  readonly value: string;
}

const MAX_QUERY_ATOMS = 2000;

function pairKey(pair: QueryPair): string {
  return pair.key === undefined ? `=${pair.value}` : `${pair.key}=${pair.value}`;
}

/** Collects the predicates of each field before the atoms are computed. */
class Collector {
  public readonly host = new Set<string>();
  public readonly path = new Set<string>();
  public readonly method = new Set<string>();
  public readonly sourceIp = new Set<string>();
  public readonly headers = new Map<string, Set<string>>();
  public readonly query = new Map<string, QueryPair>();
  public readonly opaque = new Map<string, { field: string; value: string; headerName?: string }>();

  public add(condition: RuleCondition): void {
    for (const regex of condition.regexValues ?? []) {
      const header = condition.httpHeaderName?.toLowerCase();
      const name = `regex ${condition.field}${header === undefined ? '' : ` ${header}`} ${regex}`;
      this.opaque.set(name, { field: condition.field, value: regex, headerName: header });
    }
    switch (condition.field) {
      case 'host-header':
        condition.values.forEach((v) => this.host.add(v.toLowerCase()));
        break;
      case 'path-pattern':
        condition.values.forEach((v) => this.path.add(v));
        break;
      case 'http-request-method':
        condition.values.forEach((v) => this.method.add(v));
        break;
      case 'source-ip':
        condition.values.forEach((v) => this.sourceIp.add(v.trim()));
        break;
      case 'http-header': {
        const name = (condition.httpHeaderName ?? '').toLowerCase();
        const set = this.headers.get(name) ?? new Set<string>();
        condition.values.forEach((v) => set.add(v.toLowerCase()));
        this.headers.set(name, set);
        break;
      }
      case 'query-string':
        for (const q of condition.queryStrings ?? []) {
          const pair = { key: q.key?.toLowerCase(), value: q.value.toLowerCase() };
          this.query.set(pairKey(pair), pair);
        }
        break;
      default:
        this.opaque.set(`unknown ${condition.field} ${condition.values.join(',')}`, { field: condition.field, value: condition.values.join(',') });
    }
  }
}

function vectorIndex(atoms: readonly { matches: BitSet }[]): Map<string, number> {
  return new Map(atoms.map((a, i) => [a.matches.key(), i]));
}

function predicateAtomsOf(predicateCount: number, atoms: readonly { matches: BitSet }[]): BitSet[] {
  return Array.from({ length: predicateCount }, (_, p) => BitSet.of(atoms.length, atoms.flatMap((a, i) => (a.matches.has(p) ? [i] : []))));
}

/** Everything one dimension needs at run time: its public shape plus how to place a concrete value. */
interface BuiltDimension extends Dimension {
  /** The atom of a concrete value (undefined when no atom has its match vector: the atoms missed it). */
  locate(request: HttpRequest): number | undefined;
}

function textDimension(
  kind: DimensionKind,
  name: string,
  predicates: string[],
  options: { prefix?: string; allowEmpty?: boolean; fold: boolean; absent?: boolean; read: (r: HttpRequest) => string | undefined; headerName?: string },
  limits: { bounded: boolean },
  index: number,
): BuiltDimension {
  const found = stringAtoms(predicates, { prefix: options.prefix, allowEmpty: options.allowEmpty });
  if (found.bounded) limits.bounded = true;
  const atoms: { matches: BitSet; example: AtomExample }[] = found.atoms.map((a) => ({ matches: a.matches, example: a.example }));
  // A header the request does not send matches no value: the same class as a value that matches none.
  if (options.absent === true && !atoms.some((a) => a.matches.isEmpty())) atoms.push({ matches: BitSet.empty(predicates.length), example: null });
  const byVector = vectorIndex(atoms);
  return {
    index,
    kind,
    name,
    headerName: options.headerName,
    predicates,
    predicateAtoms: predicateAtomsOf(predicates.length, atoms),
    examples: atoms.map((a) => a.example),
    all: BitSet.full(atoms.length),
    locate(request) {
      const raw = options.read(request);
      const value = raw === undefined ? undefined : options.fold ? raw.toLowerCase() : raw;
      const vector = BitSet.of(predicates.length, value === undefined ? [] : predicates.flatMap((p, i) => (wildcardMatch(p, value) ? [i] : [])));
      return byVector.get(vector.key());
    },
  };
}

function ipDimension(predicates: string[], index: number): BuiltDimension {
  const atoms = ipAtoms(predicates);
  const byVector = vectorIndex(atoms);
  return {
    index,
    kind: 'source-ip',
    name: 'source-ip',
    predicates,
    predicateAtoms: predicateAtomsOf(predicates.length, atoms),
    examples: atoms.map((a) => a.example),
    all: BitSet.full(atoms.length),
    locate(request) {
      const vector = BitSet.of(predicates.length, predicates.flatMap((p, i) => (cidrContains(p, request.sourceIp) ? [i] : [])));
      return byVector.get(vector.key());
    },
  };
}

/**
 * Query strings: a condition lists key/value pairs and matches when any parameter of the request
 * matches any pair. One parameter matches a set of pairs (its key atom × its value atom); a request
 * with several parameters matches the union of theirs. Requests of up to two parameters are enumerated:
 * with first-match routing, a request's route before and after a change is each the route of one of
 * its parameters alone, so pairs of parameters cover every (before, after) combination.
 */
function queryDimension(pairs: QueryPair[], limits: { bounded: boolean }, index: number): BuiltDimension {
  const keys = [...new Set(pairs.flatMap((p) => (p.key === undefined ? [] : [p.key])))];
  const values = [...new Set(pairs.map((p) => p.value))];
  const keyAtoms = stringAtoms(keys);
  const valueAtoms = stringAtoms(values);
  if (keyAtoms.bounded || valueAtoms.bounded) limits.bounded = true;
  const vectorOf = (key: string, value: string): BitSet =>
    BitSet.of(pairs.length, pairs.flatMap((p, i) => ((p.key === undefined || wildcardMatch(p.key, key)) && wildcardMatch(p.value, value) ? [i] : [])));
  const singles = new Map<string, { matches: BitSet; example: readonly (readonly [string, string])[] }>();
  for (const k of keyAtoms.atoms) {
    for (const v of valueAtoms.atoms) {
      const matches = vectorOf(k.example, v.example);
      if (!singles.has(matches.key())) singles.set(matches.key(), { matches, example: [[k.example, v.example]] });
    }
  }
  const atoms = new Map<string, { matches: BitSet; example: AtomExample }>();
  atoms.set(BitSet.empty(pairs.length).key(), { matches: BitSet.empty(pairs.length), example: [] });
  for (const s of singles.values()) if (!atoms.has(s.matches.key())) atoms.set(s.matches.key(), s);
  const list = [...singles.values()];
  for (let i = 0; i < list.length && atoms.size < MAX_QUERY_ATOMS; i += 1) {
    for (let j = i + 1; j < list.length; j += 1) {
      const matches = list[i].matches.or(list[j].matches);
      if (!atoms.has(matches.key())) atoms.set(matches.key(), { matches, example: [...list[i].example, ...list[j].example] });
      if (atoms.size >= MAX_QUERY_ATOMS) {
        limits.bounded = true;
        break;
      }
    }
  }
  const all = [...atoms.values()];
  const byVector = vectorIndex(all);
  return {
    index,
    kind: 'query',
    name: 'query',
    predicates: pairs.map(pairKey),
    predicateAtoms: predicateAtomsOf(pairs.length, all),
    examples: all.map((a) => a.example),
    all: BitSet.full(all.length),
    locate(request) {
      let vector = BitSet.empty(pairs.length);
      for (const [k, v] of request.query ?? []) vector = vector.or(vectorOf(k.toLowerCase(), v.toLowerCase()));
      return byVector.get(vector.key());
    },
  };
}

/** A yes/no field for a value we do not compute overlaps for (a regex, an unknown condition field). */
function opaqueDimension(name: string, test: ((r: HttpRequest) => boolean) | undefined, index: number): BuiltDimension {
  return {
    index,
    kind: 'opaque',
    name,
    predicates: [name],
    predicateAtoms: [BitSet.of(2, [0])],
    examples: [`(matching ${name})`, `(not matching ${name})`],
    all: BitSet.full(2),
    locate: (request) => (test === undefined ? undefined : test(request) ? 0 : 1),
  };
}

function regexTest(field: string, regex: string, headerName?: string): ((r: HttpRequest) => boolean) | undefined {
  let compiled: RegExp;
  try {
    compiled = new RegExp(regex, field === 'path-pattern' ? '' : 'i');
  } catch {
    return undefined;
  }
  if (field === 'host-header') return (r) => compiled.test(r.host);
  if (field === 'path-pattern') return (r) => compiled.test(r.path);
  if (field === 'http-header' && headerName !== undefined) return (r) => r.headers?.[headerName] !== undefined && compiled.test(r.headers[headerName]);
  return undefined;
}

/** The request space of a load balancer; see the module comment. */
export class RequestSpace {
  public readonly dimensions: readonly Dimension[];
  public readonly limits: SpaceLimits;
  private readonly built: readonly BuiltDimension[];
  private readonly byName: ReadonlyMap<string, BuiltDimension>;

  private constructor(built: BuiltDimension[], limits: SpaceLimits) {
    this.built = built;
    this.dimensions = built;
    this.limits = limits;
    this.byName = new Map(built.map((d) => [d.name, d]));
  }

  /** The space of every condition given (all rules of every listener, before and after). */
  public static of(conditions: Iterable<RuleCondition>): RequestSpace {
    const c = new Collector();
    for (const condition of conditions) c.add(condition);
    const limits = { bounded: false };
    const dims: BuiltDimension[] = [];
    const next = () => dims.length;
    if (c.host.size > 0) dims.push(textDimension('host', 'host', [...c.host], { fold: true, allowEmpty: false, read: (r) => r.host }, limits, next()));
    if (c.path.size > 0) dims.push(textDimension('path', 'path', [...c.path], { fold: false, prefix: '/', read: (r) => r.path }, limits, next()));
    if (c.method.size > 0) dims.push(textDimension('method', 'method', [...c.method], { fold: false, allowEmpty: false, read: (r) => r.method }, limits, next()));
    if (c.sourceIp.size > 0) dims.push(ipDimension([...c.sourceIp], next()));
    for (const [name, values] of [...c.headers].sort(([a], [b]) => (a < b ? -1 : 1))) {
      dims.push(textDimension('header', `header ${name}`, [...values], { fold: true, absent: true, headerName: name, read: (r) => r.headers?.[name] }, limits, next()));
    }
    if (c.query.size > 0) dims.push(queryDimension([...c.query.values()], limits, next()));
    const approximations: string[] = [];
    for (const [name, o] of c.opaque) {
      dims.push(opaqueDimension(name, o.field === 'host-header' || o.field === 'path-pattern' || o.field === 'http-header' ? regexTest(o.field, o.value, o.headerName) : undefined, next()));
      approximations.push(name.startsWith('regex')
        ? `${name}: regex values are judged as independent of the other values of their field`
        : `${name}: an unknown condition field is judged as an independent yes/no`);
    }
    return new RequestSpace(dims, { bounded: limits.bounded, approximations });
  }

  /** The cube of every request. */
  public full(): Cube {
    return this.built.map(() => undefined);
  }

  /**
   * The cubes a rule's conditions match (usually one): AND across conditions, OR across a condition's
   * values; a condition with both wildcard and regex values adds one cube per alternative.
   */
  public matchCubes(conditions: readonly RuleCondition[]): Cube[] {
    let cubes: (BitSet | undefined)[][] = [this.built.map(() => undefined)];
    for (const condition of conditions) {
      const alternatives = this.alternatives(condition);
      const next: (BitSet | undefined)[][] = [];
      for (const cube of cubes) {
        for (const [dim, set] of alternatives) {
          const have = cube[dim];
          const narrowed = have === undefined ? set : have.and(set);
          if (narrowed.isEmpty()) continue;
          const copy = [...cube];
          copy[dim] = narrowed;
          next.push(copy);
        }
      }
      cubes = next;
    }
    return cubes;
  }

  /** The atom of each dimension a concrete request falls in; undefined if one of its values fits no atom. */
  public locate(request: HttpRequest): Cube | undefined {
    const cube: BitSet[] = [];
    for (const dim of this.built) {
      const atom = dim.locate(request);
      if (atom === undefined) return undefined;
      cube.push(BitSet.of(dim.all.size, [atom]));
    }
    return cube;
  }

  /** Per condition: the (dimension, atoms) alternatives whose union it matches. */
  private alternatives(condition: RuleCondition): [number, BitSet][] {
    const out: [number, BitSet][] = [];
    const header = condition.httpHeaderName?.toLowerCase();
    for (const regex of condition.regexValues ?? []) {
      const dim = this.byName.get(`regex ${condition.field}${header === undefined ? '' : ` ${header}`} ${regex}`);
      if (dim !== undefined) out.push([dim.index, BitSet.of(2, [0])]);
    }
    const union = (dim: BuiltDimension | undefined, predicates: readonly string[]) => {
      if (dim === undefined || predicates.length === 0) return;
      let set = BitSet.empty(dim.all.size);
      for (const p of predicates) {
        const i = dim.predicates.indexOf(p);
        if (i >= 0) set = set.or(dim.predicateAtoms[i]);
      }
      out.push([dim.index, set]);
    };
    switch (condition.field) {
      case 'host-header':
        union(this.byName.get('host'), condition.values.map((v) => v.toLowerCase()));
        break;
      case 'path-pattern':
        union(this.byName.get('path'), condition.values);
        break;
      case 'http-request-method':
        union(this.byName.get('method'), condition.values);
        break;
      case 'source-ip':
        union(this.byName.get('source-ip'), condition.values.map((v) => v.trim()));
        break;
      case 'http-header':
        union(this.byName.get(`header ${header ?? ''}`), condition.values.map((v) => v.toLowerCase()));
        break;
      case 'query-string':
        union(this.byName.get('query'), (condition.queryStrings ?? []).map((q) => pairKey({ key: q.key?.toLowerCase(), value: q.value.toLowerCase() })));
        break;
      default: {
        const dim = this.byName.get(`unknown ${condition.field} ${condition.values.join(',')}`);
        if (dim !== undefined) out.push([dim.index, BitSet.of(2, [0])]);
      }
    }
    // A condition with no value we can read matches nothing: an empty alternative list.
    return out;
  }
}
