import { BitSet } from './bit-set';

/**
 * The classes of strings that a set of ALB wildcard patterns tells apart. ALB patterns have two
 * wildcards: `*` (any run of characters, also none) and `?` (exactly one character). Two strings
 * belong to the same class ("atom") when every pattern either matches both or neither; a rule can
 * therefore never route two strings of one atom differently.
 *
 * The atoms are found exactly: every pattern is a small automaton, all of them run together over the
 * characters the patterns name plus one stand-in for every other character (subset construction), and
 * each reachable combined state contributes the set of patterns that accept there. A breadth-first walk
 * also gives each atom its shortest example string, which names the class in tests and messages.
 * Realistic listeners reach a few hundred states; a cap bounds pathological ones, and a bounded result
 * says so (the caller errs towards blocking).
 */

const STAR = -1;
const ANY_ONE = -2;

/** One class of strings: the patterns that match it, and its shortest example. */
export interface StringAtom {
  /** Over pattern indexes: the patterns that match every string of this class. */
  readonly matches: BitSet;
  /** A string of the class (the shortest, then the first in breadth-first order). */
  readonly example: string;
}

/** The atoms of a pattern set. */
export interface StringAtoms {
  readonly atoms: readonly StringAtom[];
  /** True when the walk stopped at the state cap: some atoms may be missing. */
  readonly bounded: boolean;
}

/** Options of `stringAtoms`. */
export interface StringAtomOptions {
  /** Every string of the space starts with this (a path starts with `/`). @default '' */
  readonly prefix?: string;
  /** Whether the empty string (after the prefix) is a member of the space. @default true */
  readonly allowEmpty?: boolean;
  /** Combined states before the walk stops. @default 20000 */
  readonly maxStates?: number;
}

function tokens(pattern: string): number[] {
  const out: number[] = [];
  for (const ch of pattern) {
    if (ch === '*') {
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else out.push(ch === '?' ? ANY_ONE : ch.codePointAt(0) as number);
  }
  return out;
}

/** A character none of the patterns names: it stands for every such character. */
function otherCharacter(named: ReadonlySet<number>): number {
  for (const ch of 'zqxj0987654321kvwybmpfgulhtdnrsoiaec-_~') {
    const code = ch.codePointAt(0) as number;
    if (!named.has(code)) return code;
  }
  for (let code = 0x100; ; code += 1) if (!named.has(code)) return code;
}

/**
 * The atoms of `patterns` (already case-folded by the caller where ALB compares without case).
 * `matches` indexes the patterns in the order given.
 */
export function stringAtoms(patterns: readonly string[], options: StringAtomOptions = {}): StringAtoms {
  const maxStates = options.maxStates ?? 20000;
  const compiled = patterns.map(tokens);
  const offsets: number[] = [];
  let total = 0;
  for (const t of compiled) {
    offsets.push(total);
    total += t.length + 1;
  }
  const owner = new Int32Array(total);
  const position = new Int32Array(total);
  compiled.forEach((t, p) => {
    for (let i = 0; i <= t.length; i += 1) {
      owner[offsets[p] + i] = p;
      position[offsets[p] + i] = i;
    }
  });
  const tokenAt = (state: number): number | undefined => compiled[owner[state]][position[state]];
  // Each NFA state's epsilon closure (skipping `*`), computed once; a generation stamp marks members of
  // the set being built, so a step allocates only its result.
  const closures: Int32Array[] = [];
  for (let state = 0; state < total; state += 1) {
    const list = [state];
    for (let s = state; tokenAt(s) === STAR; s += 1) list.push(s + 1);
    closures.push(Int32Array.from(list));
  }
  const stamp = new Int32Array(total);
  let generation = 0;
  const collect = (seeds: Iterable<number>): number[] => {
    generation += 1;
    const out: number[] = [];
    for (const seed of seeds) {
      for (const s of closures[seed]) {
        if (stamp[s] === generation) continue;
        stamp[s] = generation;
        out.push(s);
      }
    }
    return out.sort((a, b) => a - b);
  };
  const closure = (states: Iterable<number>): number[] => collect(states);
  const step = (states: readonly number[], ch: number): number[] => {
    const next: number[] = [];
    for (const s of states) {
      const token = tokenAt(s);
      if (token === undefined) continue;
      if (token === STAR) next.push(s);
      else if (token === ANY_ONE || token === ch) next.push(s + 1);
    }
    return next.length === 0 ? next : collect(next);
  };
  const acceptsOf = (states: readonly number[]): BitSet => {
    const set = BitSet.empty(patterns.length);
    for (const s of states) if (tokenAt(s) === undefined) set.add(owner[s]);
    return set;
  };

  const named = new Set<number>();
  for (const t of compiled) for (const token of t) if (token >= 0) named.add(token);
  const alphabet = [...named, otherCharacter(named)];

  let start = closure(offsets);
  const prefix = options.prefix ?? '';
  for (const ch of prefix) start = step(start, ch.codePointAt(0) as number);

  const atoms = new Map<string, StringAtom>();
  // States reached by at least one character: the start counts as an atom only when it is reached
  // again (or when the empty string is allowed), so `*` over hosts still has its "any host" atom.
  const visited = new Set<string>();
  let frontier: { states: number[]; text: string }[] = [{ states: start, text: prefix }];
  if (options.allowEmpty ?? true) {
    const matches = acceptsOf(start);
    atoms.set(matches.key(), { matches, example: prefix });
  }
  let bounded = false;
  while (frontier.length > 0 && !bounded) {
    const next: typeof frontier = [];
    for (const { states, text } of frontier) {
      for (const ch of alphabet) {
        const to = step(states, ch);
        const key = to.join(',');
        if (visited.has(key)) continue;
        if (visited.size >= maxStates) {
          bounded = true;
          break;
        }
        visited.add(key);
        const example = text + String.fromCodePoint(ch);
        const matches = acceptsOf(to);
        if (!atoms.has(matches.key())) atoms.set(matches.key(), { matches, example });
        next.push({ states: to, text: example });
      }
      if (bounded) break;
    }
    frontier = next;
  }
  return { atoms: [...atoms.values()], bounded };
}

/** Whether `text` matches an ALB wildcard pattern (both already case-folded where ALB ignores case). */
export function wildcardMatch(pattern: string, text: string): boolean {
  const t = tokens(pattern);
  let states = new Set<number>([0]);
  const close = (set: Set<number>): Set<number> => {
    for (const s of [...set]) {
      let i = s;
      while (t[i] === STAR && !set.has(i + 1)) {
        set.add(i + 1);
        i += 1;
      }
    }
    return set;
  };
  states = close(states);
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    const next = new Set<number>();
    for (const s of states) {
      const token = t[s];
      if (token === undefined) continue;
      if (token === STAR) next.add(s);
      else if (token === ANY_ONE || token === code) next.add(s + 1);
    }
    states = close(next);
    if (states.size === 0) return false;
  }
  return states.has(t.length);
}
