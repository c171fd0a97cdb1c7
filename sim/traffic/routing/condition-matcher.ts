import type { ConditionNode } from '../topology';

/**
 * One request as the request mix describes it. A field left out is unknown: a condition on it does not match
 * (so a mix entry that gives no host and no path only ever reaches the default rule).
 */
export interface SimRequest {
  readonly host?: string;
  /** The URL path, without the query string. */
  readonly path?: string;
  readonly method?: string;
  /** Header values by name (names compare case-insensitively). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Query string parameters, decoded. */
  readonly query?: Readonly<Record<string, string>>;
  readonly sourceIp?: string;
}

/**
 * True when the request meets the condition, as ALB evaluates conditions
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html): any of a
 * condition's values may match; host-header, http-header values and query-string compare case-insensitively,
 * path-pattern and http-request-method case-sensitively; `*` is any run of characters and `?` exactly one in
 * host, path, header and query patterns (in query patterns `\*` and `\?` are the characters themselves); the
 * whole value must match; source-ip compares CIDR blocks. Regular-expression conditions never match here.
 */
export function matchesCondition(condition: ConditionNode, request: SimRequest): boolean {
  if (condition.regex) return false;
  const any = (value: string | undefined, caseInsensitive: boolean): boolean =>
    value !== undefined && condition.values.some((pattern) => glob(pattern, caseInsensitive).test(value));
  switch (condition.field) {
    case 'host-header':
      return any(request.host, true);
    case 'path-pattern':
      return any(request.path, false);
    case 'http-request-method':
      return request.method !== undefined && condition.values.includes(request.method);
    case 'http-header':
      return any(headerValue(request.headers, condition.header ?? ''), true);
    case 'query-string':
      return (condition.pairs ?? []).some((pair) =>
        Object.entries(request.query ?? {}).some(([k, v]) => (pair.key === undefined || glob(pair.key, true, true).test(k)) && glob(pair.value, true, true).test(v)),
      );
    case 'source-ip':
      return request.sourceIp !== undefined && condition.values.some((cidr) => inCidr(request.sourceIp ?? '', cidr));
    default:
      return false;
  }
}

const cache = new Map<string, RegExp>();

/** An anchored regular expression for an ELB wildcard pattern. */
export function glob(pattern: string, caseInsensitive: boolean, escapes = false): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${escapes ? 'e' : 'n'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charAt(i);
      if (escapes && c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '?')) source += `\\${pattern.charAt(++i)}`;
      else if (c === '*') source += '.*';
      else if (c === '?') source += '.';
      else source += c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
    }
    re = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 10_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

function headerValue(headers: SimRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === wanted)?.[1];
}

/** True when the address lies in the CIDR block (IPv4 in IPv4 blocks, IPv6 in IPv6 blocks). */
export function inCidr(address: string, cidr: string): boolean {
  const [base = '', bitsText] = cidr.split('/');
  const a = parseIp(address);
  const b = parseIp(base);
  if (!a || !b || a.width !== b.width) return false;
  const bits = bitsText === undefined ? a.width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.width) return false;
  const shift = BigInt(a.width - bits);
  return a.value >> shift === b.value >> shift;
}

function parseIp(text: string): { value: bigint; width: 32 | 128 } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { value: parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n), width: 32 };
  }
  if (!text.includes(':')) return undefined;
  const [head = '', tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return { value: groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n), width: 128 };
}
