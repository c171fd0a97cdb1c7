import { kindOfType, readValues, type TfKind, type TfValuesOf } from './provider-values';
import type { TfPlan, TfValuesModule } from './terraform-json';

/**
 * The resource instances of one side of a change: the state before (a plan's `prior_state`, or a
 * state file) or the planned state after (`resource_changes[].change.after` with `after_unknown`).
 * ELBv2 resources come validated and typed by kind; every other managed resource is kept as it is,
 * because an Auto Scaling group or an ECS service may register the targets of a group.
 */

interface InstanceBase {
  /** `module.web["a"].aws_lb_listener.http[0]`. */
  readonly address: string;
  /** As written (`aws_alb_listener` stays `aws_alb_listener`). */
  readonly type: string;
  readonly name: string;
  /** The count or for_each key, when the resource has one. */
  readonly index?: number | string;
  /** The module instance it belongs to (`module.web["a"]`), `''` for the root module. */
  readonly module: string;
  /** `after_unknown` of a planned instance: `true` on each leaf known only after apply. */
  readonly unknown?: unknown;
  /** Where its values are in the document (`resource_changes[3].change.after`), for errors. */
  readonly field: string;
}

/** An ELBv2 resource instance with its validated values. */
export type ElbInstance = { [K in TfKind]: InstanceBase & { readonly kind: K; readonly values: TfValuesOf<K> } }[TfKind];
/** An ELBv2 resource instance of one kind. */
export type ElbInstanceOf<K extends TfKind> = Extract<ElbInstance, { kind: K }>;

/** Any other managed resource instance. */
export interface OtherInstance extends InstanceBase {
  readonly values: Record<string, unknown>;
}

/** One side of a change. */
export interface Side {
  readonly elb: readonly ElbInstance[];
  readonly others: readonly OtherInstance[];
}

interface RawInstance extends InstanceBase {
  readonly values: unknown;
}

function classify(raw: readonly RawInstance[], source: string): Side {
  const elb: ElbInstance[] = [];
  const others: OtherInstance[] = [];
  for (const instance of raw) {
    const kind = kindOfType(instance.type);
    if (kind === undefined) {
      others.push({ ...instance, values: typeof instance.values === 'object' && instance.values !== null ? (instance.values as Record<string, unknown>) : {} });
      continue;
    }
    const values = readValues(kind, instance.values, { source, field: instance.field, address: instance.address });
    elb.push({ ...instance, kind, values } as ElbInstance);
  }
  return { elb, others };
}

function walkModule(module: TfValuesModule, field: string, into: RawInstance[], rename: ReadonlyMap<string, { address: string; module: string }>): void {
  (module.resources ?? []).forEach((resource, i) => {
    if (resource.mode !== 'managed') return;
    const renamed = rename.get(resource.address);
    into.push({
      address: renamed?.address ?? resource.address,
      type: resource.type,
      name: resource.name,
      ...(resource.index !== undefined && { index: resource.index }),
      module: renamed?.module ?? module.address ?? '',
      field: `${field}.resources[${i}].values`,
      values: resource.values,
    });
  });
  (module.child_modules ?? []).forEach((child, i) => walkModule(child, `${field}.child_modules[${i}]`, into, rename));
}

/** The instances of a values representation (a state's `values`, a plan's `prior_state.values`). */
export function valuesSide(root: TfValuesModule | undefined, field: string, source: string, rename: ReadonlyMap<string, { address: string; module: string }> = new Map()): Side {
  const raw: RawInstance[] = [];
  if (root !== undefined) walkModule(root, field, raw, rename);
  return classify(raw, source);
}

/**
 * Both sides of a plan. Before: `prior_state`, with instances a `moved` block renamed taken under
 * their new address (`previous_address`), so a rename is not a delete and a create. After: each
 * planned change's `after` with its `after_unknown` (a deleted instance is absent; a deposed object
 * is about to go and is left out). A plan without `resource_changes` falls back to `planned_values`,
 * which cannot tell unknown values from absent ones.
 */
export function planSides(plan: TfPlan, source: string): { before: Side; after: Side } {
  const changes = plan.resource_changes;
  const rename = new Map<string, { address: string; module: string }>();
  for (const change of changes ?? []) {
    if (change.previous_address !== undefined && change.previous_address !== change.address) {
      rename.set(change.previous_address, { address: change.address, module: change.module_address ?? '' });
    }
  }
  const before = valuesSide(plan.prior_state?.values?.root_module, 'prior_state.values.root_module', source, rename);
  if (changes === undefined) return { before, after: valuesSide(plan.planned_values?.root_module, 'planned_values.root_module', source) };
  const raw: RawInstance[] = [];
  changes.forEach((change, i) => {
    const { actions, after } = change.change;
    if (change.mode !== 'managed' || change.deposed !== undefined || after === null || after === undefined) return;
    if (actions.length === 1 && actions[0] === 'delete') return;
    raw.push({
      address: change.address,
      type: change.type,
      name: change.name,
      ...(change.index !== undefined && { index: change.index }),
      module: change.module_address ?? '',
      unknown: change.change.after_unknown,
      field: `resource_changes[${i}].change.after`,
      values: after,
    });
  });
  return { before, after: classify(raw, source) };
}

/** True when the value at `path` of an instance is known only after apply. */
export function isUnknown(mask: unknown, path: readonly (string | number)[]): boolean {
  let current: unknown = mask;
  for (const key of path) {
    if (current === true) return true;
    if (typeof current !== 'object' || current === null) return false;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current === true;
}

/** True when anything at or under `path` is known only after apply. */
export function hasUnknown(mask: unknown, path: readonly (string | number)[] = []): boolean {
  let current: unknown = mask;
  for (const key of path) {
    if (current === true) return true;
    if (typeof current !== 'object' || current === null) return false;
    current = (current as Record<string | number, unknown>)[key];
  }
  const walk = (value: unknown): boolean => value === true || (typeof value === 'object' && value !== null && Object.values(value).some(walk));
  return walk(current);
}
