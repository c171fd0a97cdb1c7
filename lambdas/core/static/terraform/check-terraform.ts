import { InputValidationError } from '../../errors';
import { DEFAULT_POLICY } from '../../policy/default-policy';
import type { Policy } from '../../policy/policy-schema';
import { RULES, type RuleRegistry } from '../../rules';
import type { TemplateCheck } from '../check-template';
import type { SarifRuleSource } from '../sarif';
import { STATIC_RULES, type StaticRuleRegistry } from '../rules';
import type { StaticCounts, StaticNote } from '../static-model';
import { checkState } from './check-state';
import { ConfigIndex } from './configuration';
import { planSides, valuesSide, type Side } from './instances';
import { judgePlan, type PlanVerdict } from './judge-plan';
import { loadBalancerViews } from './lb-view';
import { buildSide, indexArns } from './side-model';
import type { TerraformDocument } from './terraform-json';

/**
 * `elb-watchdog check` on the output of `terraform show -json`. A plan is judged as the change it is,
 * by the core's engine (the verdicts the watchdog gives at run time); a state, which has no "before",
 * by the static rules, as a CloudFormation template. Findings and notes name Terraform addresses.
 */

/** The check of one Terraform file, in the shape `check` prints for templates. */
export interface TerraformCheck extends TemplateCheck {
  readonly kind: 'terraform-plan' | 'terraform-state';
  /** The verdict on each load balancer (plans; for a state, from its findings). */
  readonly verdicts: readonly PlanVerdict[];
}

/** Options of `checkTerraform`. */
export interface CheckTerraformOptions {
  /** Names the file in findings. */
  readonly file: string;
  /** @default DEFAULT_POLICY */
  readonly policy?: Policy;
  /** The core's rules for plans. @default RULES */
  readonly registry?: RuleRegistry;
  /** The static rules for states. @default STATIC_RULES */
  readonly staticRules?: StaticRuleRegistry;
}

/** The core's rules as SARIF describes them: a plan's findings come from them. */
export function planRuleDescriptors(registry: RuleRegistry = RULES): SarifRuleSource[] {
  return registry.rules.map((rule) => ({ id: rule.id, title: rule.title, rationale: rule.rationale, severity: rule.severity === 'block' ? 'error' : 'warning' }));
}

function countsOf(side: Side): StaticCounts {
  const count = (kind: string) => side.elb.filter((i) => i.kind === kind).length;
  return { loadBalancers: count('lb'), listeners: count('listener'), rules: count('rule'), targetGroups: count('targetGroup') };
}

function unique(notes: readonly StaticNote[]): StaticNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.logicalId}\u0000${n.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Checks a plan or a state already read with `parseTerraformJson`; bad input throws `InputValidationError` naming the file. */
export function checkTerraform(document: TerraformDocument, options: CheckTerraformOptions): TerraformCheck {
  try {
    return check(document, options);
  } catch (error) {
    if (!(error instanceof InputValidationError) || error.message.startsWith(`${options.file}:`)) throw error;
    throw new InputValidationError(`${options.file}: ${error.message}`, { field: error.field, input: 'terraform', cause: error });
  }
}

function check(document: TerraformDocument, options: CheckTerraformOptions): TerraformCheck {
  const policy = options.policy ?? DEFAULT_POLICY;
  if (document.kind === 'state') {
    const side = valuesSide(document.state.values?.root_module, 'values.root_module', options.file);
    const model = buildSide(side, indexArns([side]), undefined);
    const { views, notes: general } = loadBalancerViews(undefined, model);
    const { findings, notes } = checkState(views, policy, options.staticRules ?? STATIC_RULES);
    const verdicts = views.flatMap((view) => {
      const lb = view.after?.lb;
      if (lb === undefined || view.after?.listeners.length === 0) return [];
      const mine = findings.filter((f) => f.loadBalancer === lb.name);
      const decision = mine.some((f) => f.severity === 'error') ? 'block' : mine.length > 0 ? 'warn' : 'allow';
      return [{ address: lb.address ?? view.key, name: lb.name, decision } as const];
    });
    return { kind: 'terraform-state', file: options.file, findings: findings.map((f) => ({ file: options.file, ...f })), notes: unique([...general.map((n) => ({ logicalId: n.address, message: n.message })), ...notes]), counts: countsOf(side), verdicts };
  }
  const sides = planSides(document.plan, options.file);
  const config = new ConfigIndex(document.plan.configuration, options.file);
  const arns = indexArns([sides.before, sides.after]);
  const { views, notes: general } = loadBalancerViews(buildSide(sides.before, arns, config), buildSide(sides.after, arns, config));
  const judged = judgePlan(views, { policy, ...(options.registry !== undefined && { registry: options.registry }) });
  return {
    kind: 'terraform-plan',
    file: options.file,
    findings: judged.findings.map((f) => ({ file: options.file, ...f })),
    notes: unique([...general.map((n) => ({ logicalId: n.address, message: n.message })), ...judged.notes]),
    counts: countsOf(sides.after),
    verdicts: judged.verdicts,
  };
}

/** Address → 1-based line of its `"address"` key, for SARIF regions (a pretty-printed file; `terraform show -json` writes one line). */
export function addressLines(text: string): Map<string, number> {
  const found = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(/"address"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
      const address = JSON.parse(`"${match[1]}"`) as string;
      if (!found.has(address)) found.set(address, i + 1);
    }
  });
  return found;
}
