/** A nested request or response value after normalisation: strings at the leaves (Query is untyped). */
export type Normalized = string | Normalized[] | { [key: string]: Normalized };

import { AwsError } from './aws-error';

type Tree = { [key: string]: Tree | string };

const INDEX = /^\d+$/;
/** No AWS Query API nests deeper than this; deeper keys are garbage (and would exhaust recursion later). */
const MAX_KEY_DEPTH = 32;

/**
 * Turns flat Query parameters (`DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight=0`)
 * into the nested shape the JSON protocols carry (`{DefaultActions: [{ForwardConfig: {TargetGroups: [..]}}]}`),
 * so every feature reads one shape whatever protocol the caller spoke. Lists come as `X.member.N`
 * (awsQuery), `X.N` (EC2, SQS-query flattened) or `X.entry.N.key/value` maps (SNS).
 */
export function decodeQueryParams(entries: Iterable<[string, string]>): Record<string, Normalized> {
  const root: Tree = Object.create(null) as Tree;
  for (const [key, value] of entries) {
    const parts = key.split('.');
    if (parts.length > MAX_KEY_DEPTH) {
      throw new AwsError('MalformedQueryString', `Parameter ${key.slice(0, 64)}… nests deeper than ${MAX_KEY_DEPTH} levels.`, 400);
    }
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        if (typeof node[part] !== 'object') node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'object') node = next;
      else node = node[part] = Object.create(null) as Tree;
    });
  }
  const result = normalizeTree(root);
  return typeof result === 'object' && !Array.isArray(result) ? result : {};
}

/** Normalises a parsed tree: `member`/`item` wrappers and numeric keys become arrays, `entry` lists become maps. */
export function normalizeTree(node: unknown): Normalized {
  if (node === null || node === undefined) return '';
  if (typeof node !== 'object') return String(node);
  if (Array.isArray(node)) return node.map(normalizeTree);
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && (keys[0] === 'member' || keys[0] === 'item')) return asList(obj[keys[0]]);
  if (keys.length === 1 && keys[0] === 'entry') return asMap(obj.entry);
  if (keys.length > 0 && keys.every((k) => INDEX.test(k))) return asList(obj);
  return Object.fromEntries(keys.map((k) => [k, normalizeTree(obj[k])]));
}

function asList(value: unknown): Normalized[] {
  if (Array.isArray(value)) return value.map(normalizeTree);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length > 0 && keys.every((k) => INDEX.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => normalizeTree(obj[k]));
    }
    return [normalizeTree(value)];
  }
  return value === '' || value === undefined ? [] : [normalizeTree(value)];
}

function asMap(value: unknown): { [key: string]: Normalized } {
  const out: { [key: string]: Normalized } = {};
  for (const entry of asList(value)) {
    if (typeof entry !== 'object' || Array.isArray(entry)) continue;
    const key = entry.key ?? entry.Name ?? entry.Key;
    if (typeof key === 'string') out[key] = entry.value ?? entry.Value ?? '';
  }
  return out;
}
