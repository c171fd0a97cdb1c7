import type { TemplateResource } from './template';

/**
 * Reading values out of a template. A value is either a literal, a reference to a resource of the
 * same template (`Ref`, `Fn::GetAtt`), or unknown until deploy (a parameter, an import, a `Fn::If`,
 * a `Fn::Sub`): the static check judges literals and references and never guesses the unknown.
 */

/** A JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The name of an intrinsic function when `value` is one (`Ref`, `Fn::GetAtt`, `Condition`, ...). */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/** The logical id a `Ref` or `Fn::GetAtt` names (whether or not it is in the template). */
export function referencedId(value: unknown): string | undefined {
  const name = intrinsicName(value);
  if (name === undefined || !isObject(value)) return undefined;
  const arg = value[name];
  if (name === 'Ref') return typeof arg === 'string' ? arg : undefined;
  if (name !== 'Fn::GetAtt') return undefined;
  if (Array.isArray(arg) && typeof arg[0] === 'string') return arg[0];
  return typeof arg === 'string' ? arg.split('.')[0] : undefined;
}

/** The logical id of the resource of `type` that `value` refers to, when that resource is in the template. */
export function resourceRef(value: unknown, resources: Readonly<Record<string, TemplateResource>>, type: string): string | undefined {
  const id = referencedId(value);
  return id !== undefined && resources[id]?.Type === type ? id : undefined;
}

/** A literal string. */
export function literalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A literal whole number (CloudFormation also takes numbers as strings: `"80"`). */
export function literalInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number.parseInt(value, 10);
  return undefined;
}

/** A literal list (an intrinsic that yields a list, such as `Fn::If`, is unknown). */
export function literalList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** A short text for an unknown value, for notes: `Ref WeightParam`, `Fn::ImportValue shared-tg`. */
export function describeValue(value: unknown): string {
  const name = intrinsicName(value);
  if (name === undefined || !isObject(value)) return JSON.stringify(value) ?? 'nothing';
  const arg = value[name];
  const text = typeof arg === 'string' ? arg : Array.isArray(arg) && arg.every((a) => typeof a === 'string') ? arg.join('.') : '…';
  return `${name} ${text}`.slice(0, 80);
}

/** Literal `Key`/`Value` pairs of a `Tags` list; `known` is false when the list itself is not literal. */
export function literalTags(value: unknown): { tags: Map<string, string | undefined>; known: boolean } {
  const tags = new Map<string, string | undefined>();
  if (value === undefined) return { tags, known: true };
  const list = literalList(value);
  if (list === undefined) return { tags, known: false };
  let known = true;
  for (const tag of list) {
    const key = isObject(tag) ? literalString(tag.Key) : undefined;
    if (key === undefined) known = false;
    else tags.set(key, isObject(tag) ? literalString(tag.Value) : undefined);
  }
  return { tags, known };
}

/** `Key`/`Value` attribute pairs with literal keys and values (`LoadBalancerAttributes`, `TargetGroupAttributes`). */
export function literalAttributes(value: unknown): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const attribute of literalList(value) ?? []) {
    if (!isObject(attribute)) continue;
    const key = literalString(attribute.Key);
    const raw = attribute.Value;
    const text = typeof raw === 'boolean' || typeof raw === 'number' ? String(raw) : literalString(raw);
    if (key !== undefined && text !== undefined) attributes.set(key, text);
  }
  return attributes;
}
