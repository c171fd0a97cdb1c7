import * as z from 'zod';
import { InputValidationError } from '../../errors';
import { formatField } from './terraform-json';

/**
 * A plan's `configuration`: the unevaluated expressions of each resource block. A value unknown until
 * apply (the ARN of a target group created by the same plan) is still named by its expression's
 * `references` (`["aws_lb_target_group.green.arn", "aws_lb_target_group.green"]`), which tells which
 * resource it will be without guessing its value. References are module-relative; nested blocks are
 * arrays of block expressions, and blocks made by `dynamic` are absent (the format says so), so a
 * block list whose length differs from the planned value's is not used by position.
 * (https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation)
 */

/** An expression: a constant, or the references it makes. */
export const TfExpressionSchema = z.looseObject({ constant_value: z.unknown().optional(), references: z.array(z.string()).optional() });
/** An expression representation. */
export type TfExpression = z.infer<typeof TfExpressionSchema>;

const ConfigResourceSchema = z.looseObject({
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  expressions: z.record(z.string(), z.unknown()).optional(),
});

interface ConfigModule {
  readonly resources?: readonly z.infer<typeof ConfigResourceSchema>[];
  readonly module_calls?: Readonly<Record<string, { readonly module?: ConfigModule }>>;
}

const ConfigModuleSchema: z.ZodType<ConfigModule> = z.looseObject({
  resources: z.array(ConfigResourceSchema).optional(),
  get module_calls() {
    return z.record(z.string(), z.looseObject({ module: ConfigModuleSchema.optional() })).optional();
  },
});

const ConfigurationSchema = z.looseObject({ root_module: ConfigModuleSchema.optional() });

/** The parts of an instance that locate its configuration block and its references. */
export interface ConfigSubject {
  readonly type: string;
  readonly name: string;
  readonly module: string;
  readonly index?: number | string;
}

/** A candidate a reference may resolve to. */
export interface ReferenceCandidate extends ConfigSubject {
  readonly address: string;
}

const INSTANCE_KEY = /\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g;
const RESOURCE_REF = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?(?:\.|$)/;

/** `module.a["x"].module.b[0]` → `["a", "b"]`: the module calls, without instance keys. */
function modulePath(module: string): string[] {
  if (module === '') return [];
  return module
    .replace(INSTANCE_KEY, '')
    .split('.')
    .filter((_part, i) => i % 2 === 1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The configuration of a plan, indexed for reference lookups. */
export class ConfigIndex {
  private readonly root?: ConfigModule;

  public constructor(configuration: unknown, source: string) {
    if (configuration === undefined || configuration === null) return;
    const parsed = ConfigurationSchema.safeParse(configuration);
    if (!parsed.success) {
      const field = formatField('configuration', parsed.error.issues[0].path);
      throw new InputValidationError(`${source}: ${field}: ${parsed.error.issues[0].message}`, { field, input: 'terraform' });
    }
    this.root = parsed.data.root_module;
  }

  /** The value at `path` of the block expressions of `subject` (an expression, a block list, a block). */
  public at(subject: ConfigSubject, path: readonly (string | number)[]): unknown {
    let module = this.root;
    for (const call of modulePath(subject.module)) module = module?.module_calls?.[call]?.module;
    const block = module?.resources?.find((r) => r.mode === 'managed' && r.type === subject.type && r.name === subject.name);
    let current: unknown = block?.expressions;
    for (const key of path) {
      if (typeof key === 'number' ? !Array.isArray(current) : !isRecord(current)) return undefined;
      current = (current as Record<string | number, unknown>)[key];
    }
    return current;
  }

  /** The expression at `path`, when it is one. */
  public expression(subject: ConfigSubject, path: readonly (string | number)[]): TfExpression | undefined {
    const parsed = TfExpressionSchema.safeParse(this.at(subject, path));
    return parsed.success ? parsed.data : undefined;
  }

  /** The block list at `path` (each a block-expressions object), when it is one. */
  public blocks(subject: ConfigSubject, path: readonly (string | number)[]): Record<string, unknown>[] | undefined {
    const value = this.at(subject, path);
    return Array.isArray(value) && value.every(isRecord) ? value : undefined;
  }
}

/**
 * The one resource instance an expression refers to, among `candidates` (same side): the references
 * must name exactly one resource of the candidates' types; an index written in the reference picks
 * the instance, a resource with one instance is that one, and `count.index` / `each.key` pick the
 * instance with the referring instance's own key. Anything else (a module output, a variable, two
 * resources, a computed key) is not resolved: unknown stays unknown.
 */
export function referencedInstance(expression: TfExpression | undefined, from: ConfigSubject, candidates: readonly ReferenceCandidate[]): string | undefined {
  const types = new Set(candidates.map((c) => c.type));
  const named = new Map<string, { type: string; name: string; index?: string }>();
  for (const reference of expression?.references ?? []) {
    const match = RESOURCE_REF.exec(reference);
    if (match === null || !types.has(match[1])) continue;
    const key = `${match[1]}.${match[2]}`;
    const known = named.get(key);
    named.set(key, { type: match[1], name: match[2], ...((match[3] ?? known?.index) !== undefined && { index: match[3] ?? known?.index }) });
  }
  if (named.size !== 1) return undefined;
  const [target] = named.values();
  const instances = candidates.filter((c) => c.type === target.type && c.name === target.name && c.module === from.module);
  if (target.index !== undefined) {
    const wanted = target.index.startsWith('"') ? (JSON.parse(target.index) as string) : Number(target.index);
    return instances.find((c) => c.index === wanted)?.address;
  }
  if (instances.length === 1 && instances[0].index === undefined) return instances[0].address;
  const byKey = (expression?.references ?? []).some((r) => r === 'count.index' || r === 'each.key');
  return byKey && from.index !== undefined ? instances.find((c) => c.index === from.index)?.address : undefined;
}
