import { InputValidationError } from '../errors';

/**
 * Defensive readers for API parameters. CloudTrail writes members with only the first letter
 * lowercased (`listenerArn`, `sSLCertificateId`); the SDK and `--cli-input-json` write them in
 * PascalCase (`ListenerArn`). Each reader accepts both, reads numbers sent as strings ("1"), and
 * treats a single object where a list was expected as a list of one.
 */

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The member `name` (given camelCase) in either CloudTrail or SDK casing. */
export function member(obj: Record<string, unknown>, name: string): unknown {
  const value = obj[name];
  return value !== undefined ? value : obj[name.charAt(0).toUpperCase() + name.slice(1)];
}

/** A list member: absent or null → [], a single object → [it]. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function fail(field: string, message: string): never {
  throw new InputValidationError(`${field}: ${message}`, { field, input: 'cloudtrail-event' });
}

/** A required non-empty string member. */
export function requiredString(obj: Record<string, unknown>, name: string, field: string): string {
  const value = member(obj, name);
  if (typeof value !== 'string' || value.length === 0) fail(`${field}.${name}`, 'required string is missing');
  return value;
}

/** An optional string member (numbers and booleans are stringified: attribute values arrive typed). */
export function optionalString(obj: Record<string, unknown>, name: string): string | undefined {
  const value = member(obj, name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** An optional integer member; a numeric string is read as a number, anything else is an error. */
export function optionalInt(obj: Record<string, unknown>, name: string, field: string): number | undefined {
  const value = member(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number.parseInt(value, 10);
  return fail(`${field}.${name}`, `expected an integer, got ${JSON.stringify(value)}`);
}

/** An optional boolean member; "true"/"false" strings are read as booleans. */
export function optionalBoolean(obj: Record<string, unknown>, name: string): boolean | undefined {
  const value = member(obj, name);
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** A list of strings (a single string is a list of one); non-strings are dropped. */
export function stringList(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** An object list member, each element checked to be an object. */
export function objectList(obj: Record<string, unknown>, name: string, field: string): Record<string, unknown>[] {
  return asArray(member(obj, name)).map((element, i) => {
    if (!isRecord(element)) fail(`${field}.${name}.${i}`, 'expected an object');
    return element;
  });
}

const KEEP_KEYS_AS_SENT = new Set(['AuthenticationRequestExtraParams']);

/**
 * A raw configuration block (redirect, fixed response, authenticate) in the SDK's PascalCase, the
 * form snapshots keep; user-defined map keys (extra auth params) are left as they are.
 */
export function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const pascal = key.charAt(0).toUpperCase() + key.slice(1);
    out[pascal] = KEEP_KEYS_AS_SENT.has(pascal) ? inner : pascalKeys(inner);
  }
  return out;
}
