import type { LoadBalancerSnapshot } from '../model/snapshot';
import { compareRouting } from '../routing/compare-routing';
import type { Outcome } from '../routing/route';
import { planRevert, type PlanRevertOptions } from './plan-revert';

/** An outcome in a few words: `forward web-blue=100%`, `fixed-response 503`, `no listener`. */
export function describeOutcome(outcome: Outcome, names: ReadonlyMap<string, string>): string {
  switch (outcome.kind) {
    case 'forward': {
      const total = outcome.forward.targetGroups.reduce((sum, g) => sum + g.weight, 0);
      const parts = outcome.forward.targetGroups.filter((g) => g.weight > 0).map((g) => `${names.get(g.targetGroupArn) ?? g.targetGroupArn} ${Math.round((g.weight / total) * 1000) / 10}%`);
      return parts.length === 0 ? 'forward with total weight 0' : `forward ${parts.join(', ')}`;
    }
    case 'fixed-response':
      return `fixed-response ${outcome.statusCode}`;
    case 'redirect':
      return `redirect to ${outcome.location}`;
    case 'no-listener':
      return 'no listener';
    case 'no-route':
      return `no route (${outcome.reason})`;
  }
}

const CAPACITY_STEPS = new Set(['RegisterTargets', 'ModifyTargetGroupAttributes', 'ModifyLoadBalancerAttributes', 'SetSubnets']);

/**
 * What still differs from the last known good, judged as routing: every request class of the last known
 * good's listeners must go where it went (same outcome: groups and weights, fixed response, redirect),
 * whatever the ARNs of the rules and listeners that send it there; the targets, group attributes and
 * zones a revert restores must be back. Classes of listeners added since are not part of the last known
 * good's routing and are not compared. Empty: routing is restored.
 */
export function routingDifferences(lastKnownGood: LoadBalancerSnapshot, current: LoadBalancerSnapshot, options: PlanRevertOptions = {}): string[] {
  const names = new Map([...lastKnownGood.targetGroups, ...current.targetGroups].map((g) => [g.arn, g.name]));
  const differences: string[] = [];
  for (const { requestClass, before, after } of compareRouting(lastKnownGood, current).classes) {
    if (before === undefined || before.route.outcome.kind === 'no-listener') continue;
    if (before.route.outcome.key === after.route.outcome.key) continue;
    differences.push(`${requestClass.label}: ${describeOutcome(after.route.outcome, names)}, was ${describeOutcome(before.route.outcome, names)}`);
  }
  for (const step of planRevert(lastKnownGood, current, options).steps) if (CAPACITY_STEPS.has(step.operation)) differences.push(step.description);
  return differences;
}
