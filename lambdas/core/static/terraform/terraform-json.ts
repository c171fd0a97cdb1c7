import * as z from 'zod';
import { InputValidationError } from '../../errors';

/**
 * The output of `terraform show -json`, as HashiCorp documents it
 * (https://developer.hashicorp.com/terraform/internals/json-format): a plan (`prior_state`,
 * `configuration`, `planned_values`, `resource_changes`) or a state (`values`). Only what the check
 * reads is described; every object is loose, as the format asks ("ignore any object properties with
 * unrecognized names"), and a major `format_version` other than 1 is refused, as it also asks.
 */

/**
 * One resource instance of a values representation.
 *
 * @example
 * { "address": "module.web.aws_lb_listener.http", "mode": "managed", "type": "aws_lb_listener", "name": "http",
 *   "provider_name": "registry.terraform.io/hashicorp/aws", "values": { "port": 80, "protocol": "HTTP" } }
 */
export const TfValuesResourceSchema = z.looseObject({
  address: z.string().min(1),
  mode: z.string().min(1),
  type: z.string().min(1),
  name: z.string().min(1),
  index: z.union([z.number(), z.string()]).optional(),
  values: z.record(z.string(), z.unknown()).nullish(),
});
/** One resource instance of a values representation. */
export type TfValuesResource = z.infer<typeof TfValuesResourceSchema>;

/** A module of a values representation: its resources and its child modules. */
export interface TfValuesModule {
  readonly address?: string;
  readonly resources?: readonly TfValuesResource[];
  readonly child_modules?: readonly TfValuesModule[];
}

/** A module of a values representation (recursive). */
export const TfValuesModuleSchema: z.ZodType<TfValuesModule> = z.looseObject({
  address: z.string().optional(),
  resources: z.array(TfValuesResourceSchema).optional(),
  get child_modules() {
    return z.array(TfValuesModuleSchema).optional();
  },
});

/** A values representation: the state, or what a plan knows of the outcome. */
export const TfValuesSchema = z.looseObject({ root_module: TfValuesModuleSchema.optional() });

/** A change representation (`resource_changes[].change`). */
export const TfChangeSchema = z.looseObject({
  actions: z.array(z.string()),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** Same shape as `after`, with `true` on each leaf known only after apply. */
  after_unknown: z.unknown().optional(),
});

/**
 * One element of a plan's `resource_changes`.
 *
 * @example
 * { "address": "aws_lb_listener.http", "mode": "managed", "type": "aws_lb_listener", "name": "http",
 *   "change": { "actions": ["update"], "before": { "port": 80 }, "after": { "port": 80 }, "after_unknown": {} } }
 */
export const TfResourceChangeSchema = z.looseObject({
  address: z.string().min(1),
  previous_address: z.string().optional(),
  module_address: z.string().optional(),
  mode: z.string().min(1),
  type: z.string().min(1),
  name: z.string().min(1),
  index: z.union([z.number(), z.string()]).optional(),
  deposed: z.string().optional(),
  change: TfChangeSchema,
});
/** One element of `resource_changes`. */
export type TfResourceChange = z.infer<typeof TfResourceChangeSchema>;

const FormatVersionSchema = z.string().optional();

/** `terraform show -json STATEFILE`. */
export const TfStateSchema = z.looseObject({
  format_version: FormatVersionSchema,
  terraform_version: z.string().optional(),
  values: TfValuesSchema.optional(),
});
/** A state representation. */
export type TfState = z.infer<typeof TfStateSchema>;

/** `terraform show -json PLANFILE`. */
export const TfPlanSchema = z.looseObject({
  format_version: FormatVersionSchema,
  terraform_version: z.string().optional(),
  prior_state: TfStateSchema.nullish(),
  planned_values: TfValuesSchema.optional(),
  resource_changes: z.array(TfResourceChangeSchema).optional(),
  /** Read by `configuration.ts` with its own schema: only references of unknown values matter. */
  configuration: z.unknown().optional(),
});
/** A plan representation. */
export type TfPlan = z.infer<typeof TfPlanSchema>;

/** A `terraform show -json` document, told apart by its content. */
export type TerraformDocument = { readonly kind: 'plan'; readonly plan: TfPlan } | { readonly kind: 'state'; readonly state: TfState };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a parsed JSON file is, from its content: a plan has `planned_values`, `resource_changes` or
 * `prior_state`; a state has `values` or only a `format_version` (an empty state prints just that);
 * anything else (a CloudFormation template has `Resources`) is not Terraform's.
 */
export function terraformKindOf(raw: unknown): 'plan' | 'state' | undefined {
  if (!isRecord(raw) || 'Resources' in raw) return undefined;
  if ('planned_values' in raw || 'resource_changes' in raw || 'prior_state' in raw) return 'plan';
  if ('values' in raw || typeof raw.format_version === 'string') return 'state';
  return undefined;
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

/**
 * Reads a `terraform show -json` document already parsed from JSON. Throws `InputValidationError`
 * naming `source` and the field (`resource_changes[3].change.actions`) when it is not one.
 */
export function parseTerraformJson(raw: unknown, source: string): TerraformDocument {
  const kind = terraformKindOf(raw);
  if (kind === undefined) {
    throw new InputValidationError(`${source}: not the output of \`terraform show -json\` (no planned_values, resource_changes, prior_state or values)`, {
      input: 'terraform',
    });
  }
  const parsed = (kind === 'plan' ? TfPlanSchema : TfStateSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldOf(issue.path);
    throw new InputValidationError(`${source}: not a Terraform ${kind}: ${field === '' ? '(top level)' : field}: ${issue.message}`, { field, input: 'terraform' });
  }
  const version = parsed.data.format_version;
  if (version !== undefined && !/^1(\.|$)/.test(version)) {
    throw new InputValidationError(`${source}: format_version ${version} is not supported (this check reads format 1.x of \`terraform show -json\`)`, {
      field: 'format_version',
      input: 'terraform',
    });
  }
  return kind === 'plan' ? { kind, plan: parsed.data as TfPlan } : { kind, state: parsed.data as TfState };
}

/** `a.b[0].c` for error messages, from a path of keys and indices. */
export function formatField(base: string, path: readonly PropertyKey[]): string {
  const rest = fieldOf(path);
  if (rest === '') return base;
  return rest.startsWith('[') ? `${base}${rest}` : `${base}.${rest}`;
}
