/**
 * `terraform show -json` documents for tests, built as Terraform writes them, since there is no terraform
 * binary here. The format is HashiCorp's (https://developer.hashicorp.com/terraform/internals/json-format):
 * a plan has `prior_state` (a state representation), `configuration` (expressions with their
 * `references`), `planned_values` (unknown values omitted) and `resource_changes` (one per instance with
 * `change.actions`, `before`, `after` and `after_unknown`, which is `true` on each leaf known only after
 * apply). Resource values follow the AWS provider's schema (see `terraform-resources.ts`).
 *
 *   const plan = tfPlan(
 *     [lb('aws_lb.web', {...}), listener('aws_lb_listener.http', {...})],        // before (prior state)
 *     [lb('aws_lb.web', {...}), listener('aws_lb_listener.http', {...new})],     // after (planned)
 *   );
 *
 * A value written `UNKNOWN` is known only after apply: `null` in `after`, `true` in `after_unknown`,
 * absent from `planned_values`. `refs` names, per attribute path, the resource an expression refers to,
 * which goes into `configuration` (`default_action.0.forward.0.target_group.1.arn` → `aws_lb_target_group.green`).
 */

/** A value known only after apply. */
export const UNKNOWN = Symbol('known after apply');

/** One resource instance on one side. */
export interface TfResourceSpec {
  /** `module.web.aws_lb_listener.http`, `aws_lb_target_group_attachment.blue[0]`, `aws_lb_target_group.this["green"]`. */
  readonly address: string;
  readonly values: Record<string, unknown>;
  /**
   * Attribute path (dots, indices as numbers) → the resource address it refers to, for `configuration`
   * (written `["X.arn", "X"]`, as Terraform unwraps a reference), or the exact `references` list.
   */
  readonly refs?: Readonly<Record<string, string | readonly string[]>>;
  /** Written under this address before a `moved` block renamed it. */
  readonly previousAddress?: string;
}

interface Parsed {
  readonly module: string;
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
}

/** Splits an absolute resource address into its module, type, name and key. */
export function parseAddress(address: string): Parsed {
  const match = /^((?:module\.[A-Za-z0-9_-]+(?:\[(?:\d+|"[^"]*")\])?\.)*)([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(\d+|"[^"]*")\])?$/.exec(address);
  if (match === null) throw new Error(`not a resource address: ${address}`);
  const key = match[4];
  return {
    module: match[1].replace(/\.$/, ''),
    type: match[2],
    name: match[3],
    ...(key !== undefined && { index: key.startsWith('"') ? (JSON.parse(key) as string) : Number(key) }),
  };
}

function known(value: unknown): unknown {
  if (value === UNKNOWN) return null;
  if (Array.isArray(value)) return value.map(known);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, known(v)]));
  return value;
}

function unknownMask(value: unknown): unknown {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.map(unknownMask);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => {
      const mask = unknownMask(v);
      return mask === undefined || (typeof mask === 'object' && mask !== null && !Array.isArray(mask) && Object.keys(mask).length === 0) ? [] : [[k, mask]];
    }));
  }
  return undefined;
}

function withoutUnknown(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUnknown);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== UNKNOWN).map(([k, v]) => [k, withoutUnknown(v)]));
  return value;
}

const COMPUTED = new Set(['arn', 'id', 'arn_suffix', 'tags_all', 'dns_name', 'zone_id', 'load_balancer_arns']);

/** The configuration's block expressions for a resource: constants, and references where `refs` says. */
function expressions(values: Record<string, unknown>, refs: Readonly<Record<string, string | readonly string[]>>, path: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const here = [...path, key];
    const ref = refs[here.join('.')];
    if (ref !== undefined) out[key] = { references: typeof ref === 'string' ? [`${ref}.arn`, ref] : ref };
    else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      out[key] = value.map((block, i) => expressions(block as Record<string, unknown>, refs, [...here, String(i)]));
    } else if (value !== null && value !== UNKNOWN && !(path.length === 0 && COMPUTED.has(key)) && !(Array.isArray(value) && value.length === 0)) {
      out[key] = { constant_value: known(value) };
    }
  }
  return out;
}

function instance(spec: TfResourceSpec, values: unknown) {
  const { type, name, index } = parseAddress(spec.address);
  return { address: spec.address, mode: 'managed', type, name, ...(index !== undefined && { index }), provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values, sensitive_values: {} };
}

/** A values representation: resources grouped into nested child modules, as Terraform writes them. */
function valuesOf(specs: readonly TfResourceSpec[], value: (spec: TfResourceSpec) => unknown) {
  type Module = { address?: string; resources: unknown[]; child_modules: Map<string, Module> };
  const root: Module = { resources: [], child_modules: new Map() };
  for (const spec of specs) {
    const { module } = parseAddress(spec.address);
    let current = root;
    const parts = module === '' ? [] : module.match(/module\.[A-Za-z0-9_-]+(?:\[(?:\d+|"[^"]*")\])?/g) ?? [];
    parts.forEach((_, i) => {
      const address = parts.slice(0, i + 1).join('.');
      const child = current.child_modules.get(address) ?? { address, resources: [], child_modules: new Map() };
      current.child_modules.set(address, child);
      current = child;
    });
    current.resources.push(instance(spec, value(spec)));
  }
  const render = (m: Module): Record<string, unknown> => ({
    ...(m.address !== undefined && { address: m.address }),
    resources: m.resources,
    ...(m.child_modules.size > 0 && { child_modules: [...m.child_modules.values()].map(render) }),
  });
  return { root_module: render(root) };
}

function configurationOf(specs: readonly TfResourceSpec[]) {
  type Module = { resources: Map<string, unknown>; module_calls: Record<string, { source: string; module: Module }> };
  const root: Module = { resources: new Map(), module_calls: {} };
  for (const spec of specs) {
    const { module, type, name } = parseAddress(spec.address);
    let current = root;
    for (const call of module === '' ? [] : module.replace(/\[(?:\d+|"[^"]*")\]/g, '').split('.').filter((_, i) => i % 2 === 1)) {
      current.module_calls[call] ??= { source: `./modules/${call}`, module: { resources: new Map(), module_calls: {} } };
      current = current.module_calls[call].module;
    }
    const key = `${type}.${name}`;
    if (!current.resources.has(key)) {
      current.resources.set(key, { address: key, mode: 'managed', type, name, provider_config_key: 'aws', expressions: expressions(spec.values, spec.refs ?? {}), schema_version: 0 });
    }
  }
  const render = (m: Module): Record<string, unknown> => ({
    resources: [...m.resources.values()],
    ...(Object.keys(m.module_calls).length > 0 && { module_calls: Object.fromEntries(Object.entries(m.module_calls).map(([k, v]) => [k, { source: v.source, module: render(v.module) }])) }),
  });
  return { provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } }, root_module: render(root) };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Options of `tfPlan`. */
export interface TfPlanOptions {
  /** @default true: include `configuration` (references settle values known only after apply). */
  readonly configuration?: boolean;
}

/** A plan: `before` is the prior state (fully known), `after` the planned instances. */
export function tfPlan(before: readonly TfResourceSpec[], after: readonly TfResourceSpec[], options: TfPlanOptions = {}): Record<string, unknown> {
  const prior = new Map(before.map((s) => [s.address, s]));
  const renamed = new Map(after.filter((s) => s.previousAddress !== undefined).map((s) => [s.previousAddress as string, s]));
  const changes: Record<string, unknown>[] = [];
  for (const spec of after) {
    const was = prior.get(spec.previousAddress ?? spec.address);
    const { module, type, name, index } = parseAddress(spec.address);
    const actions = was === undefined ? ['create'] : sameJson(was.values, spec.values) ? ['no-op'] : ['update'];
    changes.push({
      address: spec.address,
      ...(spec.previousAddress !== undefined && { previous_address: spec.previousAddress }),
      ...(module !== '' && { module_address: module }),
      mode: 'managed',
      type,
      name,
      ...(index !== undefined && { index }),
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions,
        before: was === undefined ? null : was.values,
        after: known(spec.values),
        after_unknown: unknownMask(spec.values) ?? {},
        before_sensitive: was === undefined ? false : {},
        after_sensitive: {},
      },
    });
  }
  for (const spec of before) {
    if (after.some((s) => s.address === spec.address) || renamed.has(spec.address)) continue;
    const { module, type, name, index } = parseAddress(spec.address);
    changes.push({
      address: spec.address,
      ...(module !== '' && { module_address: module }),
      mode: 'managed',
      type,
      name,
      ...(index !== undefined && { index }),
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: { actions: ['delete'], before: spec.values, after: null, after_unknown: {}, before_sensitive: {}, after_sensitive: false },
      action_reason: 'delete_because_no_resource_config',
    });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: valuesOf(after, (s) => withoutUnknown(s.values)),
    resource_changes: changes,
    ...(before.length > 0 && { prior_state: { format_version: '1.0', terraform_version: '1.9.8', values: valuesOf(before, (s) => s.values) } }),
    ...(options.configuration !== false && { configuration: configurationOf(after) }),
    timestamp: '2026-11-24T10:30:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
}

/** A state (`terraform show -json` on a state file): fully known. */
export function tfState(resources: readonly TfResourceSpec[]): Record<string, unknown> {
  return { format_version: '1.0', terraform_version: '1.9.8', values: valuesOf(resources, (s) => s.values) };
}
